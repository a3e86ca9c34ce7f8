"""The plugin path stays light, and a plain ADD/DEL stays within its HCN call budget.

* VERSION imports only the skeleton and the plugin shell (no hcnpy, no typing, no json).
* ADD imports neither attrs, cattrs nor the typed models.
* ADD and DEL processes import none of the slow standard-library modules in ``SLOW_STDLIB``
  (``typing``, ``json``, ``re``, ``threading``, ``sqlite3``, ...), and nothing of the
  simulator but the stand-in's loader: the simulator runs in its service, as HNS does. A call
  that succeeds never builds the ``HResult`` enum.
* HCN calls, counted from ``HCNPY_TRACE`` (``HcnClose*`` not counted): at most 8 per plain
  ADD and 6 per plain DEL; no ``HNSCall`` (version read) unless a feature check needs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .wp_harness import Sim

HEAVY = ("attr", "attrs", "cattrs", "cattr", "hcnpy.models", "hcnpy.client", "hcnpy.cli")
NAT = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}

# Runs the nat console-script entry point, recording imports of HEAVY modules, then prints
# the module list and the violations.
WRAPPER = r"""
import sys
HEAVY = %r
violations = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in HEAVY or name.startswith(tuple(h + "." for h in HEAVY)):
            violations.append(name)
        return None

