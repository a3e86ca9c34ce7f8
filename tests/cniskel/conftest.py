"""Shared fixtures for the cniskel tests."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cniskel.testing import install_shim

CNI_BIN_DIR = "/usr/lib/cni"
PLUGINS_DIR = Path(__file__).parent / "plugins"


def reference_plugin(name: str) -> str:
    """Path of a Debian reference plugin; skip (with the reason) when absent."""
    path = os.path.join(CNI_BIN_DIR, name)
    if not os.access(path, os.X_OK):
        pytest.skip(
            f"{path} missing: install Debian's containernetworking-plugins "
            "(make test does it when run as root)"
        )
    return path


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A CNI_PATH directory holding the noop plugin and the test plugins."""
    directory = tmp_path / "bin"
    install_shim(str(directory), "noop")
    for script in PLUGINS_DIR.glob("*.py"):
        target = directory / script.stem.replace("_", "-")
        target.write_text(f"#!{sys.executable}\n" + script.read_text(encoding="utf-8"))
        target.chmod(0o755)
    return directory


@pytest.fixture
def debug_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a noop debug file with the given fields; returns its path."""
    counter = iter(range(1000))

    def make(**fields: object) -> Path:
        path = tmp_path / f"debug-{next(counter)}.json"
        path.write_text(json.dumps(fields), encoding="utf-8")
        return path

    return make


@pytest.fixture
def reference_bin(tmp_path: Path) -> Iterator[Path]:
    """A CNI_PATH directory with host-local and static (skips when not installed)."""
    directory = tmp_path / "refbin"
    directory.mkdir()
    for name in ("host-local", "static"):
        shutil.copy(reference_plugin(name), directory / name)
    yield directory
