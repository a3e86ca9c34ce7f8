"""Process fuzz: plugin processes fed garbage, wrong types at every key, bad environments.

Every run must end with an exit status and stdout that are a valid CNI result or error (see
:func:`tests.campaigns.invariants.output_problems`), no Python traceback, and nothing left in
HNS or host-local (an ADD that succeeds is DELeted with the same input, which must work).

``make test`` runs the walk of every key for ADD of sdnbridge and a bounded number of
hypothesis examples; ``WINPLUGINS_FUZZ_VERBS`` (e.g. ``ADD,CHECK,DEL,GC,STATUS``) and
``WINPLUGINS_FUZZ_EXAMPLES`` widen it (``make soak``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..plugins.wp_harness import BIN, Outcome, Sim, have_host_local
from .fuzzing import (
    NETWORK,
    ODD_ENV_VALUES,
    REPLACEMENTS,
    SUBNET,
    path_id,
    paths,
    realistic_conf,
    replaced,
)
from .invariants import World, allocations_under, output_problems, stray_processes

pytestmark = pytest.mark.skipif(not have_host_local(), reason="make system-deps installs it")

VERBS = [v.strip().upper() for v in os.environ.get("WINPLUGINS_FUZZ_VERBS", "ADD").split(",")]
EXAMPLES = int(os.environ.get("WINPLUGINS_FUZZ_EXAMPLES") or 20)
#: (plugin, HNS network name, HNS network type)
PLUGINS = (("sdnbridge", NETWORK, "L2Bridge"), ("nat", "natNet", "NAT"),
           ("sdnoverlay", "vxlan0", "Overlay"))  # fmt: skip
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _networks(sim: Sim) -> str:
    for _, name, kind in PLUGINS:
        sim.network(name, kind, [SUBNET] if name == NETWORK else [("10.50.0.0/16", "10.50.0.1")])
    return sim.namespace()


def _conf_for(sim: Sim, plugin: str) -> dict[str, Any]:
    conf = realistic_conf(sim.ipam_dir)
    name = next(n for p, n, _ in PLUGINS if p == plugin)
    conf.update(type=plugin, name=name)
    if plugin != "sdnbridge":
        conf["ipam"]["ranges"] = [[{"subnet": "10.50.0.0/16", "rangeStart": "10.50.1.10",
                                    "rangeEnd": "10.50.1.250"}]]  # fmt: skip
    return conf


def _environ(
    sim: Sim, command: str, netns: str, overrides: dict[str, bytes | None]
) -> dict[bytes, bytes]:
    base = sim.env()
    base.update(CNI_COMMAND=command, CNI_CONTAINERID="fuzzed", CNI_NETNS=netns,
                CNI_IFNAME="eth0", CNI_ARGS="", CNI_PATH=os.pathsep.join(sim.cni_path))  # fmt: skip
    env = {k.encode(): v.encode() for k, v in base.items()}
    for key, value in overrides.items():
        if value is None:
            env.pop(key.encode(), None)
        else:
            env[key.encode()] = value
    return env


def _workdir(sim: Sim) -> Path:
    """The plugins' working directory: where a relative path in the input lands."""
    path = sim.root / "cwd"
    path.mkdir(exist_ok=True)
    return path


def _run(sim: Sim, plugin: str, stdin: bytes, env: dict[bytes, bytes]) -> Outcome:
    exe = shutil.which(plugin, path=str(BIN)) or plugin
    proc = subprocess.run([exe], input=stdin, env=env, capture_output=True, timeout=120,
                          check=False, cwd=_workdir(sim))  # fmt: skip
    return Outcome([plugin], proc)


def _verb_of(env: dict[bytes, bytes]) -> str:
    return env.get(b"CNI_COMMAND", b"").decode("utf-8", "replace")


def fuzz_once(sim: Sim, plugin: str, stdin: bytes, env: dict[bytes, bytes]) -> list[str]:
    """Run one fuzzed process; what went wrong (empty: nothing)."""
    verb = _verb_of(env)
    outcome = _run(sim, plugin, stdin, env)
    problems = [f"{verb}: {p}" for p in output_problems(outcome, verb)]
    if verb == "ADD" and outcome.ok:
        deleted = _run(sim, plugin, stdin, {**env, b"CNI_COMMAND": b"DEL"})
        problems += [f"DEL after a successful ADD: {p}" for p in output_problems(deleted, "DEL")]
        if not deleted.ok:
            problems.append(f"DEL after a successful ADD failed: {deleted!r}")
    problems += World.observe(sim).leftovers() + allocations_under(_workdir(sim))
    problems += stray_processes(sim.state)
    if problems:
        _scrub(sim)
    return problems


