"""Replay: a recorded trace, re-issued against a fresh simulated HNS, behaves the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import ModuleType

import pytest

from hcnpy.bindings import Library
from hcnpy.replay import Mismatch, replay
from hcnpy.trace import read_trace

from . import sequence

TRACES = Path(__file__).resolve().parent.parent / "traces"


def _fresh_state(monkeypatch: pytest.MonkeyPatch, engine: ModuleType, path: Path) -> None:
    monkeypatch.setenv("HCNPY_SIM_STATE", str(path))
    engine.reset_engine()


def test_a_recorded_sequence_replays_without_mismatch(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: ModuleType
) -> None:
    trace = tmp_path / "recorded.jsonl"
    library.set_trace(trace)
    sequence.run(library)
    library.set_trace(None)
    assert len(read_trace(trace)) > 30
    _fresh_state(monkeypatch, engine, tmp_path / "replay.sqlite3")
    mismatches = replay(trace, library)
    assert mismatches == [], "\n".join(map(str, mismatches))


def test_the_committed_trace_replays(library: Library) -> None:
    # "loose": the engine may grow output fields; regenerate the file with
    # `python -m tests.hcnpy.native.sequence tests/hcnpy/traces/cni-add-del.jsonl`.
    mismatches = replay(TRACES / "cni-add-del.jsonl", library, shapes="loose")
    assert mismatches == [], "\n".join(map(str, mismatches))


def test_a_different_outcome_is_reported(library: Library) -> None:
    records = read_trace(TRACES / "cni-add-del.jsonl")
    first = records[0]
    assert first.function == "HNSCall"
    tampered = [dataclasses.replace(first, hresult=0x80070005), *records[1:]]
    mismatches = replay(tampered, library)
    assert [(m.index, m.field) for m in mismatches] == [(0, "hresult")]
    assert "expected '0x80070005', got '0x00000000'" in str(mismatches[0])


def test_unknown_functions_and_handles_are_reported(library: Library) -> None:
    records = read_trace(TRACES / "cni-add-del.jsonl")
    bogus = dataclasses.replace(records[0], function="HcnFrobnicate")
    orphan = next(r for r in records if r.function == "HcnQueryNetworkProperties")
    found = replay([bogus, orphan], library)
    assert found == [
        Mismatch(0, "HcnFrobnicate", "function", "a known HCN function", "HcnFrobnicate"),
        Mismatch(1, orphan.function, "call", "issued", found[1].actual),
    ]
    assert "not issued" in str(found[1].actual)
