"""Policy envelopes and every typed settings class: the type table, ``of()``, exact keys."""

from typing import Any

import attrs
import pytest

from hcnpy import (
    AclPolicySetting,
    ActionType,
    AutomaticDNSNetworkPolicySetting,
    DirectionType,
    DrMacAddressNetworkPolicySetting,
    EncapOverheadEndpointPolicySetting,
    EndpointPolicy,
    EndpointPolicyType,
    FiveTuple,
    HostRoutePolicySetting,
    InterfaceConstraintPolicySetting,
    InterfaceParametersPolicySetting,
    IovInterruptModeration,
    IovPolicySetting,
    L2DriverPolicySetting,
    L4ProxyPolicySetting,
    L4WfpProxyPolicySetting,
    LayerConstraintNetworkPolicySetting,
    NatFlags,
    NetAdapterNameNetworkPolicySetting,
    NetworkACLPolicySetting,
    NetworkPolicy,
    NetworkPolicyType,
    OutboundNatPolicySetting,
    PolicySetting,
    PortMappingPolicySetting,
    PortnameEndpointPolicySetting,
    ProtocolType,
    ProviderAddressEndpointPolicySetting,
    ProviderAddressNetworkPolicySetting,
    ProxyExceptions,
    QosPolicySetting,
    RemoteSubnetRoutePolicySetting,
    RuleType,
    SDNRoutePolicySetting,
    SetPolicySetting,
    SetPolicyType,
    SourceMacAddressNetworkPolicySetting,
    SubnetPolicy,
    SubnetPolicyType,
    TierAclPolicySetting,
    TierAclRule,
    VlanPolicySetting,
    VsidPolicySetting,
    VSwitchExtensionNetworkPolicySetting,
    VxlanPortPolicySetting,
    from_dict,
    to_dict,
)
from hcnpy.models.policies.base import SETTINGS_TABLE, policy_type_for, settings_class

GUID = "F0E1D2C3-B4A5-4697-8889-7A6B5C4D3E2F"

KINDS: list[tuple[Any, Any, str]] = [
    (EndpointPolicy, EndpointPolicyType, "endpoint"),
    (NetworkPolicy, NetworkPolicyType, "network"),
    (SubnetPolicy, SubnetPolicyType, "subnet"),
]


@pytest.mark.parametrize(("envelope", "types", "kind"), KINDS)
def test_every_policy_type_has_a_typed_settings_class(envelope: Any, types: Any, kind: Any) -> None:
    assert set(SETTINGS_TABLE[kind]) == {member.value for member in types}
    for member in types:
        cls = settings_class(kind, member)
        assert cls is not None and issubclass(cls, PolicySetting)
        assert policy_type_for(kind, cls) is not None


def test_policy_type_lists_match_the_reference() -> None:
    assert [m.value for m in EndpointPolicyType] == [
        "PortMapping", "ACL", "QOS", "L2Driver", "OutBoundNAT", "SDNRoute", "L4Proxy",
        "L4WFPPROXY", "PortName", "EncapOverhead", "Iov", "ProviderAddress",
        "InterfaceConstraint", "TierAcl", "VLAN", "InterfaceParameters",
    ]  # fmt: skip
    assert [m.value for m in NetworkPolicyType] == [
        "SourceMacAddress", "NetAdapterName", "VSwitchExtension", "DrMacAddress",
        "AutomaticDNS", "InterfaceConstraint", "ProviderAddress", "RemoteSubnetRoute",
        "VxlanPort", "HostRoute", "SetPolicy", "L4Proxy", "LayerConstraint", "NetworkACL",
    ]  # fmt: skip
    assert [m.value for m in SubnetPolicyType] == ["VLAN", "VSID"]


def test_unknown_policy_types_have_no_settings_class() -> None:
    assert settings_class("endpoint", "Encryption") is None
    assert settings_class("endpoint", "portmapping") is None  # exact names only
    assert settings_class("subnet", 3) is None


