"""Endpoint, IP configuration and endpoint modify requests."""

from hcnpy import (
    Endpoint,
    EndpointFlags,
    EndpointPolicy,
    IpConfig,
    ModifyEndpointSettingRequest,
    ModifyResourceType,
    PolicyEndpointRequest,
    QosPolicySetting,
    RequestType,
    VmEndpointRequest,
    from_dict,
    to_dict,
)


def test_minimal_endpoint() -> None:
    assert to_dict(Endpoint()) == {
        "Dns": {},
        "Health": {"Extra": {}},
        "SchemaVersion": {"Major": 2, "Minor": 0},
    }


def test_endpoint_key_order_and_flags() -> None:
    endpoint = Endpoint(
        id="A",
        name="e",
        host_compute_network="N",
        host_compute_namespace="S",
        ip_configurations=(IpConfig(ip_address="fd00::5", prefix_length=64, ip_subnet_id="X"),),
        mac_address="00-15-5D-00-00-01",
        flags=EndpointFlags.REMOTE_ENDPOINT | EndpointFlags.DISABLE_ICC,
    )
    doc = to_dict(endpoint)
    assert list(doc) == [
        "ID", "Name", "HostComputeNetwork", "HostComputeNamespace", "IpConfigurations", "Dns",
        "MacAddress", "Flags", "Health", "SchemaVersion",
    ]  # fmt: skip
    assert doc["Flags"] == 3
    assert doc["IpConfigurations"] == [
        {"IpAddress": "fd00::5", "PrefixLength": 64, "IpSubnetId": "X"}
    ]
    assert from_dict(Endpoint, doc) == endpoint


def test_endpoint_flag_aliases() -> None:
    assert EndpointFlags["DISABLE_INTER_COMPUTE_COMMUNICATION"] is EndpointFlags.DISABLE_ICC
    assert int(EndpointFlags.ENABLE_DHCP) == 32


def test_policy_and_port_requests() -> None:
    policy = ModifyEndpointSettingRequest(
        resource_type=ModifyResourceType.POLICY,
        request_type=RequestType.ADD,
        settings=PolicyEndpointRequest(
            policies=(EndpointPolicy.of(QosPolicySetting(maximum_outgoing_bandwidth_in_bytes=1)),)
        ),
    )
    assert from_dict(ModifyEndpointSettingRequest, to_dict(policy)) == policy
    port = ModifyEndpointSettingRequest(
        resource_type=ModifyResourceType.PORT,
        request_type=RequestType.ADD,
        settings=VmEndpointRequest(port_id="P", virtual_nic_name="vm--ep", virtual_machine_id="V"),
    )
    assert to_dict(port) == {
        "ResourceType": "Port",
        "RequestType": "Add",
        "Settings": {"PortId": "P", "VirtualNicName": "vm--ep", "VirtualMachineId": "V"},
    }
    assert from_dict(ModifyEndpointSettingRequest, to_dict(port)) == port
