"""The engine contract: handles, enumerate filters, HNSCall, callbacks, versions, the singleton."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcnpy.hresult import HResult
from hcnpy.sim import networks, state
from hcnpy.sim.engine import FIRST_HANDLE, KINDS, Engine, get_engine, reset_engine
from hcnpy.sim.versions import DEFAULT_VERSION as DEFAULT_SIMULATED_VERSION
from hcnpy.sim.versions import SimVersion as HnsVersion

from .sim_engine_support import create, get, ids, nat_network, new_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = new_engine(tmp_path)
    yield eng
    assert eng.open_handle_count() == 0
    eng.shutdown()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    for name in ("HCNPY_SIM_STATE", "HCNPY_SIM_HNS_VERSION", "HCNPY_SIM_FAULTS"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "env" / "hns.sqlite3"
    monkeypatch.setenv("HCNPY_SIM_STATE", str(path))
    reset_engine()
    yield path
    reset_engine()


def test_kinds_are_the_c_name_stems() -> None:
    assert KINDS == ("Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute")


def test_handles_are_counted_and_checked(engine: Engine) -> None:
    net = nat_network(engine)
    hr, first, _ = engine.open("Network", uuid.UUID(net))
    hr2, second, _ = engine.open("Network", uuid.UUID(net))
    assert hr == hr2 == 0 and first is not None and second is not None
    assert first >= FIRST_HANDLE and second > first
    assert engine.open_handle_count() == 2
    assert engine.close("Endpoint", first) == HResult.E_INVALIDARG
    assert engine.query("Endpoint", first, None)[0] == HResult.E_INVALIDARG
    assert engine.close("Network", first) == 0
    assert engine.close("Network", first) == HResult.E_INVALIDARG
    assert engine.close("Network", 0x7FFF_FFFF) == HResult.E_INVALIDARG
    assert engine.open_handle_count() == 1
    assert engine.close("Network", second) == 0


def test_unknown_kind_is_invalid_arg(engine: Engine) -> None:
    assert engine.enumerate("Switch", None)[0] == HResult.E_INVALIDARG
    assert engine.create("Switch", None, "{}")[0] == HResult.E_INVALIDARG


def test_error_record_shape(engine: Engine) -> None:
    """Rule error-record.shape; evidence: the real record of antrea#2301 (saved as
    real-hns/error-record__antrea-2301_0x490-open-namespace.json) and seven more: real keys in
    real order, the code's message with a trailing space, then the simulator's own key saying
    which rule failed and why."""
    hr, handle, record = engine.open("Namespace", uuid.uuid4())
    assert hr == 0x80070490 and handle is None and record is not None
    parsed = json.loads(record)
    assert list(parsed) == ["Success", "Error", "ErrorCode", "Simulator"]
    real = {"Success": False, "Error": "Element not found. ", "ErrorCode": 2147943568}
    assert {key: parsed[key] for key in real} == real
    assert record.startswith(json.dumps(real, separators=(",", ":"))[:-1])
    assert parsed["Simulator"]["Rule"] == "open.namespace-unknown"
    assert "does not exist" in parsed["Simulator"]["Detail"]


def test_enumerate_returns_guid_strings_in_creation_order(engine: Engine) -> None:
    assert engine.enumerate("Network", None) == (0, "[]", None)
    created = [nat_network(engine, f"n{i}", f"10.{i}.0.0/24") for i in range(3)]
    hr, output, _ = engine.enumerate("Network", "")
    assert hr == 0 and output is not None and json.loads(output) == created
    assert all(str(uuid.UUID(oid)) == oid for oid in created)


def test_enumerate_filters(engine: Engine) -> None:
    a = nat_network(engine, "alpha", "10.1.0.0/24")
    b = nat_network(engine, "beta", "10.2.0.0/24")
    ea = create(engine, "Endpoint", {"Name": "one"}, a)
    eb = create(engine, "Endpoint", {"Name": "two"}, b)
    assert ids(engine, "Network", {"ID": b}) == [b]
    assert ids(engine, "Network", {"ID": "{" + b.upper() + "}"}) == [b]
    assert ids(engine, "Network", {"Name": "ALPHA"}) == [a]
    assert ids(engine, "Network", {"Name": "gamma"}) == []
    assert ids(engine, "Network", {"Type": "NAT"}) == [a, b]
    assert ids(engine, "Endpoint", {"VirtualNetwork": a}) == [ea]
    assert ids(engine, "Endpoint", {"HostComputeNetwork": b}) == [eb]
    assert ids(engine, "Endpoint", {"VirtualNetworkName": "beta"}) == [eb]
    assert ids(engine, "Endpoint", {"Name": "one", "VirtualNetwork": b}) == []
    assert ids(engine, "Endpoint", {"IsRemoteEndpoint": False}) == [ea, eb]
    assert ids(engine, "Endpoint", {"NoSuchProperty": 1}) == []
    as_object = {"SchemaVersion": {"Major": 2, "Minor": 0}, "Filter": {"Name": "two"}}
    assert ids(engine, "Endpoint", query=as_object) == [eb]
    assert ids(engine, "Endpoint", query={"Filter": ""}) == [ea, eb]


@pytest.mark.parametrize("query", ["{", '{"Filter": "{bad"}', '{"Filter": 5}', '{"Flags": "x"}'])
def test_bad_queries(engine: Engine, query: str) -> None:
    nat_network(engine)
    assert engine.enumerate("Network", query)[0] == HResult.HCN_E_INVALID_JSON


def test_query_with_bad_json(engine: Engine) -> None:
    net = nat_network(engine)
    hr, handle, _ = engine.open("Network", uuid.UUID(net))
    assert hr == 0 and handle is not None
    assert engine.query("Network", handle, "{")[0] == HResult.HCN_E_INVALID_JSON
    assert engine.close("Network", handle) == 0


def test_globals_version(engine: Engine, tmp_path: Path) -> None:
    hr, response = engine.hns_call("GET", "/globals/version", "")
    assert hr == 0 and response is not None
    assert json.loads(response) == {"Success": True, "Output": {"Major": 15, "Minor": 4}}
    old = new_engine(tmp_path / "old", version=HnsVersion(9, 2))
    hr, response = old.hns_call("get", "/globals/version/", None)
    assert response is not None and json.loads(response)["Output"] == {"Major": 9, "Minor": 2}


def test_unserved_hns_call(engine: Engine) -> None:
    hr, response = engine.hns_call("POST", "/networks", "{}")
    assert hr == 0 and response is not None
    parsed = json.loads(response)
    assert parsed["Success"] is False and "POST /networks" in parsed["Error"]


def test_service_callbacks(engine: Engine) -> None:
    hr, handle = engine.register_service_callback()
    assert hr == 0 and handle >= FIRST_HANDLE
    assert engine.open_handle_count() == 1
    assert engine.unregister_service_callback(handle) == 0
    assert engine.unregister_service_callback(handle) == HResult.E_INVALIDARG


def test_versions_before_the_v2_api(tmp_path: Path) -> None:
    old = new_engine(tmp_path, version=HnsVersion(7, 2))
    assert old.enumerate("Network", None)[0] == HResult.E_NOTIMPL
    assert old.create("Network", None, '{"Name": "x"}')[0] == HResult.E_NOTIMPL
    hr, response = old.hns_call("GET", "/globals/version", None)
    assert hr == 0 and response is not None
    assert json.loads(response)["Output"] == {"Major": 7, "Minor": 2}


def test_persisted_version_and_env_override(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine()
    assert engine.state_path == str(clean_env)
    assert engine.simulated_version() == DEFAULT_SIMULATED_VERSION
    state.set_version("12.0")
    assert engine.simulated_version() == HnsVersion(12, 0)
    _, response = engine.hns_call("GET", "/globals/version", None)
    assert response is not None and json.loads(response)["Output"] == {"Major": 12, "Minor": 0}
    monkeypatch.setenv("HCNPY_SIM_HNS_VERSION", "16.1")
    assert Engine().simulated_version() == HnsVersion(16, 1)
    assert Engine(version=HnsVersion(10, 1)).simulated_version() == HnsVersion(10, 1)
    engine.shutdown()


def test_two_engines_share_state_but_not_handles(tmp_path: Path) -> None:
    first, second = new_engine(tmp_path), new_engine(tmp_path)
    net = nat_network(first)
    assert ids(second, "Network") == [net]
    hr, handle, _ = first.open("Network", uuid.UUID(net))
    assert hr == 0 and handle is not None
    assert second.close("Network", handle) == HResult.E_INVALIDARG
    assert first.close("Network", handle) == 0


def test_get_engine_is_a_thread_safe_singleton(clean_env: Path) -> None:
    seen: list[Engine] = []
    threads = [threading.Thread(target=lambda: seen.append(get_engine())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(e) for e in seen}) == 1
    assert seen[0].state_path == str(clean_env)
    assert clean_env.exists()
    reset_engine()
    assert get_engine() is not seen[0]


def test_misconfigured_environment_yields_an_unavailable_engine(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCNPY_SIM_HNS_VERSION", "fifteen")
    with pytest.raises(ValueError, match="HCNPY_SIM_HNS_VERSION"):
        Engine()
    engine = get_engine()
    hr, output, record = engine.enumerate("Network", None)
    assert hr == HResult.E_FAIL and output is None and record is not None
    assert "HCNPY_SIM_HNS_VERSION" in json.loads(record)["Simulator"]["Detail"]
    hr, response = engine.hns_call("GET", "/globals/version", None)
    assert hr == HResult.E_FAIL and response is not None
    assert json.loads(response)["Success"] is False
    assert engine.close("Network", 1) == HResult.E_FAIL


def test_internal_errors_become_e_unexpected(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(networks.Networks, "create", boom)
    hr, handle, record = engine.create("Network", None, '{"Name": "x"}')
    assert hr == HResult.E_UNEXPECTED and handle is None and record is not None
    assert "boom" in json.loads(record)["Simulator"]["Detail"]
    assert ids(engine, "Network") == []


def test_shutdown_engine_fails_cleanly(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    engine.shutdown()
    assert engine.enumerate("Network", None)[0] == HResult.E_FAIL


def test_query_answers_the_stored_schema_version(engine: Engine) -> None:
    net = create(engine, "Network", {"Name": "x", "SchemaVersion": {"Major": 2, "Minor": 2}})
    props = get(engine, "Network", net, {"SchemaVersion": {"Major": 2, "Minor": 0}})
    assert props["SchemaVersion"] == {"Major": 2, "Minor": 2}