def test_of_takes_the_type_from_the_settings_class() -> None:
    policy = EndpointPolicy.of(QosPolicySetting(maximum_outgoing_bandwidth_in_bytes=10))
    assert policy.type is EndpointPolicyType.QOS
    assert NetworkPolicy.of(L4ProxyPolicySetting()).type is NetworkPolicyType.L4_PROXY
    assert EndpointPolicy.of(L4ProxyPolicySetting()).type is EndpointPolicyType.L4_PROXY
    assert SubnetPolicy.of(VlanPolicySetting(isolation_id=7)).type is SubnetPolicyType.VLAN
    assert EndpointPolicy.of(VlanPolicySetting(isolation_id=7)).type is EndpointPolicyType.VLAN
    shared = InterfaceConstraintPolicySetting(interface_index=3)
    assert NetworkPolicy.of(shared).type is NetworkPolicyType.INTERFACE_CONSTRAINT
    assert EndpointPolicy.of(shared).type is EndpointPolicyType.INTERFACE_CONSTRAINT


@pytest.mark.parametrize(
    ("envelope", "settings"),
    [
        (EndpointPolicy, VxlanPortPolicySetting(port=4789)),
        (NetworkPolicy, PortMappingPolicySetting()),
        (SubnetPolicy, NetworkACLPolicySetting(action="Allow", direction="In")),
        (NetworkPolicy, ProviderAddressEndpointPolicySetting()),
    ],
)
def test_of_rejects_settings_of_another_kind(envelope: Any, settings: Any) -> None:
    with pytest.raises(TypeError, match="is not a"):
        envelope.of(settings)


