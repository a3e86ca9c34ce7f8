"""Reading the simulator's stored documents (model) and what they put into the host's table."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcnpy.sim.datapath import hostnat, links
from hcnpy.sim.datapath.errors import DatapathError
from hcnpy.sim.datapath.model import EndpointView, NetworkView

from .conftest import UNAVAILABLE

NET_ID = "5f0b1190-63be-4e0c-b974-bd0f55675a42"
EP_ID = "0ad5a4b2-6f0c-4f1e-9d5c-3c1c2b0f9e11"


def network(ntype: str = "NAT", *subnets: tuple[str, str | None]) -> NetworkView:
    entries = []
    for prefix, gateway in subnets or (("10.0.0.0/16", "10.0.0.1"),):
        subnet: dict[str, Any] = {"IpAddressPrefix": prefix}
        if gateway:
            default = "::/0" if ":" in prefix else "0.0.0.0/0"
            subnet["Routes"] = [{"NextHop": gateway, "DestinationPrefix": default}]
        entries.append(subnet)
    return NetworkView.from_doc(NET_ID, {"Type": ntype, "Ipams": [{"Subnets": entries}]})


def endpoint(net: NetworkView | None = None, **doc: Any) -> EndpointView:
    base: dict[str, Any] = {
        "HostComputeNetwork": NET_ID,
        "MacAddress": "00-15-5D-10-00-0A",
        "IpConfigurations": [{"IpAddress": "10.0.0.5", "PrefixLength": 16}],
    }
    return EndpointView.from_doc(EP_ID, {**base, **doc}, net or network())


def policy(kind: str, **settings_: Any) -> dict[str, Any]:
    return {"Type": kind, "Settings": settings_}


# -- networks --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ntype", "mode"),
    [("NAT", "nat"), ("ICS", "nat"), ("L2Bridge", "routed"), ("L2Tunnel", "routed"),
     ("Overlay", "routed"), ("Transparent", "routed"), ("Internal", "isolated"),
     ("Private", "isolated")],
)  # fmt: skip
def test_network_modes(ntype: str, mode: str) -> None:
    assert network(ntype).mode == mode


def test_gateways_come_from_each_subnets_default_route() -> None:
    view = network("L2Bridge", ("10.1.0.0/24", "10.1.0.1"), ("fd00::/64", "fd00::1"),
                   ("10.2.0.0/24", None), ("10.3.0.0/24", "10.9.9.9"))  # fmt: skip
    assert [str(g) for g in view.gateways] == ["10.1.0.1/24", "fd00::1/64"]
    assert [str(s) for s in view.subnets] == [
        "10.1.0.0/24",
        "fd00::/64",
        "10.2.0.0/24",
        "10.3.0.0/24",
    ]
    assert links.bridge_lines(view) == [
        f"link add name {view.bridge} type bridge",
        f"addr add 10.1.0.1/24 dev {view.bridge}",
        f"addr add fd00::1/64 nodad dev {view.bridge}",
        f"link set {view.bridge} up",
    ]


@pytest.mark.parametrize("prefix", ["198.18.0.0/24", "198.19.128.0/20", "2001:2::/64"])
def test_subnets_of_the_simulated_world_are_refused(prefix: str) -> None:
    with pytest.raises(DatapathError, match=f"network {NET_ID}: subnet {prefix} overlaps"):
        network("NAT", (prefix, None))


# -- endpoints ---------------------------------------------------------------------------------
def test_endpoint_addresses_mac_and_default_route() -> None:
    view = endpoint()
    assert view.mac == "00:15:5d:10:00:0a"
    assert [str(a) for a in view.addresses] == ["10.0.0.5/16"]
    assert [(str(r.prefix), str(r.next_hop)) for r in view.routes] == [("0.0.0.0/0", "10.0.0.1")]
    lines = links.endpoint_lines(view)
    assert f"addr add 10.0.0.5/16 dev {view.port}" in lines
    assert lines[-1] == f"route replace 0.0.0.0/0 via 10.0.0.1 dev {view.port} onlink"


def test_endpoint_routes_of_its_own() -> None:
    view = endpoint(Routes=[
        {"DestinationPrefix": "0.0.0.0/0", "NextHop": "10.0.0.2", "Metric": 5},
        {"DestinationPrefix": "192.168.0.0/16", "NextHop": "0.0.0.0"},
        {"DestinationPrefix": "::/0", "NextHop": "fd00::1"},  # no IPv6 address: skipped
    ])  # fmt: skip
    assert links.endpoint_lines(view)[-2:] == [
        f"route replace 0.0.0.0/0 via 10.0.0.2 dev {view.port} onlink metric 5",
        f"route replace 192.168.0.0/16 dev {view.port}",
    ]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"Routes": [{"DestinationPrefix": "::/0", "NextHop": "10.0.0.1"}]}, "not of the family"),
        ({"Policies": [policy("PortMapping", Protocol=1, InternalPort=1, ExternalPort=1)]},
         "Protocol 1 is not 6 (TCP) or 17"),
        ({"Policies": [policy("OutBoundNAT", Exceptions=["10.0.0.0/8", "cluster"])]},
         "OutBoundNAT Exceptions: 'cluster' is not an IP address or prefix"),
        ({"IpConfigurations": [{"IpAddress": "ten"}]}, "'ten' is not an IP address"),
    ],
)  # fmt: skip
def test_endpoint_documents_that_cannot_be_mirrored(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(DatapathError, match=f"endpoint {EP_ID}") as caught:
        endpoint(**doc)
    assert message in str(caught.value)


# -- the host table's elements -----------------------------------------------------------------
def test_network_elements() -> None:
    nat, bridge = network("NAT"), network("L2Bridge", ("10.1.0.0/24", "10.1.0.1"))
    internal = network("Internal", ("10.2.0.0/24", "10.2.0.1"))
    elements = hostnat.network_elements([nat, bridge, internal])
    assert elements["nat_nets4"] == ["10.0.0.0/16"]
    assert elements["isolated4"] == ["10.2.0.0/24"]
    bridge_name = f'"{nat.bridge}"'  # the three share NET_ID, hence one bridge name
    assert elements["hairpin4"] == [
        f"10.0.0.0/16 . {bridge_name}", f"10.1.0.0/24 . {bridge_name}",
        f"10.2.0.0/24 . {bridge_name}",
    ]  # fmt: skip


def test_port_mapping_elements() -> None:
    view = endpoint(
        IpConfigurations=[{"IpAddress": "10.0.0.5", "PrefixLength": 16},
                          {"IpAddress": "fd00::5", "PrefixLength": 64}],
        Policies=[
            policy("PortMapping", Protocol=6, InternalPort=80, ExternalPort=8080),
            policy("PortMapping", Protocol=17, InternalPort=53, ExternalPort=5353,
                   VIP="198.18.0.2"),
            policy("PortMapping", Protocol=6, InternalPort=80, ExternalPort=8080, Flags=2),
            policy("PortMapping", Protocol=6, InternalPort=80, ExternalPort=8081, VIP="0.0.0.0"),
        ],
    )  # fmt: skip
    assert hostnat.endpoint_elements(view) == {
        "pm_any4": ["tcp . 8080 : 10.0.0.5 . 80", "tcp . 8081 : 10.0.0.5 . 80"],
        "pm_vip4": ["198.18.0.2 . udp . 5353 : 10.0.0.5 . 53"],
        "pm_any6": ["tcp . 8080 : fd00::5 . 80"],
    }


def test_outbound_nat_elements() -> None:
    view = endpoint(Policies=[
        policy("OutBoundNAT", Exceptions=["10.0.0.0/8", "10.1.0.0/16", "fd00::/8"]),
        policy("OutBoundNAT", Exceptions=["192.168.0.0/16"], VirtualIP="198.18.0.2"),
        policy("OutBoundNAT", Destinations=["10.96.0.10"]),
    ])  # fmt: skip
    assert hostnat.endpoint_elements(view) == {
        "nonat4": ["10.0.0.5 . 10.0.0.0/8", "10.0.0.5 . 192.168.0.0/16"],
        "obnat4": ["10.0.0.5"],
        "obnat_dst4": ["10.0.0.5 . 10.96.0.10/32"],
        "snat_vip4": ["10.0.0.5 : 198.18.0.2"],
    }


def test_scripts() -> None:
    assert hostnat.add_script({"obnat4": [], "nonat4": ["a . b"]}) == (
        "add element inet hcnsim nonat4 { a . b }\n"
    )
    flushes = hostnat.replace_script({}).splitlines()
    assert sorted(flushes) == sorted(f"flush {kind} inet hcnsim {name}"
                                     for name, (kind, _, _) in hostnat.SETS.items())  # fmt: skip


@pytest.fixture(scope="module")
def scratch_netns() -> Iterator[str]:
    if UNAVAILABLE is not None:
        pytest.skip(UNAVAILABLE)
    name = f"hcnsim-modeltest{random.randrange(16**6):06x}-scratch"  # xdist workers: apart
    subprocess.run(["ip", "netns", "add", name], check=True)
    yield name
    subprocess.run(["ip", "netns", "delete", name], check=True)


_MAPPINGS = st.lists(
    st.fixed_dictionaries({
        "Protocol": st.sampled_from([6, 17]), "InternalPort": st.integers(1, 65535),
        "ExternalPort": st.integers(1, 65535),
    }, optional={"VIP": st.sampled_from(["198.18.0.2", "fd00::1"]), "Flags": st.just(2)}),
    max_size=3, unique_by=lambda m: (m["Protocol"], m["ExternalPort"]),
)  # fmt: skip
_OUTBOUND = st.lists(
    st.fixed_dictionaries({}, optional={
        "Exceptions": st.lists(st.sampled_from(["10.0.0.0/8", "10.1.2.0/24", "192.168.0.1",
                                                "fd00::/8"]), max_size=3),
        "Destinations": st.lists(st.sampled_from(["10.96.0.10", "172.16.0.0/12"]), max_size=2),
        "VirtualIP": st.sampled_from(["198.18.0.2", "fd00::2"]),
    }),
    max_size=2,
)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(_MAPPINGS, _OUTBOUND)
def test_the_kernel_accepts_the_table_and_any_endpoints_elements(
    scratch_netns: str, mappings: list[dict[str, Any]], outbound: list[dict[str, Any]]
) -> None:
    view = endpoint(
        IpConfigurations=[{"IpAddress": "10.0.0.5", "PrefixLength": 16},
                          {"IpAddress": "fd00::5", "PrefixLength": 64}],
        Policies=[policy("PortMapping", **m) for m in mappings]
        + [policy("OutBoundNAT", **o) for o in outbound],
    )  # fmt: skip
    elements = hostnat.merge(hostnat.network_elements([network()]), hostnat.endpoint_elements(view))
    script = hostnat.rebuild_script(elements) + hostnat.replace_script(elements)
    done = subprocess.run(
        ["nsenter", f"--net=/run/netns/{scratch_netns}", "nft", "--check", "-f", "-"],
        input=script, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stderr}\n{script}"
