"""``hcnpy sim datapath`` and ``hcnpy sim exec`` as an operator uses them."""

from __future__ import annotations

import json
import subprocess
import uuid

from hcnpy.sim.datapath import world

from ..plugins.wp_harness import BIN
from .dp_harness import Lab

NAT_CONF = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}


def test_status(lab: Lab) -> None:
    lab.sim.network("natNet", "NAT", (("10.0.0.0/16", "10.0.0.1"),))
    lab.sim.namespace()
    lab.datapath.kernel.add_namespaces([lab.names.namespace(str(uuid.uuid4()))])
    done = lab.cli("sim", "datapath", "--json")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["Prefix"] == lab.names.prefix
    assert status["Host"] == lab.names.host and status["External"] == lab.names.external
    assert (status["HnsNamespaces"], status["Mirrored"], len(status["Stale"])) == (1, 1, 1)
    text = lab.cli("sim", "datapath").stdout
    assert "Namespaces  : 1 of 1 HNS namespaces mirrored" in text
    assert "hcnpy sim datapath --reconcile" in text  # the stale namespace is pointed out


def test_exec_in_a_namespace_the_host_and_the_outside(lab: Lab) -> None:
    lab.sim.network("natNet", "NAT", (("10.0.0.0/16", "10.0.0.1"),))
    a = lab.container("nat", NAT_CONF, "a")
    inside = lab.cli("sim", "exec", a.namespace_id, "--", "ip", "-o", "-4", "addr", "show")
    assert inside.returncode == 0 and f"inet {a.ip}/16" in inside.stdout
    host = lab.cli("sim", "exec", "--host", "--", "ip", "-o", "-4", "addr", "show")
    assert f"inet {world.HOST4}/24" in host.stdout and "inet 10.0.0.1/16" in host.stdout
    outside = lab.cli("sim", "exec", "--external", "--", "ping", "-c", "1", "-W", "1", a.ip)
    assert outside.returncode != 0  # a NAT network: the outside has no route into it
    assert "unreachable" in outside.stderr
    ping = lab.cli("sim", "exec", a.namespace_id, "--", "ping", "-c", "1", "-W", "1", "198.19.0.1")
    assert ping.returncode == 0, ping.stdout + ping.stderr
    status = lab.cli("sim", "exec", "--host", "--", "sh", "-c", "exit 7")
    assert status.returncode == 7  # the command's own exit status


def test_exec_usage_errors(lab: Lab) -> None:
    unknown = str(uuid.uuid4())
    cases = {
        ("sim", "exec", unknown, "--", "true"): f"no HNS namespace {unknown}",
        ("sim", "exec", "not-a-guid", "--", "true"): "give one HNS namespace ID",
        ("sim", "exec", "--host"): "nothing to run",
        ("sim", "exec", "--host", unknown, "--", "true"): "not both",
        ("sim", "exec", "--external", "--", "true"): "does not exist",  # no world yet
        ("sim", "datapath", "--all-instances"): "--all-instances goes with --cleanup",
    }
    for argv, message in cases.items():
        done = lab.cli(*argv)
        assert done.returncode == 2 and message in done.stderr, (argv, done.stderr)


def test_reconcile_reports_what_it_cannot_mirror(lab: Lab) -> None:
    lab.sim.network("natNet", "NAT", (("10.0.0.0/16", "10.0.0.1"),))
    env = lab.sim.env()
    env.pop("HCNPY_SIM_DATAPATH")
    # Made while the datapath was off: a subnet of the simulated world's own range.
    subprocess.run([str(BIN / "hcnpy"), "network", "create", "--name", "clash", "--type", "NAT",
                    "--subnet", "198.18.0.0/24", "--gateway", "198.18.0.1"], env=env,
                   check=True, capture_output=True)  # fmt: skip
    done = lab.cli("sim", "datapath", "--reconcile")
    assert done.returncode == 1
    assert "not mirrored: network" in done.stderr and "overlaps 198.18.0.0/15" in done.stderr
    a = lab.container("nat", NAT_CONF, "a")  # everything else was done
    assert lab.ping(a.netns, "10.0.0.1")


def test_reset_takes_the_kernel_side_too(lab: Lab) -> None:
    lab.sim.network("natNet", "NAT", (("10.0.0.0/16", "10.0.0.1"),))
    lab.container("nat", NAT_CONF, "a")
    assert lab.names.all_present()
    done = lab.cli("sim", "reset")
    assert done.returncode == 0, done.stderr
    assert lab.names.all_present() == []
