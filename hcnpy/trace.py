"""The HCN call trace: one JSON object per line, one line per C call.

Enabled with ``HCNPY_TRACE=<file>`` (read once, when the library is loaded). A line::

    {"ts": 1767000000.123, "pid": 4242, "backend": "hcn", "function": "HcnCreateEndpoint",
     "inputs": {"Network": 1, "Id": null, "Settings": "{...}"},
     "outputs": {"Handle": 2, "ErrorRecord": null},
     "hresult": "0x00000000", "hresult_int": 0, "duration_ms": 1.234}

Strings are kept as text, GUIDs as strings, handles as small per-process serial numbers.
Each line is appended with one ``write`` on an ``O_APPEND`` descriptor, so processes tracing
into the same file do not interleave lines. See ``docs/hcnpy/tracing.md``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .safefiles import open_private

__all__ = ["TraceRecord", "TraceWriter", "encode_record", "iter_trace", "read_trace"]

_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT


@dataclass(frozen=True)
class TraceRecord:
    """One traced call."""

    function: str
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any]
    hresult: int
    duration_ms: float = 0.0
    ts: float = 0.0
    pid: int = 0
    backend: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TraceRecord:
        """Decode one line's object; raises ``ValueError`` when a required key is missing."""
        try:
            function = str(data["function"])
            hresult = data.get("hresult_int")
            if not isinstance(hresult, int):
                hresult = int(str(data["hresult"]), 16)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"not a trace record: {exc}") from None
        known = {"function", "inputs", "outputs", "hresult", "hresult_int", "duration_ms"}
        known |= {"ts", "pid", "backend"}
        return cls(
            function=function,
            inputs=dict(data.get("inputs") or {}),
            outputs=dict(data.get("outputs") or {}),
            hresult=hresult & 0xFFFFFFFF,
            duration_ms=float(data.get("duration_ms") or 0.0),
            ts=float(data.get("ts") or 0.0),
            pid=int(data.get("pid") or 0),
            backend=str(data.get("backend") or ""),
            extra={k: v for k, v in data.items() if k not in known},
        )


def encode_record(
    backend: str,
    function: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any],
    hresult: int,
    duration_s: float,
    **extra: Any,
) -> bytes:
    """One trace line (UTF-8, newline-terminated)."""
    value = hresult & 0xFFFFFFFF
    record = {
        "ts": round(time.time(), 6),
        "pid": os.getpid(),
        "backend": backend,
        "function": function,
        "inputs": dict(inputs),
        "outputs": dict(outputs),
        "hresult": f"0x{value:08X}",
        "hresult_int": value,
        "duration_ms": round(duration_s * 1000.0, 3),
        **extra,
    }
    try:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: fall back to \u escapes
        return (json.dumps(record, separators=(",", ":")) + "\n").encode("ascii")


class TraceWriter:
    """Appends records to one file. A failing write warns once and never breaks the call."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._warned = False
        self._lock = threading.Lock()

    def write(self, line: bytes) -> None:
        """Append one encoded line with a single ``write``."""
        try:
            fd = open_private(self.path, _FLAGS)  # 0600, never through a symlink
            try:
                written = os.write(fd, line)
                while written < len(line):  # only on a short write (disk full, signal)
                    written += os.write(fd, line[written:])
            finally:
                os.close(fd)
        except OSError as exc:
            with self._lock:
                if self._warned:
                    return
                self._warned = True
            warnings.warn(f"hcnpy: cannot write the HCN trace to {self.path}: {exc}", stacklevel=2)

    def __repr__(self) -> str:
        return f"TraceWriter({self.path!r})"


def iter_trace(path: str | os.PathLike[str]) -> Iterator[TraceRecord]:
    """Yield the records of a trace file; raises ``ValueError`` naming a bad line."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                yield TraceRecord.from_json(data)
            except ValueError as exc:
                raise ValueError(f"{os.fspath(path)}:{number}: {exc}") from None


def read_trace(path: str | os.PathLike[str]) -> list[TraceRecord]:
    """Every record of a trace file, in order."""
    return list(iter_trace(path))


if __name__ == "__main__":  # pragma: no cover - a tiny viewer: python -m hcnpy.trace FILE
    for rec in iter_trace(sys.argv[1]):
        print(f"{rec.function:34} 0x{rec.hresult:08X} {rec.duration_ms:9.3f} ms")
