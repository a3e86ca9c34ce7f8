"""Load balancer and SDN route rules of the simulated HNS engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hcnpy.hresult import HResult
from hcnpy.sim.engine import Engine
from hcnpy.sim.versions import SimVersion as HnsVersion

from .sim_engine_support import (
    create,
    create_hr,
    delete_hr,
    get,
    ids,
    modify_hr,
    nat_network,
    new_engine,
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = new_engine(tmp_path)
    yield eng
    assert eng.open_handle_count() == 0
    eng.shutdown()


@pytest.fixture
def backends(engine: Engine) -> list[str]:
    net = nat_network(engine)
    return [create(engine, "Endpoint", {}, net) for _ in range(2)]


def lb(endpoints: list[str], port: int = 80, vips: tuple[str, ...] = ("10.96.0.10",),
       **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "HostComputeEndpoints": endpoints,
        "SourceVIP": "10.0.0.250",
        "FrontendVIPs": list(vips),
        "PortMappings": [{"Protocol": 6, "InternalPort": 8080, "ExternalPort": port}],
        "SchemaVersion": {"Major": 2, "Minor": 0},
        **extra,
    }


def test_load_balancer_round_trip(engine: Engine, backends: list[str]) -> None:
    oid = create(engine, "LoadBalancer", lb(backends))
    props = get(engine, "LoadBalancer", oid)
    # rule load-balancer.endpoints.upper-case
    assert props["ID"] == oid and props["HostComputeEndpoints"] == [b.upper() for b in backends]
    assert props["PortMappings"] == [{"Protocol": 6, "InternalPort": 8080, "ExternalPort": 80}]
    assert "Flags" not in props
    assert ids(engine, "LoadBalancer") == [oid]
    assert delete_hr(engine, "LoadBalancer", oid) == 0
    assert ids(engine, "LoadBalancer") == []


def test_frontend_clash(engine: Engine, backends: list[str]) -> None:
    """A clash fails with 0x803B0013 and, as real HNS was seen to do (kubernetes PR #141489),
    leaves the load balancer behind with empty PortMappings (rule
    load-balancer.partial-create)."""
    first = create(engine, "LoadBalancer", lb(backends))
    assert create_hr(engine, "LoadBalancer", lb(backends)) == HResult.HCN_E_PORT_ALREADY_EXISTS
    assert create_hr(engine, "LoadBalancer", lb(backends, vips=())) == (
        HResult.HCN_E_PORT_ALREADY_EXISTS
    )
    partial = [oid for oid in ids(engine, "LoadBalancer") if oid != first]
    assert len(partial) == 2
    assert all(get(engine, "LoadBalancer", oid)["PortMappings"] == [] for oid in partial)
    assert create_hr(engine, "LoadBalancer", lb(backends, vips=("10.96.0.11",))) == 0
    assert create_hr(engine, "LoadBalancer", lb(backends, port=81)) == 0
    assert len(ids(engine, "LoadBalancer")) == 5


def test_backends_must_exist(engine: Engine, backends: list[str]) -> None:
    missing = [*backends, str(uuid.uuid4())]
    # rule load-balancer.endpoints.unknown (kubernetes#100384: 0x803B001C)
    assert create_hr(engine, "LoadBalancer", lb(missing)) == HResult.HCN_E_INVALID_JSON_REFERENCE
    bad_vip = lb(backends, vips=("nope",))
    assert create_hr(engine, "LoadBalancer", bad_vip) == HResult.HCN_E_INVALID_IP
    zero = lb(backends)
    zero["PortMappings"][0]["InternalPort"] = 0
    assert create_hr(engine, "LoadBalancer", zero) == HResult.HCN_E_INVALID_INTERNAL_PORT
    assert ids(engine, "LoadBalancer") == []


def test_deleting_a_backend_drops_it_from_the_balancer(engine: Engine, backends: list[str]) -> None:
    oid = create(engine, "LoadBalancer", lb(backends))
    assert delete_hr(engine, "Endpoint", backends[0]) == 0
    assert get(engine, "LoadBalancer", oid)["HostComputeEndpoints"] == [
        b.upper() for b in backends[1:]
    ]


def test_dsr_and_session_affinity_gates(tmp_path: Path) -> None:
    old = new_engine(tmp_path / "old", version=HnsVersion(10, 0))
    eps = [create(old, "Endpoint", {}, nat_network(old))]
    assert create_hr(old, "LoadBalancer", lb(eps, Flags=1)) == HResult.HCN_E_REQUEST_UNSUPPORTED
    affinity = lb(eps)
    affinity["PortMappings"][0]["DistributionType"] = 2
    assert create_hr(old, "LoadBalancer", affinity) == HResult.HCN_E_REQUEST_UNSUPPORTED
    current = new_engine(tmp_path / "new")
    eps = [create(current, "Endpoint", {}, nat_network(current))]
    dsr = lb(eps, Flags=1)
    dsr["PortMappings"][0]["Flags"] = 8
    props = get(current, "LoadBalancer", create(current, "LoadBalancer", dsr))
    assert props["Flags"] == 1 and props["PortMappings"][0]["Flags"] == 8


def test_in_place_update_needs_modify_loadbalancer(tmp_path: Path) -> None:
    """Rule load-balancer.modify: hnslib's range (15.5+) works; on 15.4 the call succeeds and
    changes nothing (kubernetes#131466); older versions refuse it."""
    older = new_engine(tmp_path / "older", version=HnsVersion(15, 3))
    eps = [create(older, "Endpoint", {}, nat_network(older))]
    oid = create(older, "LoadBalancer", lb(eps))
    assert modify_hr(older, "LoadBalancer", oid, lb(eps, port=90)) == (
        HResult.HCN_E_REQUEST_UNSUPPORTED
    )
    default = new_engine(tmp_path / "default")  # 15.4
    eps = [create(default, "Endpoint", {}, nat_network(default))]
    oid = create(default, "LoadBalancer", lb(eps))
    assert modify_hr(default, "LoadBalancer", oid, lb(eps, port=90)) == 0
    assert get(default, "LoadBalancer", oid)["PortMappings"][0]["ExternalPort"] == 80
    newer = new_engine(tmp_path / "newer", version=HnsVersion(15, 5))
    net = nat_network(newer)
    eps = [create(newer, "Endpoint", {}, net) for _ in range(2)]
    oid = create(newer, "LoadBalancer", lb(eps[:1]))
    blocker = create(newer, "LoadBalancer", lb(eps, port=91))
    assert modify_hr(newer, "LoadBalancer", oid, lb(eps, port=90)) == 0
    props = get(newer, "LoadBalancer", oid)
    assert props["HostComputeEndpoints"] == [e.upper() for e in eps]
    assert props["PortMappings"][0]["ExternalPort"] == 90
    assert modify_hr(newer, "LoadBalancer", oid, lb(eps, port=91)) == (
        HResult.HCN_E_PORT_ALREADY_EXISTS
    )
    assert get(newer, "LoadBalancer", oid)["PortMappings"][0]["ExternalPort"] == 90
    assert delete_hr(newer, "LoadBalancer", blocker) == 0
    assert create_hr(newer, "LoadBalancer", lb(eps, port=80)) == 0  # 80 was released


def test_sdn_routes_keep_either_array(engine: Engine, backends: list[str]) -> None:
    entry = {"DestinationPrefix": "10.10.0.0/16", "NextHop": "10.0.0.1", "NeedEncap": True}
    with_routes = create(engine, "SdnRoute", {"HostComputeEndpoints": backends, "Routes": [entry]})
    with_setting = create(engine, "SdnRoute", {"HostComputeEndpoints": backends[:1],
                                               "Setting": [entry]})  # fmt: skip
    assert get(engine, "SdnRoute", with_routes)["Routes"] == [entry]
    props = get(engine, "SdnRoute", with_setting)
    assert props["Setting"] == [entry] and "Routes" not in props
    assert ids(engine, "SdnRoute") == [with_routes, with_setting]
    assert ids(engine, "SdnRoute", {"ID": with_setting.upper()}) == [with_setting]


def test_sdn_route_validation_and_modify(engine: Engine, backends: list[str]) -> None:
    missing = {"HostComputeEndpoints": [str(uuid.uuid4())], "Routes": []}
    assert create_hr(engine, "SdnRoute", missing) == HResult.HCN_E_INVALID_JSON_REFERENCE
    bad = {"HostComputeEndpoints": backends, "Routes": [{"DestinationPrefix": "x"}]}
    assert create_hr(engine, "SdnRoute", bad) == HResult.HCN_E_INVALID_PREFIX
    oid = create(engine, "SdnRoute", {"HostComputeEndpoints": backends, "Routes": []})
    new_doc = {"HostComputeEndpoints": backends[:1], "Routes": [{"NextHop": "10.0.0.9"}]}
    assert modify_hr(engine, "SdnRoute", oid, new_doc) == 0
    assert get(engine, "SdnRoute", oid)["HostComputeEndpoints"] == backends[:1]
    assert delete_hr(engine, "Endpoint", backends[0]) == 0
    assert get(engine, "SdnRoute", oid)["HostComputeEndpoints"] == []
