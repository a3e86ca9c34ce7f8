"""Switching the datapath on: only when asked, and a clear refusal where it cannot run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hcnpy import bindings
from hcnpy.errors import HcnError
from hcnpy.ops import Ops
from hcnpy.sim import engine
from hcnpy.sim.datapath import DatapathUnavailable, from_environment, tools


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.db"))
    monkeypatch.delenv("HCNPY_SIM_DATAPATH", raising=False)


@pytest.mark.parametrize("value", [None, "", "off", " OFF "])
def test_off_unless_asked(value: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if value is not None:
        monkeypatch.setenv("HCNPY_SIM_DATAPATH", value)
    assert from_environment() is None


def test_an_unknown_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_SIM_DATAPATH", "vxlan")
    with pytest.raises(DatapathUnavailable, match=r"HCNPY_SIM_DATAPATH='vxlan': want 'netns'"):
        from_environment()


def test_root_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_SIM_DATAPATH", "netns")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(DatapathUnavailable, match=r"needs root .* running as uid 1000"):
        from_environment()


def test_missing_programs_are_named_with_their_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HCNPY_SIM_DATAPATH", "netns")
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tools, "_EXTRA_DIRS", ())
    with pytest.raises(DatapathUnavailable) as caught:
        from_environment()
    message = str(caught.value)
    for wanted in ("ip (Debian package iproute2)", "nft (Debian package nftables)",
                   "nsenter (Debian package util-linux)"):  # fmt: skip
        assert wanted in message


def test_linux_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_SIM_DATAPATH", "netns")
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(DatapathUnavailable, match=r"needs Linux .*; this is darwin"):
        from_environment()


def test_the_engine_turns_a_refusal_into_clean_hcn_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_SIM_DATAPATH", "netns")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    engine.reset_engine()
    try:
        ops = Ops(bindings.load("sim-inprocess"))
        with pytest.raises(HcnError) as caught:
            ops.list_networks()
        assert caught.value.hresult == 0x80004005
        assert "needs root" in str(caught.value)
    finally:
        engine.reset_engine()


def test_off_means_not_even_loaded(tmp_path: Path) -> None:
    """Without the switch, a process of the simulator never imports the datapath proper."""
    code = (
        "import json, sys\n"
        "from hcnpy.sim.engine import Engine\n"
        f"Engine(state_path={str(tmp_path / 'x.db')!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('hcnpy.sim.datapath'))))\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert json.loads(done.stdout) == ["hcnpy.sim.datapath", "hcnpy.sim.datapath.errors"]
