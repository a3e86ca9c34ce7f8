"""Client-side validation: hcsshim's network rule, formats, ranges, policies, requests."""

from typing import Any

import pytest

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
    L4ProxyPolicySetting,
    LoadBalancer,
    LoadBalancerPortMapping,
    MacPool,
    MacRange,
    ModifyEndpointSettingRequest,
    ModifyNamespaceSettingRequest,
    ModifyNetworkSettingRequest,
    ModifyResourceType,
    Namespace,
    NamespaceResource,
    NamespaceResourceContainer,
    Network,
    NetworkPolicy,
    PolicyEndpointRequest,
    PolicyNetworkRequest,
    PortMappingPolicySetting,
    QosPolicySetting,
    RequestType,
    Route,
    SdnRoute,
    Subnet,
    SubnetPolicy,
    TierAclPolicySetting,
    TierAclRule,
    ValidationError,
    VlanPolicySetting,
    VsidPolicySetting,
    VxlanPortPolicySetting,
)
from hcnpy.validation import check, validate

GUID = "6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10"


def network_with_routes(*routes: Route, prefix: str | None = "10.0.0.0/24") -> Network:
    return Network(
        ipams=(Ipam(subnets=(Subnet(), Subnet(ip_address_prefix=prefix, routes=routes))),)
    )


def problem(obj: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate(obj, **kwargs)
    return info.value


# --------------------------------------------------------------------------- hcsshim's rule


def test_subnet_with_prefix_and_default_route_passes() -> None:
    validate(network_with_routes(Route(next_hop="10.0.0.1", destination_prefix="0.0.0.0/0")))
    validate(
        network_with_routes(
            Route(next_hop="fd00::1", destination_prefix="::/0"), prefix="fd00::/64"
        )
    )


def test_subnet_route_without_next_hop_fails() -> None:
    error = problem(network_with_routes(Route(destination_prefix="0.0.0.0/0")))
    assert error.path == "ipams[0].subnets[1].routes"
    assert error.reason == "subnet has address prefix but no gateway specified"
    assert str(error).startswith(
        "ipams[0].subnets[1].routes: subnet has address prefix but no gateway specified (value: "
    )


def test_subnet_without_default_route_fails() -> None:
    # hcsshim's own negative test uses destination 1.1.1.1/0
    error = problem(network_with_routes(Route(next_hop="10.0.0.1", destination_prefix="1.1.1.1/0")))
    assert error.path == "ipams[0].subnets[1].routes"
    assert "no default route" in error.reason
    assert "no default route" in problem(network_with_routes()).reason


def test_subnets_without_prefix_and_networks_without_ipams_pass() -> None:
    validate(network_with_routes(prefix=None))
    validate(Network())


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("obj", "path", "fragment"),
    [
        (Network(id="not-a-guid"), "id", "not a GUID"),
        (Network(dns=Dns(server_list=("10.0.0.1", "10.0.0"))), "dns.server_list[1]", "not an IP"),
        (Network(mac_pool=MacPool(ranges=(MacRange(start_mac_address="00:15:5D:00:00:00"),))),
         "mac_pool.ranges[0].start_mac_address", "not a MAC"),
        (Network(mac_pool=MacPool(ranges=(MacRange(start_mac_address="00-15-5D-00-00-FF",
                                                   end_mac_address="00-15-5D-00-00-00"),))),
         "mac_pool.ranges[0].end_mac_address", "ends before it starts"),
        (network_with_routes(Route(next_hop="10.0.0.1", destination_prefix="0.0.0.0/0"),
                             prefix="10.0.0.0"), "ipams[0].subnets[1].ip_address_prefix", "CIDR"),
        (Route(destination_prefix="10.0.0.0/33"), "destination_prefix", "CIDR"),
        (Route(metric=70000), "metric", "uint16"),
        (Endpoint(mac_address="00155D000001"), "mac_address", "not a MAC"),
        (Endpoint(ip_configurations=(IpConfig(ip_address="10.0.0.5", prefix_length=33),)),
         "ip_configurations[0].prefix_length", "above 32"),
        (Endpoint(ip_configurations=(IpConfig(ip_address="fd00::5", prefix_length=129),)),
         "ip_configurations[0].prefix_length", "above 128"),
        (Endpoint(ip_configurations=(IpConfig(ip_address="300.0.0.1"),)),
         "ip_configurations[0].ip_address", "not an IP"),
        (LoadBalancer(frontend_vips=("vip",)), "frontend_vips[0]", "not an IP"),
        (LoadBalancer(port_mappings=(LoadBalancerPortMapping(external_port=65536),)),
         "port_mappings[0].external_port", "uint16"),
        (LoadBalancer(port_mappings=(LoadBalancerPortMapping(protocol=256),)),
         "port_mappings[0].protocol", "uint8"),
        (Namespace(namespace_id=-1), "namespace_id", "uint32"),
        (HostComputeQuery(filter="{nope"), "filter", "not valid JSON"),
        (HostComputeQuery(filter="[1]"), "filter", "not a JSON object"),
    ],
)  # fmt: skip
def test_format_and_range_errors(obj: Any, path: str, fragment: str) -> None:
    error = problem(obj)
    assert error.path == path
    assert fragment in error.reason


