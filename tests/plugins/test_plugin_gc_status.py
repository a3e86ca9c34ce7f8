"""GC (leaked endpoints) and STATUS (is the plugin able to serve ADD), CNI 1.1.0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from winplugins.locking import FileLock

from . import fake_ipam
from .wp_harness import Sim

NAT = {"cniVersion": "1.1.0", "name": "natNet", "type": "nat"}


def gc_conf(valid: list[str], **extra: Any) -> dict[str, Any]:
    return {
        **NAT,
        "cni.dev/valid-attachments": [{"containerID": c, "ifname": "eth0"} for c in valid],
        **extra,
    }


@pytest.fixture
def three(sim: Sim) -> Sim:
    network = sim.network("natNet", "NAT")
    for cid in ("keep", "leak1", "leak2"):
        assert sim.add("nat", NAT, container_id=cid, netns=sim.namespace()).ok
    # Endpoints that are not this plugin's: another network's, and an unrelated name.
    other = sim.network("otherNet", "NAT", [("172.16.0.0/16", "172.16.0.1")])
    sim.ops.create_endpoint(other["ID"], {"Name": "leak3_otherNet"})
    sim.ops.create_endpoint(network["ID"], {"Name": "GwEp"})
    return sim


def names(sim: Sim) -> list[str]:
    return sorted(e["Name"] for e in sim.endpoints())


def test_gc_deletes_leaked_endpoints_only(three: Sim) -> None:
    sim = three
    out = sim.run("nat", "GC", gc_conf(["keep"]), container_id="")
    assert out.ok, out
    assert names(sim) == ["GwEp", "keep_natNet", "leak3_otherNet"]
    # The namespaces of the deleted endpoints no longer reference them.
    for namespace in sim.ops.list_namespaces():
        ids = sim.namespace_endpoints(namespace["ID"])
        assert all(any(e["ID"].lower() == i for e in sim.endpoints()) for i in ids)


def test_gc_with_no_valid_attachments(three: Sim) -> None:
    sim = three
    assert sim.run("nat", "GC", {**NAT}, container_id="").ok
    assert names(sim) == ["GwEp", "leak3_otherNet"]


def test_gc_skips_a_container_being_worked_on(three: Sim, monkeypatch: pytest.MonkeyPatch) -> None:
    sim = three
    monkeypatch.setenv("WINPLUGINS_LOCK_DIR", str(sim.locks))
    with FileLock("leak1"):
        assert sim.run("nat", "GC", gc_conf(["keep"]), container_id="").ok
    assert names(sim) == ["GwEp", "keep_natNet", "leak1_natNet", "leak3_otherNet"]


def test_gc_without_the_network_is_fine(sim: Sim) -> None:
    assert sim.run("nat", "GC", gc_conf([]), container_id="").ok


def test_gc_and_status_are_forwarded_to_ipam(sim: Sim, tmp_path: Path) -> None:
    sim.network("natNet", "NAT")
    fake_ipam.install(tmp_path / "bin")
    sim.cni_path.insert(0, str(tmp_path / "bin"))
    sim.extra_env["FAKE_IPAM_DIR"] = str(tmp_path / "ipam")
    conf = gc_conf(["a"], ipam={"type": "fake-ipam"})
    assert sim.run("nat", "GC", conf, container_id="").ok
    assert sim.run("nat", "STATUS", conf, container_id="").ok
    calls = (tmp_path / "ipam" / "calls.log").read_text().split("\n")
    assert [c.split()[0] for c in calls if c] == ["GC", "STATUS"]
    sim.extra_env["FAKE_IPAM_FAIL"] = "GC,STATUS"
    assert sim.run("nat", "GC", conf, container_id="").code == 11
    assert sim.run("nat", "STATUS", conf, container_id="").code == 11


def test_status(sim: Sim) -> None:
    out = sim.run("nat", "STATUS", NAT, container_id="")
    assert out.code == 50 and "natNet" in out.msg, out
    sim.network("natNet", "NAT")
    out = sim.run("nat", "STATUS", NAT, container_id="")
    assert out.ok and out.stdout == b"", out
    out = sim.run("sdnbridge", "STATUS", {**NAT, "type": "sdnbridge"}, container_id="")
    assert out.code == 50 and "L2Bridge" in out.msg, out


def test_status_when_hns_cannot_be_reached(sim: Sim, tmp_path: Path) -> None:
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnEnumerateNetworks=E_FAIL"
    out = sim.run("nat", "STATUS", NAT, container_id="")
    assert out.code == 50 and "HNS cannot be reached" in out.msg, out


def test_status_needs_110(sim: Sim) -> None:
    out = sim.run("nat", "STATUS", {**NAT, "cniVersion": "1.0.0"}, container_id="")
    assert out.code == 1, out
