"""Reading is lenient: missing zero enums, any key case, unknown keys/values/types, nulls."""

import json
from pathlib import Path
from typing import Any

import pytest

from hcnpy import (
    AclPolicySetting,
    ActionType,
    DirectionType,
    Dns,
    Endpoint,
    EndpointPolicy,
    EndpointPolicyType,
    IpamType,
    L4ProxyPolicySetting,
    LoadBalancerPortMapping,
    ModifyNetworkSettingRequest,
    ModifyResourceType,
    Namespace,
    NamespaceResource,
    NamespaceResourceEndpoint,
    NamespaceType,
    Network,
    NetworkFlags,
    NetworkPolicy,
    NetworkType,
    PolicyNetworkRequest,
    PortMappingPolicySetting,
    ProtocolType,
    ProxyExceptions,
    SdnRoute,
    SetPolicySetting,
    SetPolicyType,
    TierAclPolicySetting,
    from_dict,
    from_json,
    to_dict,
    to_json,
)

VECTORS = Path(__file__).parent / "vectors"


def load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text())


def test_hns_style_document_reads_typed_and_writes_back_unknown_fields() -> None:
    network = from_json(Network, (VECTORS / "hns_read_nat_network.json").read_text())
    assert network.type is NetworkType.NAT  # HNS omits Type for NAT (enum zero)
    assert network.name == "nat"  # key "name"
    assert network.ipams[0].type is IpamType.STATIC
    subnet = network.ipams[0].subnets[0]
    assert subnet.ip_address_prefix == "172.16.0.0/16"  # key "ipAddressPrefix"
    assert subnet.routes[0].next_hop == "172.16.0.1"
    assert subnet.unknown_fields == {"ObjectId": "1B2C3D4E-0000-4000-8000-000000000001"}
    assert network.health.extra.switch_guid == "0D5E9C4B-1A2B-4C3D-8E9F-A0B1C2D3E4F5"
    assert network.health.unknown_fields == {"LastUpdateTime": 133515000000000000}
    assert set(network.unknown_fields) == {"Version", "State", "Resources"}
    written = to_dict(network)
    expected = load("hns_read_nat_network.expected.json")
    assert written == expected
    assert list(written) == list(expected)
    # and it is stable from there on
    assert from_dict(Network, written) == network


@pytest.mark.parametrize(
    ("cls", "attr", "zero"),
    [
        (Network, "type", NetworkType.NAT),
        (Namespace, "type", NamespaceType.HOST),
    ],
)
def test_absent_zero_enums_default(cls: Any, attr: str, zero: object) -> None:
    assert getattr(from_dict(cls, {}), attr) is zero


def test_absent_acl_action_and_direction_default_to_allow_in() -> None:
    policy = from_dict(EndpointPolicy, {"Type": "ACL", "Settings": {"Priority": 100}})
    assert isinstance(policy.settings, AclPolicySetting)
    assert policy.settings.action is ActionType.ALLOW
    assert policy.settings.direction is DirectionType.IN
    tier = from_dict(TierAclPolicySetting, {})
    assert (tier.name, tier.direction, tier.order) == ("", DirectionType.IN, 0)


def test_keys_match_in_any_case() -> None:
    endpoint = from_dict(
        Endpoint,
        {
            "id": "A",
            "NAME": "ep",
            "hostcomputenetwork": "N",
            "ipConfigurations": [{"IPADDRESS": "10.0.0.2", "prefixlength": 24}],
            "macaddress": "00-15-5D-00-00-01",
        },
    )
    assert endpoint.id == "A"
    assert endpoint.name == "ep"
    assert endpoint.host_compute_network == "N"
    assert endpoint.ip_configurations[0].ip_address == "10.0.0.2"
    assert endpoint.ip_configurations[0].prefix_length == 24
    assert endpoint.unknown_fields == {}
    assert list(to_dict(endpoint))[:3] == ["ID", "Name", "HostComputeNetwork"]


