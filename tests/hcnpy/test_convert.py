"""Golden vectors: the JSON hcnpy produces for the reference's typical documents, exactly."""

import json
from pathlib import Path
from typing import Any

import pytest

import hcnpy
from hcnpy import (
    AclPolicySetting,
    ActionType,
    DirectionType,
    Dns,
    Endpoint,
    EndpointPolicy,
    HostComputeQuery,
    Ipam,
    IpConfig,
    LoadBalancer,
    LoadBalancerFlags,
    LoadBalancerPortMapping,
    LoadBalancerPortMappingFlags,
    MacPool,
    MacRange,
    ModifyEndpointSettingRequest,
    ModifyNamespaceSettingRequest,
    ModifyResourceType,
    Namespace,
    NamespaceResource,
    NamespaceType,
    NetAdapterNameNetworkPolicySetting,
    Network,
    NetworkFlags,
    NetworkPolicy,
    NetworkType,
    PolicyEndpointRequest,
    PortMappingPolicySetting,
    ProtocolType,
    ProviderAddressNetworkPolicySetting,
    RequestType,
    Route,
    RuleType,
    SdnRoute,
    SDNRoutePolicySetting,
    Subnet,
    SubnetPolicy,
    TierAclPolicySetting,
    TierAclRule,
    VsidPolicySetting,
    from_dict,
    from_json,
    to_dict,
    to_json,
)

VECTORS = Path(__file__).parent / "vectors"
NET_ID = "6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10"
EP_ID = "F0E1D2C3-B4A5-4697-8889-7A6B5C4D3E2F"


def vector(name: str) -> Any:
    return json.loads((VECTORS / name).read_text())


