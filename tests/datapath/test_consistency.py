"""The kernel follows the state: concurrent plugins, refused changes, reconcile, cleanup."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from hcnpy.errors import HcnError
from hcnpy.sim.datapath import names, open_datapath
from hcnpy.sim.datapath.kernel import Kernel
from hcnpy.sim.datapath.names import list_netns

from ..plugins.wp_harness import BIN, Sim
from .conftest import _root_snapshot
from .dp_harness import Lab

NAT_CONF = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}


def _nat(lab: Lab, subnet: str = "10.0.0.0/16", gateway: str = "10.0.0.1") -> dict[str, Any]:
    return lab.sim.network("natNet", "NAT", ((subnet, gateway),))


def _ports_in(lab: Lab, netns: str) -> list[str]:
    return sorted(
        link["ifname"]
        for link in lab.links(netns)
        if names.is_role(link["ifname"], "container_port")
    )


def _kernel_matches_state(lab: Lab) -> None:
    """Every attached endpoint has its interface and address; nothing else has one."""
    expected: dict[str, set[str]] = {}
    for namespace in lab.sim.ops.list_namespaces():
        ns_id = namespace["ID"].lower()
        expected[ns_id] = set()
        for ep_id in lab.sim.ops.namespace_endpoint_ids(ns_id):
            endpoint = lab.sim.ops.get_endpoint(ep_id)
            expected[ns_id].add(endpoint["IpConfigurations"][0]["IpAddress"])
    for ns_id, addresses in expected.items():
        found = {
            info["local"]
            for link in lab.links(lab.names.namespace(ns_id))
            if names.is_role(link["ifname"], "container_port")
            for info in link["addr_info"]
            if info["family"] == "inet"
        }
        assert found == addresses, ns_id
    host_ports = [
        link["ifname"] for link in lab.links(lab.host) if names.is_role(link["ifname"], "host_port")
    ]
    assert len(host_ports) == sum(len(a) for a in expected.values())


def test_parallel_plugins_leave_the_kernel_equal_to_the_state(lab: Lab) -> None:
    _nat(lab)
    namespaces = [lab.sim.namespace() for _ in range(8)]
    outcomes: dict[int, Any] = {}

    def add(i: int) -> None:
        outcomes[i] = lab.sim.add("nat", NAT_CONF, container_id=f"c{i}", netns=namespaces[i])

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(outcome.ok for outcome in outcomes.values()), outcomes
    _kernel_matches_state(lab)
    first = lab.names.namespace(namespaces[0])
    for i in range(1, 8):
        assert lab.ping(first, outcomes[i].ips()[0])

    def delete(i: int) -> None:
        outcomes[i] = lab.sim.delete("nat", NAT_CONF, container_id=f"c{i}", netns=namespaces[i])

    threads = [threading.Thread(target=delete, args=(i,)) for i in range(0, 8, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _kernel_matches_state(lab)


def test_a_change_the_kernel_cannot_take_fails_and_leaves_nothing(lab: Lab) -> None:
    _nat(lab)
    with pytest.raises(HcnError) as caught:
        lab.sim.network("clash", "NAT", (("198.18.0.0/24", "198.18.0.1"),))
    assert caught.value.hresult == 0x80004005  # E_FAIL
    assert "overlaps 198.18.0.0/15" in str(caught.value)
    assert [n["Name"] for n in lab.sim.ops.list_networks()] == ["natNet"]
    bridges = [x["ifname"] for x in lab.links(lab.host) if names.is_role(x["ifname"], "bridge")]
    assert len(bridges) == 1
    # An ACL HNS would reject ("Any" is not an address): the ADD fails cleanly, nothing stays.
    bad = {"Type": "ACL", "Settings": {"Action": "Allow", "Direction": "In",
                                       "RemoteAddresses": "Any"}}  # fmt: skip
    conf = {**NAT_CONF, "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": bad}]}
    namespace = lab.sim.namespace()
    outcome = lab.sim.add("nat", conf, container_id="bad", netns=namespace)
    assert not outcome.ok and "'Any' is not an IP address" in outcome.json["details"]
    assert lab.sim.endpoints() == []
    assert _ports_in(lab, lab.names.namespace(namespace)) == []


def test_a_failure_half_way_undoes_the_kernel_changes(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    _nat(lab)
    network = lab.sim.ops.get_network_by_name("natNet")
    endpoint = lab.sim.ops.create_endpoint(network["ID"], {
        "Name": "half", "Policies": [{"Type": "ACL", "Settings": {"Action": "Allow",
                                                                   "Direction": "In"}}],
    })  # fmt: skip
    namespace = lab.sim.namespace()
    real_nft = Kernel.nft

    def failing_acl_table(self: Kernel, netns: str, script: str) -> None:
        if "hcnsim_acl_" in script and "table inet" in script:
            raise subprocess.SubprocessError("the ACL step breaks")
        real_nft(self, netns, script)

    monkeypatch.setattr(Kernel, "nft", failing_acl_table)
    with pytest.raises(HcnError):
        lab.sim.ops.add_namespace_endpoint(namespace, endpoint["ID"], refresh=False)
    monkeypatch.setattr(Kernel, "nft", real_nft)
    assert lab.sim.namespace_endpoints(namespace) == []  # the HNS call was rolled back ...
    assert _ports_in(lab, lab.names.namespace(namespace)) == []  # ... and so was the kernel
    lab.sim.ops.add_namespace_endpoint(namespace, endpoint["ID"], refresh=False)
    assert len(_ports_in(lab, lab.names.namespace(namespace))) == 1


def test_reconcile_rebuilds_lost_kernel_state(lab: Lab) -> None:
    _nat(lab)
    conf = {
        **NAT_CONF,
        "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80}]},
    }
    a = lab.container("nat", conf, "a")
    b = lab.container("nat", NAT_CONF, "b")
    # A "reboot": the host, the outside and one container's namespace are gone.
    lab.datapath.kernel.delete_namespaces([lab.host, lab.external, a.netns])
    # (The kernel tears the old namespaces down in the background: reconcile must cope with
    # b's veth end still hanging on to the old host namespace.)
    done = lab.cli("sim", "datapath", "--reconcile")
    assert done.returncode == 0, done.stderr
    assert lab.ping(b.netns, a.ip)
    assert lab.ping(a.netns, "198.19.0.1")
    lab.listen(a.netns, 80)
    assert lab.connect(lab.external, "198.18.0.2", 8080) == "hello from 80"
    _kernel_matches_state(lab)


def test_reconcile_removes_what_the_state_does_not_have(lab: Lab) -> None:
    _nat(lab)
    a = lab.container("nat", NAT_CONF, "a")
    stray_ns = lab.names.namespace("00000000-0000-4000-8000-00000000abcd")
    kernel = lab.datapath.kernel
    kernel.add_namespaces([stray_ns])
    stray_bridge = names.bridge("11111111-2222-4333-8444-555555555555")
    kernel.ip(lab.host, [f"link add name {stray_bridge} type bridge"])
    # A veth pair for an endpoint the state never had, inside container a's namespace.
    ghost = "99999999-8888-4777-8666-555555555555"
    kernel.ip(lab.host, [f"link add name {names.host_port(ghost)} type veth peer name "
                         f"{names.container_port(ghost)} netns {a.netns}"])  # fmt: skip
    endpoint = lab.sim.endpoint("a_natNet")
    assert endpoint is not None
    assert len(_ports_in(lab, a.netns)) == 2
    done = lab.cli("sim", "datapath", "--reconcile")
    assert done.returncode == 0, done.stderr
    assert not lab.names.exists(stray_ns)
    assert stray_bridge not in [x["ifname"] for x in lab.links(lab.host)]
    assert _ports_in(lab, a.netns) == [names.container_port(endpoint["ID"])]
    _kernel_matches_state(lab)


def test_reconcile_adopts_state_made_without_the_datapath(tmp_path: Path, lab: Lab) -> None:
    env = lab.sim.env()
    env.pop("HCNPY_SIM_DATAPATH", None)
    state = str(tmp_path / "plain.db")
    env["HCNPY_SIM_STATE"] = state

    def hcnpy(*args: str) -> str:
        done = subprocess.run([str(BIN / "hcnpy"), *args], env=env, capture_output=True,
                              text=True, check=True)  # fmt: skip
        return done.stdout

    hcnpy("network", "create", "--name", "natNet", "--type", "NAT", "--subnet", "10.5.0.0/24",
          "--gateway", "10.5.0.1")  # fmt: skip
    ns = [json.loads(hcnpy("namespace", "create", "--json"))["ID"] for _ in range(2)]
    for i, namespace in enumerate(ns):
        subprocess.run([str(BIN / "nat")], input=json.dumps(NAT_CONF).encode(), check=True,
                       capture_output=True, env=dict(env, CNI_COMMAND="ADD", CNI_NETNS=namespace,
                       CNI_CONTAINERID=f"c{i}", CNI_IFNAME="eth0", CNI_PATH=str(BIN)))  # fmt: skip
    datapath = open_datapath(state)
    assert datapath.names.all_present() == []
    done = subprocess.run([str(BIN / "hcnpy"), "sim", "datapath", "--reconcile"],
                          env=dict(env, HCNPY_SIM_DATAPATH="netns"), capture_output=True,
                          text=True, check=False)  # fmt: skip
    try:
        assert done.returncode == 0, done.stderr
        assert lab.ping(datapath.names.namespace(ns[0]), "10.5.0.3")
    finally:
        datapath.cleanup()
    assert datapath.names.all_present() == []


def test_two_instances_never_share_a_kernel_object(tmp_path: Path, lab: Lab) -> None:
    _nat(lab)
    a = lab.container("nat", NAT_CONF, "a")
    other_root = tmp_path / "other"
    other_root.mkdir()
    other = Sim(other_root)
    other.extra_env["HCNPY_SIM_DATAPATH"] = "netns"
    second = Lab(other)
    try:
        assert second.names.prefix != lab.names.prefix
        second.sim.network("natNet", "NAT", (("10.0.0.0/16", "10.0.0.1"),))
        twin = second.container("nat", NAT_CONF, "a")
        assert twin.ip == a.ip  # the same addresses, in separate kernels objects
        assert lab.ping(a.netns, "198.19.0.1") and second.ping(twin.netns, "198.19.0.1")
        second.datapath.cleanup()
        assert not [n for n in list_netns() if second.names.owns(n)]
        assert lab.ping(a.netns, "10.0.0.1")  # the first instance is untouched
    finally:
        second.close()


def test_cleanup_removes_every_namespace_of_the_instance(lab: Lab) -> None:
    _nat(lab)
    lab.container("nat", NAT_CONF, "a")
    assert len(lab.names.all_present()) == 3
    done = lab.cli("sim", "datapath", "--cleanup")
    assert done.returncode == 0, done.stderr
    assert "Removed 3 namespace(s)" in done.stdout
    assert lab.names.all_present() == []
    assert not [n for n in list_netns() if n.startswith(lab.names.prefix)]


def test_deleting_an_attached_endpoint_or_its_namespace_removes_its_kernel_side(lab: Lab) -> None:
    _nat(lab)
    network = lab.sim.ops.get_network_by_name("natNet")
    mapping = {"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80,
                                                   "ExternalPort": 8080}}  # fmt: skip
    acl = {"Type": "ACL", "Settings": {"Action": "Allow", "Direction": "In"}}
    first = lab.sim.ops.create_endpoint(network["ID"], {"Name": "one", "Policies": [mapping, acl]})
    second = lab.sim.ops.create_endpoint(network["ID"], {"Name": "two"})
    ns_one, ns_two = lab.sim.namespace(), lab.sim.namespace()
    lab.sim.ops.add_namespace_endpoint(ns_one, first["ID"], refresh=False)
    lab.sim.ops.add_namespace_endpoint(ns_two, second["ID"], refresh=False)
    assert "8080" in lab.ruleset(lab.host)
    assert "hcnsim_acl_" in lab.ruleset(lab.names.namespace(ns_one))
    # HNS detaches an endpoint it deletes; the datapath finds its namespace from the kernel.
    lab.sim.ops.delete_endpoint(first["ID"])
    assert _ports_in(lab, lab.names.namespace(ns_one)) == []
    assert "8080" not in lab.ruleset(lab.host)
    assert "hcnsim_acl_" not in lab.ruleset(lab.names.namespace(ns_one))
    # Deleting a namespace that still holds an endpoint takes the endpoint's veth with it.
    lab.sim.ops.delete_namespace(ns_two)
    assert not lab.names.exists(lab.names.namespace(ns_two))
    assert names.host_port(second["ID"]) not in [x["ifname"] for x in lab.links(lab.host)]
    _kernel_matches_state(lab)


def test_deleting_a_network_removes_its_bridge_and_outside_routes(lab: Lab) -> None:
    _nat(lab)
    bridge_net = lab.sim.network("bridgeNet", "L2Bridge", (("10.1.0.0/24", "10.1.0.1"),))
    routes = lab.run(lab.external, "ip", "route", "show", "proto", "250").stdout
    assert "10.1.0.0/24 via 198.18.0.2" in routes
    lab.sim.ops.delete_network(bridge_net["ID"])
    assert names.bridge(bridge_net["ID"]) not in [x["ifname"] for x in lab.links(lab.host)]
    assert lab.run(lab.external, "ip", "route", "show", "proto", "250").stdout == ""
    assert "10.1.0.0/24" not in lab.ruleset(lab.host)
    assert "10.0.0.0/16" in lab.ruleset(lab.host)  # the NAT network's elements stay


def test_the_machine_is_left_alone(lab: Lab) -> None:
    """A whole lifecycle leaves the machine's own namespace exactly as it was."""
    before = _root_snapshot()
    _nat(lab)
    conf = {
        **NAT_CONF,
        "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80}]},
    }
    a = lab.container("nat", conf, "a")
    assert lab.ping(a.netns, "198.19.0.1")
    lab.delete("nat", conf, a, "a")
    lab.datapath.cleanup()
    assert _root_snapshot() == before
    assert not [n for n in list_netns() if lab.names.owns(n)]


def test_a_missing_bridge_is_built_when_an_endpoint_needs_it(lab: Lab) -> None:
    network = _nat(lab)
    lab.datapath.kernel.ip(lab.host, [f"link del {names.bridge(network['ID'])}"])
    a = lab.container("nat", NAT_CONF, "a")  # the attach finds no bridge and builds it
    assert lab.ping(a.netns, "10.0.0.1")
    assert lab.ping(a.netns, "198.19.0.1")
