"""Fixtures of the reliability campaigns: a fresh simulated HNS per test, run as in production."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ..plugins.wp_harness import Sim


@pytest.fixture
def sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sim]:
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.db"))
    monkeypatch.setenv("WINPLUGINS_LOCK_DIR", str(tmp_path / "locks"))
    for name in ("HCNPY_SIM_FAULTS", "HCNPY_TRACE", "HCNPY_SIM_HNS_VERSION"):
        monkeypatch.delenv(name, raising=False)
    instance = Sim(tmp_path)
    yield instance
    instance.close()
