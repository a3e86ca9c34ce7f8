"""Crash consistency: the plugin is SIGKILLed at every HCN call of ADD and of DEL.

The calls come from a trace (``HCNPY_TRACE``) of an unfaulted ADD and DEL, so the cases follow
the plugin when its call sequence changes. Each call is killed at both moments a real plugin
can die: before HNS acts (``kill``) and after HNS committed (``kill-after``). Then the runtime
cleans up as CNI says (DEL of the failed ADD, DEL retried after a failed DEL) and GC runs with
no valid attachment, in both orders; afterwards nothing may be left: no endpoint, no namespace
attachment, no address held by host-local, no process, and the state file passes
``PRAGMA integrity_check``.
"""

from __future__ import annotations

import signal
from typing import Any

import pytest

from ..plugins.wp_harness import Outcome, Sim, have_host_local, with_prev_result
from .invariants import (
    DELETING,
    Attachment,
    World,
    check_world,
    integrity_problems,
    output_problems,
    stray_processes,
)
from .scenarios import (
    NETWORK,
    PLUGIN,
    SUBNET,
    add_conf,
    gc_conf,
    gc_ipam_unsupported,
    traced_sequences,
)

pytestmark = pytest.mark.skipif(not have_host_local(), reason="make system-deps installs it")

MOMENTS = ("kill", "kill-after")
CLEANUPS = ("del,gc", "gc,del")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "killed_call" not in metafunc.fixturenames or not have_host_local():
        return
    sequences = traced_sequences()
    cases = []
    for verb in ("ADD", "DEL"):
        for index, (function, occurrence) in enumerate(sequences[verb], 1):
            for moment in MOMENTS:
                cases.append(
                    pytest.param(
                        (verb, function, occurrence, moment),
                        id=f"{verb}-{index:02d}-{function}@{occurrence}-{moment}",
                    )
                )
    metafunc.parametrize("killed_call", cases)


def _clean(sim: Sim, context: str) -> None:
    problems = integrity_problems(sim.state) + stray_processes(sim.state)
    problems += World.observe(sim).leftovers()
    assert problems == [], f"{context}: {problems}"


def _gc(sim: Sim, conf: dict[str, Any]) -> Outcome:
    outcome = sim.run(PLUGIN, "GC", gc_conf(conf, []), container_id="")
    assert output_problems(outcome, "GC") == [], outcome
    assert outcome.ok or gc_ipam_unsupported(outcome), outcome
    return outcome


@pytest.mark.parametrize("cleanup", CLEANUPS)
def test_kill_at_every_hcn_call(
    sim: Sim, killed_call: tuple[str, str, int, str], cleanup: str
) -> None:
    verb, function, occurrence, moment = killed_call
    sim.network(NETWORK, "NAT", [SUBNET])
    namespace = sim.namespace()
    conf = add_conf(sim)
    del_conf = conf  # after a failed ADD the runtime has no result to pass
    if verb == "DEL":
        added = sim.add(PLUGIN, conf, netns=namespace)
        assert added.ok, added
        del_conf = with_prev_result(conf, added.json)

    fault = f"{function}={moment}@{occurrence}"
    died = sim.run(PLUGIN, verb, del_conf if verb == "DEL" else conf, netns=namespace,
                   env={"HCNPY_SIM_FAULTS": fault})  # fmt: skip
    assert died.exit_code == -signal.SIGKILL, f"{fault}: the plugin was not killed: {died!r}"
    assert died.stdout == b"" and output_problems(died, verb) == [], died
    assert integrity_problems(sim.state) == []
    assert stray_processes(sim.state) == []
    # Whatever the crash left is one container on its way out, nothing worse.
    dying = Attachment("c1", NETWORK, namespace, state=DELETING)
    assert check_world(World.observe(sim), [dying]) == [], fault

    for step in cleanup.split(","):
        if step == "gc":
            _gc(sim, conf)
            world = World.observe(sim)
            assert world.endpoints == [], f"GC left endpoints after {fault}"
            assert all(not ids for ids in world.attached.values()), world.attached
        else:
            deleted = sim.delete(PLUGIN, del_conf, netns=namespace)
            assert deleted.ok, f"DEL after {fault}: {deleted!r}"
            assert output_problems(deleted, "DEL") == []
            _clean(sim, f"DEL after {fault}")
    _clean(sim, f"{cleanup} after {fault}")


@pytest.mark.parametrize(("moment", "endpoints"), [("kill", 0), ("kill-after", 1)])
def test_the_two_moments_differ(sim: Sim, moment: str, endpoints: int) -> None:
    """The cases above are not vacuous: killed before HcnCreateEndpoint acts there is no
    endpoint yet; killed after it committed the endpoint exists, unattached, with the address
    host-local still holds - exactly what the clean-up must find."""
    sim.network(NETWORK, "NAT", [SUBNET])
    namespace = sim.namespace()
    died = sim.add(PLUGIN, add_conf(sim), netns=namespace,
                   env={"HCNPY_SIM_FAULTS": f"HcnCreateEndpoint={moment}@1"})  # fmt: skip
    assert died.exit_code == -signal.SIGKILL, died
    world = World.observe(sim)
    assert len(world.endpoints) == endpoints
    assert world.attached == {namespace.lower(): []}
    (held,) = world.held.values()
    assert held == ("c1", "eth0")
    if endpoints:
        (address,) = [a for (_, a) in world.held]
        assert world.endpoints[0]["IpConfigurations"][0]["IpAddress"] == address
