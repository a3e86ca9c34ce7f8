"""Simulator rules about addresses: IPs from the IPAM subnets, static IPs, MACs, host ports."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from hcnpy.errors import HcnError, InvalidConfigurationError, PortAlreadyExistsError
from hcnpy.hresult import HResult
from hcnpy.ops import Ops

from ..conftest import NetworkFactory


def _ip(endpoint: dict[str, Any]) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(endpoint["IpConfigurations"][0]["IpAddress"])


def test_rule_ips_come_from_the_subnet_never_network_or_gateway_until_exhausted(
    ops: Ops, make_network: NetworkFactory
) -> None:
    subnet = ipaddress.ip_network("10.4.0.0/29")  # .0 network, .1 gateway, .7 broadcast
    network = make_network(prefix=str(subnet), gateway="10.4.0.1")
    endpoints = []
    while True:
        try:
            endpoints.append(ops.create_endpoint(network["ID"], {}))
        except HcnError as exc:
            assert exc.hresult == HResult.HCN_E_ADDR_INVALID_OR_RESERVED
            assert "no free" in str(exc)
            break
        assert len(endpoints) <= subnet.num_addresses
    addresses = [_ip(e) for e in endpoints]
    assert len(set(addresses)) == len(addresses) >= 4
    assert all(a in subnet for a in addresses)
    assert subnet.network_address not in addresses
    assert ipaddress.ip_address("10.4.0.1") not in addresses
    assert all(e["IpConfigurations"][0]["PrefixLength"] == 29 for e in endpoints)
    # freeing one address makes exactly that one available again
    ops.delete_endpoint(endpoints[1]["ID"])
    assert _ip(ops.create_endpoint(network["ID"], {})) == addresses[1]


def test_rule_static_ips_are_validated(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network(prefix="10.5.0.0/24", gateway="10.5.0.1")

    def static(address: str) -> dict[str, Any]:
        return ops.create_endpoint(network["ID"], {"IpConfigurations": [{"IpAddress": address}]})

    assert _ip(static("10.5.0.50")) == ipaddress.ip_address("10.5.0.50")
    cases = [
        ("192.168.1.5", HResult.HCN_E_INVALID_IP),  # outside every subnet
        ("10.5.0.300", HResult.HCN_E_INVALID_IP),  # not an address
        ("10.5.0.50", HResult.HCN_E_ADDR_INVALID_OR_RESERVED),  # in use
        ("10.5.0.1", HResult.HCN_E_ADDR_INVALID_OR_RESERVED),  # the gateway
        ("10.5.0.0", HResult.HCN_E_ADDR_INVALID_OR_RESERVED),  # the network address
    ]
    for address, code in cases:
        with pytest.raises(InvalidConfigurationError) as caught:
            static(address)
        assert caught.value.hresult == code, address
    assert len(ops.list_endpoints()) == 1


def test_rule_macs_come_from_the_network_mac_pool(ops: Ops) -> None:
    pool = {
        "Ranges": [{"StartMacAddress": "00-15-5D-AA-00-00", "EndMacAddress": "00-15-5D-AA-00-02"}]
    }
    network = ops.create_network(
        {
            "Name": "pooled",
            "MacPool": pool,
            "Ipams": [{"Subnets": [{"IpAddressPrefix": "10.6.0.0/24"}]}],
        }
    )
    assert network["MacPool"] == pool
    macs = [ops.create_endpoint(network["ID"], {})["MacAddress"] for _ in range(3)]
    assert macs == ["00-15-5D-AA-00-00", "00-15-5D-AA-00-01", "00-15-5D-AA-00-02"]
    with pytest.raises(HcnError) as exhausted:
        ops.create_endpoint(network["ID"], {})
    assert exhausted.value.hresult == HResult.HCN_E_ADDR_INVALID_OR_RESERVED
    # a network without a pool gets its own default block; a static MAC must be free
    other = ops.create_network({"Name": "default-pool"})
    start = other["MacPool"]["Ranges"][0]["StartMacAddress"]
    assert ops.create_endpoint(other["ID"], {})["MacAddress"] == start
    with pytest.raises(HcnError) as taken:
        ops.create_endpoint(other["ID"], {"MacAddress": start})
    assert taken.value.hresult == HResult.HCN_E_ADDR_INVALID_OR_RESERVED


def _port_mapping(external: int, protocol: int = 6, vip: str = "") -> dict[str, Any]:
    settings: dict[str, Any] = {"Protocol": protocol, "InternalPort": 80, "ExternalPort": external}
    if vip:
        settings["VIP"] = vip
    return {"Type": "PortMapping", "Settings": settings}


def test_rule_host_port_mappings_must_not_clash(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    first = ops.create_endpoint(network["ID"], {"Policies": [_port_mapping(8080)]})
    with pytest.raises(PortAlreadyExistsError) as caught:
        ops.create_endpoint(network["ID"], {"Policies": [_port_mapping(8080)]})
    assert caught.value.hresult == HResult.HCN_E_PORT_ALREADY_EXISTS
    assert len(ops.list_endpoints()) == 1  # nothing half-created
    # another protocol, or another port, is fine
    ops.create_endpoint(network["ID"], {"Policies": [_port_mapping(8080, protocol=17)]})
    ops.create_endpoint(network["ID"], {"Policies": [_port_mapping(8081)]})
    # adding a clashing mapping to an existing endpoint fails the same way
    spare = ops.create_endpoint(network["ID"], {})
    with pytest.raises(PortAlreadyExistsError):
        ops.apply_endpoint_policies(spare["ID"], "Add", [_port_mapping(8081)])
    # deleting the owner releases the port
    ops.delete_endpoint(first["ID"])
    ops.apply_endpoint_policies(spare["ID"], "Add", [_port_mapping(8080)])
