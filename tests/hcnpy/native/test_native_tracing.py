"""The HCNPY_TRACE format: one JSON line per C call, appended atomically."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from hcnpy import bindings
from hcnpy.bindings import Library, ObjectKind
from hcnpy.errors import HcnTimeout, NotFoundError
from hcnpy.trace import read_trace

from . import documents, sequence


def test_each_call_is_one_line_with_inputs_outputs_and_hresult(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "trace.jsonl"
    library.set_trace(path)
    sequence.run(library)
    library.set_trace(None)
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(read_trace(path)) > 30
    first = records[0]
    assert set(first) == {
        "ts", "pid", "backend", "function", "inputs", "outputs", "hresult", "hresult_int",
        "duration_ms",
    }  # fmt: skip
    assert first["function"] == "HNSCall"
    assert first["inputs"] == {"Method": "GET", "Path": "/globals/version", "Object": ""}
    assert json.loads(first["outputs"]["Response"])["Success"] is True
    assert first["hresult"] == "0x00000000" and first["hresult_int"] == 0
    assert first["pid"] == os.getpid() and first["backend"] == "sim"
    assert isinstance(first["ts"], float) and first["duration_ms"] >= 0

    create = next(r for r in records if r["function"] == "HcnCreateEndpoint")
    assert set(create["inputs"]) == {"Network", "Id", "Settings"}
    assert isinstance(create["inputs"]["Network"], int) and create["inputs"]["Id"] is None
    assert json.loads(create["inputs"]["Settings"])["Name"] == "hcnpy-test-ep"
    handle = create["outputs"]["Handle"]
    assert (
        isinstance(handle, int)
        and 0 < handle < 1_000_000
        and create["outputs"]["ErrorRecord"] is None
    )
    close = next(r for r in records if r["function"] == "HcnCloseEndpoint")
    assert close["inputs"] == {"Handle": handle} and close["outputs"] == {}

    miss = next(r for r in records if r["function"] == "HcnOpenNetwork")
    assert miss["inputs"] == {"Id": "5f0b1190-63be-4e0c-b974-bd0f55675a42"}
    assert miss["outputs"]["Handle"] is None
    assert json.loads(miss["outputs"]["ErrorRecord"])["ErrorCode"] == miss["hresult_int"]
    assert miss["hresult"] == f"0x{miss['hresult_int']:08X}" and miss["hresult_int"] & 0x80000000


def test_hcnpy_trace_is_read_when_the_library_is_loaded(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "env.jsonl"
    monkeypatch.setenv("HCNPY_TRACE", str(path))
    traced = bindings.open_library("sim", path=library.path)
    traced.hns_call("GET", "/globals/version")
    with pytest.raises(NotFoundError):
        traced.delete(ObjectKind.ENDPOINT, uuid.uuid4())
    assert [r.function for r in read_trace(path)] == ["HNSCall", "HcnDeleteEndpoint"]


def test_non_ascii_text_stays_readable(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "utf8.jsonl"
    library.set_trace(path)
    with library.create(ObjectKind.NETWORK, documents.network("r\u00e9seau-\U0001f600")) as h:
        object_id = uuid.UUID(documents.identity(library.query(h, documents.QUERY)))
    library.delete(ObjectKind.NETWORK, object_id)
    assert "r\u00e9seau-\U0001f600" in path.read_text(encoding="utf-8")


def test_an_abandoned_call_is_traced_when_it_finishes(
    library: Library, tmp_path: Path, faults: Callable[[str], None]
) -> None:
    faults("HNSCall=stall:200")
    path = tmp_path / "late.jsonl"
    library.set_trace(path)
    with pytest.raises(HcnTimeout):
        library.hns_call("GET", "/globals/version", timeout=0.02)
    assert library.join_pending(5)
    (record,) = read_trace(path)
    assert record.function == "HNSCall" and record.duration_ms >= 150


def test_parallel_processes_never_interleave_lines(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "shared.jsonl"
    code = (
        "from hcnpy.bindings import load\n"
        "lib = load('sim')\n"
        "for _ in range(40): lib.hns_call('GET', '/globals/version', 'x' * 3000)\n"
    )
    env = {**os.environ, "HCNPY_TRACE": str(path), "HCNPY_SIM_LIBRARY": library.path}
    workers = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err.decode()
    records = read_trace(path)
    assert len(records) == 120
    assert len({r.pid for r in records}) == 3
