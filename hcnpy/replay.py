"""Replay a recorded HCN trace against a library and report every difference.

Each recorded call is issued again through the public :class:`hcnpy.bindings.Library` API.
IDs that HNS allocated are learnt on the way (by walking the recorded and the new outputs side
by side) and substituted into later inputs; recorded handle numbers map to the new handles.
For each call the HRESULT must be equal and the outputs must have the same shape:

* ``"exact"`` — the same JSON structure (keys, value types, list lengths), values ignored;
* ``"loose"`` — the same top-level kind (object, array and its length, text, absent).

Replay installs itself as the library's trace sink while it runs (calls made meanwhile by
other threads on the same library would be mixed in: replay on a library of your own).
Handles still open at the end are closed. See ``docs/hcnpy/tracing.md``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .bindings import CallbackRegistration, Handle, Library, ObjectKind
from .errors import HcnError
from .trace import TraceRecord, read_trace

__all__ = ["Mismatch", "replay", "shape"]

Shapes = Literal["exact", "loose"]

_GUID = re.compile(r"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b")
_OPERATIONS = ("Enumerate", "Create", "Open", "Modify", "Query", "Delete", "Close")
_FUNCTIONS: dict[str, tuple[str, ObjectKind | None]] = {
    kind.function(op): (op, kind) for kind in ObjectKind for op in _OPERATIONS
}
for _name in (
    "HcnQueryEndpointStats",
    "HcnQueryEndpointAddresses",
    "HNSCall",
    "HcnRegisterServiceCallback",
    "HcnUnregisterServiceCallback",
):
    _FUNCTIONS[_name] = (_name, None)


@dataclass(frozen=True)
class Mismatch:
    """One difference: call ``index`` (0-based) of the trace, which ``field``, both values."""

    index: int
    function: str
    field: str
    expected: object
    actual: object

    def __str__(self) -> str:
        return (
            f"#{self.index} {self.function}: {self.field}: "
            f"expected {self.expected!r}, got {self.actual!r}"
        )


def shape(value: Any) -> Any:
    """The structure of a decoded JSON value with the values left out."""
    if isinstance(value, dict):
        return {str(k): shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [shape(v) for v in value]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "string"


def _decode(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _text_shape(text: Any, mode: Shapes) -> Any:
    if text is None or text == "":
        return None
    value = _decode(text)
    if isinstance(text, str) and value is text:
        return "text"
    if mode == "exact":
        return shape(value)
    if isinstance(value, list):
        return f"array[{len(value)}]"
    return "object" if isinstance(value, dict) else type(value).__name__


def _ignore_notification(kind: int, status: int, data: str | None) -> None:
    """Replayed registrations receive notifications and drop them."""


class _Replayer:
    def __init__(self, library: Library, mode: Shapes) -> None:
        self.library = library
        self.mode = mode
        self.ids: dict[str, str] = {}
        self.handles: dict[int, Handle | CallbackRegistration] = {}
        self.captured: list[TraceRecord] = []

    # The trace sink: the library reports each C call it makes here.
    def write(self, line: bytes) -> None:
        self.captured.append(TraceRecord.from_json(json.loads(line)))

    def text(self, value: Any) -> str:
        text = "" if value is None else str(value)
        return _GUID.sub(lambda m: self.ids.get(m.group(0).lower(), m.group(0)), text)

    def guid(self, value: Any) -> uuid.UUID | None:
        return None if value is None else uuid.UUID(self.text(value))

    def handle(self, serial: Any) -> Any:
        return self.handles[int(serial)]

    def issue(self, record: TraceRecord) -> object:
        """Make the call ``record`` describes; returns what the library returned."""
        operation, kind = _FUNCTIONS[record.function]
        inputs, lib = record.inputs, self.library
        if kind is not None:
            if operation == "Enumerate":
                return lib.enumerate(kind, self.text(inputs.get("Query")))
            if operation == "Create":
                network = self.handle(inputs["Network"]) if "Network" in inputs else None
                return lib.create(
                    kind,
                    self.text(inputs.get("Settings")),
                    object_id=self.guid(inputs.get("Id")),
                    network=network,
                )
            if operation in ("Open", "Delete"):
                object_id = self.guid(inputs.get("Id"))
                if object_id is None:
                    raise ValueError("no Id recorded")
                if operation == "Open":
                    return lib.open(kind, object_id)
                lib.delete(kind, object_id)
                return None
            if operation == "Modify":
                lib.modify(self.handle(inputs["Handle"]), self.text(inputs.get("Settings")))
                return None
            if operation == "Query":
                return lib.query(self.handle(inputs["Handle"]), self.text(inputs.get("Query")))
            self.handles.pop(int(inputs["Handle"])).close()
            return None
        if operation == "HcnQueryEndpointStats":
            return lib.query_endpoint_stats(
                self.handle(inputs["Handle"]), self.text(inputs.get("Query"))
            )
        if operation == "HcnQueryEndpointAddresses":
            return lib.query_endpoint_addresses(
                self.handle(inputs["Handle"]), self.text(inputs.get("Query"))
            )
        if operation == "HNSCall":
            return lib.hns_call(
                self.text(inputs.get("Method")),
                self.text(inputs.get("Path")),
                self.text(inputs.get("Object")),
            )
        if operation == "HcnRegisterServiceCallback":
            return lib.register_service_callback(_ignore_notification)
        self.handles.pop(int(inputs["Handle"])).close()
        return None

    def step(self, index: int, record: TraceRecord) -> list[Mismatch]:
        function = record.function
        if function not in _FUNCTIONS:
            return [Mismatch(index, function, "function", "a known HCN function", function)]
        self.captured.clear()
        try:
            result = self.issue(record)
        except HcnError:
            result = None
        except (KeyError, ValueError, TypeError) as exc:
            return [Mismatch(index, function, "call", "issued", f"not issued: {exc!r}")]
        if not self.captured:
            return [Mismatch(index, function, "call", "issued", "no C call was made")]
        actual = self.captured[0]
        found: list[Mismatch] = []
        if actual.hresult != record.hresult:
            found.append(
                Mismatch(
                    index, function, "hresult", f"0x{record.hresult:08X}", f"0x{actual.hresult:08X}"
                )
            )
        found.extend(self.compare_outputs(index, function, record, actual, result))
        return found

    def compare_outputs(
        self,
        index: int,
        function: str,
        expected: TraceRecord,
        actual: TraceRecord,
        result: object,
    ) -> list[Mismatch]:
        found = []
        for key in sorted(set(expected.outputs) | set(actual.outputs)):
            want, got = expected.outputs.get(key), actual.outputs.get(key)
            if key == "Handle":
                if (want is None) != (got is None):
                    found.append(Mismatch(index, function, "outputs.Handle", want, got))
                if isinstance(result, (Handle, CallbackRegistration)):
                    if want is None:
                        result.close()
                    else:
                        self.handles[int(want)] = result
                continue
            self.learn(_decode(want), _decode(got))
            want_shape, got_shape = _text_shape(want, self.mode), _text_shape(got, self.mode)
            if want_shape != got_shape:
                found.append(Mismatch(index, function, f"outputs.{key}", want_shape, got_shape))
        return found

    def learn(self, recorded: Any, replayed: Any) -> None:
        """Map recorded IDs to the replay's, walking both values in parallel."""
        if isinstance(recorded, str) and isinstance(replayed, str):
            both = _GUID.fullmatch(recorded) and _GUID.fullmatch(replayed)
            if both and recorded.lower() != replayed.lower():
                self.ids.setdefault(recorded.lower(), replayed)
        elif isinstance(recorded, dict) and isinstance(replayed, dict):
            for key in recorded.keys() & replayed.keys():
                self.learn(recorded[key], replayed[key])
        elif isinstance(recorded, list) and isinstance(replayed, list):
            for left, right in zip(recorded, replayed, strict=False):
                self.learn(left, right)

    def close_all(self) -> None:
        for leftover in list(self.handles.values()):
            with contextlib.suppress(HcnError):
                leftover.close()
        self.handles.clear()


def replay(
    trace: str | os.PathLike[str] | Iterable[TraceRecord],
    library: Library,
    *,
    shapes: Shapes = "exact",
) -> list[Mismatch]:
    """Issue every call of ``trace`` against ``library``; the differences, in trace order."""
    records = read_trace(trace) if isinstance(trace, (str, os.PathLike)) else list(trace)
    replayer = _Replayer(library, shapes)
    previous = library.set_trace(replayer)
    mismatches: list[Mismatch] = []
    try:
        for index, record in enumerate(records):
            mismatches.extend(replayer.step(index, record))
    finally:
        library.set_trace(previous)
        replayer.close_all()
    return mismatches