def _scrub(sim: Sim) -> None:
    """Remove what a failed case left, so the next example starts clean."""
    for endpoint in sim.endpoints():
        for namespace in sim.ops.list_namespaces():
            if endpoint["ID"].lower() in sim.namespace_endpoints(namespace["ID"]):
                sim.ops.remove_namespace_endpoint(namespace["ID"], endpoint["ID"])
        sim.ops.delete_endpoint(endpoint["ID"])
    for directory in (sim.ipam_dir, _workdir(sim)):
        shutil.rmtree(directory, ignore_errors=True)


# -- the walk: each key of the realistic configuration, each wrong value ---------------------

_WALK = list(paths(realistic_conf(Path("ipam"))))


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("path", _WALK, ids=path_id)
def test_wrong_value_at_every_key(sim: Sim, verb: str, path: tuple[str | int, ...]) -> None:
    netns = _networks(sim)
    conf = _conf_for(sim, "sdnbridge")
    if verb in ("GC", "STATUS"):
        conf["cniVersion"] = "1.1.0"
    problems = []
    for kind, value in REPLACEMENTS.items():
        stdin = replaced(conf, path, value)
        container = b"" if verb in ("GC", "STATUS") else b"fuzzed"
        env = _environ(sim, verb, netns, {"CNI_CONTAINERID": container})
        found = fuzz_once(sim, "sdnbridge", stdin, env)
        problems += [f"{path_id(path)}={kind}: {p}" for p in found]
    assert problems == []


# -- hypothesis: random wrong values anywhere, for every plugin and verb -------------------------

_verbs = st.sampled_from(["ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION"])
_plugins = st.sampled_from([p for p, _, _ in PLUGINS])


@FUZZ
@given(plugin=_plugins, verb=_verbs, data=st.data())
def test_random_wrong_values(sim: Sim, plugin: str, verb: str, data: st.DataObject) -> None:
    netns = sim.namespace() if sim.ops.list_networks() else _networks(sim)
    conf = _conf_for(sim, plugin)
    conf["cniVersion"] = data.draw(st.sampled_from(["0.3.1", "0.4.0", "1.0.0", "1.1.0"]))
    where = data.draw(st.sampled_from(list(paths(conf))), label="path")
    kind = data.draw(st.sampled_from(sorted(REPLACEMENTS)), label="replacement")
    env = _environ(sim, verb, netns, {})
    assert fuzz_once(sim, plugin, replaced(conf, where, REPLACEMENTS[kind]), env) == []


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20,
)  # fmt: skip
_garbage = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    _json.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"", b"{", b"[]", b"null", b'{"cniVersion": "1.0.0"}', b"\xef\xbb\xbf{}",
                     b'{"cniVersion":"1.0.0","name":"bridgeNet","type":"sdnbridge"}\x00junk',
                     b'{"name": "a", "name": "b"}', b"{" * 100_000]),
)  # fmt: skip


@FUZZ
@given(plugin=_plugins, verb=_verbs, stdin=_garbage)
def test_garbage_stdin(sim: Sim, plugin: str, verb: str, stdin: bytes) -> None:
    netns = sim.namespace() if sim.ops.list_networks() else _networks(sim)
    assert fuzz_once(sim, plugin, stdin, _environ(sim, verb, netns, {})) == []


# -- bad environments ---------------------------------------------------------------------------

_ONE_ODD = [
    pytest.param(name, value, id=f"{name}={'unset' if value is None else value[:20]!r}")
    for name, values in ODD_ENV_VALUES.items()
    for value in values
]


@pytest.mark.parametrize(("variable", "value"), _ONE_ODD)
@pytest.mark.parametrize("verb", ["ADD", "DEL"])
def test_one_odd_variable(sim: Sim, verb: str, variable: str, value: bytes | None) -> None:
    netns = _networks(sim)
    stdin = json.dumps(_conf_for(sim, "sdnbridge")).encode()
    env = _environ(sim, verb, netns, {variable: value})
    assert fuzz_once(sim, "sdnbridge", stdin, env) == []


@FUZZ
@given(plugin=_plugins, verb=_verbs, data=st.data())
def test_bad_environment(sim: Sim, plugin: str, verb: str, data: st.DataObject) -> None:
    netns = sim.namespace() if sim.ops.list_networks() else _networks(sim)
    names = data.draw(st.sets(st.sampled_from(sorted(ODD_ENV_VALUES)), min_size=1), label="vars")
    overrides = {n: data.draw(st.sampled_from(ODD_ENV_VALUES[n]), label=n) for n in sorted(names)}
    stdin = json.dumps(_conf_for(sim, plugin)).encode()
    assert fuzz_once(sim, plugin, stdin, _environ(sim, verb, netns, overrides)) == []