ALL = "00-15-5D-00-00-01"
CASES: list[tuple[str, Any, PolicySetting, dict[str, Any]]] = [
    ("endpoint", "PortMapping", PortMappingPolicySetting(
        protocol=ProtocolType.UDP, internal_port=53, external_port=5353, vip="10.0.0.9",
        flags=NatFlags.LOCAL_ROUTED_VIP,
    ), {"Protocol": 17, "InternalPort": 53, "ExternalPort": 5353, "VIP": "10.0.0.9", "Flags": 1}),
    ("endpoint", "ACL", AclPolicySetting(
        protocols="6,17", action=ActionType.ALLOW, direction=DirectionType.OUT,
        local_addresses="10.0.0.2", remote_addresses="10.0.0.0/8", local_ports="80",
        remote_ports="1000-2000", rule_type=RuleType.HOST, priority=100, id="r1",
    ), {"Protocols": "6,17", "Action": "Allow", "Direction": "Out", "LocalAddresses": "10.0.0.2",
        "RemoteAddresses": "10.0.0.0/8", "LocalPorts": "80", "RemotePorts": "1000-2000",
        "RuleType": "Host", "Priority": 100, "Id": "r1"}),
    ("endpoint", "QOS", QosPolicySetting(maximum_outgoing_bandwidth_in_bytes=0),
     {"MaximumOutgoingBandwidthInBytes": 0}),
    ("endpoint", "L2Driver", L2DriverPolicySetting(), {}),
    ("endpoint", "OutBoundNAT", OutboundNatPolicySetting(
        virtual_ip="10.0.0.4", exceptions=("10.244.0.0/16", "10.96.0.0/12"),
        destinations=("8.8.8.8",), flags=NatFlags.IPV6, max_port_pool_usage=80,
    ), {"VirtualIP": "10.0.0.4", "Exceptions": ["10.244.0.0/16", "10.96.0.0/12"],
        "Destinations": ["8.8.8.8"], "Flags": 2, "MaxPortPoolUsage": 80}),
    ("endpoint", "SDNRoute", SDNRoutePolicySetting(
        destination_prefix="10.96.0.0/12", next_hop="10.244.1.1", need_encap=True,
        automatic_endpoint_monitor=False,
    ), {"DestinationPrefix": "10.96.0.0/12", "NextHop": "10.244.1.1", "NeedEncap": True,
        "AutomaticEndpointMonitor": False}),
    ("endpoint", "L4Proxy", L4ProxyPolicySetting(
        ip="127.0.0.1", port=15001, protocol=ProtocolType.TCP, exception_list=("10.0.0.1",),
        destination="10.0.0.2", outbound_nat=True,
    ), {"IP": "127.0.0.1", "Port": "15001", "Protocol": 6, "ExceptionList": ["10.0.0.1"],
        "Destination": "10.0.0.2", "OutboundNat": True}),
    ("endpoint", "L4WFPPROXY", L4WfpProxyPolicySetting(
        inbound_proxy_port=15006, outbound_proxy_port="15001",
        filter_tuple=FiveTuple(protocols=6, remote_ports=[80, 443], priority=5),
        user_sid="S-1-5-18",
        outbound_exceptions=ProxyExceptions(ip_address_exceptions=("10.0.0.1",),
                                            port_exceptions=("22",)),
    ), {"InboundProxyPort": "15006", "OutboundProxyPort": "15001",
        "FilterTuple": {"Protocols": "6", "RemotePorts": "80,443", "Priority": 5},
        "UserSID": "S-1-5-18", "InboundExceptions": {},
        "OutboundExceptions": {"IpAddressExceptions": ["10.0.0.1"], "PortExceptions": ["22"]}}),
    ("endpoint", "PortName", PortnameEndpointPolicySetting(name="port1"), {"Name": "port1"}),
    ("endpoint", "EncapOverhead", EncapOverheadEndpointPolicySetting(overhead=50),
     {"Overhead": 50}),
    ("endpoint", "Iov", IovPolicySetting(
        iov_offload_weight=100, queue_pairs_requested=1,
        interrupt_moderation=IovInterruptModeration.MEDIUM,
    ), {"IovOffloadWeight": 100, "QueuePairsRequested": 1, "InterruptModeration": 200}),
    ("endpoint", "ProviderAddress", ProviderAddressEndpointPolicySetting(
        provider_address="10.0.0.4"), {"ProviderAddress": "10.0.0.4"}),
    ("endpoint", "InterfaceConstraint", InterfaceConstraintPolicySetting(
        interface_guid=GUID, interface_luid=2**60, interface_index=12, interface_media_type=6,
        interface_alias="Ethernet", interface_description="NIC",
    ), {"InterfaceGuid": GUID, "InterfaceLuid": 2**60, "InterfaceIndex": 12,
        "InterfaceMediaType": 6, "InterfaceAlias": "Ethernet", "InterfaceDescription": "NIC"}),
    ("endpoint", "TierAcl", TierAclPolicySetting(name="t", direction="Out", order=0),
     {"Name": "t", "Direction": "Out", "Order": 0}),
    ("endpoint", "VLAN", VlanPolicySetting(isolation_id=0), {"IsolationId": 0}),
    ("endpoint", "InterfaceParameters", InterfaceParametersPolicySetting(mtu=1450),
     {"Mtu": 1450}),
    ("network", "SourceMacAddress", SourceMacAddressNetworkPolicySetting(
        source_mac_address=ALL), {"SourceMacAddress": ALL}),
    ("network", "NetAdapterName", NetAdapterNameNetworkPolicySetting(
        network_adapter_name="Ethernet 2"), {"NetworkAdapterName": "Ethernet 2"}),
    ("network", "VSwitchExtension", VSwitchExtensionNetworkPolicySetting(
        extension_id=GUID, enable=True), {"ExtensionID": GUID, "Enable": True}),
    ("network", "DrMacAddress", DrMacAddressNetworkPolicySetting(address=ALL),
     {"Address": ALL}),
    ("network", "AutomaticDNS", AutomaticDNSNetworkPolicySetting(enable=False),
     {"Enable": False}),
    ("network", "InterfaceConstraint", InterfaceConstraintPolicySetting(), {}),
    ("network", "ProviderAddress", ProviderAddressNetworkPolicySetting(
        provider_address="10.0.0.4"), {"ProviderAddress": "10.0.0.4"}),
    ("network", "RemoteSubnetRoute", RemoteSubnetRoutePolicySetting(
        destination_prefix="10.244.2.0/24", isolation_id=4096, provider_address="10.0.0.5",
        distributed_router_mac_address=ALL,
    ), {"DestinationPrefix": "10.244.2.0/24", "IsolationId": 4096, "ProviderAddress": "10.0.0.5",
        "DistributedRouterMacAddress": ALL}),
    ("network", "VxlanPort", VxlanPortPolicySetting(port=4789), {"Port": 4789}),
    ("network", "HostRoute", HostRoutePolicySetting(), {}),
    ("network", "SetPolicy", SetPolicySetting(
        id="s", name="n", policy_type=SetPolicyType.NESTED_IPSET, values=""),
     {"Id": "s", "Name": "n", "PolicyType": "NESTEDIPSET", "Values": ""}),
    ("network", "L4Proxy", L4ProxyPolicySetting(), {"Destination": ""}),
    ("network", "LayerConstraint", LayerConstraintNetworkPolicySetting(layer_id=GUID),
     {"LayerId": GUID}),
    ("network", "NetworkACL", NetworkACLPolicySetting(
        action=ActionType.BLOCK, direction=DirectionType.IN, remote_addresses="0.0.0.0/0",
        priority=4096,
    ), {"Action": "Block", "Direction": "In", "RemoteAddresses": "0.0.0.0/0", "Priority": 4096}),
    ("subnet", "VLAN", VlanPolicySetting(isolation_id=100), {"IsolationId": 100}),
    ("subnet", "VSID", VsidPolicySetting(isolation_id=4096), {"IsolationId": 4096}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "policy_type", "settings", "expected"), CASES)
