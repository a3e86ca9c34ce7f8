"""hcnpy.cni: CNI results from HNS endpoints and HNS policies from CNI port mappings."""

from __future__ import annotations

import doctest
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hcnpy.cni
from hcnpy.cni import (
    cni_mac,
    endpoint_dns,
    port_mapping_policies,
    port_mapping_policy,
    protocol_number,
    result_from_endpoint,
)
from hcnpy.ops import Ops


def test_the_module_examples_run() -> None:
    assert doctest.testmod(hcnpy.cni).failed == 0


@given(st.binary(min_size=6, max_size=6), st.sampled_from(["-", ":", ""]), st.booleans())
def test_every_spelling_of_a_mac_gives_cnis(raw: bytes, sep: str, upper: bool) -> None:
    text = sep.join(f"{b:02x}" for b in raw)
    mac = cni_mac(text.upper() if upper else text)
    assert mac == ":".join(f"{b:02x}" for b in raw)


@pytest.mark.parametrize("value", [None, 5, "", "00-15-5D", "zz-15-5d-1a-2b-3c", "00155d1a2b3c4d"])
def test_what_is_not_a_mac_gives_nothing(value: object) -> None:
    assert cni_mac(value) == ""


def test_a_result_from_a_dual_stack_endpoint() -> None:
    endpoint = {
        "macaddress": "00-15-5d-aa-bb-cc",  # keys in any case, as Go reads them
        "IpConfigurations": [
            {"IpAddress": "10.0.0.5", "PrefixLength": 24},
            {"IpAddress": "fd00::5"},
        ],
        "Routes": [
            {"NextHop": "10.0.0.1", "DestinationPrefix": "0.0.0.0/0"},
            {"NextHop": "fd00::1", "DestinationPrefix": "::/0"},
        ],
        "Dns": {"ServerList": "10.0.0.10, 10.0.0.11", "Domain": "svc.local"},
    }
    result = result_from_endpoint(
        endpoint, ifname="eth1", sandbox="ns", prefix_lengths={"fd00::5": 64}
    )
    assert result == {
        "cniVersion": "1.1.0",
        "interfaces": [{"name": "eth1", "mac": "00:15:5d:aa:bb:cc", "sandbox": "ns"}],
        "ips": [
            {"address": "10.0.0.5/24", "interface": 0, "gateway": "10.0.0.1"},
            {"address": "fd00::5/64", "interface": 0, "gateway": "fd00::1"},
        ],
        "routes": [{"dst": "0.0.0.0/0", "gw": "10.0.0.1"}, {"dst": "::/0", "gw": "fd00::1"}],
        "dns": {"nameservers": ["10.0.0.10", "10.0.0.11"], "domain": "svc.local"},
    }


def test_gaps_are_filled_from_what_the_plugin_knows() -> None:
    endpoint = {"IpConfigurations": [{"IpAddress": "10.1.0.9"}]}
    result = result_from_endpoint(
        endpoint, gateways={4: "10.1.0.1"}, dns={"nameservers": ["1.1.1.1"]}
    )
    assert result["ips"] == [{"address": "10.1.0.9/32", "interface": 0, "gateway": "10.1.0.1"}]
    assert result["dns"] == {"nameservers": ["1.1.1.1"]}
    assert endpoint_dns({"Dns": "not an object"}) == {}


def test_a_result_from_a_real_simulated_endpoint(ops: Ops) -> None:
    """The helper reads what the (simulated) HNS answers, not a hand-written document."""
    network = ops.create_network(
        {
            "Name": "cni-helpers",
            "Type": "NAT",
            "Ipams": [
                {
                    "Subnets": [
                        {
                            "IpAddressPrefix": "10.9.0.0/24",
                            "Routes": [{"NextHop": "10.9.0.1", "DestinationPrefix": "0.0.0.0/0"}],
                        }
                    ]
                }
            ],
        }
    )
    endpoint = ops.create_endpoint(network["ID"], {"Name": "c1_cni-helpers"})
    result = result_from_endpoint(endpoint, sandbox="ns")
    (ip,) = result["ips"]
    assert ip["address"].startswith("10.9.0.") and ip["address"].endswith("/24")
    assert ip["gateway"] == "10.9.0.1"
    assert result["interfaces"][0]["mac"] == cni_mac(endpoint["MacAddress"])
    json.dumps(result)  # plain JSON all the way down
    ops.delete_endpoint(endpoint["ID"])
    ops.delete_network(network["ID"])


def test_port_mappings_become_hns_policies() -> None:
    mappings: list[dict[str, Any]] = [
        {"hostPort": 8080, "containerPort": 80, "protocol": "tcp"},
        {"HostPort": 5353, "containerPort": 53, "protocol": "UDP", "hostIP": "192.0.2.7"},
        {"hostPort": 9090, "containerPort": 90, "hostIP": "2001:db8::7"},
    ]
    assert port_mapping_policies(mappings, local_routed=True, dual_stack=True) == [
        {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80,
                                              "ExternalPort": 8080, "Flags": 1}},
        {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80,
                                              "ExternalPort": 8080, "Flags": 3}},
        {"Type": "PortMapping", "Settings": {"Protocol": 17, "InternalPort": 53,
                                              "ExternalPort": 5353, "VIP": "192.0.2.7",
                                              "Flags": 1}},
        {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 90,
                                              "ExternalPort": 9090, "VIP": "2001:db8::7",
                                              "Flags": 3}},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"hostPort": 0, "containerPort": 80}, "host port 0"),
        ({"hostPort": 80, "containerPort": "80"}, "container port '80'"),
        ({"hostPort": 80, "containerPort": 80, "protocol": "bogus"}, "unknown protocol"),
        ({"hostPort": 80, "containerPort": 80, "hostIP": 5}, "hostIP 5"),
    ],
)
def test_a_bad_port_mapping_names_itself(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=rf"portMappings\[0\]: {message}"):
        port_mapping_policies([entry])


@given(st.integers(min_value=1, max_value=255))
def test_protocol_numbers_pass_through(number: int) -> None:
    assert protocol_number(number) == number == protocol_number(str(number))
    assert port_mapping_policy(1, 2, number)["Settings"]["Protocol"] == number


def test_the_result_is_what_cniskel_reads_and_typed_mappings_are_taken() -> None:
    import cniskel
    from cniskel.netconf import PortMapping

    endpoint = {"IpConfigurations": [{"IpAddress": "10.1.0.9", "PrefixLength": 16}]}
    typed = cniskel.Result.from_dict(result_from_endpoint(endpoint))
    assert [str(ip.address) for ip in typed.ips] == ["10.1.0.9/16"]
    mapping = PortMapping.from_dict({"hostPort": 8080, "containerPort": 80, "protocol": "udp"})
    settings = {"Protocol": 17, "InternalPort": 80, "ExternalPort": 8080}
    assert port_mapping_policies([mapping]) == [{"Type": "PortMapping", "Settings": settings}]
