"""Shared set-up of the campaigns: the network, the configurations a runtime sends, and the
HCN call sequence of each verb read from a trace of an unfaulted run."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hcnpy.sim import engine

from ..plugins.wp_harness import Outcome, Sim, with_prev_result

PLUGIN = "nat"
NETWORK = "natNet"
SUBNET = ("10.0.0.0/16", "10.0.0.1")
#: ADD, CHECK and DEL speak 1.0.0: Debian's host-local (1.1.1) supports nothing newer.
VERSION = "1.0.0"
#: GC exists from 1.1.0 on.
GC_VERSION = "1.1.0"


def add_conf(sim: Sim, *, network: str = NETWORK, plugin: str = PLUGIN,
             subnet: str = SUBNET[0], host_port: int | None = 8080) -> dict[str, Any]:  # fmt: skip
    """A runtime's ADD configuration: host-local IPAM and (by default) one port mapping."""
    conf: dict[str, Any] = {
        "cniVersion": VERSION,
        "name": network,
        "type": plugin,
        "ipam": {"type": "host-local", "subnet": subnet, "dataDir": str(sim.ipam_dir)},
    }
    if host_port is not None:
        conf["capabilities"] = {"portMappings": True}
        conf["runtimeConfig"] = {
            "portMappings": [{"hostPort": host_port, "containerPort": 80, "protocol": "tcp"}]
        }
    return conf


def gc_conf(conf: dict[str, Any], valid: list[str], ifname: str = "eth0") -> dict[str, Any]:
    """The same network's configuration as GC gets it: 1.1.0 and the valid attachments."""
    gc = {k: v for k, v in conf.items() if k not in ("prevResult", "runtimeConfig")}
    gc["cniVersion"] = GC_VERSION
    gc["cni.dev/valid-attachments"] = [{"containerID": c, "ifname": ifname} for c in valid]
    return gc


def gc_ipam_unsupported(outcome: Outcome) -> bool:
    """Debian's host-local predates GC: its skeleton answers GC with code 3 "missing
    containerID" (reference: cni-spec.md, skel v1.1.2). The plugin forwards GC to its IPAM as
    the spec requires, so with host-local that answer is GC's outcome once the plugin's own
    part (the endpoints) is done."""
    data = outcome.json
    return (
        outcome.exit_code == 1
        and isinstance(data, dict)
        and data.get("code") == 3
        and data.get("msg") == "missing containerID"
    )


@contextlib.contextmanager
def scratch_sim() -> Iterator[Sim]:
    """A throw-away :class:`Sim` that leaves this process's environment as it found it."""
    saved = {k: os.environ.get(k) for k in ("HCNPY_SIM_STATE", "HCNPY_SIM_FAULTS")}
    with tempfile.TemporaryDirectory(prefix="campaign-") as root:
        sim = Sim(Path(root))
        try:
            yield sim
        finally:
            sim.close()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            engine.reset_engine()


def numbered(functions: list[str]) -> list[tuple[str, int]]:
    """``[f, g, f]`` -> ``[(f, 1), (g, 1), (f, 2)]``: what ``@N`` counts (per function)."""
    seen: dict[str, int] = {}
    out = []
    for function in functions:
        seen[function] = seen.get(function, 0) + 1
        out.append((function, seen[function]))
    return out


def traced_sequences() -> dict[str, list[tuple[str, int]]]:
    """The HCN calls of an unfaulted ADD, CHECK, DEL and GC of one container, in order."""
    with scratch_sim() as sim:
        sim.network(NETWORK, "NAT", [SUBNET])
        namespace = sim.namespace()
        conf = add_conf(sim)
        sim.extra_env["HCNPY_TRACE"] = str(sim.trace)
        sequences: dict[str, list[tuple[str, int]]] = {}
        added = sim.add(PLUGIN, conf, netns=namespace)
        sequences["ADD"] = numbered(sim.trace_calls())
        prev = with_prev_result(conf, added.json)
        runs: dict[str, Callable[[], Outcome]] = {
            "CHECK": lambda: sim.run(PLUGIN, "CHECK", prev, netns=namespace),
            "DEL": lambda: sim.delete(PLUGIN, prev, netns=namespace),
            "GC": lambda: sim.run(PLUGIN, "GC", gc_conf(conf, []), container_id=""),
        }
        for verb, run in runs.items():
            outcome = run()
            if not (outcome.ok or (verb == "GC" and gc_ipam_unsupported(outcome))):
                raise RuntimeError(f"unfaulted {verb} failed while tracing: {outcome!r}")
            sequences[verb] = numbered(sim.trace_calls())
        if not added.ok or not sequences["ADD"] or not sequences["DEL"]:
            raise RuntimeError(f"unfaulted ADD failed while tracing: {added!r}")
        return sequences
