"""Endpoint rules of the simulated HNS engine: addresses, MACs, port mappings, policies."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hcnpy.hresult import HResult
from hcnpy.sim.engine import Engine
from hcnpy.sim.versions import SimVersion as HnsVersion

from .sim_engine_support import (
    create,
    create_hr,
    delete_hr,
    get,
    ids,
    modify_hr,
    nat_network,
    new_engine,
    port_mapping,
    try_create,
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = new_engine(tmp_path)
    yield eng
    assert eng.open_handle_count() == 0
    eng.shutdown()


@pytest.fixture
def net(engine: Engine) -> str:
    return nat_network(engine)


def _ip(engine: Engine, endpoint: str) -> str:
    address: str = get(engine, "Endpoint", endpoint)["IpConfigurations"][0]["IpAddress"]
    return address


def _static(address: str, prefix: int | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {"IpAddress": address}
    if prefix is not None:
        config["PrefixLength"] = prefix
    return {"IpConfigurations": [config]}


def test_hns_fills_the_endpoint_defaults(engine: Engine, net: str) -> None:
    oid = create(engine, "Endpoint", {"Name": "ep", "SchemaVersion": {"Major": 2, "Minor": 0}}, net)
    props = get(engine, "Endpoint", oid)
    assert props["ID"] == oid and props["Name"] == "ep"
    assert props["HostComputeNetwork"] == net
    assert props["IpConfigurations"] == [{"IpAddress": "10.0.0.2", "PrefixLength": 24}]
    assert re.fullmatch(r"00-15-5D(-[0-9A-F]{2}){3}", props["MacAddress"])
    assert props["Routes"] == [{"NextHop": "10.0.0.1", "DestinationPrefix": "0.0.0.0/0"}]
    assert props["Health"] == {"Extra": {}} and props["Dns"] == {}
    assert props["SchemaVersion"] == {"Major": 2, "Minor": 0}
    assert "HostComputeNamespace" not in props


def test_addresses_follow_a_cursor_and_freed_ones_come_back_after_wrapping(
    engine: Engine,
) -> None:
    """Rule endpoint.ip.assigned: the next free address after the last one handed out."""
    small = nat_network(engine, "cursor", "10.2.0.0/29")  # usable .2-.6
    first, second, third = (create(engine, "Endpoint", {}, small) for _ in range(3))
    assert [_ip(engine, e) for e in (first, second, third)] == ["10.2.0.2", "10.2.0.3", "10.2.0.4"]
    assert delete_hr(engine, "Endpoint", second) == 0
    assert _ip(engine, create(engine, "Endpoint", {}, small)) == "10.2.0.5"
    assert _ip(engine, create(engine, "Endpoint", {}, small)) == "10.2.0.6"
    assert _ip(engine, create(engine, "Endpoint", {}, small)) == "10.2.0.3"  # wrapped


def test_exhaustion_is_an_error_and_creates_nothing(engine: Engine) -> None:
    small = nat_network(engine, "small", "10.1.0.0/29")  # .0 network, .1 gateway, .7 broadcast
    endpoints = [create(engine, "Endpoint", {}, small) for _ in range(5)]
    assert sorted(_ip(engine, e) for e in endpoints) == [f"10.1.0.{i}" for i in range(2, 7)]
    assert create_hr(engine, "Endpoint", {}, small) == HResult.HCN_E_ADDR_INVALID_OR_RESERVED
    assert len(ids(engine, "Endpoint")) == 5
    assert delete_hr(engine, "Endpoint", endpoints[0]) == 0
    assert _ip(engine, create(engine, "Endpoint", {}, small)) == "10.1.0.2"


def test_static_address_inside_the_subnet(engine: Engine, net: str) -> None:
    oid = create(engine, "Endpoint", _static("10.0.0.50"), net)
    assert get(engine, "Endpoint", oid)["IpConfigurations"] == [
        {"IpAddress": "10.0.0.50", "PrefixLength": 24}
    ]


@pytest.mark.parametrize(
    ("address", "prefix", "code"),
    [
        ("192.168.1.5", None, HResult.HCN_E_INVALID_IP),
        ("not-an-ip", None, HResult.HCN_E_INVALID_IP),
        ("10.0.0.0", None, HResult.HCN_E_ADDR_INVALID_OR_RESERVED),
        ("10.0.0.1", None, HResult.HCN_E_ADDR_INVALID_OR_RESERVED),
        ("10.0.0.255", None, HResult.HCN_E_ADDR_INVALID_OR_RESERVED),
        ("10.0.0.9", 16, HResult.HCN_E_INVALID_PREFIX),
    ],
)
def test_static_address_validation(
    engine: Engine, net: str, address: str, prefix: int | None, code: int
) -> None:
    assert create_hr(engine, "Endpoint", _static(address, prefix), net) == code
    assert ids(engine, "Endpoint") == []


def test_static_address_already_in_use(engine: Engine, net: str) -> None:
    create(engine, "Endpoint", _static("10.0.0.9"), net)
    assert create_hr(engine, "Endpoint", _static("10.0.0.9"), net) == (
        HResult.HCN_E_ADDR_INVALID_OR_RESERVED
    )
    taken = create(engine, "Endpoint", {}, net)
    assert _ip(engine, taken) == "10.0.0.2"
    assert create_hr(engine, "Endpoint", _static("10.0.0.2"), net) == (
        HResult.HCN_E_ADDR_INVALID_OR_RESERVED
    )


def test_slash32_prefix_needs_the_feature(tmp_path: Path) -> None:
    current = new_engine(tmp_path / "new")
    oid = create(current, "Endpoint", _static("10.0.0.7", 32), nat_network(current))
    assert get(current, "Endpoint", oid)["IpConfigurations"][0]["PrefixLength"] == 32
    old = new_engine(tmp_path / "old", version=HnsVersion(10, 3))
    network = nat_network(old)
    assert create_hr(old, "Endpoint", _static("10.0.0.7", 32), network) == (
        HResult.HCN_E_INVALID_PREFIX
    )


def test_gateway_can_be_unreserved(engine: Engine) -> None:
    subnet = {"IpAddressPrefix": "10.2.0.0/24", "Flags": 1,
              "Routes": [{"NextHop": "10.2.0.1", "DestinationPrefix": "0.0.0.0/0"}]}  # fmt: skip
    network = create(engine, "Network", {"Name": "gw", "Ipams": [{"Subnets": [subnet]}]})
    assert _ip(engine, create(engine, "Endpoint", {}, network)) == "10.2.0.1"


def test_dual_stack_endpoint_gets_one_address_per_family(engine: Engine) -> None:
    subnets = [
        {"IpAddressPrefix": "192.168.100.0/24",
         "Routes": [{"NextHop": "192.168.100.1", "DestinationPrefix": "0.0.0.0/0"}]},
        {"IpAddressPrefix": "2001:db8:abcd:12::/64",
         "Routes": [{"NextHop": "2001:db8:abcd:12::1", "DestinationPrefix": "::/0"}]},
    ]  # fmt: skip
    network = create(engine, "Network", {"Name": "ds", "Ipams": [{"Subnets": subnets}]})
    props = get(engine, "Endpoint", create(engine, "Endpoint", {}, network))
    assert props["IpConfigurations"] == [
        {"IpAddress": "192.168.100.2", "PrefixLength": 24},
        {"IpAddress": "2001:db8:abcd:12::2", "PrefixLength": 64},
    ]
    assert len(props["Routes"]) == 2


def test_macs_come_from_the_network_pool(engine: Engine) -> None:
    pool = {
        "Ranges": [{"StartMacAddress": "00-15-5D-52-C0-00", "EndMacAddress": "00-15-5D-52-C0-01"}]
    }
    network = nat_network(engine, "pool", MacPool=pool)
    macs = [get(engine, "Endpoint", create(engine, "Endpoint", {}, network))["MacAddress"]
            for _ in range(2)]  # fmt: skip
    assert macs == ["00-15-5D-52-C0-00", "00-15-5D-52-C0-01"]
    assert create_hr(engine, "Endpoint", {}, network) == HResult.HCN_E_ADDR_INVALID_OR_RESERVED
    assert len(ids(engine, "Endpoint")) == 2


def test_static_mac(engine: Engine, net: str) -> None:
    """Rule endpoint.mac.echoed (real-hns/endpoint-v1-remote__flannel-vxlan-windows-test.json:
    a given MAC comes back as it was spelled)."""
    oid = create(engine, "Endpoint", {"MacAddress": "00:15:5d:aa:bb:cc"}, net)
    assert get(engine, "Endpoint", oid)["MacAddress"] == "00:15:5d:aa:bb:cc"
    again = {"MacAddress": "00-15-5D-AA-BB-CC"}
    assert create_hr(engine, "Endpoint", again, net) == HResult.HCN_E_ADDR_INVALID_OR_RESERVED
    assert create_hr(engine, "Endpoint", {"MacAddress": "nope"}, net) == (
        HResult.HCN_E_INVALID_ENDPOINT
    )


def test_network_named_in_the_document(engine: Engine, net: str) -> None:
    oid = create(engine, "Endpoint", {"HostComputeNetwork": net.upper()})
    assert get(engine, "Endpoint", oid)["HostComputeNetwork"] == net
    unknown = {"HostComputeNetwork": str(uuid.uuid4())}
    assert create_hr(engine, "Endpoint", unknown) == HResult.HCN_E_NETWORK_NOT_FOUND
    assert create_hr(engine, "Endpoint", {}) == HResult.HCN_E_NETWORK_NOT_FOUND
    bad = {"HostComputeNetwork": "not-a-guid"}  # rule document.guid-field-not-guid
    assert create_hr(engine, "Endpoint", bad) == HResult.HCN_E_INVALID_JSON
    other = nat_network(engine, "other", "10.5.0.0/24")
    mismatch = {"HostComputeNetwork": other}
    assert create_hr(engine, "Endpoint", mismatch, net) == HResult.HCN_E_INVALID_ENDPOINT


def test_network_handle_to_a_deleted_network(engine: Engine, net: str) -> None:
    hr, handle, _ = engine.open("Network", uuid.UUID(net))
    assert hr == 0 and handle is not None
    assert delete_hr(engine, "Network", net) == 0
    hr, endpoint, _ = engine.create("Endpoint", None, "{}", handle)
    assert (hr, endpoint) == (HResult.HCN_E_NETWORK_NOT_FOUND, None)
    assert engine.create("Endpoint", None, "{}", 0xDEAD)[0] == HResult.E_INVALIDARG
    assert engine.close("Network", handle) == 0


def test_host_port_conflicts_across_endpoints(engine: Engine, net: str) -> None:
    first = create(engine, "Endpoint", {"Policies": [port_mapping(8080)]}, net)
    clash = {"Policies": [port_mapping(8080, internal=81)]}
    assert create_hr(engine, "Endpoint", clash, net) == HResult.HCN_E_PORT_ALREADY_EXISTS
    assert len(ids(engine, "Endpoint")) == 1
    assert _ip(engine, create(engine, "Endpoint", {"Policies": [port_mapping(8080, protocol=17)]},
                              net)) == "10.0.0.3"  # fmt: skip
    assert delete_hr(engine, "Endpoint", first) == 0
    assert create_hr(engine, "Endpoint", clash, net) == 0


def test_host_port_vip_rules(engine: Engine, net: str) -> None:
    create(engine, "Endpoint", {"Policies": [port_mapping(9000, vip="192.0.2.1")]}, net)
    other_vip = {"Policies": [port_mapping(9000, vip="192.0.2.2")]}
    assert create_hr(engine, "Endpoint", other_vip, net) == 0
    any_vip = {"Policies": [port_mapping(9000)]}
    assert create_hr(engine, "Endpoint", any_vip, net) == HResult.HCN_E_PORT_ALREADY_EXISTS
    same_vip = {"Policies": [port_mapping(9000, vip="192.0.2.1")]}
    assert create_hr(engine, "Endpoint", same_vip, net) == HResult.HCN_E_PORT_ALREADY_EXISTS


def test_conflict_across_networks_and_within_one_endpoint(engine: Engine, net: str) -> None:
    other = nat_network(engine, "other", "10.5.0.0/24")
    create(engine, "Endpoint", {"Policies": [port_mapping(7000)]}, net)
    assert create_hr(engine, "Endpoint", {"Policies": [port_mapping(7000)]}, other) == (
        HResult.HCN_E_PORT_ALREADY_EXISTS
    )
    twice = {"Policies": [port_mapping(7001), port_mapping(7001, internal=90)]}
    assert create_hr(engine, "Endpoint", twice, net) == HResult.HCN_E_PORT_ALREADY_EXISTS


@pytest.mark.parametrize(
    ("policy", "code"),
    [
        (port_mapping(8080, internal=0), HResult.HCN_E_INVALID_INTERNAL_PORT),
        (port_mapping(8080, protocol=1), HResult.HCN_E_INVALID_POLICY),
        (port_mapping(0), HResult.HCN_E_INVALID_POLICY),
        (port_mapping(8080, vip="300.1.1.1"), HResult.HCN_E_INVALID_POLICY),
        ({"Type": "NoSuchType"}, HResult.HCN_E_INVALID_POLICY_TYPE),
        ({"Settings": {}}, HResult.HCN_E_INVALID_POLICY_TYPE),
        ({"Type": "ACL", "Settings": {"Action": "Maybe", "Direction": "In"}},
         HResult.HCN_E_INVALID_POLICY),
        ({"Type": "ACL", "Settings": {"Action": "Allow"}}, HResult.HCN_E_INVALID_POLICY),
        ({"Type": "QOS", "Settings": "fast"}, HResult.HCN_E_INVALID_POLICY),
        ({"Type": "OutBoundNAT", "Settings": {"Exceptions": [1]}}, HResult.HCN_E_INVALID_POLICY),
    ],
)  # fmt: skip
def test_policy_validation(engine: Engine, net: str, policy: dict[str, Any], code: int) -> None:
    assert create_hr(engine, "Endpoint", {"Policies": [policy]}, net) == code
    assert ids(engine, "Endpoint") == []


def test_policy_types_are_case_insensitive_and_canonicalised(engine: Engine, net: str) -> None:
    policy = {"type": "outboundnat", "settings": {"exceptions": ["10.0.0.0/8"]}}
    props = get(engine, "Endpoint", create(engine, "Endpoint", {"Policies": [policy]}, net))
    assert props["Policies"] == [
        {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/8"]}}
    ]


def test_policy_needing_a_newer_hns_is_rejected(tmp_path: Path) -> None:
    proxy = {"Type": "L4WFPPROXY", "Settings": {"InboundProxyPort": "15001"}}
    old = new_engine(tmp_path / "old", version=HnsVersion(13, 0))
    assert create_hr(old, "Endpoint", {"Policies": [proxy]}, nat_network(old)) == (
        HResult.HCN_E_INVALID_POLICY_TYPE
    )
    current = new_engine(tmp_path / "new")
    assert create_hr(current, "Endpoint", {"Policies": [proxy]}, nat_network(current)) == 0


def test_interface_parameters_only_once(engine: Engine, net: str) -> None:
    mtu = {"Type": "InterfaceParameters", "Settings": {"Mtu": 1400}}
    assert create_hr(engine, "Endpoint", {"Policies": [mtu, mtu]}, net) == (
        HResult.HCN_INTERFACEPARAMETERS_ALREADY_APPLIED
    )


def _policies(request: str, *policies: dict[str, Any]) -> dict[str, Any]:
    return {
        "ResourceType": "Policy",
        "RequestType": request,
        "Settings": {"Policies": list(policies)},
    }


ACL_IN = {"Type": "ACL", "Settings": {"Action": "Allow", "Direction": "In", "Priority": 200}}
ACL_OUT = {"Type": "ACL", "Settings": {"Action": "Block", "Direction": "Out", "Priority": 300}}


def test_policy_add_update_remove(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    assert modify_hr(engine, "Endpoint", ep, _policies("Add", ACL_IN)) == 0
    assert modify_hr(engine, "Endpoint", ep, _policies("Add", ACL_IN)) == (
        HResult.HCN_E_POLICY_ALREADY_EXISTS
    )
    assert modify_hr(engine, "Endpoint", ep, _policies("Update", ACL_OUT)) == 0
    assert get(engine, "Endpoint", ep)["Policies"] == [ACL_OUT]
    assert modify_hr(engine, "Endpoint", ep, _policies("Remove", ACL_IN)) == (
        HResult.HCN_E_POLICY_NOT_FOUND
    )
    assert modify_hr(engine, "Endpoint", ep, _policies("Remove", ACL_OUT)) == 0
    assert "Policies" not in get(engine, "Endpoint", ep)


def test_port_conflicts_are_checked_on_modify(engine: Engine, net: str) -> None:
    create(engine, "Endpoint", {"Policies": [port_mapping(8443)]}, net)
    ep = create(engine, "Endpoint", {"Policies": [port_mapping(8000)]}, net)
    add = _policies("Add", port_mapping(8443))
    assert modify_hr(engine, "Endpoint", ep, add) == HResult.HCN_E_PORT_ALREADY_EXISTS
    assert get(engine, "Endpoint", ep)["Policies"] == [port_mapping(8000)]
    same_again = _policies("Update", port_mapping(8000, internal=8001))
    assert modify_hr(engine, "Endpoint", ep, same_again) == 0
    assert modify_hr(engine, "Endpoint", ep, _policies("Remove", {"Type": "PortMapping"})) == 0
    assert create_hr(engine, "Endpoint", {"Policies": [port_mapping(8000)]}, net) == 0


def test_other_modify_requests(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    port = {"ResourceType": "Port", "RequestType": "Add",
            "Settings": {"PortId": str(uuid.uuid4()), "VirtualNicName": "vm--nic",
                         "VirtualMachineId": str(uuid.uuid4())}}  # fmt: skip
    assert modify_hr(engine, "Endpoint", ep, port) == 0
    refresh = _policies("Refresh", ACL_IN)
    assert modify_hr(engine, "Endpoint", ep, refresh) == HResult.HCN_E_REQUEST_UNSUPPORTED
    assert modify_hr(engine, "Endpoint", ep, _policies("Bogus")) == HResult.HCN_E_INVALID_JSON
    assert modify_hr(engine, "Endpoint", ep, {"RequestType": "Add"}) == HResult.HCN_E_INVALID_JSON


def test_remote_endpoint(engine: Engine, net: str) -> None:
    remote = {"Flags": 1, "IpConfigurations": [{"IpAddress": "10.0.0.200"}],
              "MacAddress": "00-15-5D-99-00-01"}  # fmt: skip
    ep = create(engine, "Endpoint", remote, net)
    assert get(engine, "Endpoint", ep)["Flags"] == 1
    port = {"ResourceType": "Port", "RequestType": "Add", "Settings": {}}
    assert (
        modify_hr(engine, "Endpoint", ep, port) == HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION
    )
    assert ids(engine, "Endpoint", {"IsRemoteEndpoint": True}) == [ep]


def test_handle_to_a_deleted_endpoint(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    hr, handle, _ = engine.open("Endpoint", uuid.UUID(ep))
    assert hr == 0 and handle is not None
    assert delete_hr(engine, "Endpoint", ep) == 0
    hr, props, record = engine.query("Endpoint", handle, None)
    assert (hr, props) == (HResult.HCN_E_ENDPOINT_NOT_FOUND, None) and record
    assert engine.modify("Endpoint", handle, "{}")[0] == HResult.HCN_E_ENDPOINT_NOT_FOUND
    assert engine.close("Endpoint", handle) == 0
    assert delete_hr(engine, "Endpoint", ep) == HResult.ERROR_NOT_FOUND


def test_v1_endpoint_document(engine: Engine, net: str) -> None:
    nat = {"Type": "NAT", "Protocol": "UDP", "InternalPort": 53, "ExternalPort": 5353}
    v1 = {"Name": "legacy", "VirtualNetwork": net, "IPAddress": "10.0.0.77", "Policies": [nat]}
    hr, ep, record = try_create(engine, "Endpoint", v1)
    assert hr == 0 and ep, record
    props = get(engine, "Endpoint", ep)
    assert props["IpConfigurations"] == [{"IpAddress": "10.0.0.77", "PrefixLength": 24}]
    assert props["Policies"] == [port_mapping(5353, internal=53, protocol=17)]
    legacy = get(engine, "Endpoint", ep, {"SchemaVersion": {"Major": 1, "Minor": 0}})
    assert legacy["VirtualNetworkName"] == "nat" and legacy["IPAddress"] == "10.0.0.77"
    assert legacy["GatewayAddress"] == "10.0.0.1" and legacy["State"] == 1
    by_name = {"Name": "byname", "VirtualNetworkName": "NAT"}
    assert get(engine, "Endpoint", create(engine, "Endpoint", by_name))["HostComputeNetwork"] == net


def test_stats_and_addresses(engine: Engine, net: str) -> None:
    ep = create(engine, "Endpoint", {}, net)
    hr, handle, _ = engine.open("Endpoint", uuid.UUID(ep))
    assert hr == 0 and handle is not None
    hr, stats, _ = engine.query_endpoint_stats(handle, None)
    assert hr == 0 and stats is not None
    assert json.loads(stats)["EndpointId"] == ep and json.loads(stats)["BytesSent"] == 0
    hr, addresses, _ = engine.query_endpoint_addresses(handle, None)
    assert hr == 0 and addresses is not None
    assert json.loads(addresses)["IpConfigurations"][0]["IpAddress"] == "10.0.0.2"
    assert engine.close("Endpoint", handle) == 0
    assert engine.query_endpoint_stats(handle, None)[0] == HResult.E_INVALIDARG
    hr, response = engine.hns_call("GET", f"/endpointstats/{ep}", "")
    assert hr == 0 and response is not None
    assert json.loads(response)["Output"]["EndpointId"] == ep
    hr, response = engine.hns_call("GET", f"/endpointstats/{uuid.uuid4()}", "")
    assert hr == 0 and response is not None
    assert json.loads(response) == {"Success": False, "Error": "Element not found."}


def test_ipv4_and_ipv6_mappings_of_one_port_do_not_clash(engine: Engine, net: str) -> None:
    v6 = port_mapping(8080)
    v6["Settings"]["Flags"] = 2  # NatFlags IPv6
    twin = {"Policies": [port_mapping(8080), v6]}
    assert create_hr(engine, "Endpoint", twin, net) == 0
    assert create_hr(engine, "Endpoint", {"Policies": [v6]}, net) == (
        HResult.HCN_E_PORT_ALREADY_EXISTS
    )
    v6_vip = {"Policies": [port_mapping(8080, vip="fd00::5")]}
    assert create_hr(engine, "Endpoint", v6_vip, net) == HResult.HCN_E_PORT_ALREADY_EXISTS
