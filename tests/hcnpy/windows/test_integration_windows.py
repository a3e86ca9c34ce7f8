"""The bindings against a real HNS, mirroring hcsshim's ``hcn`` integration tests.

Runs only on Windows with ``HCNPY_WINDOWS_INTEGRATION=1``, as an administrator, on a host with
the Containers feature (HNS running) — e.g. the ``windows-integration`` workflow. Every test
cleans up what it creates, even when it fails. Set ``HCNPY_TRACE`` to capture the traffic.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import uuid
from collections.abc import Iterator

import pytest

from hcnpy import bindings
from hcnpy.bindings import Handle, Library, ObjectKind
from hcnpy.errors import HcnError, HcnUnavailable, NotFoundError, PortAlreadyExistsError

pytestmark = [
    pytest.mark.windows,
    pytest.mark.skipif(
        sys.platform != "win32" or os.environ.get("HCNPY_WINDOWS_INTEGRATION") != "1",
        reason="needs Windows with HNS and HCNPY_WINDOWS_INTEGRATION=1",
    ),
]

SCHEMA = {"Major": 2, "Minor": 0}
QUERY = json.dumps({"SchemaVersion": SCHEMA})
RANDOM_ID = uuid.UUID("5f0b1190-63be-4e0c-b974-bd0f55675a42")


def _nat(name: str, prefix: str = "192.168.250") -> str:
    subnet = {
        "IpAddressPrefix": f"{prefix}.0/24",
        "Routes": [{"NextHop": f"{prefix}.1", "DestinationPrefix": "0.0.0.0/0"}],
    }
    return json.dumps(
        {
            "Name": name,
            "Type": "NAT",
            "Ipams": [{"Type": "Static", "Subnets": [subnet]}],
            "SchemaVersion": SCHEMA,
        }
    )


def _endpoint(network_id: str, name: str, policies: list[object] | None = None) -> str:
    doc: dict[str, object] = {
        "Name": name,
        "HostComputeNetwork": network_id,
        "SchemaVersion": SCHEMA,
    }
    if policies:
        doc["Policies"] = policies
    return json.dumps(doc)


def _id(library: Library, handle: Handle) -> uuid.UUID:
    doc = json.loads(library.query(handle, QUERY))
    return uuid.UUID(doc.get("ID") or doc["Id"])


@pytest.fixture(scope="module")
def hcn() -> Library:
    return bindings.load("hcn")


@contextlib.contextmanager
def _created(
    library: Library, kind: ObjectKind, settings: str, network: Handle | None = None
) -> Iterator[tuple[Handle, uuid.UUID]]:
    handle = library.create(kind, settings, network=network)
    object_id = None
    try:
        object_id = _id(library, handle)
        yield handle, object_id
    finally:
        handle.close()
        if object_id is not None:
            with contextlib.suppress(NotFoundError):
                library.delete(kind, object_id)


def test_version_via_hnscall(hcn: Library) -> None:
    envelope = json.loads(hcn.hns_call("GET", "/globals/version"))
    assert envelope["Success"] is True
    assert envelope["Output"]["Major"] >= 9


def test_create_query_enumerate_delete_nat_network(hcn: Library) -> None:
    with _created(hcn, ObjectKind.NETWORK, _nat("hcnpyTestNat")) as (handle, network_id):
        doc = json.loads(hcn.query(handle, QUERY))
        assert doc["Name"] == "hcnpyTestNat"
        by_name = json.dumps(
            {"SchemaVersion": SCHEMA, "Filter": json.dumps({"Name": "hcnpyTestNat"})}
        )
        assert str(network_id).lower() in [
            i.lower() for i in hcn.enumerate(ObjectKind.NETWORK, by_name)
        ]
        with hcn.open(ObjectKind.NETWORK, network_id) as again:
            assert _id(hcn, again) == network_id
    with pytest.raises(NotFoundError):
        hcn.open(ObjectKind.NETWORK, network_id)


def test_endpoint_namespace_attach_and_detach(hcn: Library) -> None:
    host = json.dumps({"Type": "Host", "SchemaVersion": SCHEMA})
    with (
        _created(hcn, ObjectKind.NETWORK, _nat("hcnpyTestNatEp", "192.168.251")) as (net, nid),
        _created(hcn, ObjectKind.ENDPOINT, _endpoint(str(nid), "hcnpyEp"), net) as (ep, eid),
        _created(hcn, ObjectKind.NAMESPACE, host) as (ns, _),
    ):
        assert json.loads(hcn.query(ep, QUERY))["HostComputeNetwork"].lower() == str(nid)
        for request in ("Add", "Remove"):
            change = {"ResourceType": "Endpoint", "RequestType": request}
            hcn.modify(ns, json.dumps({**change, "Settings": {"EndpointId": str(eid)}}))
        with contextlib.suppress(HcnUnavailable):
            assert json.loads(hcn.query_endpoint_stats(ep, ""))
        with contextlib.suppress(HcnUnavailable):
            assert json.loads(hcn.query_endpoint_addresses(ep, QUERY))


def test_duplicate_udp_port_mapping_is_port_already_exists(hcn: Library) -> None:
    ports = {"InternalPort": 8080, "ExternalPort": 48080, "Protocol": 17}
    mapping: list[object] = [{"Type": "PortMapping", "Settings": ports}]
    with (
        _created(hcn, ObjectKind.NETWORK, _nat("hcnpyTestNatPort", "192.168.252")) as (net, nid),
        _created(hcn, ObjectKind.ENDPOINT, _endpoint(str(nid), "hcnpyPortA", mapping), net),
        pytest.raises(PortAlreadyExistsError),
    ):
        second = _endpoint(str(nid), "hcnpyPortB", mapping)
        hcn.create(ObjectKind.ENDPOINT, second, network=net).close()


def test_load_balancer_and_sdn_route(hcn: Library) -> None:
    with (
        _created(hcn, ObjectKind.NETWORK, _nat("hcnpyTestNatLb", "192.168.253")) as (net, nid),
        _created(hcn, ObjectKind.ENDPOINT, _endpoint(str(nid), "hcnpyLbEp"), net) as (_, eid),
    ):
        balancer = {
            "HostComputeEndpoints": [str(eid)],
            "FrontendVIPs": ["10.253.0.10"],
            "PortMappings": [{"Protocol": 6, "InternalPort": 80, "ExternalPort": 8090}],
            "SchemaVersion": SCHEMA,
        }
        with _created(hcn, ObjectKind.LOAD_BALANCER, json.dumps(balancer)) as (_, lb_id):
            listed = hcn.enumerate(ObjectKind.LOAD_BALANCER, QUERY)
            assert str(lb_id) in [i.lower() for i in listed]
        route = {
            "HostComputeEndpoints": [str(eid)],
            "Routes": [{"DestinationPrefix": "10.254.0.0/16", "NextHop": "192.168.253.2"}],
            "SchemaVersion": SCHEMA,
        }
        with (
            _created(hcn, ObjectKind.SDN_ROUTE, json.dumps(route)) as (_, route_id),
            hcn.open(ObjectKind.SDN_ROUTE, route_id) as again,
        ):
            assert _id(hcn, again) == route_id


@pytest.mark.parametrize("kind", list(ObjectKind))
def test_opening_a_random_id_is_not_found(hcn: Library, kind: ObjectKind) -> None:
    with pytest.raises(NotFoundError):
        hcn.open(kind, RANDOM_ID)


def test_service_callback_registration(hcn: Library) -> None:
    with hcn.register_service_callback(lambda *args: None) as registration:
        assert not registration.closed
    assert registration.closed


def test_timeout_is_not_hit_by_a_quick_call(hcn: Library) -> None:
    assert hcn.hns_call("GET", "/globals/version", timeout=30)


def test_invalid_json_is_rejected_by_hns(hcn: Library) -> None:
    with pytest.raises(HcnError) as caught:
        hcn.create(ObjectKind.NETWORK, "{not json").close()
    assert caught.value.error_record is not None
