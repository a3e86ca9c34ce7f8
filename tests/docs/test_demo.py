"""``make demo`` (examples/demo.py): its echoed commands run as shown; ``--keep`` keeps state.

Issue #13: the echoed commands lacked the environment they need and named a directory the
demo then deleted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ..suite_env import environ_without

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "examples" / "demo.py"


def environment(tmp_path: Path) -> dict[str, str]:
    """The caller's environment without anything the demo depends on, temp files in tmp_path."""
    env = environ_without("HCNPY_", "CNI", "CAP_ARGS", "NETCONFPATH", "WINPLUGINS_")
    return {**env, "NO_COLOR": "1", "TMPDIR": str(tmp_path)}


def run_demo(tmp_path: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(DEMO), *args],
        cwd=ROOT,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def echoed(out: str) -> list[tuple[str, str]]:
    """``(command, what it printed)`` for every echoed command, continuation lines joined."""
    commands: list[tuple[str, str]] = []
    lines = out.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith("$ "):
            continue
        command = line[2:]
        while command.endswith("\\"):
            command = command[:-1] + lines[index].strip()
            index += 1
        shown = []
        while index < len(lines) and lines[index].startswith("  ") and "->" not in lines[index]:
            shown.append(lines[index][2:])
            index += 1
        commands.append((command, "\n".join(shown)))
    return commands


def test_without_keep_nothing_names_the_deleted_directory(tmp_path: Path) -> None:
    out = run_demo(tmp_path)
    assert "all cleaned up" in out
    assert list(tmp_path.iterdir()) == []  # the state directory is gone
    assert str(tmp_path) not in out  # ... and nothing printed names it
    assert "--keep" in out
    commands = echoed(out)
    assert len(commands) >= 12
    for command, _ in commands:
        assert command.startswith('HCNPY_BACKEND=sim HCNPY_SIM_STATE="$DEMO/hns.db" '), command
        if "cniskel " in command:
            for variable in ("NETCONFPATH=", "CNI_PATH=", "CNISKEL_CACHE_DIR=", "WINPLUGINS_"):
                assert variable in command, command


def test_with_keep_the_echoed_commands_run_as_shown(tmp_path: Path) -> None:
    out = run_demo(tmp_path, "--keep")
    (kept,) = tmp_path.iterdir()
    assert f"Kept the state directory: {kept}" in out
    assert re.search(rf"^  export DEMO={re.escape(str(kept))}$", out, re.M)
    assert (kept / "hns.db").is_file() and (kept / "net.d" / "10-natnet.conflist").is_file()

    commands = echoed(out)
    env = {**environment(tmp_path), "DEMO": str(kept)}

    def shell(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    # The last look at HNS, run again by hand, shows the same.
    listing, shown = next(c for c in reversed(commands) if c[0].endswith("hcnpy namespace list"))
    again = shell(listing)
    assert again.returncode == 0, again.stderr
    assert again.stdout.rstrip() == shown
    # A runtime command, as echoed, finds the configuration, the plugin and the state.
    delete = next(c for c, _ in reversed(commands) if "cniskel del natNet " in c)
    assert shell(delete).returncode == 0
    # The closing suggestion runs too.
    assert shell(commands[-1][0]).returncode == 0
