"""Namespace rules of the simulated HNS engine: compartments, attach and detach."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcnpy.hresult import HResult
from hcnpy.sim.engine import Engine

from .sim_engine_support import (
    attach_request,
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
def net(engine: Engine) -> str:
    return nat_network(engine)


def test_compartments_and_types(engine: Engine) -> None:
    host = get(engine, "Namespace", create(engine, "Namespace", {}))
    second = get(engine, "Namespace", create(engine, "Namespace", {"Type": "Host"}))
    default = get(engine, "Namespace", create(engine, "Namespace", {"Type": "hostdefault"}))
    guest = get(engine, "Namespace", create(engine, "Namespace", {"Type": "Guest"}))
    assert (host["NamespaceId"], second["NamespaceId"]) == (2, 3)
    assert "Type" not in host  # Host is the zero-valued enum
    assert default == {"ID": default["ID"], "NamespaceId": 1, "Type": "HostDefault",
                       "SchemaVersion": {"Major": 2, "Minor": 0}}  # fmt: skip
    assert guest["Type"] == "Guest" and guest["NamespaceId"] == 4
    assert create_hr(engine, "Namespace", {"Type": "Bogus"}) == HResult.HCN_E_INVALID_JSON
    assert ids(engine, "Namespace", {"Type": "Host"}) == [host["ID"], second["ID"]]


def test_attach_and_detach(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    ns = create(engine, "Namespace", {})
    assert modify_hr(engine, "Namespace", ns, attach_request(ep)) == 0
    assert get(engine, "Namespace", ns)["Resources"] == [{"Type": "Endpoint", "Data": {"ID": ep}}]
    assert get(engine, "Endpoint", ep)["HostComputeNamespace"] == ns
    assert modify_hr(engine, "Namespace", ns, attach_request(ep)) == (
        HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED
    )
    other = create(engine, "Namespace", {})
    assert modify_hr(engine, "Namespace", other, attach_request(ep)) == (
        HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS
    )
    assert modify_hr(engine, "Namespace", other, attach_request(ep, "Remove")) == (
        HResult.HCN_E_ENDPOINT_NOT_ATTACHED
    )
    assert modify_hr(engine, "Namespace", ns, attach_request(ep, "Remove")) == 0
    assert "Resources" not in get(engine, "Namespace", ns)
    assert "HostComputeNamespace" not in get(engine, "Endpoint", ep)
    assert modify_hr(engine, "Namespace", other, attach_request(ep)) == 0


def test_unknown_endpoint_and_bad_ids(engine: Engine) -> None:
    ns = create(engine, "Namespace", {})
    missing = str(uuid.uuid4())
    assert modify_hr(engine, "Namespace", ns, attach_request(missing)) == (
        HResult.HCN_E_ENDPOINT_NOT_FOUND
    )
    assert modify_hr(engine, "Namespace", ns, attach_request(missing, "Remove")) == (
        HResult.HCN_E_ENDPOINT_NOT_FOUND
    )
    assert modify_hr(engine, "Namespace", ns, attach_request("xyz")) == (
        HResult.HCN_E_INVALID_JSON  # rule document.guid-field-not-guid
    )
    update = attach_request(missing, "Update")
    assert modify_hr(engine, "Namespace", ns, update) == HResult.HCN_E_REQUEST_UNSUPPORTED


def test_remote_endpoint_cannot_attach(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {"Flags": 1}, net)
    ns = create(engine, "Namespace", {})
    assert modify_hr(engine, "Namespace", ns, attach_request(ep)) == (
        HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION
    )


def test_containers(engine: Engine) -> None:
    ns = create(engine, "Namespace", {})
    add = {"ResourceType": "Container", "RequestType": "Add", "Settings": {"ContainerId": "c1"}}
    assert modify_hr(engine, "Namespace", ns, add) == 0
    assert modify_hr(engine, "Namespace", ns, add) == HResult.ERROR_ALREADY_EXISTS
    assert get(engine, "Namespace", ns)["Resources"] == [
        {"Type": "Container", "Data": {"ID": "c1"}}
    ]
    remove = {**add, "RequestType": "Remove"}
    assert modify_hr(engine, "Namespace", ns, remove) == 0
    assert modify_hr(engine, "Namespace", ns, remove) == HResult.ERROR_NOT_FOUND
    empty = {**add, "Settings": {}}
    assert modify_hr(engine, "Namespace", ns, empty) == HResult.HCN_E_INVALID_JSON


def test_resources_given_at_create(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    doc = {"Resources": [{"Type": "Endpoint", "Data": {"ID": ep}},
                         {"Type": "Container", "Data": {"ID": "pause"}}]}  # fmt: skip
    ns = create(engine, "Namespace", doc)
    assert [r["Type"] for r in get(engine, "Namespace", ns)["Resources"]] == [
        "Endpoint",
        "Container",
    ]
    bad = {"Resources": [{"Type": "Endpoint", "Data": {"ID": str(uuid.uuid4())}}]}
    assert create_hr(engine, "Namespace", bad) == HResult.HCN_E_ENDPOINT_NOT_FOUND
    assert ids(engine, "Namespace") == [ns]


def test_deleting_an_endpoint_detaches_it(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    ns = create(engine, "Namespace", {})
    assert modify_hr(engine, "Namespace", ns, attach_request(ep)) == 0
    assert delete_hr(engine, "Endpoint", ep) == 0
    assert "Resources" not in get(engine, "Namespace", ns)


def test_deleting_a_namespace_detaches_its_endpoints(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    ns = create(engine, "Namespace", {})
    assert modify_hr(engine, "Namespace", ns, attach_request(ep)) == 0
    assert delete_hr(engine, "Namespace", ns) == 0
    assert "HostComputeNamespace" not in get(engine, "Endpoint", ep)
    assert delete_hr(engine, "Namespace", ns) == HResult.ERROR_NOT_FOUND
    hr, handle, _ = engine.open("Namespace", uuid.UUID(ns))
    assert (hr, handle) == (HResult.ERROR_NOT_FOUND, None)


def test_endpoint_filters_by_namespace_and_detail(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    ns = create(engine, "Namespace", {})
    container = {
        "ResourceType": "Container",
        "RequestType": "Add",
        "Settings": {"ContainerId": "c"},
    }
    assert modify_hr(engine, "Namespace", ns, container) == 0
    assert modify_hr(engine, "Namespace", ns, attach_request(ep)) == 0
    assert ids(engine, "Endpoint", {"HostComputeNamespace": ns}) == [ep]
    detailed = get(engine, "Endpoint", ep, {"Flags": 1})
    assert detailed["Health"]["Extra"]["SharedContainers"] == ["c"]
    legacy = get(engine, "Endpoint", ep, {"SchemaVersion": {"Major": 1, "Minor": 0}})
    assert legacy["State"] == 2 and legacy["Namespace"] == {"ID": ns}