sys.meta_path.insert(0, Watch())
from winplugins import core
from winplugins.nat import main
core.leave = lambda code: None  # stay alive (the plugin exits with os._exit) to report
main()
sys.stderr.write("\nMODULES=" + " ".join(sorted(sys.modules)) + "\n")
sys.stderr.write("VIOLATIONS=" + " ".join(violations) + "\n")
""" % (HEAVY,)  # noqa: UP031


def _run_wrapped(sim: Sim, command: str, stdin: bytes, **cni: str) -> tuple[set[str], list[str]]:
    env = sim.env(CNI_COMMAND=command, CNI_PATH=str(sim.root), **cni)
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER], input=stdin, env=env, capture_output=True, check=False
    )
    err = proc.stderr.decode()
    assert proc.returncode == 0, (proc.stdout, err)
    modules = err.split("MODULES=")[1].split("\n")[0].split()
    violations = err.split("VIOLATIONS=")[1].split("\n")[0].split()
    return set(modules), violations


def test_version_imports_almost_nothing(sim: Sim) -> None:
    modules, violations = _run_wrapped(sim, "VERSION", b"")
    assert violations == []
    assert not any(m == "hcnpy" or m.startswith("hcnpy.") for m in modules)
    assert not {"typing", "json", "ipaddress", "winplugins.flows", "cffi"} & modules
    assert {"cniskel.plugin", "winplugins.core", "winplugins.nat"} <= modules


def test_version_importtime(sim: Sim) -> None:
    env = sim.env(CNI_COMMAND="VERSION")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from winplugins.nat import main; main()"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert json.loads(proc.stdout)["supportedVersions"]
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.decode().splitlines()
                if line.startswith("import time:")][1:]  # fmt: skip
    assert "winplugins.core" in imported
    assert not [m for m in imported if m.startswith(("hcnpy", "typing", "attr", "cattrs"))]


def test_add_and_del_do_not_import_attrs(sim: Sim) -> None:
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    conf = {**NAT, "runtimeConfig": {"portMappings": [{"hostPort": 80, "containerPort": 80}]}}
    stdin = json.dumps(conf).encode()
    cni = {"CNI_CONTAINERID": "c1", "CNI_NETNS": ns, "CNI_IFNAME": "eth0"}
    modules, violations = _run_wrapped(sim, "ADD", stdin, **cni)
    assert violations == [], violations
    assert {"hcnpy.ops", "winplugins.flows"} <= modules
    assert sim.endpoints()
    modules, violations = _run_wrapped(sim, "DEL", stdin, **cni)
    assert violations == [], violations
    assert sim.endpoints() == []


# Standard-library modules that cost start-up time and that neither the plugin, hcnpy nor the
# simulator needs for a plain ADD or DEL (bench/plugins.py measures what is left).
SLOW_STDLIB = frozenset(
    ("typing", "contextlib", "pathlib", "urllib.parse", "uuid", "platform", "threading", "copy",
     "dataclasses", "json", "re", "sqlite3", "_sqlite3", "socket", "subprocess", "zlib")
)  # fmt: skip
#: What a plugin process may load of the simulator: the backend that finds the stand-in.
SIM_CLIENT = frozenset(("hcnpy.sim", "hcnpy.sim.backend", "hcnpy.sim.standin"))


def test_add_and_del_import_no_slow_stdlib_modules(sim: Sim) -> None:
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    stdin = json.dumps(NAT).encode()
    cni = {"CNI_CONTAINERID": "c1", "CNI_NETNS": ns, "CNI_IFNAME": "eth0"}
    for command in ("ADD", "DEL"):
        modules, _ = _run_wrapped(sim, command, stdin, **cni)
        assert "hcnpy.sim.standin" in modules  # the C stand-in was loaded
        simulator = {m for m in modules if m.startswith("hcnpy.sim")}
        assert simulator == SIM_CLIENT, (command, sorted(simulator - SIM_CLIENT))
        assert not SLOW_STDLIB & modules, (command, sorted(SLOW_STDLIB & modules))
        assert "hcnpy.hresult" not in modules, command


def _budget(calls: list[str]) -> list[str]:
    return [c for c in calls if not c.startswith("HcnClose")]


def test_call_budget_plain_add_and_del(sim: Sim) -> None:
    # Issue 12's budget: at most 7 HCN calls per ADD and 5 per DEL, handle closes aside.
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    sim.extra_env["HCNPY_TRACE"] = str(sim.trace)
    assert sim.add("nat", NAT, netns=ns).ok
    first = _budget(sim.trace_calls())
    assert first[0] == "HcnEnumerateNetworks"  # the first ADD finds the network by name
    assert sim.add("nat", NAT, container_id="c2", netns=sim.namespace()).ok
    add = _budget(sim.trace_calls())
    assert add == [
        "HcnOpenNetwork",  # by the ID remembered from the first ADD
        "HcnQueryNetworkProperties",
        "HcnEnumerateEndpoints",  # endpoints with the container's endpoint ID: none
        "HcnCreateEndpoint",
        "HcnQueryEndpointProperties",
        "HcnOpenNamespace",
        "HcnModifyNamespace",
    ]
    assert first[1:] == add
    assert sim.delete("nat", NAT, netns=ns).ok
    delete = _budget(sim.trace_calls())
    assert delete == [
        "HcnOpenEndpoint",
        "HcnQueryEndpointProperties",
        "HcnOpenNamespace",
        "HcnModifyNamespace",
        "HcnDeleteEndpoint",
    ]


def test_every_handle_is_closed(sim: Sim) -> None:
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    sim.extra_env["HCNPY_TRACE"] = str(sim.trace)
    conf = {**NAT, "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80}]}}
    for command in ("ADD", "DEL"):
        assert sim.run("nat", command, conf, netns=ns).ok
        results = sim.trace_results()
        calls = [function for function, _ in results]
        for kind in ("Network", "Endpoint", "Namespace"):
            opened = sum(
                1
                for function, hresult in results
                if hresult == 0 and function in (f"HcnOpen{kind}", f"HcnCreate{kind}")
            )
            assert opened == calls.count(f"HcnClose{kind}"), calls


def test_version_read_only_for_loopback_dsr(sim: Sim) -> None:
    sim.network("natNet", "NAT")
    sim.extra_env["HCNPY_TRACE"] = str(sim.trace)
    assert sim.add("nat", NAT, netns=sim.namespace()).ok
    assert "HNSCall" not in sim.trace_calls()
    dsr = {**NAT, "optionalFlags": {"loopbackDSR": True}}
    assert sim.add("nat", dsr, container_id="c2", netns=sim.namespace()).ok
    assert sim.trace_calls().count("HNSCall") == 1
    assert os.environ.get("HCNPY_TRACE") is None