def test_exact_key_wins_and_the_other_spelling_is_kept() -> None:
    network = from_dict(Network, {"Id": "second", "ID": "first"})
    assert network.id == "first"
    assert network.unknown_fields == {"Id": "second"}
    out = to_dict(network)
    assert out["ID"] == "first"
    assert out["Id"] == "second"


def test_null_counts_as_absent() -> None:
    network = from_dict(
        Network, {"Name": None, "Type": None, "Ipams": None, "Dns": None, "Flags": None}
    )
    assert network == Network()
    policy = from_dict(EndpointPolicy, {"Type": "PortMapping", "Settings": None})
    assert policy.settings is None


def test_unknown_enum_values_stay_plain_and_round_trip() -> None:
    doc = {"Type": "FutureMode", "Flags": 8 | (1 << 20)}
    network = from_dict(Network, doc)
    assert network.type == "FutureMode"
    assert not isinstance(network.type, NetworkType)
    assert network.flags & NetworkFlags.ENABLE_NON_PERSISTENT
    assert int(network.flags) == 8 | (1 << 20)
    out = to_dict(network)
    assert out["Type"] == "FutureMode"
    assert out["Flags"] == 8 | (1 << 20)
    mapping = from_dict(LoadBalancerPortMapping, {"Protocol": 99, "DistributionType": 7})
    assert mapping.protocol == 99
    assert mapping.distribution_type == 7
    assert to_dict(mapping) == {"Protocol": 99, "DistributionType": 7}


def test_enum_values_match_ignoring_case() -> None:
    assert from_dict(Network, {"Type": "l2bridge"}).type is NetworkType.L2_BRIDGE
    assert from_dict(Network, {"Ipams": [{"Type": "DHCP"}]}).ipams[0].type is IpamType.DHCP
    policy = from_dict(EndpointPolicy, {"Type": "portmapping", "Settings": {"Protocol": 17}})
    assert policy.type is EndpointPolicyType.PORT_MAPPING
    assert isinstance(policy.settings, PortMappingPolicySetting)
    assert policy.settings.protocol is ProtocolType.UDP


def test_unknown_policy_type_round_trips_unchanged() -> None:
    doc = {
        "Type": "Encryption",
        "Settings": {"Name": "x", "AuthenticationMethods": [{"Type": "Certificate"}], "N": 1.5},
    }
    policy = from_dict(EndpointPolicy, doc)
    assert policy.type == "Encryption"
    assert policy.settings == doc["Settings"]
    assert to_dict(policy) == doc
    network = from_dict(Network, {"Policies": [{"Type": "Future", "Settings": [1, 2]}]})
    assert to_dict(network)["Policies"] == [{"Type": "Future", "Settings": [1, 2]}]


def test_unknown_keys_inside_typed_settings_round_trip() -> None:
    doc = {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80, "Extra": 1}}
    policy = from_dict(EndpointPolicy, doc)
    assert isinstance(policy.settings, PortMappingPolicySetting)
    assert policy.settings.unknown_fields == {"Extra": 1}
    assert to_dict(policy) == doc


def test_numbers_are_accepted_where_hns_uses_number_strings() -> None:
    acl = from_dict(
        AclPolicySetting,
        {"Protocols": 6, "LocalPorts": [80, "443"], "RemotePorts": 53, "Action": "Block"},
    )
    assert acl.protocols == "6"
    assert acl.local_ports == "80,443"
    assert acl.remote_ports == "53"
    assert to_dict(acl)["Protocols"] == "6"
    proxy = from_dict(L4ProxyPolicySetting, {"Port": 15001})
    assert proxy.port == "15001"
    exceptions = from_dict(ProxyExceptions, {"PortExceptions": [80, "443"]})
    assert exceptions.port_exceptions == ("80", "443")


def test_constructors_normalise_number_strings_too() -> None:
    acl = AclPolicySetting(
        action=ActionType.ALLOW, direction=DirectionType.IN, protocols=[6, 17], local_ports=80
    )
    assert (acl.protocols, acl.local_ports) == ("6,17", "80")
    assert (
        SetPolicySetting(id="s", name="s", policy_type="IPSET", values=["a", "b"]).values == "a,b"
    )


