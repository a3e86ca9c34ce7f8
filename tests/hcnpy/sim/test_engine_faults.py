"""Fault injection: the ``HCNPY_SIM_FAULTS`` format and how the engine applies it."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from hcnpy.hresult import HResult
from hcnpy.sim.engine import Engine
from hcnpy.sim.faults import FUNCTIONS, FaultInjector, FaultRule, parse_faults

from .sim_engine_support import create_hr, ids, nat_network, new_engine


@pytest.mark.parametrize(
    ("spec", "rules"),
    [
        ("", ()),
        ("HcnCreateEndpoint=0x803B0013",
         (FaultRule("HcnCreateEndpoint", 0x803B0013),)),
        ("HcnOpenNetwork=stall:500", (FaultRule("HcnOpenNetwork", None, 500),)),
        ("HcnModifyNamespace=0x803B002E@2",
         (FaultRule("HcnModifyNamespace", 0x803B002E, 0, 2, 2),)),
        ("HcnModifyNamespace=stall:10,HCN_E_NAMESPACE_ATTACH_FAILED@3+",
         (FaultRule("HcnModifyNamespace", 0x803B002E, 10, 3, None),)),
        (" HNSCall = 2147942405 @ 2-4 ;\n*=stall:1 ",
         (FaultRule("HNSCall", 0x80070005, 0, 2, 4), FaultRule("*", None, 1))),
        ("HcnDeleteNetwork=-2147023728", (FaultRule("HcnDeleteNetwork", 0x80070490),)),
        ("HcnCloseEndpoint=e_fail", (FaultRule("HcnCloseEndpoint", 0x80004005),)),
    ],
)  # fmt: skip
def test_parse_valid_specs(spec: str, rules: tuple[FaultRule, ...]) -> None:
    assert parse_faults(spec) == rules


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("HcnCreateEndpoint", "want FUNCTION=ACTION"),
        ("HcnCreateEndpoint=", "want FUNCTION=ACTION"),
        ("HcnCreateEndpoints=0x80004005", "unknown function 'HcnCreateEndpoints'"),
        ("HcnCreateEndpoint=banana", "neither an HRESULT number"),
        ("HcnCreateEndpoint=0x1", "not a failure HRESULT"),
        ("HcnCreateEndpoint=0x1FFFFFFFF", "does not fit in 32 bits"),
        ("HcnCreateEndpoint=stall:soon", "stall wants milliseconds"),
        ("HcnCreateEndpoint=stall:-1", "stall must be"),
        ("HcnCreateEndpoint=stall:9999999", "stall must be"),
        ("HcnCreateEndpoint=E_FAIL,E_FAIL", "more than one HRESULT"),
        ("HcnCreateEndpoint=E_FAIL,", "empty action"),
        ("HcnCreateEndpoint=E_FAIL@", "@WHEN wants"),
        ("HcnCreateEndpoint=E_FAIL@x", "@WHEN wants"),
        ("HcnCreateEndpoint=E_FAIL@0", "start at 1"),
        ("HcnCreateEndpoint=E_FAIL@3-2", "must not go down"),
    ],
)
def test_parse_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_faults(spec)


def test_every_engine_function_can_be_named() -> None:
    some = {"HcnEnumerateSdnRoutes", "HcnQueryLoadBalancerProperties", "HcnCloseNamespace",
            "HNSCall", "HcnQueryEndpointStats", "HcnRegisterServiceCallback"}  # fmt: skip
    assert some <= FUNCTIONS
    assert len(FUNCTIONS) == 5 * 7 + 5


def test_injector_counts_per_function() -> None:
    injector = FaultInjector(parse_faults("HcnOpenNetwork=E_FAIL@2;HcnOpenNetwork=stall:5@2+"))
    verdicts = [injector.on_call("HcnOpenNetwork") for _ in range(3)]
    assert [(v.call_number, v.hresult, v.stall_ms) for v in verdicts] == [
        (1, None, 0), (2, 0x80004005, 5), (3, None, 5)
    ]  # fmt: skip
    assert injector.on_call("HcnOpenEndpoint").call_number == 1
    assert injector.calls("HcnOpenNetwork") == 3


def test_failure_on_every_call_leaves_state_untouched(tmp_path: Path) -> None:
    engine = new_engine(tmp_path, faults="HcnCreateNetwork=0x803B0010")
    hr, handle, record = engine.create("Network", None, '{"Name": "x"}')
    assert (hr, handle) == (0x803B0010, None) and record is not None
    parsed = json.loads(record)
    assert parsed["ErrorCode"] == 0x803B0010 and "HCNPY_SIM_FAULTS" in parsed["Simulator"]["Detail"]
    assert ids(engine, "Network") == []
    assert engine.open_handle_count() == 0


def test_nth_call_and_from_nth_on(tmp_path: Path) -> None:
    engine = new_engine(tmp_path, faults="HcnCreateEndpoint=HCN_E_PORT_ALREADY_EXISTS@2;"
                                         "HcnCreateNamespace=E_FAIL@2+")  # fmt: skip
    net = nat_network(engine)
    results = [create_hr(engine, "Endpoint", {}, net) for _ in range(3)]
    assert results == [0, HResult.HCN_E_PORT_ALREADY_EXISTS, 0]
    assert len(ids(engine, "Endpoint")) == 2
    assert [create_hr(engine, "Namespace", {}) for _ in range(3)] == [0, 0x80004005, 0x80004005]
    assert engine.call_count("HcnCreateEndpoint") == 3


def test_stall_and_combined_stall_with_failure(tmp_path: Path) -> None:
    engine = new_engine(tmp_path, faults="HcnEnumerateNetworks=stall:150;"
                                         "HcnOpenNetwork=stall:100,0x80070490")  # fmt: skip
    started = time.monotonic()
    assert engine.enumerate("Network", None)[0] == 0
    assert time.monotonic() - started >= 0.15
    started = time.monotonic()
    assert engine.open("Network", uuid.uuid4())[0] == 0x80070490
    assert time.monotonic() - started >= 0.1


def test_wildcard_hns_call_and_close(tmp_path: Path) -> None:
    engine = new_engine(tmp_path, faults="*=E_ACCESSDENIED@1")
    assert engine.enumerate("Network", None)[0] == HResult.E_ACCESSDENIED
    assert engine.enumerate("Network", None)[0] == 0
    assert engine.enumerate("Endpoint", None)[0] == HResult.E_ACCESSDENIED
    hns = new_engine(tmp_path, faults="HNSCall=E_FAIL;HcnCloseNetwork=E_FAIL@1")
    hr, response = hns.hns_call("GET", "/globals/version", None)
    assert hr == HResult.E_FAIL and response is not None
    assert json.loads(response)["Success"] is False
    net = nat_network(new_engine(tmp_path))
    hr, handle, _ = hns.open("Network", uuid.UUID(net))
    assert hr == 0 and handle is not None
    assert hns.close("Network", handle) == HResult.E_FAIL  # a failed close keeps the handle
    assert hns.open_handle_count() == 1
    assert hns.close("Network", handle) == 0


def test_faults_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_SIM_FAULTS", "HcnEnumerateNetworks=E_FAIL")
    engine = Engine(state_path=str(tmp_path / "s.sqlite3"))
    assert engine.enumerate("Network", None)[0] == HResult.E_FAIL
    assert (
        Engine(state_path=str(tmp_path / "s.sqlite3"), faults="").enumerate("Network", None)[0] == 0
    )
    monkeypatch.setenv("HCNPY_SIM_FAULTS", "Nope=1")
    with pytest.raises(ValueError, match="HCNPY_SIM_FAULTS"):
        Engine(state_path=str(tmp_path / "s.sqlite3"))
