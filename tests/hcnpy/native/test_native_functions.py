"""Every exported C function, reached through the bindings and the stand-in."""

from __future__ import annotations

import json
import uuid
from types import ModuleType
from typing import Any

import pytest

from hcnpy import _cdef
from hcnpy._ffi import CTransport as _CTransport
from hcnpy.bindings import Handle, Library, ObjectKind
from hcnpy.errors import NotFoundError

from . import documents

Q = documents.QUERY


def _id(library: Library, handle: Handle) -> uuid.UUID:
    return uuid.UUID(documents.identity(library.query(handle, Q)))


def test_the_whole_object_lifecycle_of_every_kind(
    library: Library, monkeypatch: pytest.MonkeyPatch, engine: ModuleType
) -> None:
    monkeypatch.setenv("HCNPY_SIM_HNS_VERSION", "16.0")  # in-place LB modify needs >= 15.5
    engine.reset_engine()
    calls = Calls()
    library.set_trace(calls)
    network = library.create(ObjectKind.NETWORK, documents.network())
    with network:
        network_id = _id(library, network)
        library.modify(network, documents.network_dns())
        assert json.loads(library.query(network, Q))["Dns"]["ServerList"] == ["10.250.0.53"]
        with library.create(
            ObjectKind.ENDPOINT, documents.endpoint(str(network_id)), network=network
        ) as endpoint:
            endpoint_id = _id(library, endpoint)
            library.modify(endpoint, documents.endpoint_port_mapping())
            policies = json.loads(library.query(endpoint, Q))["Policies"]
            assert [p["Type"] for p in policies] == ["PortMapping"]
    assert network.closed

    with library.create(ObjectKind.NAMESPACE, documents.namespace()) as namespace:
        namespace_id = _id(library, namespace)
        library.modify(namespace, documents.namespace_add_endpoint(str(endpoint_id)))
        resources = json.loads(library.query(namespace, Q))["Resources"]
        assert resources[0]["Data"]["ID"] == str(endpoint_id)
    with library.create(ObjectKind.LOAD_BALANCER, documents.load_balancer(str(endpoint_id))) as lb:
        balancer_id = _id(library, lb)
    with library.create(ObjectKind.SDN_ROUTE, documents.sdn_route(str(endpoint_id))) as route:
        route_id = _id(library, route)

    made = {
        ObjectKind.NETWORK: network_id,
        ObjectKind.ENDPOINT: endpoint_id,
        ObjectKind.NAMESPACE: namespace_id,
        ObjectKind.LOAD_BALANCER: balancer_id,
        ObjectKind.SDN_ROUTE: route_id,
    }
    for kind, object_id in made.items():
        assert library.enumerate(kind, Q) == [str(object_id)]
        with library.open(kind, object_id) as handle:
            assert handle.kind is kind
            assert _id(library, handle) == object_id

    with library.open(ObjectKind.LOAD_BALANCER, balancer_id) as lb:
        full = json.loads(library.query(lb, Q))
        full["PortMappings"][0]["ExternalPort"] = 8081
        library.modify(lb, json.dumps(full))
        assert json.loads(library.query(lb, Q))["PortMappings"][0]["ExternalPort"] == 8081
    with library.open(ObjectKind.SDN_ROUTE, route_id) as route:
        library.modify(route, documents.sdn_route(str(endpoint_id)))

    for kind in (
        ObjectKind.SDN_ROUTE,
        ObjectKind.LOAD_BALANCER,
        ObjectKind.NAMESPACE,
        ObjectKind.ENDPOINT,
        ObjectKind.NETWORK,
    ):
        library.delete(kind, made[kind])
        assert library.enumerate(kind, Q) == []
        with pytest.raises(NotFoundError):
            library.open(kind, made[kind])

    every = set(_cdef.function_names(_cdef.COMPUTENETWORK)) - _cdef.OPTIONAL_FUNCTIONS
    every -= {"HcnRegisterServiceCallback", "HcnUnregisterServiceCallback"}
    assert len(every) == 35
    assert every - calls.functions == set(), "not exercised through the bindings"