def test_lower_case_guid_and_ipv6_are_fine() -> None:
    validate(Network(id=GUID.lower(), dns=Dns(server_list=("fd00::53",))))


# --------------------------------------------------------------------------- policies


def acl(**kwargs: Any) -> EndpointPolicy:
    return EndpointPolicy.of(
        AclPolicySetting(action=ActionType.ALLOW, direction=DirectionType.IN, **kwargs)
    )


@pytest.mark.parametrize(
    ("policy", "path", "fragment"),
    [
        (acl(priority=65536), "settings.priority", "uint16"),
        (acl(local_ports="80,70000"), "settings.local_ports", "port list"),
        (acl(remote_ports="90-80"), "settings.remote_ports", "backwards"),
        (acl(protocols="tcp"), "settings.protocols", "protocol number"),
        (acl(protocols="6,300"), "settings.protocols", "protocol number"),
        (acl(protocols="257"), "settings.protocols", "protocol number"),
        (EndpointPolicy.of(AclPolicySetting(action="allow", direction="In")),
         "settings.action", "did you mean 'Allow'"),
        (EndpointPolicy.of(PortMappingPolicySetting(internal_port=-1)),
         "settings.internal_port", "uint16"),
        (EndpointPolicy.of(PortMappingPolicySetting(vip="x")), "settings.vip", "not an IP"),
        (EndpointPolicy.of(L4ProxyPolicySetting(port="99999")), "settings.port", "not a port"),
        (EndpointPolicy.of(QosPolicySetting(maximum_outgoing_bandwidth_in_bytes=2**64)),
         "settings.maximum_outgoing_bandwidth_in_bytes", "uint64"),
        (EndpointPolicy.of(TierAclPolicySetting(name="t", direction="In", order=1,
                                                tier_acl_rules=(TierAclRule(
                                                    tier_acl_rule_action="Pass",
                                                    local_ports="x"),))),
         "settings.tier_acl_rules[0].local_ports", "port list"),
        (SubnetPolicy.of(VlanPolicySetting(isolation_id=5000)), "settings.isolation_id", "VLAN"),
        (SubnetPolicy.of(VsidPolicySetting(isolation_id=2**24)), "settings.isolation_id", "24 bit"),
        (EndpointPolicy(type="", settings=None), "type", "needs a type"),
        (EndpointPolicy(type="PortMapping", settings=VxlanPortPolicySetting(port=1)),
         "settings", "takes PortMappingPolicySetting"),
        (EndpointPolicy(type="Future", settings=VxlanPortPolicySetting(port=1)),
         "settings", "takes raw settings"),
        (EndpointPolicy(type="PortMapping", settings={"InternalPort": "x"}),
         "settings.internal_port", "expected an integer"),
        (EndpointPolicy(type="PortMapping", settings={"InternalPort": 70000}),
         "settings.internal_port", "uint16"),
        (NetworkPolicy(type="vxlanport", settings=None), "type", "did you mean 'VxlanPort'"),
    ],
)  # fmt: skip
def test_policy_errors(policy: Any, path: str, fragment: str) -> None:
    error = problem(policy)
    assert error.path == path
    assert fragment in error.reason


