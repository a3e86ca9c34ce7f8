"""The stand-in library's exports, in Python: read the C arguments, call the engine, write back.

Imported by the stand-in's embedded init code (see ``_standin_build``), inside the interpreter
that loaded the library. Each export re-acquires the GIL (cffi does that) and forwards to
``hcnpy.sim.engine.get_engine()``, looked up per call so ``reset_engine()`` takes effect.

Out-strings are allocated by the library's C allocator (counted) and must be released with
its ``CoTaskMemFree``. An engine exception becomes ``E_FAIL`` plus an error record; it never
crosses into C.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from hcnpy._cdef import KINDS, SIM_READY, c_function
from hcnpy.guid import NIL_GUID, guid_from_bytes_le
from hcnpy.hresult import HResult, is_failure, to_unsigned
from hcnpy.sim.engine import Engine, get_engine

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["READY_MAGIC", "install"]

#: What ``HcnSimReady`` returns once this module is installed (cffi returns 0 if init failed).
READY_MAGIC = SIM_READY


def _log_error(message: str, *args: object) -> None:
    import logging  # only on error paths

    logging.getLogger("hcnpy.sim.standin").error(message, *args, exc_info=True)


Export = Callable[..., int]


def _signed(hresult: int) -> int:
    value = to_unsigned(hresult)
    return value - (1 << 32) if value & 0x80000000 else value


_E_FAIL = _signed(HResult.E_FAIL)
_E_POINTER = _signed(HResult.E_POINTER)


def _failure_record(function: str, exc: BaseException) -> str:
    return json.dumps(
        {
            "ErrorCode": int(HResult.E_FAIL),
            "Error": f"simulated HNS failed in {function}: {type(exc).__name__}: {exc}",
            "Success": False,
        }
    )


class _Glue:
    """C marshalling helpers bound to the embedded ``ffi``/``lib``."""

    def __init__(self, ffi: Any, lib: Any) -> None:
        self.ffi = ffi
        self.lib = lib
        self.null = ffi.NULL
        self.callbacks: dict[int, tuple[Any, Any]] = {}

    # -- marshalling --------------------------------------------------------------------

    def text(self, pointer: Any) -> str | None:
        return None if pointer == self.null else str(self.ffi.string(pointer))

    def guid(self, pointer: Any) -> str:
        return guid_from_bytes_le(bytes(self.ffi.buffer(pointer, 16)))

    def alloc(self, text: str) -> Any:
        units = self.ffi.new("WCHAR[]", text)  # UTF-16 code units and the NUL, as cffi converts
        buffer = self.lib.hcnsim_alloc_string(len(units))
        if buffer == self.null:
            raise MemoryError("hcnsim_alloc_string failed")
        self.ffi.memmove(buffer, units, self.ffi.sizeof(units))
        return buffer

    def put_text(self, out: Any, text: str | None) -> None:
        if out != self.null:
            out[0] = self.null if text is None else self.alloc(text)

    def put_handle(self, out: Any, handle: int | None) -> None:
        out[0] = self.ffi.cast("void *", handle or 0)

    def handle(self, pointer: Any) -> int:
        return int(self.ffi.cast("uintptr_t", pointer))

    def finish(self, hresult: int, out: Any, text: str | None, record: Any, rec: str | None) -> int:
        self.put_text(out, text)
        self.put_text(record, rec)
        return _signed(hresult)

    # -- exports ------------------------------------------------------------------------

    def per_kind(self, kind: str) -> dict[str, Export]:
        null = self.null

        def enumerate_(query: Any, out: Any, record: Any) -> int:
            if out == null:
                return _E_POINTER
            hresult, text, rec = get_engine().enumerate(kind, self.text(query))
            return self.finish(hresult, out, text, record, rec)

        def create(object_id: Any, settings: Any, out: Any, record: Any, network: int = 0) -> int:
            if out == null:
                return _E_POINTER
            wanted = None if object_id == null else self.guid(object_id)
            if wanted == NIL_GUID:
                wanted = None
            hresult, handle, rec = get_engine().create(
                kind, wanted, self.text(settings), network or None
            )
            self.put_handle(out, handle if not is_failure(hresult) else None)
            return self.finish(hresult, null, None, record, rec)

        def create_endpoint(
            network: Any, object_id: Any, settings: Any, out: Any, record: Any
        ) -> int:
            return create(object_id, settings, out, record, self.handle(network))

        def open_(object_id: Any, out: Any, record: Any) -> int:
            if out == null or object_id == null:
                return _E_POINTER
            hresult, handle, rec = get_engine().open(kind, self.guid(object_id))
            self.put_handle(out, handle if not is_failure(hresult) else None)
            return self.finish(hresult, null, None, record, rec)

        def modify(handle: Any, settings: Any, record: Any) -> int:
            hresult, _, rec = get_engine().modify(kind, self.handle(handle), self.text(settings))
            return self.finish(hresult, null, None, record, rec)

        def query(handle: Any, query: Any, out: Any, record: Any) -> int:
            if out == null:
                return _E_POINTER
            hresult, text, rec = get_engine().query(kind, self.handle(handle), self.text(query))
            return self.finish(hresult, out, text, record, rec)

        def delete(object_id: Any, record: Any) -> int:
            if object_id == null:
                return _E_POINTER
            hresult, _, rec = get_engine().delete(kind, self.guid(object_id))
            return self.finish(hresult, null, None, record, rec)

        def close(handle: Any) -> int:
            return _signed(get_engine().close(kind, self.handle(handle)))

        exports: dict[str, Export] = {
            "Enumerate": enumerate_,
            "Create": create_endpoint if kind == "Endpoint" else create,
            "Open": open_,
            "Modify": modify,
            "Query": query,
            "Delete": delete,
            "Close": close,
        }
        return {c_function(operation, kind): export for operation, export in exports.items()}

    def endpoint_queries(self) -> dict[str, Export]:
        def forward(method: Callable[[Engine], Callable[[int, str | None], Any]]) -> Export:
            def export(handle: Any, query: Any, out: Any, record: Any) -> int:
                if out == self.null:
                    return _E_POINTER
                hresult, text, rec = method(get_engine())(self.handle(handle), self.text(query))
                return self.finish(hresult, out, text, record, rec)

            return export

        return {
            "HcnQueryEndpointStats": forward(lambda e: e.query_endpoint_stats),
            "HcnQueryEndpointAddresses": forward(lambda e: e.query_endpoint_addresses),
        }

    def service(self) -> dict[str, Export]:
        def hns_call(method: Any, path: Any, body: Any, response: Any) -> int:
            if response == self.null or method == self.null or path == self.null:
                return _E_POINTER
            hresult, text = get_engine().hns_call(
                self.text(method) or "", self.text(path) or "", self.text(body)
            )
            self.put_text(response, text)
            return _signed(hresult)

        def register(callback: Any, context: Any, out: Any) -> int:
            if out == self.null or callback == self.null:
                return _E_POINTER
            hresult, handle = get_engine().register_service_callback()
            if is_failure(hresult):
                self.put_handle(out, None)
            else:
                self.callbacks[handle] = (callback, context)
                self.put_handle(out, handle)
            return _signed(hresult)

        def unregister(handle: Any) -> int:
            key = self.handle(handle)
            hresult = get_engine().unregister_service_callback(key)
            if not is_failure(hresult):
                self.callbacks.pop(key, None)
            return _signed(hresult)

        def open_handles() -> int:
            return int(get_engine().open_handle_count()) & 0xFFFFFFFF

        def ready() -> int:
            return READY_MAGIC

        return {
            "HNSCall": hns_call,
            "HcnRegisterServiceCallback": register,
            "HcnUnregisterServiceCallback": unregister,
            "HcnSimOpenHandles": open_handles,
            "HcnSimReady": ready,
        }

    def exports(self) -> dict[str, Export]:
        table: dict[str, Export] = {}
        for kind in KINDS:
            table.update(self.per_kind(kind))
        table.update(self.endpoint_queries())
        table.update(self.service())
        return table


def _guarded(glue: _Glue, name: str, export: Export) -> Export:
    """Turn an exception into ``E_FAIL`` (with an error record when the export has one)."""
    null = glue.null

    def guarded(*args: Any) -> int:
        try:
            return export(*args)
        except Exception as exc:
            _log_error("simulated %s raised", name)
            record = args[-1] if args and name not in _NO_RECORD else null
            if record != null:
                try:
                    record[0] = glue.alloc(_failure_record(name, exc))
                except MemoryError:
                    record[0] = null
            return _E_FAIL

    return guarded


#: Exports whose last argument is not an ``ErrorRecord`` out-pointer.
_NO_RECORD = frozenset(
    {
        "HNSCall",
        "HcnRegisterServiceCallback",
        "HcnUnregisterServiceCallback",
        "HcnSimOpenHandles",
        "HcnSimReady",
        *(c_function("Close", kind) for kind in KINDS),
    }
)


def _on_error(exc_type: type[BaseException] | None, value: object, traceback: object) -> None:
    _log_error("stand-in export failed outside its guard (returning E_FAIL): %r", value)


def install(ffi: Any, lib: Any) -> None:
    """Attach every export to the embedded ``ffi`` (``@ffi.def_extern``)."""
    glue = _Glue(ffi, lib)
    for name, export in glue.exports().items():
        if name in ("HcnSimReady", "HcnSimOpenHandles"):
            error = 0 if name == "HcnSimReady" else 0xFFFFFFFF
            ffi.def_extern(name=name, error=error)(export)
        else:
            ffi.def_extern(name=name, error=_E_FAIL, onerror=_on_error)(
                _guarded(glue, name, export)
            )
