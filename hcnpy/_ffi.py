"""The C side of the bindings: the one module that touches cffi.

Opens the libraries (``computenetwork.dll``, ``vmcompute.dll``, ``ole32.dll``, or one file
exporting all of them, such as the simulator's stand-in), resolves each export once, and
performs every HNS operation as a C call through the committed ABI-mode module
``hcnpy._hcn_cffi`` (no compiler or ``pycparser`` at run time). Every string HNS returns goes
through :meth:`CTransport._take_string`, which frees it with ``CoTaskMemFree``.

Importing this module registers the ``hcn`` backend (the real HCN, Windows only).
"""

from __future__ import annotations

import _thread
import os
import sys

from . import _cdef
from ._hresult_bits import to_unsigned
from .backends import register_backend
from .errors import HcnUnavailable
from .guid import guid_bytes_le

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .backends import NotificationCallback, Result

__all__ = ["ROLES", "CTransport", "DllSet", "open_c_transport", "windows_libraries"]

#: The library roles: which DLL exports which function.
ROLES = ("computenetwork", "vmcompute", "com", "sim")

_ROLE_OF: dict[str, str] = {
    **dict.fromkeys(_cdef.function_names(_cdef.COMPUTENETWORK), "computenetwork"),
    **dict.fromkeys(_cdef.function_names(_cdef.VMCOMPUTE), "vmcompute"),
    **dict.fromkeys(_cdef.function_names(_cdef.OLE32), "com"),
    **dict.fromkeys(_cdef.function_names(_cdef.SIM), "sim"),
}


def _log_exception(message: str, *args: object) -> None:
    import logging  # only on error paths: keeps plugin start-up lean

    logging.getLogger("hcnpy").exception(message, *args)


class DllSet:
    """Lazily opened libraries, one per role, and their exports resolved once each.

    On Windows the roles are three DLLs; for the stand-in all roles name the same file.
    A missing library or export raises :class:`HcnUnavailable` naming it, never crashes.
    """

    def __init__(self, candidates: Mapping[str, Sequence[str]]) -> None:
        from ._hcn_cffi import ffi

        self.ffi: Any = ffi
        self._candidates = candidates
        self._libs: dict[str, tuple[str, Any]] = {}
        self._functions: dict[str, Any] = {}
        self._lock = _thread.allocate_lock()

    def library(self, role: str) -> tuple[str, Any]:
        """``(path, lib)`` for ``role``, opening the first candidate that loads."""
        found = self._libs.get(role)
        if found is not None:
            return found
        with self._lock:
            found = self._libs.get(role)
            if found is None:
                found = self._libs[role] = self._open(self._candidates.get(role, ()))
        return found

    def _open(self, candidates: Sequence[str]) -> tuple[str, Any]:
        problems = []
        for path in candidates:
            try:
                return path, self.ffi.dlopen(path)
            except OSError as exc:
                problems.append(f"{path}: {exc}")
        raise HcnUnavailable("cannot load " + ("; ".join(problems) or "(no candidate library)"))

    def function(self, name: str) -> Any:
        """The C function ``name``; raises :class:`HcnUnavailable` if it is not exported."""
        found = self._functions.get(name)
        if found is None:
            path, lib = self.library(_ROLE_OF[name])
            try:
                found = getattr(lib, name)
            except (AttributeError, self.ffi.error):  # ffi.error: dlsym found nothing
                note = (
                    " (an optional export, missing from older Windows builds)"
                    if name in _cdef.OPTIONAL_FUNCTIONS
                    else ""
                )
                raise HcnUnavailable(f"{path} does not export {name}{note}", name) from None
            self._functions[name] = found
        return found


def windows_libraries() -> dict[str, list[str]]:
    """The real HCN's libraries, by full path under ``%SystemRoot%\\System32``."""
    system32 = os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32")
    return {
        "computenetwork": [os.path.join(system32, "computenetwork.dll")],
        "vmcompute": [os.path.join(system32, "vmcompute.dll")],
        # An API-set name is resolved by the loader itself, never via the search path.
        "com": [os.path.join(system32, "ole32.dll"), "api-ms-win-core-com-l1-1-0.dll"],
    }


