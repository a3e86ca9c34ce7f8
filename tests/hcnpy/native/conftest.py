"""Every test gets a fresh simulated HNS, and must leave no open handle and no unfreed string."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from hcnpy import bindings
from hcnpy.bindings import Library
from hcnpy.sim import engine as engine_module


@pytest.fixture(scope="session")
def engine() -> ModuleType:
    """The simulator engine module (``get_engine``/``reset_engine``)."""
    return engine_module


@pytest.fixture(scope="session")
def library(engine: ModuleType) -> Library:
    """The process-wide ``sim`` library: the bindings over the stand-in shared library."""
    return bindings.load("sim")


@pytest.fixture(autouse=True)
def fresh_hns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: ModuleType, library: Library
) -> Iterator[None]:
    """A private state file per test; afterwards, zero open handles and zero unfreed strings."""
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.sqlite3"))
    for name in ("HCNPY_SIM_FAULTS", "HCNPY_TRACE"):
        monkeypatch.delenv(name, raising=False)
    engine.reset_engine()
    yield
    library.set_trace(None)
    assert library.join_pending(10), "a call abandoned by a timeout never finished"
    counters = library.leak_counters()
    engine.reset_engine()
    assert counters == (0, 0), f"leaked (open handles, unfreed strings): {counters}"


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch, engine: ModuleType) -> Callable[[str], None]:
    """Set ``HCNPY_SIM_FAULTS`` and restart the engine (call before creating anything)."""

    def apply(spec: str) -> None:
        monkeypatch.setenv("HCNPY_SIM_FAULTS", spec)
        engine.reset_engine()

    return apply
