# ruff: noqa: E501  (tables of test data read best one case per line)
"""The conformance cases C-01 ... C-19 of the reference (§2.6), against the simulator.

Every case runs the console scripts as separate processes, as a runtime does.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest
from winplugins.core import SUPPORTED_VERSIONS
from winplugins.policies import policies_match

from . import fake_ipam
from .wp_harness import Sim, with_prev_result

NAT = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}


@pytest.fixture
def nat(sim: Sim) -> tuple[Sim, dict[str, Any], str]:
    """A NAT network ``natNet`` 10.0.0.0/16 (gateway 10.0.0.1) and one namespace."""
    network = sim.network("natNet", "NAT")
    return sim, network, sim.namespace()


def pm(host: int, container: int, protocol: Any = "tcp", host_ip: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"hostPort": host, "containerPort": container, "protocol": protocol}
    if host_ip:
        out["hostIP"] = host_ip
    return out


# --- C-01 VERSION ---------------------------------------------------------------------------


@pytest.mark.parametrize("plugin", ["nat", "sdnbridge", "sdnoverlay"])
def test_c01_version(sim: Sim, plugin: str) -> None:
    out = sim.run(plugin, "VERSION", b"", container_id="")
    assert out.ok, out
    assert out.json["supportedVersions"] == list(SUPPORTED_VERSIONS)
    assert "0.3.1" in out.json["supportedVersions"] and "1.1.0" in out.json["supportedVersions"]
    assert out.json["cniVersion"]


# --- C-02 unsupported version ---------------------------------------------------------------


@pytest.mark.parametrize("version", ["0.1.0", "9.9.9", "0.3.2"])
def test_c02_unsupported_version(nat: tuple[Sim, Any, str], version: str) -> None:
    sim, _, ns = nat
    out = sim.add("nat", {**NAT, "cniVersion": version}, netns=ns)
    assert out.code == 1, out
    assert sim.endpoints() == []


def test_c02_missing_version_means_010(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    out = sim.add("nat", {"name": "natNet", "type": "nat"}, netns=ns)
    assert out.code == 1, out


# --- C-03 CHECK -------------------------------------------------------------------------------


def test_c03_check(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {**NAT, "cniVersion": "0.4.0"}
    added = sim.add("nat", conf, netns=ns)
    assert added.ok, added
    checked = sim.run("nat", "CHECK", with_prev_result(conf, added.json), netns=ns)
    assert checked.ok, checked
    assert checked.stdout == b""

    # CHECK really checks: a wrong address in prevResult ...
    wrong = json.loads(json.dumps(added.json))
    wrong["ips"][0]["address"] = "10.0.99.99/16"
    out = sim.run("nat", "CHECK", with_prev_result(conf, wrong), netns=ns)
    assert out.code == 66 and "addresses" in out.msg, out
    # ... the endpoint detached from the namespace ...
    endpoint = sim.endpoint("c1_natNet")
    assert endpoint is not None
    sim.ops.remove_namespace_endpoint(ns, endpoint["ID"])
    out = sim.run("nat", "CHECK", with_prev_result(conf, added.json), netns=ns)
    assert out.code == 66 and "not attached" in out.msg, out
    # ... the endpoint gone.
    sim.ops.delete_endpoint(endpoint["ID"])
    out = sim.run("nat", "CHECK", with_prev_result(conf, added.json), netns=ns)
    assert out.code == 66 and "does not exist" in out.msg, out


def test_c03_check_needs_040(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {**NAT, "cniVersion": "0.3.1"}
    added = sim.add("nat", conf, netns=ns)
    assert added.ok, added
    out = sim.run("nat", "CHECK", with_prev_result(conf, added.json), netns=ns)
    assert out.code == 1, out


# --- C-04 CNI_NETNS -----------------------------------------------------------------------------


def test_c04_netns_required_for_add_not_del(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    out = sim.add("nat", NAT, netns="")
    assert out.code == 4, out
    out = sim.add("nat", NAT, netns="not-a-guid")
    assert out.code == 4 and "CNI_NETNS" in out.msg, out
    out = sim.add("nat", NAT, netns="00000000-0000-4000-8000-00000000dead")
    assert out.code == 4 and "does not exist" in out.msg, out
    assert sim.endpoints() == []
    assert sim.add("nat", NAT, netns=ns).ok
    out = sim.delete("nat", NAT, netns="")
    assert out.ok, out
    assert sim.endpoints() == []


# --- C-05 type mapping and network type validation ---------------------------------------------


@pytest.mark.parametrize(
    ("plugin", "conf_type", "network_type"),
    [
        ("nat", "nat", "NAT"),
        ("nat", "NAT", "NAT"),
        ("sdnbridge", "sdnbridge", "L2Bridge"),
        ("sdnbridge", "L2Bridge", "L2Bridge"),
        ("sdnbridge", "l2bridge", "L2Bridge"),
        ("sdnbridge", "sdnbridge", "L2Tunnel"),
        ("sdnbridge", "l2tunnel", "L2Tunnel"),
        ("sdnoverlay", "sdnoverlay", "Overlay"),
        ("sdnoverlay", "Overlay", "Overlay"),
    ],
)
def test_c05_accepted_types(sim: Sim, plugin: str, conf_type: str, network_type: str) -> None:
    sim.network("net", network_type)
    out = sim.add(plugin, {"cniVersion": "1.0.0", "name": "net", "type": conf_type},
                  netns=sim.namespace())  # fmt: skip
    assert out.ok, out


@pytest.mark.parametrize(
    ("plugin", "conf_type", "network_type", "fragment"),
    [
        ("nat", "sdnbridge", "NAT", "not handled by the nat plugin"),
        ("nat", "Transparent", "NAT", "not handled"),
        ("nat", "nat", "L2Bridge", "is of type L2Bridge"),
        ("sdnbridge", "sdnbridge", "NAT", "is of type NAT"),
        ("sdnbridge", "sdnbridge", "Overlay", "needs L2Bridge or L2Tunnel"),
        ("sdnoverlay", "sdnoverlay", "L2Bridge", "needs Overlay"),
    ],
)
def test_c05_rejected_types(
    sim: Sim, plugin: str, conf_type: str, network_type: str, fragment: str
) -> None:
    sim.network("net", network_type)
    out = sim.add(plugin, {"cniVersion": "1.0.0", "name": "net", "type": conf_type},
                  netns=sim.namespace())  # fmt: skip
    assert out.code == 7, out
    assert fragment in out.msg
    assert sim.endpoints() == []


# --- C-06 endpoint naming ---------------------------------------------------------------------


def test_c06_endpoint_name(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    out = sim.add("nat", NAT, container_id="abc123", netns=ns)
    assert out.ok, out
    assert [e["Name"] for e in sim.endpoints()] == ["abc123_natNet"]


# --- C-07 idempotent ADD (and repair of a lost attachment) ----------------------------------------


def test_c07_idempotent_add(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    first = sim.add("nat", NAT, netns=ns)
    second = sim.add("nat", NAT, netns=ns)
    assert first.ok and second.ok, (first, second)
    assert first.json == second.json
    assert len(sim.endpoints()) == 1


def test_c07_add_repairs_the_namespace_attachment(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    first = sim.add("nat", NAT, netns=ns)
    (endpoint,) = sim.endpoints()
    sim.ops.remove_namespace_endpoint(ns, endpoint["ID"])
    assert endpoint["ID"].lower() not in sim.namespace_endpoints(ns)
    again = sim.add("nat", NAT, netns=ns)
    assert again.ok and again.json == first.json, again
    assert endpoint["ID"].lower() in sim.namespace_endpoints(ns)
    assert len(sim.endpoints()) == 1


# --- C-08 stale endpoint on another network ---------------------------------------------------------


def test_c08_stale_endpoint_on_another_network_is_replaced(nat: tuple[Sim, Any, str]) -> None:
    # The container's own endpoint (its ID derives from container and network name) left on
    # an earlier network: replaced, as the reference does.
    from winplugins.hns import endpoint_id

    sim, network, ns = nat
    other = sim.network("oldNet", "NAT", [("172.16.0.0/16", "172.16.0.1")])
    own = endpoint_id("c1", "natNet")
    sim.ops.create_endpoint(other["ID"], {"ID": own, "Name": "c1_natNet"})
    out = sim.add("nat", NAT, netns=ns)
    assert out.ok, out
    (endpoint,) = sim.endpoints()
    assert endpoint["ID"].lower() == own
    assert endpoint["HostComputeNetwork"].lower() == network["ID"].lower()


def test_c08_a_same_named_endpoint_of_another_container_is_never_touched(
    nat: tuple[Sim, Any, str],
) -> None:
    # Issue 10, defect 2: container "c1" on "natNet" and container "c1_nat" on "Net" would
    # both be named "c1_natNet"; the reference deleted the other container's endpoint.
    sim, _, ns = nat
    other = sim.network("Net", "NAT", [("172.16.0.0/16", "172.16.0.1")])
    foreign = sim.ops.create_endpoint(other["ID"], {"Name": "c1_natNet"})
    out = sim.add("nat", NAT, netns=ns)
    assert out.ok, out
    ids = {e["ID"].lower() for e in sim.endpoints()}
    assert foreign["ID"].lower() in ids and len(ids) == 2
    assert sim.delete("nat", NAT, netns=ns).ok
    assert [e["ID"].lower() for e in sim.endpoints()] == [foreign["ID"].lower()]


# --- C-09 missing network -----------------------------------------------------------------------------


def test_c09_missing_network_is_81(sim: Sim) -> None:
    out = sim.add("nat", NAT, netns=sim.namespace())
    assert out.code == 81, out
    assert "natNet" in out.msg and "autoCreateNetwork" in out.json["details"]


def test_c09_auto_create_is_opt_in(sim: Sim) -> None:
    conf = {
        **NAT,
        "optionalFlags": {"autoCreateNetwork": True},
        "ipam": {"subnet": "192.168.100.0/24", "routes": [{"gateway": "192.168.100.1"}]},
        "dns": {"nameservers": ["10.0.0.10"], "search": ["svc.cluster.local"]},
        "AdditionalArgs": [
            {"Name": "NetworkPolicy", "Value": {"Type": "NetAdapterName", "Settings": {"NetworkAdapterName": "Ethernet"}}},
            {"Name": "EndpointPolicy", "Value": {"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 1000}}},
        ],
    }  # fmt: skip
    out = sim.add("nat", conf, netns=sim.namespace())
    assert out.ok, out
    network = sim.ops.get_network_by_name("natNet")
    subnet = network["Ipams"][0]["Subnets"][0]
    assert subnet["IpAddressPrefix"] == "192.168.100.0/24"
    assert subnet["Routes"] == [{"NextHop": "192.168.100.1", "DestinationPrefix": "0.0.0.0/0"}]
    assert policies_match(
        [{"Type": "NetAdapterName", "Settings": {"NetworkAdapterName": "Ethernet"}}],
        network.get("Policies") or [],
    )
    assert network["Dns"]["ServerList"] == ["10.0.0.10"]
    (endpoint,) = sim.endpoints()
    assert policies_match(
        [{"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 1000}}],
        endpoint["Policies"],
    )


def test_c09_auto_create_refuses_dual_stack(sim: Sim) -> None:
    conf = {**NAT, "type": "sdnbridge",
            "optionalFlags": {"autoCreateNetwork": True, "enableDualStack": True}}  # fmt: skip
    out = sim.add("sdnbridge", conf, netns=sim.namespace())
    assert out.code == 7, out


# --- C-10 gateways ---------------------------------------------------------------------------------


def _gateway_of(sim: Sim) -> list[dict[str, Any]]:
    (endpoint,) = sim.endpoints()
    return list(endpoint.get("Routes") or [])


@pytest.mark.parametrize(
    ("ipam", "expected"),
    [
        ({"subnet": "10.0.0.0/16", "routes": [{"gw": "10.0.0.2"}]}, "10.0.0.2"),
        ({"subnet": "10.0.0.0/16"}, "10.0.0.1"),
        ({}, "10.0.0.1"),  # from the HNS network's subnet
    ],
)
def test_c10_gateway(nat: tuple[Sim, Any, str], ipam: dict[str, Any], expected: str) -> None:
    sim, _, ns = nat
    out = sim.add("nat", {**NAT, "ipam": ipam}, netns=ns)
    assert out.ok, out
    assert _gateway_of(sim) == [{"NextHop": expected, "DestinationPrefix": "0.0.0.0/0"}]
    assert out.json["ips"][0]["gateway"] == expected


def test_c10_no_gateway_anywhere_means_no_default_route(sim: Sim) -> None:
    sim.network("natNet", "NAT", [("10.0.0.0/16", "")])
    out = sim.add("nat", NAT, netns=sim.namespace())
    assert out.ok, out
    assert _gateway_of(sim) == []
    assert "gateway" not in out.json["ips"][0]


def test_c10_gateway_from_additional_routes(sim: Sim) -> None:
    sim.network("bridgeNet", "L2Bridge", [("10.0.0.0/16", "10.0.0.1"), ("fd00::/64", "fd00::1")])
    conf = {
        "cniVersion": "1.0.0", "name": "bridgeNet", "type": "sdnbridge",
        "optionalFlags": {"enableDualStack": True, "gatewayFromAdditionalRoutes": True},
        "additionalRoutes": [{"dst": "0.0.0.0/0", "gw": "10.0.0.2"}, {"dst": "::/0", "gw": "fd00::101"}],
    }  # fmt: skip
    out = sim.add("sdnbridge", conf, netns=sim.namespace())
    assert out.ok, out
    assert sorted(r["NextHop"] for r in _gateway_of(sim)) == ["10.0.0.2", "fd00::101"]
    assert sorted(ip["gateway"] for ip in out.json["ips"]) == ["10.0.0.2", "fd00::101"]


# --- C-11 port mappings --------------------------------------------------------------------------------


def test_c11_port_mapping_policies(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {
        **NAT,
        "capabilities": {"portMappings": True},
        "optionalFlags": {"localRoutedPortMapping": True, "allowAclPortMapping": True},
        "runtimeConfig": {"portMappings": [pm(8080, 80, "tcp", "192.168.1.2"), pm(5353, 53, "17")]},
    }
    out = sim.add("nat", conf, netns=ns)
    assert out.ok, out
    (endpoint,) = sim.endpoints()
    expected = [
        {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080, "VIP": "192.168.1.2", "Flags": 1}},
        {"Type": "PortMapping", "Settings": {"Protocol": 17, "InternalPort": 53, "ExternalPort": 5353, "Flags": 1}},
        {"Type": "ACL", "Settings": {"Protocols": "6", "Action": "Allow", "Direction": "In", "LocalPorts": "80", "Priority": 1000}},
        {"Type": "ACL", "Settings": {"Protocols": "17", "Action": "Allow", "Direction": "In", "LocalPorts": "53", "Priority": 1000}},
    ]  # fmt: skip
    assert policies_match(expected, endpoint["Policies"]), endpoint["Policies"]


def test_c11_dual_stack_twin(sim: Sim) -> None:
    sim.network("bridgeNet", "L2Bridge", [("10.0.0.0/16", "10.0.0.1"), ("fd00::/64", "fd00::1")])
    conf = {
        "cniVersion": "1.0.0", "name": "bridgeNet", "type": "sdnbridge",
        "optionalFlags": {"enableDualStack": True},
        "runtimeConfig": {"portMappings": [pm(8080, 80)]},
    }  # fmt: skip
    out = sim.add("sdnbridge", conf, netns=sim.namespace())
    assert out.ok, out
    (endpoint,) = sim.endpoints()
    expected = [
        {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}},
        {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080, "Flags": 2}},
    ]  # fmt: skip
    assert policies_match(expected, endpoint["Policies"]), endpoint["Policies"]
    assert len(out.json["ips"]) == 2


def test_c11_unknown_protocol_fails_add_but_not_del(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {**NAT, "runtimeConfig": {"portMappings": [pm(8080, 80, "sctp")]}}
    out = sim.add("nat", conf, netns=ns)
    assert out.code == 7 and "sctp" in out.msg, out
    assert "Traceback" not in out.stderr
    assert sim.endpoints() == []
    assert sim.delete("nat", conf, netns=ns).ok


def test_c11_host_port_clash_is_71(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {**NAT, "runtimeConfig": {"portMappings": [pm(8080, 80)]}}
    assert sim.add("nat", conf, container_id="c1", netns=ns).ok
    out = sim.add("nat", conf, container_id="c2", netns=sim.namespace())
    assert out.code == 71, out
    assert "HCN_E_PORT_ALREADY_EXISTS" in out.json["details"]
    assert "0x803B0013" in out.json["details"]
    assert [e["Name"] for e in sim.endpoints()] == ["c1_natNet"]


# --- C-12 loopback DSR --------------------------------------------------------------------------------


def _outbound_destinations(sim: Sim) -> list[list[str]]:
    (endpoint,) = sim.endpoints()
    return [
        p["Settings"]["Destinations"]
        for p in endpoint.get("Policies") or []
        if p["Type"] == "OutBoundNAT" and "Destinations" in p.get("Settings", {})
    ]


def test_c12_loopback_dsr_with_hns_assigned_ip(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    out = sim.add("nat", {**NAT, "optionalFlags": {"loopbackDSR": True}}, netns=ns)
    assert out.ok, out
    ip = out.json["ips"][0]["address"].split("/")[0]
    assert _outbound_destinations(sim) == [[ip]]  # the real address, never "<nil>"


def test_c12_loopback_dsr_with_ipam(nat: tuple[Sim, Any, str], tmp_path: Path) -> None:
    sim, _, ns = nat
    fake_ipam.install(tmp_path / "bin")
    sim.cni_path.insert(0, str(tmp_path / "bin"))
    sim.extra_env["FAKE_IPAM_DIR"] = str(tmp_path / "ipam")
    conf = {**NAT, "ipam": {"type": "fake-ipam"}, "optionalFlags": {"loopbackDSR": True}}
    out = sim.add("nat", conf, netns=ns)
    assert out.ok, out
    assert _outbound_destinations(sim) == [["10.0.5.10"]]


def test_c12_dsr_unsupported(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    sim.extra_env["HCNPY_SIM_HNS_VERSION"] = "9.2"
    conf = {**NAT, "optionalFlags": {"loopbackDSR": True}}
    out = sim.add("nat", conf, netns=ns)
    assert out.code == 7 and "DSR" in out.msg, out
    assert sim.endpoints() == []
    # win-bridge's top-level loopbackDSR is skipped where HNS lacks DSR, as win-bridge does.
    out = sim.add("nat", {**NAT, "loopbackDSR": True}, netns=ns)
    assert out.ok, out
    assert _outbound_destinations(sim) == []
    # DEL never fails on DSR support (quirk 10).
    assert sim.delete("nat", conf, netns=ns).ok
    assert sim.endpoints() == []


# --- C-13 DNS -----------------------------------------------------------------------------------------


def test_c13_dns(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {
        **NAT,
        "dns": {"nameservers": ["10.50.10.50"], "domain": "corp.example",
                "search": ["svc.cluster.local"], "options": ["ndots:5"]},
        "runtimeConfig": {"dns": {"servers": ["10.96.0.10"]}},
    }  # fmt: skip
    out = sim.add("nat", conf, netns=ns, args="K8S_POD_NAMESPACE=kube-system")
    assert out.ok, out
    (endpoint,) = sim.endpoints()
    assert endpoint["Dns"] == {
        "Domain": "corp.example",
        "Search": ["kube-system.svc.cluster.local"],
        "ServerList": ["10.96.0.10"],
        "Options": ["ndots:5"],
    }
    assert out.json["dns"] == {
        "nameservers": ["10.96.0.10"],
        "domain": "corp.example",
        "search": ["kube-system.svc.cluster.local"],
        "options": ["ndots:5"],
    }


# --- C-14 AdditionalArgs routing -------------------------------------------------------------------------


def test_c14_additional_args_routing(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    conf = {
        **NAT,
        "AdditionalArgs": [
            {"Name": "EndpointPolicy", "Value": {"Type": "OutBoundNAT", "ExceptionList": ["10.0.0.0/8"]}},
            {"Name": "NetworkPolicy", "Value": {"Type": "NetAdapterName", "Settings": {"NetworkAdapterName": "x"}}},
            {"Name": "SomePolicy", "Value": {"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 5}}},
        ],
    }  # fmt: skip
    out = sim.add("nat", conf, netns=ns)
    assert out.ok, out
    (endpoint,) = sim.endpoints()
    assert policies_match(
        [{"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/8"]}}], endpoint["Policies"]
    )
    # The network exists: NetworkPolicy entries only matter when the plugin creates it.
    assert not sim.ops.get_network_by_name("natNet").get("Policies")


@pytest.mark.parametrize("value", ["OutBoundNAT", 17, None, ["x"], {"Settings": {}}])
def test_c14_non_object_values_are_clean_errors(nat: tuple[Sim, Any, str], value: Any) -> None:
    sim, _, ns = nat
    conf = {**NAT, "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": value}]}
    out = sim.add("nat", conf, netns=ns)
    assert out.code == 7, out
    assert "AdditionalArgs[0].Value" in out.msg
    assert "Traceback" not in out.stderr
    assert sim.endpoints() == []


# --- C-15 IPAM delegation (a scripted IPAM; the real host-local is in test_plugin_ipam.py) ----------------


@pytest.fixture
def fake(nat: tuple[Sim, Any, str], tmp_path: Path) -> tuple[Sim, str, Path]:
    sim, _, ns = nat
    fake_ipam.install(tmp_path / "bin")
    sim.cni_path.insert(0, str(tmp_path / "bin"))
    sim.extra_env["FAKE_IPAM_DIR"] = str(tmp_path / "ipam")
    return sim, ns, tmp_path / "ipam"


def _calls(root: Path) -> list[str]:
    log = root / "calls.log"
    return (
        [" ".join(line.split()[:2]) for line in log.read_text().splitlines()]
        if log.exists()
        else []
    )


def test_c15_ipam_add_del(fake: tuple[Sim, str, Path]) -> None:
    sim, ns, root = fake
    conf = {**NAT, "ipam": {"type": "fake-ipam", "subnet": "10.0.0.0/16", "custom": [1, 2]}}
    out = sim.add("nat", conf, netns=ns)
    assert out.ok, out
    assert out.json["ips"][0]["address"] == "10.0.5.10/16"
    # The delegate got the raw configuration, unknown IPAM keys included.
    assert json.loads((root / "last_stdin.json").read_text())["ipam"]["custom"] == [1, 2]
    (endpoint,) = sim.endpoints()
    assert endpoint["IpConfigurations"][0]["IpAddress"] == "10.0.5.10"
    assert sim.delete("nat", conf, netns=ns).ok
    assert _calls(root) == ["ADD c1", "DEL c1"]


def test_c15_ipam_released_when_add_fails_later(fake: tuple[Sim, str, Path]) -> None:
    sim, ns, root = fake
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnCreateEndpoint=E_FAIL"
    out = sim.add("nat", {**NAT, "ipam": {"type": "fake-ipam"}}, netns=ns)
    assert out.code == 66, out
    assert _calls(root) == ["ADD c1", "DEL c1"]
    assert sim.endpoints() == []


def test_c15_ipam_add_failure_is_reported_and_released(fake: tuple[Sim, str, Path]) -> None:
    sim, ns, root = fake
    sim.extra_env["FAKE_IPAM_FAIL"] = "ADD"
    out = sim.add("nat", {**NAT, "ipam": {"type": "fake-ipam"}}, netns=ns)
    assert out.code == 11 and "fake ADD failure" in out.msg, out
    assert _calls(root) == ["ADD c1", "DEL c1"]
    assert sim.endpoints() == []


def test_c15_ipam_del_error_fails_del(fake: tuple[Sim, str, Path]) -> None:
    sim, ns, _ = fake
    conf = {**NAT, "ipam": {"type": "fake-ipam"}}
    assert sim.add("nat", conf, netns=ns).ok
    sim.extra_env["FAKE_IPAM_FAIL"] = "DEL"
    out = sim.delete("nat", conf, netns=ns)
    assert out.code == 11, out
    # The endpoint is gone before the address is released; a retried DEL completes.
    assert sim.endpoints() == []
    sim.extra_env["FAKE_IPAM_FAIL"] = ""
    assert sim.delete("nat", conf, netns=ns).ok


def test_c15_ipam_check_is_delegated(fake: tuple[Sim, str, Path]) -> None:
    sim, ns, root = fake
    conf = {**NAT, "ipam": {"type": "fake-ipam"}}
    added = sim.add("nat", conf, netns=ns)
    assert sim.run("nat", "CHECK", with_prev_result(conf, added.json), netns=ns).ok
    assert _calls(root) == ["ADD c1", "CHECK c1"]
    sim.extra_env["FAKE_IPAM_FAIL"] = "CHECK"
    out = sim.run("nat", "CHECK", with_prev_result(conf, added.json), netns=ns)
    assert out.code == 11, out


# --- C-16 DEL idempotency -----------------------------------------------------------------------------


def test_c16_del_without_endpoint(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    assert sim.delete("nat", NAT, netns=ns).ok
    assert sim.delete("nat", NAT).ok


def test_c16_del_after_namespace_is_gone(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    assert sim.add("nat", NAT, netns=ns).ok
    (endpoint,) = sim.endpoints()
    sim.ops.remove_namespace_endpoint(ns, endpoint["ID"])
    sim.ops.delete_namespace(ns)
    out = sim.delete("nat", NAT, netns=ns)
    assert out.ok, out
    assert sim.endpoints() == []


def test_c16_endpoint_vanishes_during_del(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    assert sim.add("nat", NAT, netns=ns).ok
    # Another DEL won the race: HNS says "not found" when this one deletes.
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnDeleteEndpoint=HCN_E_ENDPOINT_NOT_FOUND"
    out = sim.delete("nat", NAT, netns=ns)
    assert out.ok, out


def test_c16_transient_hns_error_on_del_is_11(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    assert sim.add("nat", NAT, netns=ns).ok
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnDeleteEndpoint=E_FAIL"
    out = sim.delete("nat", NAT, netns=ns)
    assert out.code == 11, out
    sim.extra_env["HCNPY_SIM_FAULTS"] = ""
    assert sim.delete("nat", NAT, netns=ns).ok
    assert sim.endpoints() == []


# --- C-17 result shape per version ------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_c17_result_shape(nat: tuple[Sim, Any, str], version: str) -> None:
    sim, _, ns = nat
    out = sim.add("nat", {**NAT, "cniVersion": version}, netns=ns)
    assert out.ok, out
    result = out.json
    assert result["cniVersion"] == version
    (endpoint,) = sim.endpoints()
    ip = endpoint["IpConfigurations"][0]["IpAddress"]
    if version == "0.2.0":
        assert result["ip4"] == {
            "ip": f"{ip}/16",
            "gateway": "10.0.0.1",
            "routes": [{"dst": "0.0.0.0/0", "gw": "10.0.0.1"}],
        }
        assert "interfaces" not in result
        return
    mac = endpoint["MacAddress"].replace("-", ":").lower()
    assert result["interfaces"] == [{"name": "eth0", "mac": mac, "sandbox": ns}]
    entry: dict[str, Any] = {"address": f"{ip}/16", "gateway": "10.0.0.1", "interface": 0}
    if version in ("0.3.0", "0.3.1", "0.4.0"):
        entry["version"] = "4"
    assert result["ips"] == [entry]
    assert ipaddress.ip_interface(entry["address"]).network == ipaddress.ip_network("10.0.0.0/16")


# --- C-18 HNS error surfacing --------------------------------------------------------------------------


def test_c18_hns_errors_are_cni_errors(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnCreateEndpoint=0x803B001E"
    out = sim.add("nat", NAT, netns=ns)
    assert out.exit_code == 1 and out.code == 66, out
    assert "HCN_E_INVALID_IP" in out.msg
    details = out.json["details"]
    assert "HCN_E_INVALID_IP (0x803B001E)" in details and "HcnCreateEndpoint" in details
    assert "HNS error record" in details and "injected fault" in details
    assert "Traceback" not in out.stderr


# --- C-19 namespace attach failure -----------------------------------------------------------------


def test_c19_attach_failure_deletes_the_endpoint(nat: tuple[Sim, Any, str]) -> None:
    sim, _, ns = nat
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnModifyNamespace=HCN_E_NAMESPACE_ATTACH_FAILED"
    out = sim.add("nat", NAT, netns=ns)
    assert out.code == 66 and "HCN_E_NAMESPACE_ATTACH_FAILED" in out.msg, out
    assert sim.endpoints() == []
    sim.extra_env["HCNPY_SIM_FAULTS"] = ""
    retry = sim.add("nat", NAT, netns=ns)
    assert retry.ok, retry
    (endpoint,) = sim.endpoints()
    assert endpoint["ID"].lower() in sim.namespace_endpoints(ns)


def test_c04_netns_as_a_path_ending_in_the_guid(nat: tuple[Sim, Any, str]) -> None:
    """cnitool-style runtimes (``cniskel add``) pass an absolute path built from the GUID."""
    sim, _, ns = nat
    out = sim.add("nat", NAT, netns=f"/var/run/netns/{ns}")
    assert out.ok, out
    assert out.json["interfaces"][0]["sandbox"] == ns
    (endpoint,) = sim.endpoints()
    assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]
    assert sim.delete("nat", NAT, netns=f"/var/run/netns/{ns}").ok
    assert sim.endpoints() == []


def test_no_log_file_in_the_working_directory(nat: tuple[Sim, Any, str], tmp_path: Path) -> None:
    """Quirk 9: the reference wrote wincni.log into the CWD (System32 under a service)."""
    sim, _, ns = nat
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    assert sim.add("nat", NAT, netns=ns, cwd=cwd).ok
    assert sim.add("nat", {**NAT, "runtimeConfig": {"portMappings": [{"hostPort": 1, "containerPort": 1, "protocol": "x"}]}},
                   container_id="c2", netns=ns, cwd=cwd).code == 7  # fmt: skip
    assert sim.delete("nat", NAT, netns=ns, cwd=cwd).ok
    assert list(cwd.iterdir()) == []
