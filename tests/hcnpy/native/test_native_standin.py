"""Building, caching and finding the stand-in library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hcnpy.bindings import Library
from hcnpy.errors import HcnUnavailable
from hcnpy.safefiles import private_dir
from hcnpy.sim import _standin_build, standin
from hcnpy.sim.backend import open_standin

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is built on POSIX")


def test_warm_up_prints_the_cached_library(library: Library) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HCNPY_SIM_LIBRARY"}
    done = subprocess.run(
        [sys.executable, "-m", "hcnpy.sim.standin"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == library.path


def test_hcnpy_sim_library_names_a_prebuilt_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prebuilt = tmp_path / "libstandin.so"
    prebuilt.write_bytes(b"")
    prebuilt.chmod(0o644)
    monkeypatch.setenv("HCNPY_SIM_LIBRARY", str(prebuilt))
    assert standin.library_path() == str(prebuilt)


def test_a_library_others_may_write_is_never_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #10: a library planted where other users can write is refused, not run."""
    planted = tmp_path / "libstandin.so"
    planted.write_bytes(b"")
    planted.chmod(0o666)
    monkeypatch.setenv("HCNPY_SIM_LIBRARY", str(planted))
    with pytest.raises(standin.StandinError, match="writable by group or others"):
        standin.library_path()


def test_a_library_planted_in_the_cache_by_another_user_is_never_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the planted file another owner (CI runs as root)")
    cache = tmp_path / "cache"
    monkeypatch.setenv("HCNPY_SIM_CACHE", str(cache))
    monkeypatch.delenv("HCNPY_SIM_LIBRARY", raising=False)
    private_dir(str(cache))
    planted = cache / f"libhcnpy-standin-{standin.build_key()}.so"
    planted.write_bytes(b"not a library")
    os.chown(planted, 65534, 65534)
    with pytest.raises(standin.StandinError, match="belongs to uid 65534"):
        standin.library_path()


def test_the_cache_directory_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("HCNPY_SIM_CACHE", str(shared))
    monkeypatch.delenv("HCNPY_SIM_LIBRARY", raising=False)
    with pytest.raises(standin.StandinError, match="writable by group or others"):
        standin.library_path()
    fresh = tmp_path / "fresh" / "cache"
    monkeypatch.setenv("HCNPY_SIM_CACHE", str(fresh))
    path = standin.library_path()  # built (or copied) into a new directory
    assert (fresh.stat().st_mode & 0o777) == 0o700 and Path(path).parent == fresh


def test_the_cache_key_covers_every_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key = standin.build_key()
    assert key == standin.build_key() and len(key) == 16
    for source in standin._SOURCES:
        copy = tmp_path / Path(source).name
        copy.write_bytes(Path(source).read_bytes())
        changed = tuple(str(copy) if s == source else s for s in standin._SOURCES)
        monkeypatch.setattr(standin, "_SOURCES", changed)
        before = standin.build_key()
        with copy.open("ab") as edit:
            edit.write(b"\n")  # an edit of this source alone
        assert standin.build_key() != before, source
        monkeypatch.undo()


def test_the_library_is_plain_c_with_no_python_inside() -> None:
    source = _standin_build.c_source()
    assert "Python.h" not in source and "_cffi" not in source
    done = subprocess.run(
        [*_standin_build.compiler_command(), "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
         "-x", "c", "-"],
        input=source, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_concurrent_first_use_builds_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HCNPY_SIM_LIBRARY"}
    env["HCNPY_SIM_CACHE"] = str(tmp_path)
    code = "from hcnpy.sim.standin import library_path; print(library_path())"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
        outputs.append(out.decode().strip())
    assert len(set(outputs)) == 1
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [
        Path(outputs[0]).name
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")]
    # A fresh build is loadable and complete.
    code = "from hcnpy.bindings import open_library as o; print(o('sim').leak_counters())"
    env["HCNPY_SIM_STATE"] = str(tmp_path / "hns.sqlite3")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "(0, 0)", done.stderr


def test_no_compiler_is_a_clear_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCNPY_SIM_CACHE", str(tmp_path))
    monkeypatch.setenv("CC", "no-such-compiler")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(HcnUnavailable) as caught:
        open_standin()
    message = str(caught.value)
    assert "no C compiler found" in message
    assert "HCNPY_BACKEND=sim-inprocess" in message and "HCNPY_SIM_LIBRARY" in message


def test_an_unwritable_cache_is_a_clear_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("HCNPY_SIM_CACHE", str(blocker / "cache"))
    with pytest.raises(HcnUnavailable, match="HCNPY_SIM_CACHE"):
        open_standin()


