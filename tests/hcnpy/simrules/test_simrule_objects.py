"""Simulator rules about object identity and lifetime: GUID IDs, unique names, not-found codes,
deleting a network that still has endpoints, bad JSON."""

from __future__ import annotations

import uuid

import pytest

from hcnpy.bindings import ObjectKind
from hcnpy.errors import (
    AlreadyExistsError,
    HcnError,
    InvalidConfigurationError,
    NotFoundError,
)
from hcnpy.hresult import HResult
from hcnpy.lookup_errors import NetworkNotFoundError
from hcnpy.ops import Ops

from ..conftest import NetworkFactory, nat_network

MISSING = uuid.UUID("5f0b1190-63be-4e0c-b974-bd0f55675a42")


def test_rule_ids_are_guids_chosen_by_hns_or_by_the_caller(
    ops: Ops, make_network: NetworkFactory
) -> None:
    network = make_network()
    endpoints = [ops.create_endpoint(network["ID"], {}) for _ in range(3)]
    namespace = ops.create_namespace()
    ids = [network["ID"], namespace["ID"], *(e["ID"] for e in endpoints)]
    assert all(str(uuid.UUID(i)) == i.lower() for i in ids)
    assert len(set(ids)) == len(ids)
    chosen = str(uuid.uuid4())
    assert ops.create_namespace({"ID": chosen})["ID"] == chosen
    with pytest.raises(AlreadyExistsError) as caught:
        ops.create_namespace({"ID": chosen})
    assert caught.value.hresult == HResult.ERROR_ALREADY_EXISTS


def test_rule_network_names_are_unique(ops: Ops, make_network: NetworkFactory) -> None:
    make_network(name="natNet")
    for clash in ("natNet", "NATNET"):
        with pytest.raises(AlreadyExistsError) as caught:
            ops.create_network(nat_network(clash, "10.9.0.0/24", "10.9.0.1"))
        assert caught.value.hresult == HResult.HCN_E_NETWORK_ALREADY_EXISTS
    assert len(ops.list_networks()) == 1
    with pytest.raises(InvalidConfigurationError) as nameless:
        ops.create_network({"Type": "NAT"})
    assert nameless.value.hresult == HResult.HCN_E_INVALID_NETWORK


@pytest.mark.parametrize("kind", list(ObjectKind))
def test_rule_not_found_codes_on_open_and_delete(ops: Ops, kind: ObjectKind) -> None:
    with pytest.raises(NotFoundError) as opened:
        ops.library.open(kind, MISSING)
    assert opened.value.hresult == HResult.ERROR_NOT_FOUND  # 0x80070490, as on Windows
    assert opened.value.code == 1168  # hcsshim's IsElementNotFoundError
    assert opened.value.operation == kind.function("Open")
    deletes = {
        ObjectKind.NETWORK: ops.delete_network,
        ObjectKind.ENDPOINT: ops.delete_endpoint,
        ObjectKind.NAMESPACE: ops.delete_namespace,
        ObjectKind.LOAD_BALANCER: ops.delete_load_balancer,
        ObjectKind.SDN_ROUTE: ops.delete_route,
    }
    with pytest.raises(NotFoundError) as deleted:
        deletes[kind](MISSING)
    assert deleted.value.hresult == HResult.ERROR_NOT_FOUND
    assert deleted.value.operation == kind.function("Delete")


def test_rule_an_open_handle_to_a_deleted_object_reports_its_kind(
    ops: Ops, make_network: NetworkFactory
) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    query = '{"SchemaVersion":{"Major":2,"Minor":0}}'
    with ops.library.open(ObjectKind.ENDPOINT, uuid.UUID(endpoint["ID"])) as handle:
        ops.delete_endpoint(endpoint["ID"])
        with pytest.raises(NotFoundError) as gone:
            ops.library.query(handle, query)
        assert gone.value.hresult == HResult.HCN_E_ENDPOINT_NOT_FOUND
    with ops.library.open(ObjectKind.NETWORK, uuid.UUID(network["ID"])) as handle:
        ops.delete_network(network["ID"])
        with pytest.raises(NotFoundError) as gone:
            ops.library.query(handle, query)
        assert gone.value.hresult == HResult.HCN_E_NETWORK_NOT_FOUND


def test_rule_deleting_a_network_with_endpoints_is_refused(
    ops: Ops, make_network: NetworkFactory
) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    with pytest.raises(HcnError) as caught:
        ops.delete_network(network["ID"])
    assert caught.value.hresult == HResult.HCN_E_ENTITY_HAS_REFERENCES
    assert ops.get_network(network["ID"])["ID"] == network["ID"]
    ops.delete_endpoint(endpoint["ID"])
    ops.delete_network(network["ID"])
    with pytest.raises(NetworkNotFoundError):
        ops.get_network(network["ID"])


@pytest.mark.parametrize(
    "settings",
    ['{"Name": "x",', "[]", '"text"', '{"Name": "x", "Ipams": "nope"}', '{"SchemaVersion": 2}'],
)
def test_rule_bad_json_is_invalid_json(ops: Ops, settings: str) -> None:
    with pytest.raises(InvalidConfigurationError) as caught:
        ops.library.create(ObjectKind.NETWORK, settings)
    assert caught.value.hresult == HResult.HCN_E_INVALID_JSON
    assert caught.value.error_record is not None and caught.value.error_record.error
    assert ops.list_networks() == []