def test_settings_wire_form(
    kind: Any, policy_type: str, settings: PolicySetting, expected: dict[str, Any]
) -> None:
    envelopes: dict[str, Any] = {
        "endpoint": EndpointPolicy,
        "network": NetworkPolicy,
        "subnet": SubnetPolicy,
    }
    envelope = envelopes[kind]
    policy = envelope.of(settings)
    doc = to_dict(policy)
    assert doc == {"Type": policy_type, "Settings": expected}
    assert list(doc["Settings"]) == list(expected)
    assert from_dict(envelope, doc) == policy
    assert type(from_dict(envelope, doc).settings) is type(settings)


def test_cases_cover_every_policy_type() -> None:
    covered = {(kind, policy_type) for kind, policy_type, _, _ in CASES}
    assert covered == {(kind, name) for kind in SETTINGS_TABLE for name in SETTINGS_TABLE[kind]}


def test_required_settings_fields() -> None:
    with pytest.raises(TypeError):
        AclPolicySetting()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        VsidPolicySetting()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        EndpointPolicy()  # type: ignore[call-arg]


def test_tier_acl_rules_and_l4_wfp_nested_objects_round_trip() -> None:
    setting = TierAclPolicySetting(
        name="t",
        direction=DirectionType.IN,
        order=3,
        tier_acl_rules=(TierAclRule(tier_acl_rule_action=ActionType.BLOCK, priority=1),),
    )
    assert from_dict(TierAclPolicySetting, to_dict(setting)) == setting
    assert to_dict(L4WfpProxyPolicySetting()) == {
        "FilterTuple": {},
        "InboundExceptions": {},
        "OutboundExceptions": {},
    }


def test_settings_are_frozen_and_hashable() -> None:
    setting = PortMappingPolicySetting(internal_port=80)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setting.internal_port = 81  # type: ignore[misc]
    assert hash(setting) == hash(PortMappingPolicySetting(internal_port=80))
    policy = EndpointPolicy.of(setting)
    assert policy == EndpointPolicy(type="PortMapping", settings=setting)
    assert len({policy, EndpointPolicy.of(setting)}) == 1
