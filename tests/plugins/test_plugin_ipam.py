# ruff: noqa: E501  (tables of test data read best one case per line)
"""IPAM delegation to the real Debian host-local plugin (/usr/lib/cni/host-local).

The configuration reaches host-local exactly as the runtime sent it (raw stdin), so its
``ranges``, ``rangeStart``/``rangeEnd``, ``gateway`` and ``dataDir`` work - the reference
re-serialised the config and lost them (its issue #64).
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from .wp_harness import Sim, have_host_local, with_prev_result

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(not have_host_local(), reason="needs /usr/lib/cni/host-local"),
]


def bridge_conf(sim: Sim, **extra: Any) -> dict[str, Any]:
    conf: dict[str, Any] = {
        "cniVersion": "1.0.0",
        "name": "bridgeNet",
        "type": "sdnbridge",
        "ipam": {
            "type": "host-local",
            "dataDir": str(sim.ipam_dir),
            "ranges": [
                [{"subnet": "10.0.0.0/16", "rangeStart": "10.0.7.10", "rangeEnd": "10.0.7.50",
                  "gateway": "10.0.0.1"}]
            ],
        },
    }  # fmt: skip
    conf.update(extra)
    return conf


@pytest.fixture
def bridge(sim: Sim) -> Sim:
    sim.network("bridgeNet", "L2Bridge", [("10.0.0.0/16", "10.0.0.1"), ("fd00::/64", "fd00::1")])
    return sim


def test_host_local_ranges(bridge: Sim) -> None:
    sim = bridge
    ns = sim.namespace()
    conf = bridge_conf(sim)
    out = sim.add("sdnbridge", conf, netns=ns)
    assert out.ok, out
    (ip,) = out.ips()
    assert (
        int(ipaddress.IPv4Address("10.0.7.10"))
        <= int(ipaddress.IPv4Address(ip))
        <= int(ipaddress.IPv4Address("10.0.7.50"))
    )
    assert out.json["ips"][0]["address"] == f"{ip}/16"
    assert out.json["ips"][0]["gateway"] == "10.0.0.1"
    (endpoint,) = sim.endpoints()
    assert endpoint["IpConfigurations"][0]["IpAddress"] == ip
    assert sim.ipam_files() == [ip]

    checked = sim.run("sdnbridge", "CHECK", with_prev_result(conf, out.json), netns=ns)
    assert checked.ok, checked

    deleted = sim.delete("sdnbridge", with_prev_result(conf, out.json), netns=ns)
    assert deleted.ok, deleted
    assert sim.endpoints() == [] and sim.ipam_files() == []


def test_force_bridge_gateway(bridge: Sim) -> None:
    sim = bridge
    conf = bridge_conf(sim, optionalFlags={"forceBridgeGateway": True})
    out = sim.add("sdnbridge", conf, netns=sim.namespace())
    assert out.ok, out
    assert out.json["ips"][0]["gateway"] == "10.0.0.2"
    (endpoint,) = sim.endpoints()
    assert endpoint["Routes"] == [{"NextHop": "10.0.0.2", "DestinationPrefix": "0.0.0.0/0"}]


def test_unique_addresses_for_two_containers(bridge: Sim) -> None:
    sim = bridge
    conf = bridge_conf(sim)
    a = sim.add("sdnbridge", conf, container_id="a", netns=sim.namespace())
    b = sim.add("sdnbridge", conf, container_id="b", netns=sim.namespace())
    assert a.ok and b.ok
    assert a.ips() != b.ips()
    assert len(sim.ipam_files()) == 2


def test_address_released_when_add_fails_later(bridge: Sim) -> None:
    sim = bridge
    conf = bridge_conf(
        sim, runtimeConfig={"portMappings": [{"hostPort": 8080, "containerPort": 80}]}
    )
    assert sim.add("sdnbridge", conf, container_id="a", netns=sim.namespace()).ok
    before = sim.ipam_files()
    clash = sim.add("sdnbridge", conf, container_id="b", netns=sim.namespace())
    assert clash.code == 71, clash
    assert sim.ipam_files() == before
    assert [e["Name"] for e in sim.endpoints()] == ["a_bridgeNet"]


def test_dual_stack_with_host_local(bridge: Sim) -> None:
    """The reference's l2bridgedualstack_host-local_ipam.conf shape (§1.16)."""
    sim = bridge
    conf = {
        "cniVersion": "0.3.1",
        "name": "bridgeNet",
        "type": "sdnbridge",
        "capabilities": {"portMappings": True, "dnsCapabilities": True},
        "optionalFlags": {"localRoutedPortMapping": True, "allowAclPortMapping": True, "enableDualStack": True},
        "ipam": {
            "type": "host-local",
            "dataDir": str(sim.ipam_dir),
            "ranges": [
                [{"subnet": "10.0.0.0/16", "rangeStart": "10.0.1.10", "rangeEnd": "10.0.1.50", "gateway": "10.0.0.2"}],
                [{"subnet": "fd00::/64", "rangeStart": "fd00::102", "rangeEnd": "fd00::1fe", "gateway": "fd00::101"}],
            ],
        },
        "dns": {"Nameservers": ["10.127.130.7"], "Search": ["svc.cluster.local"]},
    }  # fmt: skip
    ns = sim.namespace()
    out = sim.add("sdnbridge", conf, netns=ns)
    assert out.ok, out
    ips = out.json["ips"]
    assert [ipaddress.ip_interface(i["address"]).version for i in ips] == [4, 6]
    assert [i["gateway"] for i in ips] == ["10.0.0.2", "fd00::101"]
    assert [ipaddress.ip_interface(i["address"]).network.prefixlen for i in ips] == [16, 64]
    (endpoint,) = sim.endpoints()
    assert sorted(r["DestinationPrefix"] for r in endpoint["Routes"]) == ["0.0.0.0/0", "::/0"]
    assert len(sim.ipam_files()) == 2
    assert sim.delete("sdnbridge", conf, netns=ns).ok
    assert sim.ipam_files() == [] and sim.endpoints() == []


def test_host_local_legacy_subnet_as_flannel_renders_it(bridge: Sim) -> None:
    sim = bridge
    conf = {
        "cniVersion": "0.2.0",
        "name": "bridgeNet",
        "type": "sdnbridge",
        "ipam": {"type": "host-local", "subnet": "10.0.9.0/24", "dataDir": str(sim.ipam_dir)},
    }
    out = sim.add("sdnbridge", conf, netns=sim.namespace())
    assert out.ok, out
    assert out.json["ip4"]["ip"].startswith("10.0.9.")
    # The prefix is the HNS network's (the subnet that holds the address), as the reference.
    assert out.json["ip4"]["ip"].endswith("/16")
