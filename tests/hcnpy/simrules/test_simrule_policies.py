"""Simulator rules for policies and versions: unknown types, version gates, modify requests,
and the version ``HNSCall GET /globals/version`` reports."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest

from hcnpy.bindings import ObjectKind
from hcnpy.errors import (
    AlreadyExistsError,
    HcnError,
    InvalidConfigurationError,
    NotFoundError,
    NotSupportedError,
)
from hcnpy.features import Feature, FeatureNotSupported, HnsVersion
from hcnpy.hresult import HResult
from hcnpy.ops import Ops
from hcnpy.sim import state
from hcnpy.sim.versions import DEFAULT_VERSION as DEFAULT_SIMULATED_VERSION

from ..conftest import NetworkFactory

TIER_ACL = {
    "Type": "TierAcl",
    "Settings": {"Name": "t", "Direction": "In", "Order": 1, "TierAclRules": []},
}


def test_rule_unknown_policy_type_is_invalid_policy_type(
    ops: Ops, make_network: NetworkFactory
) -> None:
    network = make_network()
    with pytest.raises(InvalidConfigurationError) as on_create:
        ops.create_endpoint(network["ID"], {"Policies": [{"Type": "Teleport", "Settings": {}}]})
    assert on_create.value.hresult == HResult.HCN_E_INVALID_POLICY_TYPE
    # a network policy type is not an endpoint policy type
    with pytest.raises(InvalidConfigurationError) as wrong_scope:
        ops.create_endpoint(network["ID"], {"Policies": [{"Type": "HostRoute"}]})
    assert wrong_scope.value.hresult == HResult.HCN_E_INVALID_POLICY_TYPE
    with pytest.raises(InvalidConfigurationError) as on_network:
        ops.add_network_policies(network["ID"], [{"Type": "Teleport"}])
    assert on_network.value.hresult == HResult.HCN_E_INVALID_POLICY_TYPE
    assert ops.list_endpoints() == []


def test_rule_policy_needing_a_newer_hns_is_rejected(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    restart(version="13.2")  # TierAcl needs 14.0
    network = make_network()
    # through ops: refused before sending, with the feature named
    with pytest.raises(FeatureNotSupported) as client_side:
        ops.create_endpoint(network["ID"], {"Policies": [TIER_ACL]})
    assert client_side.value.feature is Feature.TIER_ACL
    assert client_side.value.minimum == HnsVersion(14, 0)
    # sent anyway (straight through the bindings): the simulated HNS refuses it too
    settings = json.dumps({"HostComputeNetwork": network["ID"], "Policies": [TIER_ACL]})
    network_id = uuid.UUID(network["ID"])
    with (
        ops.library.open(ObjectKind.NETWORK, network_id) as handle,
        pytest.raises(InvalidConfigurationError) as server_side,
    ):
        ops.library.create(ObjectKind.ENDPOINT, settings, network=handle)
    assert server_side.value.hresult == HResult.HCN_E_INVALID_POLICY_TYPE
    assert "14.0" in str(server_side.value)
    restart(version="14.0")
    created = ops.create_endpoint(network["ID"], {"Policies": [TIER_ACL]})
    assert created["Policies"][0]["Type"] == "TierAcl"


def test_rule_modify_requests(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    dns = {"ResourceType": "DNS", "RequestType": "Update", "Settings": {"ServerList": ["1.1.1.1"]}}
    assert ops.modify_network(network["ID"], dns)["Dns"]["ServerList"] == ["1.1.1.1"]
    qos = {"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 1000}}
    ops.apply_endpoint_policies(endpoint["ID"], "Add", [qos])
    with pytest.raises(AlreadyExistsError) as twice:
        ops.apply_endpoint_policies(endpoint["ID"], "Add", [qos])
    assert twice.value.hresult == HResult.HCN_E_POLICY_ALREADY_EXISTS
    ops.apply_endpoint_policies(endpoint["ID"], "Remove", [qos])
    with pytest.raises(NotFoundError) as missing:
        ops.apply_endpoint_policies(endpoint["ID"], "Remove", [qos])
    assert missing.value.hresult == HResult.HCN_E_POLICY_NOT_FOUND
    with pytest.raises(NotSupportedError) as unsupported:
        ops.modify_namespace(
            ops.create_namespace()["ID"],
            {"ResourceType": "Endpoint", "RequestType": "Update", "Settings": {}},
        )
    assert unsupported.value.hresult == HResult.HCN_E_REQUEST_UNSUPPORTED
    with pytest.raises(InvalidConfigurationError) as bad:
        ops.modify_endpoint(endpoint["ID"], {"ResourceType": "Policy"})
    assert bad.value.hresult == HResult.HCN_E_INVALID_JSON


def test_rule_hnscall_reports_the_simulated_version(ops: Ops, restart: Callable[..., None]) -> None:
    envelope = json.loads(ops.library.hns_call("GET", "/globals/version"))
    expected = DEFAULT_SIMULATED_VERSION
    assert envelope == {"Success": True, "Output": {"Major": expected[0], "Minor": expected[1]}}
    assert tuple(ops.hns_version()) == tuple(expected)
    state.set_version("12.1")  # what `hcnpy sim version 12.1` does
    restart()
    assert ops.hns_version() == HnsVersion(12, 1)
    unknown = json.loads(ops.library.hns_call("GET", "/no/such/path"))
    assert unknown["Success"] is False
    # an HNS older than the V2 API (9.2) answers every V2 call with E_NOTIMPL
    restart(version="7.2")
    with pytest.raises(HcnError) as too_old:
        ops.list_networks()
    assert too_old.value.hresult == HResult.E_NOTIMPL
