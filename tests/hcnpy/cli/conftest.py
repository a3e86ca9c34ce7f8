"""Run ``hcnpy`` as a subprocess against a private simulated HNS (one state file per test)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment every ``hcnpy`` call of a test shares."""
    env = dict(os.environ)
    for name in ("HCNPY_SIM_FAULTS", "HCNPY_SIM_HNS_VERSION", "HCNPY_TRACE"):
        env.pop(name, None)
    env["HCNPY_BACKEND"] = "sim"
    env["HCNPY_SIM_STATE"] = str(tmp_path / "hns.sqlite3")
    return env


@pytest.fixture
def hcnpy_cli(cli_env: dict[str, str], tmp_path: Path) -> Run:
    """``hcnpy_cli("network", "list", check=True, env={...})``: one new ``hcnpy`` process."""

    def run(*args: str, check: bool = False, env: dict[str, str] | None = None) -> Any:
        result = subprocess.run(
            [sys.executable, "-m", "hcnpy", *args],
            env={**cli_env, **(env or {})},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"hcnpy {' '.join(args)} failed: {result.stderr}")
        return result

    return run


def json_out(result: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a ``--json`` command printed."""
    return json.loads(result.stdout)
