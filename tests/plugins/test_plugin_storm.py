# ruff: noqa: E501  (tables of test data read best one case per line)
"""Parallel plugin processes: many containers at once, and one container hammered at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from .wp_harness import Outcome, Sim, have_host_local

STORM = 50
WORKERS = 8
NAT = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}


def test_storm_of_containers(sim: Sim) -> None:
    sim.network("natNet", "NAT")
    namespaces = {f"storm{i:03d}": sim.namespace() for i in range(STORM)}

    def add(cid: str) -> Outcome:
        return sim.add("nat", NAT, container_id=cid, netns=namespaces[cid])

    def delete(cid: str) -> Outcome:
        return sim.delete("nat", NAT, container_id=cid, netns=namespaces[cid])

    with ThreadPoolExecutor(WORKERS) as pool:
        added = list(pool.map(add, namespaces))
    failures = [o for o in added if not o.ok]
    assert failures == [], failures[:3]
    ips = [ip for o in added for ip in o.ips()]
    assert len(ips) == STORM and len(set(ips)) == STORM
    endpoints = sim.endpoints()
    assert len(endpoints) == STORM
    for cid, ns in namespaces.items():
        (endpoint,) = [e for e in endpoints if e["Name"] == f"{cid}_natNet"]
        assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]

    with ThreadPoolExecutor(WORKERS) as pool:
        deleted = list(pool.map(delete, namespaces))
    assert [o for o in deleted if not o.ok] == []
    assert sim.endpoints() == []


@pytest.mark.skipif(not have_host_local(), reason="needs /usr/lib/cni/host-local")
def test_storm_with_host_local_and_interleaved_del(sim: Sim) -> None:
    """ADDs of new containers run while earlier ones are DELeted; IPAM stays consistent."""
    sim.network("bridgeNet", "L2Bridge")
    conf = {
        "cniVersion": "1.0.0", "name": "bridgeNet", "type": "sdnbridge",
        "ipam": {"type": "host-local", "subnet": "10.0.0.0/16", "rangeStart": "10.0.3.1",
                 "rangeEnd": "10.0.3.250", "dataDir": str(sim.ipam_dir)},
    }  # fmt: skip
    first = {f"old{i:02d}": sim.namespace() for i in range(20)}
    second = {f"new{i:02d}": sim.namespace() for i in range(20)}
    with ThreadPoolExecutor(WORKERS) as pool:
        assert all(o.ok for o in pool.map(
            lambda c: sim.add("sdnbridge", conf, container_id=c, netns=first[c]), first))  # fmt: skip
    jobs = [("DEL", c, ns) for c, ns in first.items()] + [
        ("ADD", c, ns) for c, ns in second.items()
    ]
    jobs.sort(key=lambda job: job[1][-2:])  # interleave the two batches
    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(
            lambda j: sim.run("sdnbridge", j[0], conf, container_id=j[1], netns=j[2]), jobs))  # fmt: skip
    assert [o for o in outcomes if not o.ok] == []
    names = sorted(e["Name"] for e in sim.endpoints())
    assert names == sorted(f"{c}_bridgeNet" for c in second)
    addresses = [e["IpConfigurations"][0]["IpAddress"] for e in sim.endpoints()]
    assert len(set(addresses)) == len(second)
    assert sorted(sim.ipam_files()) == sorted(addresses)


def test_same_container_is_serialised(sim: Sim) -> None:
    """Duplicate ADDs for one container (retries) do not race into two endpoints."""
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda _: sim.add("nat", NAT, netns=ns), range(6)))
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok][:2]
    assert len({tuple(o.ips()) for o in outcomes}) == 1
    (endpoint,) = sim.endpoints()
    assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]
