"""The kit against a private simulated HNS: in-process through the stand-in library, or as
``hcnpy conformance`` processes. After every in-process test the stand-in must report no
open handle and no unfreed string: the kit closes what it opens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hcnpy import bindings
from hcnpy.bindings import Library
from hcnpy.sim import engine

Restart = Callable[..., None]
Run = Callable[..., "subprocess.CompletedProcess[str]"]
KINDS = ("Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute")
_SETTINGS = ("HCNPY_SIM_FAULTS", "HCNPY_SIM_HNS_VERSION", "HCNPY_TRACE", "HCNPY_BACKEND",
             "HCNPY_SIM_DATAPATH")  # fmt: skip


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    """The ``sim`` library on a fresh state file."""
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.sqlite3"))
    for name in _SETTINGS:
        monkeypatch.delenv(name, raising=False)
    engine.reset_engine()
    lib = bindings.load("sim")
    yield lib
    counters = lib.leak_counters()
    engine.reset_engine()
    assert counters == (0, 0), f"leaked (open handles, unfreed strings): {counters}"


@pytest.fixture
def restart(monkeypatch: pytest.MonkeyPatch) -> Restart:
    """Restart the simulator with ``faults=`` and/or ``version=`` (``None`` leaves it)."""

    def apply(*, faults: str | None = None, version: str | None = None) -> None:
        if faults is not None:
            monkeypatch.setenv("HCNPY_SIM_FAULTS", faults)
        if version is not None:
            monkeypatch.setenv("HCNPY_SIM_HNS_VERSION", version)
        engine.reset_engine()

    return apply


def objects(library: Library) -> dict[str, list[str]]:
    """Every object in the simulator, by kind (only kinds that have some)."""
    found = {kind: library.enumerate(kind, "{}") for kind in KINDS}
    return {kind: ids for kind, ids in found.items() if ids}


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment of ``hcnpy`` processes: a private state file, no faults."""
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    env["HCNPY_SIM_STATE"] = str(tmp_path / "cli-hns.sqlite3")
    return env


@pytest.fixture
def hcnpy_cli(cli_env: dict[str, str], tmp_path: Path) -> Run:
    """``hcnpy_cli("conformance", "--json", env={...})``: one new ``hcnpy`` process."""

    def run(*args: str, env: dict[str, str] | None = None) -> Any:
        return subprocess.run(
            [sys.executable, "-m", "hcnpy", *args],
            env={**cli_env, **(env or {})},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


def json_out(result: subprocess.CompletedProcess[str]) -> Any:
    """What a ``--json`` run printed."""
    return json.loads(result.stdout)
