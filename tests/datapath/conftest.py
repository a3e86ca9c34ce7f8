"""Fixtures for the datapath tests: a simulated HNS with ``HCNPY_SIM_DATAPATH=netns``.

The connectivity tests need root and ``ip``/``nft``/``nsenter``; without them they skip with
the datapath's own reason (CI runs as root, with ``make system-deps``). Each test's instance is
cleaned up afterwards and checked to have left no namespace behind; the whole session checks
that the machine's own routes, links and nftables ruleset are exactly as before.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcnpy.sim import engine
from hcnpy.sim.datapath import DatapathUnavailable, open_datapath
from hcnpy.sim.datapath.names import list_netns

from ..plugins.wp_harness import Sim
from .dp_harness import Lab


def _unavailable() -> str | None:
    try:
        open_datapath(str(Path(tempfile.gettempdir()) / "hcnpy-datapath-probe.db"))
    except DatapathUnavailable as exc:
        return str(exc)
    return None


UNAVAILABLE = _unavailable()
needs_datapath = pytest.mark.skipif(UNAVAILABLE is not None, reason=UNAVAILABLE or "")


def _root_snapshot() -> dict[str, str]:
    """What the machine's own namespace looks like (what the datapath must never change)."""
    commands = {
        "routes": ["ip", "route", "show", "table", "all"],
        "routes6": ["ip", "-6", "route", "show", "table", "all"],
        "links": ["ip", "-o", "link", "show"],
        "addresses": ["ip", "-o", "addr", "show"],
        "ruleset": ["nft", "list", "ruleset"],
    }
    # Lifetimes count down on their own: they are not changes.
    clock = re.compile(r"\s(valid_lft|preferred_lft|expires)\s+\S+")
    return {
        name: clock.sub("", subprocess.run(argv, capture_output=True, text=True).stdout)
        for name, argv in commands.items()
    }


@pytest.fixture(scope="session", autouse=True)
def machine_is_left_alone() -> Iterator[None]:
    """The machine's routes, links, addresses and ruleset are the same after the session."""
    if UNAVAILABLE is not None:
        yield
        return
    before = _root_snapshot()
    yield
    after = _root_snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"the datapath tests changed the machine's own {changed}"


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:
    """A fresh simulated HNS with the datapath on (plugins and this process alike)."""
    if UNAVAILABLE is not None:
        pytest.skip(UNAVAILABLE)
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.db"))
    monkeypatch.setenv("HCNPY_SIM_DATAPATH", "netns")
    monkeypatch.setenv("WINPLUGINS_LOCK_DIR", str(tmp_path / "locks"))
    for name in ("HCNPY_SIM_FAULTS", "HCNPY_TRACE", "HCNPY_SIM_HNS_VERSION"):
        monkeypatch.delenv(name, raising=False)
    sim = Sim(tmp_path)
    sim.extra_env["HCNPY_SIM_DATAPATH"] = "netns"
    instance = Lab(sim)
    try:
        yield instance
    finally:
        instance.close()
        sim.close()
        engine.reset_engine()
        left = [name for name in list_netns() if instance.names.owns(name)]
        assert not left, f"namespaces left behind: {left}"