def test_sdn_route_reads_hcsshim_setting_key_and_writes_routes() -> None:
    route = from_dict(SdnRoute, {"Setting": [{"DestinationPrefix": "10.0.0.0/8"}]})
    assert route.routes[0].destination_prefix == "10.0.0.0/8"
    out = to_dict(route)
    assert "Setting" not in out
    assert out["Routes"] == [{"DestinationPrefix": "10.0.0.0/8"}]
    both = from_dict(SdnRoute, {"Setting": [{"NextHop": "1.1.1.1"}], "Routes": [{}]})
    assert both.routes[0].next_hop is None  # "Routes" wins; "Setting" is kept as unknown
    assert to_dict(both)["Setting"] == [{"NextHop": "1.1.1.1"}]


def test_l4_proxy_reads_hcsshim_keys_and_writes_microsoft_keys() -> None:
    proxy = from_dict(
        L4ProxyPolicySetting,
        {"IP": "10.0.0.1", "Exceptions": ["10.0.0.0/8"], "OutboundNAT": True, "Destination": "d"},
    )
    assert proxy.exception_list == ("10.0.0.0/8",)
    assert proxy.outbound_nat is True
    assert to_dict(proxy) == {
        "IP": "10.0.0.1",
        "ExceptionList": ["10.0.0.0/8"],
        "Destination": "d",
        "OutboundNat": True,
    }


def test_set_policy_type_travels_as_policy_type() -> None:
    setting = SetPolicySetting(
        id="set1", name="pods", policy_type=SetPolicyType.IPSET, values=["10.0.0.1", "10.0.0.2"]
    )
    assert to_dict(NetworkPolicy.of(setting)) == {
        "Type": "SetPolicy",
        "Settings": {
            "Id": "set1",
            "Name": "pods",
            "PolicyType": "IPSET",
            "Values": "10.0.0.1,10.0.0.2",
        },
    }


def test_modify_request_settings_are_typed_by_resource_type() -> None:
    dns = from_dict(
        ModifyNetworkSettingRequest,
        {"ResourceType": "DNS", "RequestType": "Update", "Settings": {"ServerList": ["1.1.1.1"]}},
    )
    assert dns.resource_type is ModifyResourceType.DNS
    assert dns.settings == Dns(server_list=("1.1.1.1",))
    policy = from_dict(
        ModifyNetworkSettingRequest,
        {"ResourceType": "Policy", "RequestType": "Add", "Settings": {"Policies": []}},
    )
    assert policy.settings == PolicyNetworkRequest()
    other = from_dict(
        ModifyNetworkSettingRequest,
        {"ResourceType": "Extension", "Settings": {"Id": "x", "IsEnabled": True}},
    )
    assert other.settings == {"Id": "x", "IsEnabled": True}


def test_namespace_resource_data_is_typed_by_resource_type() -> None:
    resource = from_dict(NamespaceResource, {"Type": "Endpoint", "Data": {"Id": "E"}})
    assert resource.data == NamespaceResourceEndpoint(id="E")
    assert to_dict(resource) == {"Type": "Endpoint", "Data": {"ID": "E"}}
    raw = from_dict(NamespaceResource, {"Type": "Gadget", "Data": {"X": 1}})
    assert raw.data == {"X": 1}
    assert to_dict(NamespaceResource(type="Gadget")) == {"Type": "Gadget", "Data": None}


def test_json_text_round_trip_keeps_unknown_fields() -> None:
    text = '{"Name":"x","Future":{"Nested":[1,{"a":null}]},"SchemaVersion":{"Major":2,"Minor":1}}'
    network = from_json(Network, text)
    assert network.schema_version.minor == 1
    assert json.loads(to_json(network))["Future"] == {"Nested": [1, {"a": None}]}