def key_order(value: Any) -> Any:
    """The document's keys in order, recursively (dict equality ignores order)."""
    if isinstance(value, dict):
        return [(k, key_order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [key_order(v) for v in value]
    return value


def assert_wire(obj: Any, name: str) -> None:
    expected = vector(name)
    produced = to_dict(obj)
    assert produced == expected
    assert key_order(produced) == key_order(expected)
    assert from_dict(type(obj), expected) == obj
    assert json.loads(to_json(obj)) == expected


NAT_NETWORK = Network(
    name="nat",
    type=NetworkType.NAT,
    ipams=(
        Ipam(
            subnets=(
                Subnet(
                    ip_address_prefix="172.16.0.0/16",
                    routes=(Route(next_hop="172.16.0.1", destination_prefix="0.0.0.0/0"),),
                ),
            )
        ),
    ),
)


def test_nat_network_with_static_ipam_and_default_route() -> None:
    assert_wire(NAT_NETWORK, "nat_network.json")


def test_overlay_network_with_vsid_subnet_policy_and_flags() -> None:
    network = Network(
        name="overlay",
        type=NetworkType.OVERLAY,
        policies=(
            NetworkPolicy.of(NetAdapterNameNetworkPolicySetting(network_adapter_name="Ethernet")),
            NetworkPolicy.of(ProviderAddressNetworkPolicySetting(provider_address="10.0.0.4")),
        ),
        mac_pool=MacPool(
            ranges=(
                MacRange(
                    start_mac_address="00-15-5D-52-C0-00", end_mac_address="00-15-5D-52-CF-FF"
                ),
            )
        ),
        dns=Dns(server_list=("10.0.0.10",)),
        ipams=(
            Ipam(
                subnets=(
                    Subnet(
                        ip_address_prefix="10.244.1.0/24",
                        policies=(SubnetPolicy.of(VsidPolicySetting(isolation_id=4096)),),
                        routes=(Route(next_hop="10.244.1.1", destination_prefix="0.0.0.0/0"),),
                    ),
                )
            ),
        ),
        flags=NetworkFlags.ENABLE_NON_PERSISTENT,
    )
    assert_wire(network, "overlay_network.json")


def test_endpoint_with_port_mapping() -> None:
    endpoint = Endpoint(
        name="nat-ep",
        host_compute_network=NET_ID,
        policies=(
            EndpointPolicy.of(
                PortMappingPolicySetting(
                    protocol=ProtocolType.TCP, internal_port=80, external_port=8080
                )
            ),
        ),
        ip_configurations=(IpConfig(ip_address="172.16.0.5", prefix_length=16),),
        dns=Dns(search=("svc.cluster.local",), server_list=("172.16.0.1",)),
        routes=(Route(next_hop="172.16.0.1", destination_prefix="0.0.0.0/0"),),
        mac_address="00-15-5D-52-C0-05",
    )
    assert_wire(endpoint, "endpoint_port_mapping.json")


def test_namespace() -> None:
    assert_wire(Namespace(type=NamespaceType.HOST_DEFAULT), "namespace.json")


def test_namespace_with_resources() -> None:
    namespace = Namespace(
        id="8D5D2E2B-6C3A-4F2E-A6E7-2B1A9C0D4E5F",
        namespace_id=5,
        type=NamespaceType.HOST,
        resources=(NamespaceResource.endpoint(EP_ID), NamespaceResource.container("c0ffee")),
    )
    assert_wire(namespace, "namespace_with_resources.json")


def test_namespace_add_endpoint_request() -> None:
    assert_wire(ModifyNamespaceSettingRequest.add_endpoint(EP_ID), "namespace_add_endpoint.json")


def test_endpoint_acl_update_request() -> None:
    request = ModifyEndpointSettingRequest(
        resource_type=ModifyResourceType.POLICY,
        request_type=RequestType.UPDATE,
        settings=PolicyEndpointRequest(
            policies=(
                EndpointPolicy.of(
                    AclPolicySetting(
                        protocols=ProtocolType.TCP,
                        action=ActionType.BLOCK,
                        direction=DirectionType.IN,
                        remote_addresses="192.168.100.0/24",
                        local_ports=80,
                        rule_type=RuleType.SWITCH,
                        priority=200,
                    )
                ),
                EndpointPolicy.of(
                    AclPolicySetting(
                        action=ActionType.ALLOW, direction=DirectionType.OUT, priority=300
                    )
                ),
            )
        ),
    )
    assert_wire(request, "endpoint_acl_update.json")


def test_tier_acl() -> None:
    policy = EndpointPolicy.of(
        TierAclPolicySetting(
            name="tier-baseline",
            direction=DirectionType.IN,
            order=1001,
            tier_acl_rules=(
                TierAclRule(
                    id="allow-web",
                    protocols=6,
                    tier_acl_rule_action=ActionType.PASS,
                    local_ports=[80, 443],
                    priority=100,
                ),
                TierAclRule(
                    id="block-rest",
                    tier_acl_rule_action=ActionType.BLOCK,
                    remote_addresses="10.0.0.0/8",
                    priority=200,
                ),
            ),
        )
    )
    assert_wire(policy, "tier_acl.json")


def test_load_balancer_with_dsr() -> None:
    lb = LoadBalancer(
        host_compute_endpoints=(EP_ID,),
        source_vip="10.244.1.2",
        frontend_vips=("10.96.0.10",),
        port_mappings=(
            LoadBalancerPortMapping(
                protocol=ProtocolType.TCP,
                internal_port=8080,
                external_port=80,
                flags=LoadBalancerPortMappingFlags.PRESERVE_DIP,
            ),
        ),
        flags=LoadBalancerFlags.DSR,
    )
    assert_wire(lb, "load_balancer_dsr.json")


def test_sdn_route() -> None:
    route = SdnRoute(
        host_compute_endpoints=(EP_ID,),
        routes=(
            SDNRoutePolicySetting(
                destination_prefix="10.96.0.0/12", next_hop="10.244.1.1", need_encap=True
            ),
        ),
    )
    assert_wire(route, "sdn_route.json")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("default", HostComputeQuery()),
        ("by_id", HostComputeQuery.by_id(NET_ID)),
        ("by_name", HostComputeQuery.by_name("nat")),
        ("by_network_detailed", HostComputeQuery.by_network(NET_ID).detailed()),
    ],
)
def test_queries(name: str, query: HostComputeQuery) -> None:
    expected = vector("queries.json")[name]
    assert to_dict(query) == expected
    assert key_order(to_dict(query)) == key_order(expected)
    assert from_dict(HostComputeQuery, expected) == query


def test_to_json_is_compact_and_in_wire_order() -> None:
    assert to_json(Namespace()) == '{"Type":"Host","SchemaVersion":{"Major":2,"Minor":0}}'
    text = to_json(NAT_NETWORK)
    assert " " not in text
    assert text.startswith('{"Name":"nat","Type":"NAT","MacPool":{},"Dns":{},"Ipams":')
    assert text.endswith('"Health":{"Extra":{}},"SchemaVersion":{"Major":2,"Minor":0}}')


def test_from_json_accepts_str_and_bytes() -> None:
    text = to_json(NAT_NETWORK)
    assert from_json(Network, text) == NAT_NETWORK
    assert from_json(Network, text.encode()) == NAT_NETWORK


def test_package_level_functions_are_the_convert_functions() -> None:
    from hcnpy import convert

    assert hcnpy.to_dict is convert.to_dict
    assert hcnpy.from_json is convert.from_json
