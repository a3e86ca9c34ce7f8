"""Fixtures for the Windows plugin tests: a fresh simulated HNS per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .wp_harness import Sim


@pytest.fixture
def sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sim]:
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.db"))
    monkeypatch.setenv("WINPLUGINS_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.delenv("HCNPY_SIM_FAULTS", raising=False)
    monkeypatch.delenv("HCNPY_TRACE", raising=False)
    instance = Sim(tmp_path)
    yield instance
    instance.close()
