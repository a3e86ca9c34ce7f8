"""Feature gates: what a model needs from the HNS version (required_features, policy_feature)."""

from typing import Any

import pytest

from hcnpy import (
    AclPolicySetting,
    Endpoint,
    EndpointPolicy,
    Feature,
    FeatureNotSupported,
    HostRoutePolicySetting,
    Ipam,
    IpConfig,
    L4ProxyPolicySetting,
    L4WfpProxyPolicySetting,
    LoadBalancer,
    LoadBalancerDistribution,
    LoadBalancerFlags,
    LoadBalancerPortMapping,
    ModifyNetworkSettingRequest,
    NatFlags,
    Network,
    NetworkACLPolicySetting,
    NetworkFlags,
    NetworkPolicy,
    PolicyNetworkRequest,
    PortMappingPolicySetting,
    RemoteSubnetRoutePolicySetting,
    SdnRoute,
    SDNRoutePolicySetting,
    SetPolicySetting,
    SetPolicyType,
    Subnet,
    TierAclPolicySetting,
    VxlanPortPolicySetting,
    policy_feature,
    required_features,
)
from hcnpy.features import HnsVersion, require_all
from hcnpy.models.gates import POLICY_FEATURES

MAC = "00-15-5D-00-00-01"


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (Network(), set()),
        (Endpoint(), set()),
        (EndpointPolicy.of(L4ProxyPolicySetting()), {Feature.L4_PROXY}),
        (NetworkPolicy.of(L4ProxyPolicySetting()), {Feature.L4_PROXY}),
        (EndpointPolicy.of(L4WfpProxyPolicySetting()), {Feature.L4_WFP_PROXY}),
        (EndpointPolicy.of(TierAclPolicySetting(name="t", direction="In", order=1)),
         {Feature.TIER_ACL}),
        (NetworkPolicy.of(NetworkACLPolicySetting(action="Allow", direction="In")),
         {Feature.NETWORK_ACL}),
        (NetworkPolicy.of(SetPolicySetting(id="a", name="a", policy_type=SetPolicyType.IPSET)),
         {Feature.SET_POLICY}),
        (NetworkPolicy.of(SetPolicySetting(id="a", name="a", policy_type="NESTEDIPSET")),
         {Feature.SET_POLICY, Feature.NESTED_IP_SET}),
        (NetworkPolicy.of(VxlanPortPolicySetting(port=4789)), {Feature.VXLAN_PORT}),
        (NetworkPolicy.of(RemoteSubnetRoutePolicySetting(
            destination_prefix="10.0.0.0/24", isolation_id=4096, provider_address="10.1.0.1",
            distributed_router_mac_address=MAC)), {Feature.REMOTE_SUBNET}),
        (NetworkPolicy.of(HostRoutePolicySetting()), {Feature.HOST_ROUTE}),
        (LoadBalancer(flags=LoadBalancerFlags.DSR), {Feature.DSR}),
        (LoadBalancer(flags=LoadBalancerFlags.IPV6), {Feature.IPV6_DUAL_STACK}),
        (LoadBalancer(frontend_vips=("fd00::1",)), {Feature.IPV6_DUAL_STACK}),
        (LoadBalancer(port_mappings=(LoadBalancerPortMapping(
            distribution_type=LoadBalancerDistribution.SOURCE_IP),)), {Feature.SESSION_AFFINITY}),
        (LoadBalancerPortMapping(distribution_type=LoadBalancerDistribution.SOURCE_IP_PROTOCOL),
         {Feature.SESSION_AFFINITY}),
        (LoadBalancerPortMapping(distribution_type=LoadBalancerDistribution.NONE), set()),
        (Network(flags=NetworkFlags.DISABLE_HOST_PORT), {Feature.DISABLE_HOST_PORT}),
        (Network(ipams=(Ipam(subnets=(Subnet(ip_address_prefix="fd00::/64"),)),)),
         {Feature.IPV6_DUAL_STACK}),
        (Endpoint(ip_configurations=(IpConfig(ip_address="fd00::2", prefix_length=64),)),
         {Feature.IPV6_DUAL_STACK}),
        (Endpoint(ip_configurations=(IpConfig(ip_address="10.0.0.2", prefix_length=32),)),
         {Feature.SLASH32_ENDPOINT_PREFIXES}),
        (EndpointPolicy.of(PortMappingPolicySetting(flags=NatFlags.IPV6)),
         {Feature.IPV6_DUAL_STACK}),
        (EndpointPolicy.of(AclPolicySetting(action="Allow", direction="In", protocols="6,252")),
         {Feature.ACL_SUPPORT_FOR_PROTOCOL_252}),
        (SdnRoute(routes=(SDNRoutePolicySetting(destination_prefix="fd00::/8"),)),
         {Feature.IPV6_DUAL_STACK}),
        (ModifyNetworkSettingRequest(resource_type="Policy", request_type="Add",
                                     settings=PolicyNetworkRequest(policies=(
                                         NetworkPolicy.of(HostRoutePolicySetting()),))),
         {Feature.HOST_ROUTE}),
        (EndpointPolicy(type="L4Proxy", settings={"Port": "1"}), {Feature.L4_PROXY}),
    ],
)  # fmt: skip
def test_required_features(obj: Any, expected: set[Feature]) -> None:
    assert required_features(obj) == expected


def test_required_features_walks_nested_objects() -> None:
    network = Network(
        flags=NetworkFlags.DISABLE_HOST_PORT,
        policies=(NetworkPolicy.of(VxlanPortPolicySetting(port=4789)),),
        ipams=(Ipam(subnets=(Subnet(ip_address_prefix="fd00::/64"),)),),
    )
    assert required_features(network) == {
        Feature.DISABLE_HOST_PORT,
        Feature.VXLAN_PORT,
        Feature.IPV6_DUAL_STACK,
    }
    with pytest.raises(FeatureNotSupported, match="does not support feature"):
        require_all(required_features(network), HnsVersion(9, 2))
    require_all(required_features(network), HnsVersion(15, 1))


@pytest.mark.parametrize(
    ("kind", "policy_type", "expected"),
    [
        ("endpoint", "L4Proxy", Feature.L4_PROXY),
        ("endpoint", "L4WFPPROXY", Feature.L4_WFP_PROXY),
        ("endpoint", "TierAcl", Feature.TIER_ACL),
        ("endpoint", "tieracl", Feature.TIER_ACL),
        ("endpoint", "PortMapping", None),
        ("endpoint", "SetPolicy", None),
        ("network", "SetPolicy", Feature.SET_POLICY),
        ("network", "NetworkACL", Feature.NETWORK_ACL),
        ("network", "VxlanPort", Feature.VXLAN_PORT),
        ("network", "RemoteSubnetRoute", Feature.REMOTE_SUBNET),
        ("network", "HostRoute", Feature.HOST_ROUTE),
        ("network", "L4Proxy", Feature.L4_PROXY),
        ("subnet", "VSID", None),
        ("network", "Unknown", None),
    ],
)
def test_policy_feature(kind: str, policy_type: str, expected: Feature | None) -> None:
    assert policy_feature(kind, policy_type) == expected


def test_policy_feature_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="policy kind"):
        policy_feature("namespace", "X")


def test_every_gated_policy_names_a_feature() -> None:
    for name in POLICY_FEATURES.values():
        assert Feature[name]
