"""Issue 10's defects, one regression test each, run as a runtime runs the plugins.

1. a failed handle close after the work is done never fails ADD;
2. endpoints of two containers whose ``<container>_<network>`` names collide stay apart;
3. only "not found" from enumerate/open means absent (not from a query after an open);
4. DEL waits for the IPAM delegate of a killed ADD (the delegate inherits the lock);
5. huge numbers in the configuration are a clear error, not a traceback;
6. the ``CNI_NETNS`` check comes before the plugin acts;
7. ``hnsTimeoutSeconds`` bounds a verb's HNS time; when it passes the verb undoes its work;
8. the plugins' state directory and files are private, and symlinks are refused.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from .wp_harness import BIN, HOST_LOCAL, Sim, have_host_local

NAT: dict[str, Any] = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}

needs_host_local = pytest.mark.skipif(not have_host_local(), reason="needs /usr/lib/cni/host-local")


def with_host_local(sim: Sim, ipam_type: str = "host-local") -> dict[str, Any]:
    ipam = {"type": ipam_type, "subnet": "10.0.0.0/16", "dataDir": str(sim.ipam_dir)}
    return {**NAT, "ipam": ipam}


# --- 1 --------------------------------------------------------------------------------------


def test_1_a_failed_close_does_not_fail_a_finished_add(sim: Sim) -> None:
    sim.network("natNet")
    ns = sim.namespace()
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnCloseNetwork=E_FAIL@1;HcnCloseEndpoint=E_FAIL@1"
    out = sim.add("nat", NAT, netns=ns)
    assert out.ok, out
    (endpoint,) = sim.endpoints()
    assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]
    assert sim.delete("nat", NAT, netns=ns).ok
    assert sim.endpoints() == []


# --- 2 --------------------------------------------------------------------------------------


def test_2_colliding_names_of_two_containers_stay_apart(sim: Sim) -> None:
    # Container "a_b" on network "c" and container "a" on network "b_c": both "a_b_c".
    sim.network("c", subnets=[("10.1.0.0/16", "10.1.0.1")])
    sim.network("b_c", subnets=[("10.2.0.0/16", "10.2.0.1")])
    ns1, ns2 = sim.namespace(), sim.namespace()
    first = {**NAT, "name": "c"}
    second = {**NAT, "name": "b_c"}
    assert sim.add("nat", first, container_id="a_b", netns=ns1).ok
    assert sim.add("nat", second, container_id="a", netns=ns2).ok
    endpoints = sim.endpoints()
    assert [e["Name"] for e in endpoints] == ["a_b_c", "a_b_c"]
    assert len({e["ID"] for e in endpoints}) == 2
    # DEL of either removes its own endpoint only.
    assert sim.delete("nat", second, container_id="a", netns=ns2).ok
    (left,) = sim.endpoints()
    assert sim.namespace_endpoints(ns1) == [left["ID"].lower()]
    assert sim.add("nat", second, container_id="a", netns=ns2).ok
    assert sim.delete("nat", first, container_id="a_b", netns=ns1).ok
    (left,) = sim.endpoints()
    assert sim.namespace_endpoints(ns2) == [left["ID"].lower()]


# --- 3 --------------------------------------------------------------------------------------


@needs_host_local
def test_3_not_found_from_a_query_is_not_absence(sim: Sim) -> None:
    sim.network("natNet")
    ns = sim.namespace()
    conf = with_host_local(sim)
    assert sim.add("nat", conf, netns=ns).ok
    (endpoint,) = sim.endpoints()
    held = sim.ipam_files()
    assert len(held) == 1
    # The endpoint opens, then its query says "not found": HNS changed under us, so DEL
    # must fail (the runtime retries) and leave the endpoint attached and the address held.
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnQueryEndpointProperties=HCN_E_ENDPOINT_NOT_FOUND"
    out = sim.delete("nat", conf, netns=ns)
    assert out.code == 11, out
    assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]
    assert sim.ipam_files() == held
    # A repeated ADD in the same situation must not free the running container's address.
    again = sim.add("nat", conf, netns=ns)
    assert not again.ok
    assert sim.ipam_files() == held
    assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]
    sim.extra_env.pop("HCNPY_SIM_FAULTS")
    assert sim.delete("nat", conf, netns=ns).ok
    assert (sim.endpoints(), sim.ipam_files()) == ([], [])


# --- 4 --------------------------------------------------------------------------------------


@needs_host_local
def test_4_del_waits_for_the_ipam_delegate_of_a_killed_add(sim: Sim, tmp_path: Path) -> None:
    sim.network("natNet")
    ns = sim.namespace()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    started, finished = tmp_path / "delegate-started", tmp_path / "delegate-finished"
    slow = bin_dir / "slow-ipam"
    slow.write_text(
        "#!/bin/sh\n"
        f'if [ "$CNI_COMMAND" != ADD ]; then exec {HOST_LOCAL}; fi\n'
        f"touch {started}; sleep 2\n"
        f"{HOST_LOCAL}; status=$?\n"
        f"touch {finished}; exit $status\n"
    )
    slow.chmod(0o755)
    sim.cni_path.insert(0, str(bin_dir))
    conf = with_host_local(sim, "slow-ipam")
    env = sim.env(
        CNI_COMMAND="ADD",
        CNI_CONTAINERID="c1",
        CNI_NETNS=ns,
        CNI_IFNAME="eth0",
        CNI_PATH=os.pathsep.join(sim.cni_path),
    )
    add = subprocess.Popen(
        [str(BIN / "nat")],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert add.stdin is not None
    add.stdin.write(json.dumps(conf).encode())
    add.stdin.close()
    for _ in range(1000):
        if started.exists():
            break
        time.sleep(0.01)
    assert started.exists(), "the IPAM delegate never started"
    add.send_signal(signal.SIGKILL)  # the plugin dies; its delegate goes on allocating
    add.wait()
    out = sim.delete("nat", conf, netns=ns)
    assert out.ok, out
    for _ in range(1000):  # the orphaned delegate's allocation is on disk by now
        if finished.exists():
            break
        time.sleep(0.01)
    assert finished.exists(), "the IPAM delegate never finished"
    # DEL waited for the delegate (it held the container's lock), so the address it
    # allocated was released, not leaked.
    assert sim.ipam_files() == []
    assert sim.endpoints() == []


# --- 5 --------------------------------------------------------------------------------------


HUGE = "9" * 5000


@pytest.mark.parametrize(
    "fragment",
    [
        f'"hnsTimeoutSeconds": {HUGE}',
        '"hnsTimeoutSeconds": 1e400',
        f'"runtimeConfig": {{"portMappings": [{{"hostPort": {HUGE}, "containerPort": 80}}]}}',
        f'"optionalFlags": {{"loopbackDSR": {HUGE}}}',
    ],
)
def test_5_huge_numbers_are_a_clear_error(sim: Sim, fragment: str) -> None:
    sim.network("natNet")
    ns = sim.namespace()
    stdin = ('{"cniVersion": "1.0.0", "name": "natNet", "type": "nat", ' + fragment + "}").encode()
    out = sim.add("nat", stdin, netns=ns)
    assert out.code in (6, 7), out
    assert "Traceback" not in out.stderr and out.msg
    assert sim.endpoints() == []
    assert sim.delete("nat", stdin, netns=ns).ok  # DEL does not read those keys


# --- 6 --------------------------------------------------------------------------------------


@needs_host_local
def test_6_a_refused_netns_is_refused_before_anything_is_done(sim: Sim) -> None:
    sim.network("natNet")
    conf = with_host_local(sim)
    out = sim.add("nat", conf, netns="/proc/self/ns/net")
    assert out.code == 8, out
    assert sim.endpoints() == []
    assert sim.ipam_files() == []


# --- 7 --------------------------------------------------------------------------------------


@needs_host_local
def test_7_hns_timeout_stops_add_undoes_it_and_del_leaves_nothing(sim: Sim) -> None:
    sim.network("natNet")
    ns = sim.namespace()
    conf = {**with_host_local(sim), "hnsTimeoutSeconds": 3}
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnCreateEndpoint=stall:30000"
    # The process timeout only guards against a hang; the plugin itself gives up after 3 s.
    out = sim.add("nat", conf, netns=ns, timeout=25)
    assert out.code == 11, out
    assert "HcnCreateEndpoint" in out.msg and "hnsTimeoutSeconds" in out.msg
    assert sim.ipam_files() == []  # the address was released again
    sim.extra_env.pop("HCNPY_SIM_FAULTS")
    assert sim.delete("nat", conf, netns=ns).ok
    assert (sim.endpoints(), sim.ipam_files(), sim.namespace_endpoints(ns)) == ([], [], [])


def test_7_del_is_bounded_too_and_says_try_again(sim: Sim) -> None:
    sim.network("natNet")
    ns = sim.namespace()
    conf = {**NAT, "hnsTimeoutSeconds": 1}
    assert sim.add("nat", conf, netns=ns).ok
    sim.extra_env["HCNPY_SIM_FAULTS"] = "HcnDeleteEndpoint=stall:30000"
    out = sim.delete("nat", conf, netns=ns, timeout=25)
    assert out.code == 11 and "HcnDeleteEndpoint" in out.msg, out
    sim.extra_env.pop("HCNPY_SIM_FAULTS")
    assert sim.delete("nat", conf, netns=ns).ok
    assert sim.endpoints() == []


@pytest.mark.parametrize("value", [0, -1, "3", True, 3601])
def test_7_a_bad_hns_timeout_is_code_7(sim: Sim, value: object) -> None:
    sim.network("natNet")
    out = sim.add("nat", {**NAT, "hnsTimeoutSeconds": value}, netns=sim.namespace())
    assert out.code == 7 and "hnsTimeoutSeconds" in out.msg, out
    assert sim.endpoints() == []


# --- 8 --------------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_8_state_directory_and_files_are_private(sim: Sim) -> None:
    sim.network("natNet")
    assert sim.add("nat", NAT, netns=sim.namespace()).ok
    state = sim.locks
    for directory in (state, state / "locks", state / "networks"):
        assert _mode(directory) == 0o700, directory
    files = [p for p in state.rglob("*") if p.is_file()]
    assert files and all(_mode(p) == 0o600 for p in files), files
    assert _mode(sim.state) == 0o600
    for suffix in ("-wal", "-shm"):  # this process still has the state open: both exist
        assert _mode(Path(f"{sim.state}{suffix}")) == 0o600


def test_8_a_state_directory_others_may_write_is_refused(sim: Sim) -> None:
    sim.network("natNet")
    sim.locks.mkdir(mode=0o700)
    sim.locks.chmod(0o777)
    out = sim.add("nat", NAT, netns=sim.namespace())
    assert out.code == 4 and "state directory" in out.msg, out
    assert "writable by group or others" in out.msg
    assert sim.endpoints() == []


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_8_a_state_directory_of_another_user_is_refused(sim: Sim) -> None:
    sim.network("natNet")
    sim.locks.mkdir(mode=0o700)
    os.chown(sim.locks, 65534, 65534)
    out = sim.add("nat", NAT, netns=sim.namespace())
    assert out.code == 4 and "uid 65534" in out.msg, out


def test_8_a_planted_lock_symlink_is_refused(sim: Sim, tmp_path: Path) -> None:
    sim.network("natNet")
    (sim.locks / "locks").mkdir(parents=True, mode=0o700)
    sim.locks.chmod(0o700)
    target = tmp_path / "victim"
    (sim.locks / "locks" / "c1.lock").symlink_to(target)
    out = sim.add("nat", NAT, netns=sim.namespace())
    assert out.code == 4 and "symbolic link" in out.msg, out
    assert "Traceback" not in out.stderr
    assert not target.exists()
    assert sim.endpoints() == []