def test_policy_paths_inside_objects() -> None:
    endpoint = Endpoint(policies=(acl(priority=1), acl(priority=2**16)))
    assert problem(endpoint).path == "policies[1].settings.priority"


def test_good_policies_pass() -> None:
    validate(acl(protocols="6,17", local_ports="80,8000-8080", remote_addresses="ipset-id"))
    validate(acl(protocols="256"))  # "all protocols" (hcsshim#1059)
    validate(EndpointPolicy(type="Future", settings={"anything": [1]}))
    validate(EndpointPolicy(type="PortMapping", settings={"InternalPort": 80}))


# --------------------------------------------------------------------------- requests


def test_request_needs_types_and_matching_settings() -> None:
    error = problem(ModifyEndpointSettingRequest())
    assert error.path == "resource_type"
    errors = check(ModifyEndpointSettingRequest(resource_type="Policy"))
    assert [e.path for e in errors] == ["request_type", "settings"]
    wrong = ModifyEndpointSettingRequest(
        resource_type=ModifyResourceType.DNS, request_type=RequestType.ADD
    )
    assert "not a resource type of this request" in problem(wrong).reason
    mismatched = ModifyNetworkSettingRequest(
        resource_type=ModifyResourceType.POLICY,
        request_type=RequestType.ADD,
        settings=PolicyEndpointRequest(),  # type: ignore[arg-type]
    )
    assert "takes PolicyNetworkRequest" in problem(mismatched).reason


def test_request_contents_are_checked() -> None:
    request = ModifyNetworkSettingRequest(
        resource_type=ModifyResourceType.POLICY,
        request_type=RequestType.ADD,
        settings=PolicyNetworkRequest(
            policies=(NetworkPolicy.of(VxlanPortPolicySetting(port=-5)),)
        ),
    )
    assert problem(request).path == "settings.policies[0].settings.port"
    raw = ModifyNamespaceSettingRequest(
        resource_type=ModifyResourceType.ENDPOINT,
        request_type=RequestType.ADD,
        settings={"EndpointId": "nope"},
    )
    assert problem(raw).path == "settings.endpoint_id"
    validate(ModifyNamespaceSettingRequest.add_endpoint(GUID))


def test_namespace_resource_data_must_match_type() -> None:
    resource = NamespaceResource(type="Endpoint", data=NamespaceResourceContainer(id="x"))
    assert "takes NamespaceResourceEndpoint" in problem(Namespace(resources=(resource,))).reason


# --------------------------------------------------------------------------- for_create


def test_endpoint_create_rules() -> None:
    validate(Endpoint())  # reading/updating: fine
    assert problem(Endpoint(), for_create=True).path == "host_compute_network"
    error = problem(
        Endpoint(host_compute_network=GUID, host_compute_namespace=GUID), for_create=True
    )
    assert error.path == "host_compute_namespace"
    validate(Endpoint(host_compute_network=GUID), for_create=True)


def test_sdn_route_create_needs_endpoints() -> None:
    assert problem(SdnRoute(), for_create=True).path == "host_compute_endpoints"
    validate(SdnRoute(host_compute_endpoints=(GUID,)), for_create=True)


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        (Network(name=5), "name"),  # type: ignore[arg-type]
        (Network(ipams=[Ipam(subnets="x")]), "ipams[0].subnets"),  # type: ignore[arg-type]
        (Endpoint(flags="x"), "flags"),  # type: ignore[arg-type]
        (Network(dns=Dns(server_list=("1.1.1.1", 7))), "dns.server_list[1]"),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_are_reported_with_attribute_paths(obj: Any, path: str) -> None:
    assert problem(obj).path == path


def test_check_returns_every_problem() -> None:
    network = Network(id="x", dns=Dns(server_list=("y",)))
    assert [e.path for e in check(network)] == ["id", "dns.server_list[0]"]
    assert check(Network()) == []


def test_validate_rejects_non_models() -> None:
    with pytest.raises(TypeError):
        validate({"Name": "x"})  # type: ignore[arg-type]
