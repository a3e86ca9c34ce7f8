"""Files another local user cannot hijack (issue #10): modes, owners, symlinks."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from hcnpy.safefiles import (
    UnsafePathError,
    check_trusted_file,
    open_private,
    private_dir,
    refuse_symlink,
)
from hcnpy.sim.engine import Engine
from hcnpy.sim.state import StateError
from hcnpy.trace import TraceWriter

ROOT_ONLY = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root to give a file another owner (CI runs as root)"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_private_directory_is_created_0700_even_under_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        made = Path(private_dir(str(tmp_path / "a" / "b")))
    finally:
        os.umask(old)
    assert _mode(made) == 0o700


def test_a_directory_others_may_write_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    with pytest.raises(UnsafePathError, match="writable by group or others"):
        private_dir(str(shared))


def test_a_symlinked_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(UnsafePathError, match="symbolic link"):
        private_dir(str(tmp_path / "link"))


@ROOT_ONLY
def test_someone_elses_directory_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    with pytest.raises(UnsafePathError, match="uid 65534"):
        private_dir(str(theirs))


def test_private_files_are_0600_and_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("keep")
    (tmp_path / "planted").symlink_to(target)
    with pytest.raises(OSError):
        open_private(str(tmp_path / "planted"), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    assert target.read_text() == "keep"
    os.close(open_private(str(tmp_path / "new"), os.O_WRONLY | os.O_CREAT))
    assert _mode(tmp_path / "new") == 0o600
    loose = tmp_path / "loose"
    loose.write_text("")
    loose.chmod(0o666)
    os.close(open_private(str(loose), os.O_RDONLY))
    assert _mode(loose) == 0o600


@ROOT_ONLY
def test_someone_elses_file_is_not_opened(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.write_text("")
    os.chown(theirs, 65534, 65534)
    with pytest.raises(UnsafePathError, match="uid 65534"):
        open_private(str(theirs), os.O_RDWR)


def test_trusted_files_belong_to_us_and_only_we_may_write_them(tmp_path: Path) -> None:
    library = tmp_path / "lib.so"
    library.write_bytes(b"")
    library.chmod(0o755)
    check_trusted_file(str(library))
    library.chmod(0o775)
    with pytest.raises(UnsafePathError):
        check_trusted_file(str(library))
    (tmp_path / "alias.so").symlink_to(library)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        check_trusted_file(str(tmp_path / "alias.so"))
    refuse_symlink(str(tmp_path / "missing"))  # absent is fine


def test_the_state_file_and_its_wal_are_0600_in_a_0700_directory(tmp_path: Path) -> None:
    state = tmp_path / "state" / "hns.sqlite3"
    old = os.umask(0o022)
    try:
        engine = Engine(state_path=str(state), faults="")
        engine.create("Network", None, json.dumps({"Name": "n"}))
    finally:
        os.umask(old)
    assert _mode(state.parent) == 0o700
    assert _mode(state) == 0o600
    wal = Path(str(state) + "-wal")
    assert wal.exists() and _mode(wal) == 0o600
    assert _mode(Path(str(state) + "-shm")) == 0o600
    engine.shutdown()


def test_a_symlinked_state_file_or_wal_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "hns.sqlite3").symlink_to(victim)
    with pytest.raises(StateError, match="unsafe simulated HNS state"):
        Engine(state_path=str(tmp_path / "hns.sqlite3"), faults="")
    (tmp_path / "b.sqlite3-wal").symlink_to(victim)
    with pytest.raises(StateError, match="symbolic link"):
        Engine(state_path=str(tmp_path / "b.sqlite3"), faults="")
    assert victim.read_text() == "keep"


def test_traces_are_0600_and_never_written_through_a_symlink(tmp_path: Path) -> None:
    writer = TraceWriter(tmp_path / "trace.jsonl")
    writer.write(b"{}\n")
    assert _mode(tmp_path / "trace.jsonl") == 0o600
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "planted.jsonl").symlink_to(victim)
    with pytest.warns(UserWarning, match="cannot write the HCN trace"):
        TraceWriter(tmp_path / "planted.jsonl").write(b"{}\n")
    assert victim.read_text() == "keep"
