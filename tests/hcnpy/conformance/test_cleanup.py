"""Cleanup: whatever call fails, the kit leaves nothing behind but what it reports.

Failures are injected into the simulated HNS with ``HCNPY_SIM_FAULTS`` (no mocks): a failed
set-up step ends its scenario with an error and still cleans up; a failed delete is reported
(the object and the rule) and the report fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcnpy import bindings
from hcnpy.bindings import Library
from hcnpy.conformance import run_kit
from hcnpy.sim import engine

from .conftest import Restart, objects


def test_a_failing_create_ends_its_scenario_and_leaves_nothing(
    library: Library, restart: Restart
) -> None:
    restart(faults="HcnCreateEndpoint=0x80004005@1")
    report = run_kit(library)
    failed = [r for r in report.results if r.verdict != "pass"]
    assert [(r.id, r.verdict) for r in failed] == [("handle.object-deleted", "error")]
    assert failed[0].observed == "error: set-up step failed: HcnCreateEndpoint E_FAIL (0x80004005)"
    assert "injected fault" in failed[0].detail
    assert not failed[0].cleanup and not report.left_behind
    assert not report.passed
    restart(faults="")
    assert objects(library) == {}


def test_a_failed_delete_is_reported_with_what_it_left(library: Library, restart: Restart) -> None:
    restart(faults="HcnDeleteEndpoint=0x80004005@3")
    report = run_kit(library)
    assert not report.passed
    left = {(o["kind"], o["id"]) for o in report.left_behind}
    kinds = sorted(kind for kind, _ in left)
    assert kinds == ["Endpoint", "Network"], "the endpoint, and the network it still holds"
    culprit = {o["rule"] for o in report.left_behind}
    assert len(culprit) == 1
    result = report.result(culprit.pop())
    assert result is not None and len(result.cleanup) == 2
    assert any("HcnDeleteEndpoint" in line for line in result.cleanup)
    restart(faults="")
    assert {(k, i) for k, ids in objects(library).items() for i in ids} == left


#: Calls whose failure hits set-up steps, calls under test, cleanup and version reading.
FAULTABLE = [
    "HNSCall",
    "HcnEnumerateNetworks",
    "HcnEnumerateNamespaces",
    "HcnEnumerateEndpoints",
    "HcnEnumerateLoadBalancers",
    "HcnCreateNetwork",
    "HcnCreateEndpoint",
    "HcnCreateNamespace",
    "HcnCreateLoadBalancer",
    "HcnCreateSdnRoute",
    "HcnOpenNetwork",
    "HcnOpenNamespace",
    "HcnQueryNetworkProperties",
    "HcnQueryEndpointProperties",
    "HcnModifyNamespace",
    "HcnModifyEndpoint",
    "HcnModifyNetwork",
    "HcnDeleteNetwork",
    "HcnDeleteEndpoint",
    "HcnDeleteNamespace",
    "HcnDeleteLoadBalancer",
    "HcnDeleteSdnRoute",
]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    function=st.sampled_from(FAULTABLE),
    call=st.integers(min_value=1, max_value=60),
    code=st.sampled_from(["0x80004005", "HCN_E_MANAGER_STOPPED", "ERROR_NOT_FOUND"]),
)
def test_what_is_left_is_what_is_reported(
    tmp_path_factory: pytest.TempPathFactory, function: str, call: int, code: str
) -> None:
    state = tmp_path_factory.mktemp("faults") / "hns.sqlite3"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HCNPY_SIM_STATE", str(state))
        for name in ("HCNPY_SIM_HNS_VERSION", "HCNPY_TRACE"):
            env.delenv(name, raising=False)
        env.setenv("HCNPY_SIM_FAULTS", f"{function}={code}@{call}")
        engine.reset_engine()
        library = bindings.load("sim")
        report = run_kit(library)
        assert library.leak_counters() == (0, 0)
        env.setenv("HCNPY_SIM_FAULTS", "")
        engine.reset_engine()
        left = {(kind, i) for kind, ids in objects(library).items() for i in ids}
        engine.reset_engine()
    assert left == {(o["kind"], o["id"]) for o in report.left_behind}
    clean = all(r.verdict in ("pass", "not-applicable") and not r.cleanup for r in report.results)
    assert report.passed == clean
    assert not report.left_behind or not report.passed
    if function == "HNSCall" and call == 1:
        assert report.hns_version is None
        assert any(r.verdict == "not-applicable" for r in report.results)


def test_the_kit_cleans_up_after_a_bug_in_a_scenario(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hcnpy.conformance import scenarios

    scenario = scenarios().get("endpoint.routes.default")
    assert scenario is not None
    original = scenario.observe

    def broken(probe: object) -> dict[str, str]:
        original(probe)  # type: ignore[arg-type]  # creates a network and an endpoint
        raise RuntimeError("a bug in a scenario")

    monkeypatch.setattr(scenario, "observe", broken)
    report = run_kit(library, only=["endpoint.routes.default"])
    result = report.results[0]
    assert result.verdict == "error" and result.observed == "error: internal RuntimeError"
    assert "a bug in a scenario" in result.detail
    assert objects(library) == {}
