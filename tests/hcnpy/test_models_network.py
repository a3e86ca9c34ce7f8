"""Network, IPAM, subnet and network modify requests."""

from hcnpy import (
    Dns,
    Ipam,
    IpamType,
    ModifyNetworkSettingRequest,
    ModifyResourceType,
    Network,
    NetworkFlags,
    NetworkPolicy,
    NetworkType,
    PolicyNetworkRequest,
    RequestType,
    Subnet,
    SubnetFlags,
    SubnetPolicy,
    VlanPolicySetting,
    VxlanPortPolicySetting,
    from_dict,
    to_dict,
)


def test_minimal_network_sends_the_always_present_parts() -> None:
    assert to_dict(Network()) == {
        "Type": "NAT",
        "MacPool": {},
        "Dns": {},
        "Health": {"Extra": {}},
        "SchemaVersion": {"Major": 2, "Minor": 0},
    }


def test_network_key_order_is_go_struct_order() -> None:
    network = Network(
        id="6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10",
        name="n",
        type=NetworkType.L2_BRIDGE,
        policies=(NetworkPolicy.of(VxlanPortPolicySetting(port=4789)),),
        ipams=(Ipam(),),
        flags=NetworkFlags.DISABLE_HOST_PORT | NetworkFlags.ENABLE_IOV,
    )
    doc = to_dict(network)
    assert list(doc) == [
        "ID", "Name", "Type", "Policies", "MacPool", "Dns", "Ipams", "Flags", "Health",
        "SchemaVersion",
    ]  # fmt: skip
    assert doc["Flags"] == 1024 | 8192
    assert doc["Ipams"] == [{"Type": "Static"}]
    assert from_dict(Network, doc) == network


def test_flags_are_omitted_when_zero() -> None:
    assert "Flags" not in to_dict(Network(flags=NetworkFlags.NONE))
    assert "Flags" not in to_dict(Subnet())
    assert to_dict(Subnet(flags=SubnetFlags.DO_NOT_RESERVE_GATEWAY_ADDRESS)) == {"Flags": 1}


def test_network_types_and_flags() -> None:
    assert {t.value for t in NetworkType} >= {
        "NAT", "Transparent", "L2Bridge", "L2Tunnel", "ICS", "Private", "Overlay", "Internal",
        "Mirrored", "Infiniband", "ConstrainedICS",
    }  # fmt: skip
    assert int(NetworkFlags.ENABLE_NON_PERSISTENT) == 8
    assert int(NetworkFlags.DISABLE_HOST_PORT) == 1024
    assert int(NetworkFlags.ENABLE_IOV) == 8192


def test_ipam_defaults_to_static_and_dhcp_is_spelled_like_microsoft() -> None:
    assert Ipam().type is IpamType.STATIC
    assert to_dict(Ipam(type=IpamType.DHCP)) == {"Type": "Dhcp"}


def test_subnet_with_vlan_policy() -> None:
    subnet = Subnet(
        ip_address_prefix="192.168.0.0/24",
        policies=(SubnetPolicy.of(VlanPolicySetting(isolation_id=10)),),
    )
    assert to_dict(subnet) == {
        "IpAddressPrefix": "192.168.0.0/24",
        "Policies": [{"Type": "VLAN", "Settings": {"IsolationId": 10}}],
    }


def test_add_policy_request() -> None:
    request = ModifyNetworkSettingRequest(
        resource_type=ModifyResourceType.POLICY,
        request_type=RequestType.ADD,
        settings=PolicyNetworkRequest(policies=(NetworkPolicy.of(VxlanPortPolicySetting(port=1)),)),
    )
    doc = to_dict(request)
    assert doc == {
        "ResourceType": "Policy",
        "RequestType": "Add",
        "Settings": {"Policies": [{"Type": "VxlanPort", "Settings": {"Port": 1}}]},
    }
    assert from_dict(ModifyNetworkSettingRequest, doc) == request


def test_dns_request() -> None:
    request = ModifyNetworkSettingRequest(
        resource_type=ModifyResourceType.DNS,
        request_type=RequestType.UPDATE,
        settings=Dns(server_list=("10.0.0.10",)),
    )
    assert from_dict(ModifyNetworkSettingRequest, to_dict(request)) == request
