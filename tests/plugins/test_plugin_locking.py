"""The per-container file lock: exclusive across processes, independent per container."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from winplugins import locking
from winplugins.errors import ERR_TRY_AGAIN_LATER, PluginError


@pytest.fixture(autouse=True)
def _lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WINPLUGINS_LOCK_DIR", str(tmp_path / "locks"))
    return tmp_path / "locks"


def test_location_and_override(_lock_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from winplugins import statedir

    assert locking.lock_dir() == str(_lock_dir / "locks")
    assert locking.lock_path("abc/../x y") == str(_lock_dir / "locks" / "abc_.._x_y.lock")
    monkeypatch.delenv("WINPLUGINS_LOCK_DIR")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/7")
    assert statedir.base_dir() == "/run/user/7/hcnpy-winplugins"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", "/tmp")
    assert statedir.base_dir() == "/tmp/hcnpy-winplugins-1000"
    monkeypatch.setattr(os, "geteuid", lambda: 0)  # root: never a directory others can make
    assert statedir.base_dir() == "/run/hcnpy-winplugins"


def test_same_key_excludes_other_key_does_not() -> None:
    with locking.FileLock("c1"):
        other = locking.FileLock("c1")
        assert not other.acquire(blocking=False)
        different = locking.FileLock("c2")
        assert different.acquire(blocking=False)
        different.release()
    again = locking.FileLock("c1")
    assert again.acquire(blocking=False)
    again.release()


def test_timeout_is_code_11() -> None:
    with locking.FileLock("busy"):
        waiter = locking.FileLock("busy", timeout=0.05)
        with pytest.raises(PluginError) as info:
            waiter.acquire()
    assert info.value.code == ERR_TRY_AGAIN_LATER


def test_serialises_across_processes(tmp_path: Path) -> None:
    log = tmp_path / "log"
    script = (
        "import sys, time\n"
        "from winplugins.locking import FileLock\n"
        "with FileLock('shared'):\n"
        "    with open(sys.argv[1], 'a') as f: f.write('in\\n'); f.flush()\n"
        "    time.sleep(0.2)\n"
        "    with open(sys.argv[1], 'a') as f: f.write('out\\n')\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(log)]) for _ in range(3)]
    start = time.monotonic()
    assert all(p.wait(30) == 0 for p in procs)
    assert time.monotonic() - start >= 0.55
    assert log.read_text().split() == ["in", "out"] * 3