class Calls:
    """A trace sink that remembers which C functions were called."""

    def __init__(self) -> None:
        self.functions: set[str] = set()

    def write(self, line: bytes) -> None:
        self.functions.add(json.loads(line)["function"])


def test_endpoint_stats_and_addresses(library: Library) -> None:
    with library.create(ObjectKind.NETWORK, documents.network()) as network:
        network_id = str(_id(library, network))
        with library.create(
            ObjectKind.ENDPOINT, documents.endpoint(network_id), network=network
        ) as endpoint:
            endpoint_id = str(_id(library, endpoint))
            stats = json.loads(library.query_endpoint_stats(endpoint, ""))
            assert stats["EndpointId"] == endpoint_id
            assert stats["BytesSent"] == 0
            addresses = json.loads(library.query_endpoint_addresses(endpoint, Q))
            assert addresses["IpConfigurations"][0]["IpAddress"].startswith("192.168.250.")
            with pytest.raises(ValueError, match="Endpoint handle"):
                library.query_endpoint_stats(network, "")
    library.delete(ObjectKind.ENDPOINT, uuid.UUID(endpoint_id))
    library.delete(ObjectKind.NETWORK, uuid.UUID(network_id))


def test_hns_call_returns_the_raw_v1_envelope(library: Library) -> None:
    envelope = json.loads(library.hns_call("GET", "/globals/version"))
    assert envelope["Success"] is True
    assert set(envelope["Output"]) == {"Major", "Minor"}


def test_service_callback_registration_is_a_context_manager(library: Library) -> None:
    seen: list[tuple[int, int, str | None]] = []
    with library.register_service_callback(lambda *args: seen.append(args)) as registration:
        assert not registration.closed
        assert library.leak_counters() == (1, 0)
    assert registration.closed
    registration.unregister()  # idempotent


def test_notifications_reach_the_python_callback(library: Library) -> None:
    from hcnpy._hcn_cffi import ffi

    seen: list[tuple[int, int, str | None]] = []
    with library.register_service_callback(lambda *args: seen.append(args)) as registration:
        c_callback: Any = registration._keepalive  # what HNS would call, on its own thread
        c_callback(2, ffi.NULL, 0x803B0013 - (1 << 32), ffi.new("WCHAR[]", '{"ID":"x\U0001f600"}'))
        c_callback(4, ffi.NULL, 0, ffi.NULL)
    assert seen == [(2, 0x803B0013, '{"ID":"x\U0001f600"}'), (4, 0, None)]


def test_a_raising_callback_is_logged_not_propagated(
    library: Library, caplog: pytest.LogCaptureFixture
) -> None:
    from hcnpy._hcn_cffi import ffi

    def explode(kind: int, status: int, data: str | None) -> None:
        raise RuntimeError("boom")

    with library.register_service_callback(explode) as registration:
        c_callback: Any = registration._keepalive
        c_callback(1, ffi.NULL, 0, ffi.NULL)
    assert "notification callback raised" in caplog.text


def test_the_leak_counters_see_handles_and_strings(library: Library) -> None:
    transport = library._transport
    assert isinstance(transport, _CTransport)
    handle = library.create(ObjectKind.NAMESPACE, documents.namespace())
    assert library.leak_counters() == (1, 0)
    out = transport._ffi.new("PWSTR *")
    record = transport._ffi.new("PWSTR *")
    query = transport._fn("HcnQueryNamespaceProperties")
    assert query(transport._pointer(handle._raw), transport._wide(Q), out, record) == 0
    assert library.leak_counters() == (1, 1)  # the properties string, not yet freed
    text = transport._take_string(out[0])
    assert text is not None and library.leak_counters() == (1, 0)
    handle.close()
    library.delete(ObjectKind.NAMESPACE, uuid.UUID(documents.identity(text)))
    assert library.leak_counters() == (0, 0)