class CTransport:
    """HNS operations as C calls. Every returned string goes through :meth:`_take_string`.

    ``counters`` names two exported ``uint32_t (void)`` functions reporting open handles and
    unfreed strings (the stand-in has them); without them :meth:`leak_counters` is ``None``.
    """

    def __init__(
        self, backend: str, dlls: DllSet, path: str, counters: tuple[str, str] | None = None
    ) -> None:
        self.backend = backend
        self.path = path
        self._ffi = dlls.ffi
        self._null = dlls.ffi.NULL
        self._fn = dlls.function
        self._free = dlls.function("CoTaskMemFree")
        self._counters = counters

    # -- marshalling --------------------------------------------------------------------

    def _take_string(self, pointer: Any) -> str | None:
        """Read a UTF-16 string up to its NUL, then free it with ``CoTaskMemFree``."""
        if pointer == self._null:
            return None
        try:
            return str(self._ffi.string(pointer))
        finally:
            self._free(pointer)

    def _take_pair(self, out: Any, record: Any) -> tuple[str | None, str | None]:
        """Take an output string and the error record; both are freed whatever happens."""
        try:
            text = self._take_string(out[0])
        finally:
            rec = self._take_string(record[0])
        return text, rec

    def _wide(self, text: str) -> Any:
        return self._ffi.new("WCHAR[]", text)

    def _guid(self, object_id: str | None) -> Any:
        struct = self._ffi.new("GUID *")
        if object_id is not None:
            self._ffi.memmove(struct, guid_bytes_le(object_id), 16)
        return struct

    def _pointer(self, handle: int | None) -> Any:
        return self._ffi.cast("void *", handle or 0)

    def _int(self, pointer: Any) -> int:
        return int(self._ffi.cast("uintptr_t", pointer))

    def _strings(self) -> tuple[Any, Any]:
        return self._ffi.new("PWSTR *"), self._ffi.new("PWSTR *")

    # -- operations ---------------------------------------------------------------------

    def enumerate(self, kind: str, query: str) -> Result[str | None]:
        out, record = self._strings()
        hresult = self._fn(_cdef.c_function("Enumerate", kind))(self._wide(query), out, record)
        text, rec = self._take_pair(out, record)
        return to_unsigned(hresult), text, rec

    def create(
        self, kind: str, object_id: str | None, settings: str, network: int | None
    ) -> Result[int | None]:
        handle = self._ffi.new("void **")
        record = self._ffi.new("PWSTR *")
        function = self._fn(_cdef.c_function("Create", kind))
        args: list[Any] = [self._guid(object_id), self._wide(settings), handle, record]
        if kind == "Endpoint":  # the only create that takes a parent handle, first
            args.insert(0, self._pointer(network))
        hresult = function(*args)
        rec = self._take_string(record[0])
        return to_unsigned(hresult), self._int(handle[0]) or None, rec

    def open(self, kind: str, object_id: str) -> Result[int | None]:
        handle = self._ffi.new("void **")
        record = self._ffi.new("PWSTR *")
        hresult = self._fn(_cdef.c_function("Open", kind))(self._guid(object_id), handle, record)
        rec = self._take_string(record[0])
        return to_unsigned(hresult), self._int(handle[0]) or None, rec

    def modify(self, kind: str, handle: int, settings: str) -> Result[None]:
        record = self._ffi.new("PWSTR *")
        function = self._fn(_cdef.c_function("Modify", kind))
        hresult = function(self._pointer(handle), self._wide(settings), record)
        return to_unsigned(hresult), None, self._take_string(record[0])

    def query(self, kind: str, handle: int, query: str) -> Result[str | None]:
        return self.endpoint_query(_cdef.c_function("Query", kind), handle, query)

    def endpoint_query(self, function: str, handle: int, query: str) -> Result[str | None]:
        out, record = self._strings()
        hresult = self._fn(function)(self._pointer(handle), self._wide(query), out, record)
        text, rec = self._take_pair(out, record)
        return to_unsigned(hresult), text, rec

    def delete(self, kind: str, object_id: str) -> Result[None]:
        record = self._ffi.new("PWSTR *")
        hresult = self._fn(_cdef.c_function("Delete", kind))(self._guid(object_id), record)
        return to_unsigned(hresult), None, self._take_string(record[0])

    def close(self, kind: str, handle: int) -> int:
        return to_unsigned(self._fn(_cdef.c_function("Close", kind))(self._pointer(handle)))

    def hns_call(self, method: str, path: str, body: str) -> tuple[int, str | None]:
        response = self._ffi.new("PWSTR *")
        hresult = self._fn("HNSCall")(
            self._wide(method), self._wide(path), self._wide(body), response
        )
        return to_unsigned(hresult), self._take_string(response[0])

    def register_service_callback(self, callback: NotificationCallback) -> tuple[int, int, object]:
        ffi = self._ffi

        def trampoline(kind: int, context: Any, status: int, data: Any) -> None:
            text = None if data == ffi.NULL else str(ffi.string(data))  # owned by HNS
            try:
                callback(int(kind), to_unsigned(status), text)
            except Exception:
                _log_exception("HCN notification callback raised")

        c_callback = ffi.callback("HCN_NOTIFICATION_CALLBACK", trampoline)
        out = ffi.new("HCN_CALLBACK *")
        hresult = self._fn("HcnRegisterServiceCallback")(c_callback, ffi.NULL, out)
        return to_unsigned(hresult), self._int(out[0]), c_callback

    def unregister_service_callback(self, handle: int) -> int:
        return to_unsigned(self._fn("HcnUnregisterServiceCallback")(self._pointer(handle)))

    def leak_counters(self) -> tuple[int, int] | None:
        if self._counters is None:
            return None
        handles, strings = self._counters
        return int(self._fn(handles)()), int(self._fn(strings)())

    def call_probe(self, name: str) -> int:
        """Call an exported ``uint32_t (void)`` function (a readiness probe)."""
        return int(self._fn(name)())


def open_c_transport(
    backend: str,
    libraries: Mapping[str, Sequence[str]],
    *,
    counters: tuple[str, str] | None = None,
) -> CTransport:
    """A C transport over ``libraries`` (role -> candidate files), with its main DLL loaded."""
    dlls = DllSet(libraries)
    path, _ = dlls.library("computenetwork")
    return CTransport(backend, dlls, path, counters)


def _open_hcn(libraries: Mapping[str, Sequence[str]] | None = None) -> CTransport:
    if libraries is None:
        if sys.platform != "win32":
            raise HcnUnavailable(
                "the real Host Compute Network API exists only on Windows; "
                "use the simulator (HCNPY_BACKEND=sim) elsewhere"
            )
        libraries = windows_libraries()
    return open_c_transport("hcn", libraries)


register_backend("hcn", _open_hcn)
