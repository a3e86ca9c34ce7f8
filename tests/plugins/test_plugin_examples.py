# ruff: noqa: E501  (tables of test data read best one case per line)
"""Every configuration under examples/configs/, and the reference's own example files.

The reference files (tests/plugins/reference_configs/, from its ``example/`` directory) are
used byte for byte. The project's examples only get host-local's ``dataDir`` pointed at the
test's directory. ``flannel`` files are rendered the way the flannel meta-plugin renders its
delegate (reference §3.9): ``name`` and ``cniVersion`` from the file, ``ipam`` = host-local
with the node's subnet.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from winplugins.policies import policies_match

from . import fake_ipam
from .wp_harness import EXAMPLES, Sim, have_host_local, with_prev_result

REFERENCE = Path(__file__).parent / "reference_configs"
needs_host_local = pytest.mark.skipif(not have_host_local(), reason="needs host-local")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def flannel_delegate(conf: dict[str, Any], subnet: str, data_dir: Path) -> dict[str, Any]:
    """What flannel hands its delegate: the delegate block plus name, cniVersion, ipam."""
    delegate = dict(conf["delegate"])
    delegate.update(
        name=conf["name"],
        cniVersion=conf.get("cniVersion", "0.2.0"),
        ipam={"type": "host-local", "subnet": subnet, "dataDir": str(data_dir)},
    )
    return delegate


def add_check_del(
    sim: Sim, plugin: str, conf: dict[str, Any] | bytes, *, check: bool = True
) -> dict[str, Any]:
    """ADD, CHECK (0.4.0+) and DEL one container; returns the endpoint as HNS had it."""
    ns = sim.namespace()
    added = sim.add(plugin, conf, netns=ns)
    assert added.ok, added
    (endpoint,) = sim.endpoints()
    assert endpoint["ID"].lower() in sim.namespace_endpoints(ns)
    parsed = json.loads(conf) if isinstance(conf, bytes) else conf
    if check and parsed.get("cniVersion") in ("0.4.0", "1.0.0", "1.1.0"):
        out = sim.run(plugin, "CHECK", with_prev_result(parsed, added.json), netns=ns)
        assert out.ok, out
    deleted = sim.delete(plugin, conf, netns=ns)
    assert deleted.ok, deleted
    assert sim.endpoints() == []
    assert sim.ipam_files() == []
    return endpoint


def policies_of(conf: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["Value"] for a in conf.get("AdditionalArgs", [])]


# --- examples/configs ------------------------------------------------------------------------


def test_every_example_is_covered() -> None:
    covered = {"nat.conflist", "sdnbridge-host-local.conf", "sdnoverlay.conf",
               "sdnbridge-dualstack.conf", "flannel-sdnbridge.conf"}  # fmt: skip
    assert {p.name for p in (EXAMPLES / "configs").iterdir()} == covered


def test_nat_conflist(sim: Sim) -> None:
    conflist = load(EXAMPLES / "configs" / "nat.conflist")
    (plugin,) = conflist["plugins"]
    conf = {"cniVersion": conflist["cniVersion"], "name": conflist["name"], **plugin,
            "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]}}  # fmt: skip
    sim.network("natNet", "NAT")
    endpoint = add_check_del(sim, "nat", conf)
    assert policies_match(
        [
            {
                "Type": "PortMapping",
                "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080},
            }
        ],
        endpoint["Policies"],
    )


@needs_host_local
def test_sdnbridge_host_local(sim: Sim) -> None:
    conf = load(EXAMPLES / "configs" / "sdnbridge-host-local.conf")
    conf["ipam"]["dataDir"] = str(sim.ipam_dir)
    sim.network("bridgeNet", "L2Bridge", [("10.244.1.0/24", "10.244.1.1")])
    endpoint = add_check_del(sim, "sdnbridge", conf)
    assert endpoint["Routes"] == [{"NextHop": "10.244.1.2", "DestinationPrefix": "0.0.0.0/0"}]
    assert policies_match(policies_of(conf), endpoint["Policies"])


def test_sdnoverlay_with_provider_address_on_a_vsid_network(sim: Sim) -> None:
    conf = load(EXAMPLES / "configs" / "sdnoverlay.conf")
    network = sim.network("vxlan0", "Overlay", [("10.244.2.0/24", "10.244.2.1")],
                          subnet_policies=[{"Type": "VSID", "Settings": {"IsolationId": 4096}}])  # fmt: skip
    assert network["Ipams"][0]["Subnets"][0]["Policies"][0]["Type"] == "VSID"
    endpoint = add_check_del(sim, "sdnoverlay", conf)
    assert policies_match(policies_of(conf), endpoint["Policies"])
    assert endpoint["IpConfigurations"][0]["IpAddress"].startswith("10.244.2.")


@needs_host_local
def test_sdnbridge_dual_stack(sim: Sim) -> None:
    conf = load(EXAMPLES / "configs" / "sdnbridge-dualstack.conf")
    conf["ipam"]["dataDir"] = str(sim.ipam_dir)
    sim.network(
        "dualNet", "L2Bridge", [("192.168.1.0/24", "192.168.1.1"), ("fd00::100/120", "fd00::101")]
    )
    endpoint = add_check_del(sim, "sdnbridge", conf)
    assert len(endpoint["IpConfigurations"]) == 2
    assert policies_match(policies_of(conf), endpoint["Policies"])


@needs_host_local
def test_flannel_style_delegate(sim: Sim) -> None:
    conf = flannel_delegate(load(EXAMPLES / "configs" / "flannel-sdnbridge.conf"),
                            "10.244.3.0/24", sim.ipam_dir)  # fmt: skip
    sim.network("cbr0", "L2Bridge", [("10.244.3.0/24", "10.244.3.1")])
    ns = sim.namespace()
    out = sim.add("sdnbridge", conf, netns=ns)
    assert out.ok, out
    # host-local's gateway is .1; forceBridgeGateway gives flannel host-gw's .2 (issue #40).
    assert out.json["ips"][0]["gateway"] == "10.244.3.2"
    assert sim.delete("sdnbridge", conf, netns=ns).ok
    assert sim.endpoints() == [] and sim.ipam_files() == []


# --- the reference's example/*.conf, unchanged --------------------------------------------------


def test_reference_nat_conf(sim: Sim) -> None:
    raw = (REFERENCE / "nat.conf").read_bytes()
    sim.network("natNetwork", "NAT", [("192.168.100.0/24", "192.168.100.1")])
    endpoint = add_check_del(sim, "nat", raw)
    # Its "gateway" route key, ignored by the reference, is honoured (quirk 2).
    assert endpoint["Routes"] == [{"NextHop": "192.168.100.1", "DestinationPrefix": "0.0.0.0/0"}]


def test_reference_l2bridge_conf(sim: Sim) -> None:
    """``type: l2bridge`` (rejected by the reference since its type mapping) works here."""
    raw = (REFERENCE / "l2bridge.conf").read_bytes()
    sim.network("l2bridgeNetwork", "L2Bridge", [("192.168.1.0/24", "192.168.1.1")])
    endpoint = add_check_del(sim, "sdnbridge", raw)
    assert endpoint["Routes"] == [{"NextHop": "192.168.1.2", "DestinationPrefix": "0.0.0.0/0"}]
    assert endpoint["Dns"] == {"ServerList": ["11.0.0.10"], "Search": ["svc.cluster.local"]}
    assert policies_match(policies_of(json.loads(raw)), endpoint["Policies"])


@needs_host_local
def test_reference_flannel_l2bridge_conf(sim: Sim) -> None:
    conf = flannel_delegate(
        load(REFERENCE / "flannel_l2bridge.conf"), "10.244.4.0/24", sim.ipam_dir
    )
    sim.network("cbr0", "L2Bridge", [("10.244.4.0/24", "10.244.4.1")])
    endpoint = add_check_del(sim, "sdnbridge", conf)
    assert endpoint["Routes"] == [{"NextHop": "10.244.4.2", "DestinationPrefix": "0.0.0.0/0"}]


@needs_host_local
def test_reference_flannel_overlay_conf(sim: Sim) -> None:
    """Its ProviderAddress is the placeholder text "ip of host": passed to HNS as written."""
    conf = flannel_delegate(load(REFERENCE / "flannel_overlay.conf"), "10.244.5.0/24", sim.ipam_dir)
    sim.network("vxlan0", "Overlay", [("10.244.5.0/24", "10.244.5.1")])
    out = sim.add("sdnoverlay", conf, netns=sim.namespace())
    if out.ok:
        (endpoint,) = sim.endpoints()
        assert policies_match(policies_of(conf), endpoint["Policies"])
    else:  # HNS may refuse the placeholder; then cleanly, with nothing left behind
        assert out.code == 66 and "HCN_E_" in out.msg, out
        assert sim.endpoints() == [] and sim.ipam_files() == []


@needs_host_local
@pytest.mark.skipif(not os.access("/var/lib", os.W_OK), reason="host-local's default dataDir")
def test_reference_dual_stack_host_local_conf(sim: Sim) -> None:
    """Unchanged, so host-local uses its default dataDir; the DEL removes what ADD wrote."""
    raw = (REFERENCE / "l2bridgedualstack_host-local_ipam.conf").read_bytes()
    sim.network(
        "winl2bridge",
        "L2Bridge",
        [("192.168.1.0/24", "192.168.1.1"), ("fd00::100/120", "fd00::101")],
    )
    data = Path("/var/lib/cni/networks/winl2bridge")
    before = sorted(p.name for p in data.glob("*")) if data.exists() else []
    endpoint = add_check_del(sim, "sdnbridge", raw)
    assert sorted(c["IpAddress"][:4] for c in endpoint["IpConfigurations"]) == ["192.", "fd00"]
    after = sorted(p.name for p in data.glob("*")) if data.exists() else []
    assert [n for n in after if n not in before and n != "lock" and not n.startswith("last_")] == []


def test_reference_l2tunnel_conf(sim: Sim, tmp_path: Path) -> None:
    """Its IPAM is Azure's azure-vnet-ipam; a scripted stand-in of that name serves here."""
    fake_ipam.install(tmp_path / "bin", "azure-vnet-ipam")
    sim.cni_path.insert(0, str(tmp_path / "bin"))
    sim.extra_env["FAKE_IPAM_DIR"] = str(tmp_path / "fake-ipam")
    raw = (REFERENCE / "l2tunnel.conf").read_bytes()
    sim.network("l2tunnelNetwork", "L2Tunnel", [("10.0.0.0/16", "10.0.0.1")])
    endpoint = add_check_del(sim, "sdnbridge", raw)
    assert endpoint["IpConfigurations"][0]["IpAddress"] == "10.0.5.10"
