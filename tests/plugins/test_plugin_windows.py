"""The plugins' state directory on Windows: under %ProgramData%, Administrators and SYSTEM
only, refused (code 4) when others may write it; lock files never opened through a link.

Runs only on Windows, as an administrator (the ``windows-integration`` workflow); it needs
no HNS. ``test_plugin_reliability.py`` checks the same on POSIX.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from winplugins import locking, statedir
from winplugins.errors import ERR_ENV, PluginError

from hcnpy import safefiles
from hcnpy.safefiles import WINDOWS_TRUSTED_SIDS

pytestmark = [
    pytest.mark.windows,
    pytest.mark.skipif(sys.platform != "win32", reason="Windows ACLs and reparse points"),
]


@pytest.fixture
def program_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("WINPLUGINS_LOCK_DIR", raising=False)
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path))
    return tmp_path


def test_the_state_directory_is_under_program_data(program_data: Path) -> None:
    assert statedir.base_dir() == str(program_data / "hcnpy-winplugins")
    locks = Path(locking.lock_dir())
    assert locks == program_data / "hcnpy-winplugins" / "locks"
    for directory in (locks.parent, locks):
        owner, writers = safefiles._windows_security(str(directory))
        assert owner in WINDOWS_TRUSTED_SIDS
        assert set(writers) <= set(WINDOWS_TRUSTED_SIDS), (directory, writers)


def test_a_state_directory_users_may_write_is_code_4(program_data: Path) -> None:
    shared = program_data / "hcnpy-winplugins"
    shared.mkdir()
    subprocess.run(["icacls", str(shared), "/grant", "*S-1-5-32-545:(OI)(CI)M"], check=True)
    with pytest.raises(PluginError) as info:
        locking.lock_dir()
    assert info.value.code == ERR_ENV and "S-1-5-32-545" in info.value.msg


def test_a_lock_file_link_is_refused_and_its_target_untouched(program_data: Path) -> None:
    victim = program_data / "victim.txt"
    victim.write_text("keep")
    os.symlink(victim, locking.lock_path("c1"))
    with pytest.raises(PluginError, match="symbolic link") as info:
        locking.FileLock("c1").acquire()
    assert info.value.code == ERR_ENV
    assert victim.read_text() == "keep"


def test_locks_exclude_each_other(program_data: Path) -> None:
    with locking.FileLock("c1"):
        assert not locking.FileLock("c1").acquire(blocking=False)
        other = locking.FileLock("c2")
        assert other.acquire(blocking=False)
        other.release()
