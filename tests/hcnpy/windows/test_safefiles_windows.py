"""hcnpy.safefiles on Windows: private directories get an Administrators/SYSTEM-only ACL,
directories others may write are refused, and files are never opened through a link.

Runs only on Windows, as an administrator (the ``windows-integration`` workflow); it needs
no HNS. The same rules on POSIX are tested in ``tests/hcnpy/test_safefiles.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hcnpy import safefiles
from hcnpy.safefiles import WINDOWS_TRUSTED_SIDS, UnsafePathError

pytestmark = [
    pytest.mark.windows,
    pytest.mark.skipif(sys.platform != "win32", reason="Windows ACLs and reparse points"),
]

USERS = "S-1-5-32-545"  # BUILTIN\Users


def security(path: Path) -> tuple[str, list[str]]:
    return safefiles._windows_security(str(path))


def grant(path: Path, sid: str, rights: str = "(OI)(CI)M") -> None:
    subprocess.run(["icacls", str(path), "/grant", f"*{sid}:{rights}"], check=True)


def test_a_new_private_directory_is_for_administrators_and_system_only(tmp_path: Path) -> None:
    target = tmp_path / "private"
    safefiles.private_dir(str(target))
    owner, writers = security(target)
    assert owner in WINDOWS_TRUSTED_SIDS
    assert set(writers) <= set(WINDOWS_TRUSTED_SIDS), writers


def test_a_directory_users_may_write_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "shared"
    target.mkdir()
    grant(target, USERS)
    with pytest.raises(UnsafePathError, match=USERS):
        safefiles.private_dir(str(target))


def test_a_directory_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    os.symlink(real, link, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        safefiles.private_dir(str(link))


def test_a_file_symlink_is_never_opened(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "state.db"
    os.symlink(victim, link)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        safefiles.open_private(str(link), os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    assert victim.read_text() == "keep"


def test_a_library_users_may_write_is_not_trusted(tmp_path: Path) -> None:
    library = tmp_path / "hcn_standin.dll"
    library.write_bytes(b"MZ")
    grant(library, USERS, "M")
    with pytest.raises(UnsafePathError, match=USERS):
        safefiles.check_trusted_file(str(library))
