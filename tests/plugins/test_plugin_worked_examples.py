"""The worked examples run: ``make demo``'s script and the ACL exploration."""

from __future__ import annotations

import subprocess
import sys

from ..suite_env import environ_without
from .wp_harness import EXAMPLES


def _env() -> dict[str, str]:
    env = environ_without("CNI_", "HCNPY_", "CAP_")
    env["NO_COLOR"] = "1"
    return env


def test_demo_shows_the_whole_flow() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py")],
        env=_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert '"code": 81' in out and '"code": 71' in out
    assert "web1_natNet" in out and "HCN_E_PORT_ALREADY_EXISTS" in out
    assert "all cleaned up" in out
    for command in ("hcnpy network create", "cniskel add natNet", "hcnpy endpoint list",
                    "cniskel del natNet"):  # fmt: skip
        assert command in out  # every command is echoed before it runs


def test_acl_block_allow() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "acl_block_allow.py")],
        env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sections = proc.stdout.split("\n--- ")
    titles = [s.splitlines()[0] for s in sections[1:]]
    assert titles == [
        "three container endpoints, no ACL",
        "web: Block inbound from stranger (prio 100), Allow in and out (prio 200)",
        "web: the block removed, the allow rules kept",
        "cleaned up",
    ]
    assert sections[2].count("ACL Block In 172.30.0.4 prio 100") == 1
    assert sections[3].count("ACL Allow") == 2 and "Block" not in sections[3]
    assert "aclDemoNet" not in sections[4]
    assert "ping" not in proc.stdout  # the datapath (and its pings) is opt-in


def test_schema_demo_still_runs() -> None:
    """hcnpy's schema round-trip demo (formerly examples/demo.py) still works."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "schema_demo.py")],
        env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
