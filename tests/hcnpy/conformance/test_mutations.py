"""The kit measures: a simulator that behaves differently from its own rule table diverges
on exactly the rule it breaks. The kit runs over the in-process simulator (``sim-inprocess``),
so changing one of its functions here changes what the calls answer; the stand-in library
would reach the unchanged simulator service."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hcnpy import bindings
from hcnpy.bindings import Library
from hcnpy.conformance import run_kit
from hcnpy.sim import balancers, endpoints, engine, networks


def _lower_case_backends(original: Any) -> Any:
    def render(self: Any, *args: Any) -> Any:
        out = original(self, *args)
        out["HostComputeEndpoints"] = [e.lower() for e in out["HostComputeEndpoints"]]
        return out

    return render


def _record_code_first(original: Any) -> Any:
    def record(hresult: int, detail: str, rule: str | None = None) -> str:
        data = json.loads(original(hresult, detail, rule))
        return json.dumps({"ErrorCode": data.pop("ErrorCode"), **data})

    return record


MUTATIONS = [
    (networks, "_NAT_PREFIX", lambda original: 24, "network.nat.default-subnet"),
    (endpoints, "_default_routes", lambda original: lambda plans, configs: [],
     "endpoint.routes.default"),
    (balancers.LoadBalancers, "render", _lower_case_backends, "load-balancer.endpoints.upper-case"),
    (engine, "error_record", _record_code_first, "error-record.shape"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("owner", "name", "mutate", "rule"), MUTATIONS, ids=[m[3] for m in MUTATIONS]
)
def test_a_changed_behaviour_diverges_on_its_rule(
    library: Library, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, mutate: Any, rule: str
) -> None:
    monkeypatch.setattr(owner, name, mutate(getattr(owner, name)))
    report = run_kit(bindings.load("sim-inprocess"))
    assert {r.id: r.verdict for r in report.results if r.verdict != "pass"} == {rule: "diverge"}
    result = report.result(rule)
    assert result is not None and result.expected != result.observed
    assert not report.passed
