"""The HCN C API through cffi: loading, string and GUID marshalling, handles, timeouts, tracing.

The only client-side module that touches cffi (through the committed ABI-mode module
``hcnpy._hcn_cffi``; no compiler or ``pycparser`` at run time). Backends:

* ``hcn`` — ``computenetwork.dll``, ``vmcompute.dll`` and ``CoTaskMemFree`` (``ole32.dll``),
  loaded by full path from ``%SystemRoot%\\System32``; the default on Windows.
* ``sim`` — the stand-in shared library (``hcnpy.sim.standin``): the same C symbols with the
  simulated HNS behind them, so this very code runs in tests; the default elsewhere.
* ``sim-inprocess`` — the simulated HNS called directly, without C; for machines that cannot
  build the stand-in. Same semantics, no ABI, no string leak counting.

``HCNPY_BACKEND`` overrides the default. Failures raise through :func:`hcnpy.errors.raise_for`
with the C function name as the operation. See ``docs/hcnpy/bindings.md``.
"""

from __future__ import annotations

import _thread
import enum
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence

from . import _cdef
from .errors import HcnError, HcnTimeout, HcnUnavailable, raise_for
from .hresult import HResult, is_failure, to_unsigned

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~2 ms per process
if TYPE_CHECKING:
    import threading
    import uuid
    from types import TracebackType
    from typing import Any, Protocol, TypeVar

    _T = TypeVar("_T")
    _Result = tuple[int, _T, "str | None"]

    class _LineSink(Protocol):
        def write(self, line: bytes) -> None: ...

    # The HNS operations a Library runs on: C calls, or the engine in-process.
    class _Transport(Protocol):
        backend: str
        path: str

        def enumerate(self, kind: str, query: str) -> _Result[str | None]: ...
        def create(
            self, kind: str, object_id: str | None, settings: str, network: int | None
        ) -> _Result[int | None]: ...
        def open(self, kind: str, object_id: str) -> _Result[int | None]: ...
        def modify(self, kind: str, handle: int, settings: str) -> _Result[None]: ...
        def query(self, kind: str, handle: int, query: str) -> _Result[str | None]: ...
        def delete(self, kind: str, object_id: str) -> _Result[None]: ...
        def close(self, kind: str, handle: int) -> int: ...
        def endpoint_query(self, function: str, handle: int, query: str) -> _Result[str | None]: ...
        def hns_call(self, method: str, path: str, body: str) -> tuple[int, str | None]: ...
        def register_service_callback(
            self, callback: NotificationCallback
        ) -> tuple[int, int, object]: ...
        def unregister_service_callback(self, handle: int) -> int: ...
        def leak_counters(self) -> tuple[int, int] | None: ...


__all__ = [
    "BACKENDS",
    "NIL_GUID",
    "CallbackRegistration",
    "Guid",
    "Handle",
    "Library",
    "NotificationCallback",
    "ObjectKind",
    "guid",
    "guid_bytes_le",
    "guid_from_bytes_le",
    "load",
    "new_guid",
    "open_library",
    "resolve_backend",
]

#: Every backend name ``load`` accepts.
BACKENDS = ("hcn", "sim", "sim-inprocess")

#: ``callback(notification_type, status_hresult, data_or_None)`` for service notifications.
NotificationCallback = Callable[[int, int, "str | None"], None]


def _log_exception(message: str, *args: object) -> None:
    import logging  # only on error paths: keeps plugin start-up lean

    logging.getLogger("hcnpy").exception(message, *args)


class ObjectKind(enum.Enum):
    """The five HCN object kinds; the value is the stem of their C function names."""

    NETWORK = "Network"
    ENDPOINT = "Endpoint"
    NAMESPACE = "Namespace"
    LOAD_BALANCER = "LoadBalancer"
    SDN_ROUTE = "SdnRoute"

    def function(self, operation: str) -> str:
        """The C function name: ``NETWORK.function("Query")`` is ``HcnQueryNetworkProperties``."""
        if operation == "Enumerate":
            return f"HcnEnumerate{self.value}s"
        if operation == "Query":
            return f"HcnQuery{self.value}Properties"
        return f"Hcn{operation}{self.value}"


# --- GUIDs ---------------------------------------------------------------------------------
# IDs travel as text, lowercase and hyphenated as HNS prints them. The uuid module is not
# needed for that (on Linux it imports platform: milliseconds per plugin process).

#: The all-zero GUID ("let HNS choose the ID").
NIL_GUID = "00000000-0000-0000-0000-000000000000"


class Guid(str):
    """GUID text checked by :func:`guid`; ID parameters take it as well as ``uuid.UUID``."""

    __slots__ = ()


def _format_guid(number: int) -> Guid:
    digits = f"{number:032x}"
    return Guid(f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}")


def guid(value: object) -> Guid:
    """``value`` (a ``uuid.UUID``, or text as ``uuid.UUID`` reads it: braces, ``urn:uuid:``,
    any case) as canonical GUID text; ``ValueError`` when it is not a GUID."""
    if isinstance(value, Guid):
        return value
    text = str(value).replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    if len(text) != 32:
        raise ValueError(f"badly formed GUID: {value!r}")
    number = int(text, 16)
    if not 0 <= number < 1 << 128:
        raise ValueError(f"badly formed GUID: {value!r}")
    return _format_guid(number)


def guid_bytes_le(value: str) -> bytes:
    """The 16 bytes of a Windows ``GUID`` struct (``uuid.UUID.bytes_le``) of GUID text."""
    raw = bytes.fromhex(guid(value).replace("-", ""))
    return raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]


def guid_from_bytes_le(data: bytes) -> Guid:
    """GUID text of a Windows ``GUID`` struct's 16 bytes (``uuid.UUID(bytes_le=...)``)."""
    if len(data) != 16:
        raise ValueError(f"a GUID has 16 bytes, not {len(data)}")
    raw = data[3::-1] + data[5:3:-1] + data[7:5:-1] + data[8:]
    return _format_guid(int.from_bytes(raw, "big"))


def new_guid() -> Guid:
    """A random version-4 GUID (``str(uuid.uuid4())``)."""
    number = int.from_bytes(os.urandom(16), "big")
    number = (number & ~(0xC000 << 48)) | 0x8000 << 48  # variant: RFC 4122
    number = (number & ~(0xF000 << 64)) | 4 << 76  # version 4
    return _format_guid(number)


# --- loading -------------------------------------------------------------------------------

_ROLE_OF: dict[str, str] = {
    **dict.fromkeys(_cdef.function_names(_cdef.COMPUTENETWORK), "computenetwork"),
    **dict.fromkeys(_cdef.function_names(_cdef.VMCOMPUTE), "vmcompute"),
    **dict.fromkeys(_cdef.function_names(_cdef.OLE32), "com"),
    **dict.fromkeys(_cdef.function_names(_cdef.SIM), "sim"),
}


class _DllSet:
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
                found = self._libs[role] = self._open(self._candidates[role])
        return found

    def _open(self, candidates: Sequence[str]) -> tuple[str, Any]:
        problems = []
        for path in candidates:
            try:
                return path, self.ffi.dlopen(path)
            except OSError as exc:
                problems.append(f"{path}: {exc}")
        raise HcnUnavailable("cannot load " + "; ".join(problems))

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


def _windows_candidates() -> dict[str, list[str]]:
    system32 = os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32")
    return {
        "computenetwork": [os.path.join(system32, "computenetwork.dll")],
        "vmcompute": [os.path.join(system32, "vmcompute.dll")],
        # An API-set name is resolved by the loader itself, never via the search path.
        "com": [os.path.join(system32, "ole32.dll"), "api-ms-win-core-com-l1-1-0.dll"],
        "sim": [],
    }


# --- transports: the same HNS operations over C, or straight into the engine --------------


class _CTransport:
    """HNS operations as C calls. Every returned string goes through :meth:`_take_string`."""

    def __init__(self, backend: str, dlls: _DllSet, path: str) -> None:
        self.backend = backend
        self.path = path
        self._dlls = dlls
        self._ffi = dlls.ffi
        self._null = dlls.ffi.NULL
        self._fn = dlls.function
        self._free = dlls.function("CoTaskMemFree")

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

    def enumerate(self, kind: str, query: str) -> _Result[str | None]:
        out, record = self._strings()
        hresult = self._fn(f"HcnEnumerate{kind}s")(self._wide(query), out, record)
        text, rec = self._take_pair(out, record)
        return to_unsigned(hresult), text, rec

    def create(
        self, kind: str, object_id: str | None, settings: str, network: int | None
    ) -> _Result[int | None]:
        handle = self._ffi.new("void **")
        record = self._ffi.new("PWSTR *")
        function = self._fn(f"HcnCreate{kind}")
        args: list[Any] = [self._guid(object_id), self._wide(settings), handle, record]
        if kind == "Endpoint":  # the only create that takes a parent handle, first
            args.insert(0, self._pointer(network))
        hresult = function(*args)
        rec = self._take_string(record[0])
        return to_unsigned(hresult), self._int(handle[0]) or None, rec

    def open(self, kind: str, object_id: str) -> _Result[int | None]:
        handle = self._ffi.new("void **")
        record = self._ffi.new("PWSTR *")
        hresult = self._fn(f"HcnOpen{kind}")(self._guid(object_id), handle, record)
        rec = self._take_string(record[0])
        return to_unsigned(hresult), self._int(handle[0]) or None, rec

    def modify(self, kind: str, handle: int, settings: str) -> _Result[None]:
        record = self._ffi.new("PWSTR *")
        function = self._fn(f"HcnModify{kind}")
        hresult = function(self._pointer(handle), self._wide(settings), record)
        return to_unsigned(hresult), None, self._take_string(record[0])

    def query(self, kind: str, handle: int, query: str) -> _Result[str | None]:
        return self.endpoint_query(f"HcnQuery{kind}Properties", handle, query)

    def endpoint_query(self, function: str, handle: int, query: str) -> _Result[str | None]:
        out, record = self._strings()
        hresult = self._fn(function)(self._pointer(handle), self._wide(query), out, record)
        text, rec = self._take_pair(out, record)
        return to_unsigned(hresult), text, rec

    def delete(self, kind: str, object_id: str) -> _Result[None]:
        record = self._ffi.new("PWSTR *")
        hresult = self._fn(f"HcnDelete{kind}")(self._guid(object_id), record)
        return to_unsigned(hresult), None, self._take_string(record[0])

    def close(self, kind: str, handle: int) -> int:
        return to_unsigned(self._fn(f"HcnClose{kind}")(self._pointer(handle)))

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
        if self.backend != "sim":
            return None
        handles = int(self._fn("HcnSimOpenHandles")())
        return handles, int(self._fn("HcnSimOutstandingStrings")())


class _EngineTransport:
    """HNS operations straight into the simulator engine (``sim-inprocess``): no C, no cffi."""

    backend = "sim-inprocess"
    path = "<in-process>"

    def __init__(self) -> None:
        try:
            from .sim import engine
        except ImportError as exc:
            raise HcnUnavailable(f"the simulated HNS engine cannot be imported: {exc}") from exc
        self._module = engine

    def _engine(self) -> Any:
        return self._module.get_engine()

    def enumerate(self, kind: str, query: str) -> _Result[str | None]:
        hresult, text, rec = self._engine().enumerate(kind, query)
        return to_unsigned(hresult), text, rec

    def create(
        self, kind: str, object_id: str | None, settings: str, network: int | None
    ) -> _Result[int | None]:
        hresult, handle, rec = self._engine().create(kind, object_id, settings, network)
        return to_unsigned(hresult), None if is_failure(hresult) else handle, rec

    def open(self, kind: str, object_id: str) -> _Result[int | None]:
        hresult, handle, rec = self._engine().open(kind, object_id)
        return to_unsigned(hresult), None if is_failure(hresult) else handle, rec

    def modify(self, kind: str, handle: int, settings: str) -> _Result[None]:
        hresult, _, rec = self._engine().modify(kind, handle, settings)
        return to_unsigned(hresult), None, rec

    def query(self, kind: str, handle: int, query: str) -> _Result[str | None]:
        hresult, text, rec = self._engine().query(kind, handle, query)
        return to_unsigned(hresult), text, rec

    def endpoint_query(self, function: str, handle: int, query: str) -> _Result[str | None]:
        engine = self._engine()
        method = (
            engine.query_endpoint_stats
            if function == "HcnQueryEndpointStats"
            else engine.query_endpoint_addresses
        )
        hresult, text, rec = method(handle, query)
        return to_unsigned(hresult), text, rec

    def delete(self, kind: str, object_id: str) -> _Result[None]:
        hresult, _, rec = self._engine().delete(kind, object_id)
        return to_unsigned(hresult), None, rec

    def close(self, kind: str, handle: int) -> int:
        return to_unsigned(self._engine().close(kind, handle))

    def hns_call(self, method: str, path: str, body: str) -> tuple[int, str | None]:
        hresult, text = self._engine().hns_call(method, path, body)
        return to_unsigned(hresult), text

    def register_service_callback(self, callback: NotificationCallback) -> tuple[int, int, object]:
        hresult, handle = self._engine().register_service_callback()
        return to_unsigned(hresult), handle, callback

    def unregister_service_callback(self, handle: int) -> int:
        return to_unsigned(self._engine().unregister_service_callback(handle))

    def leak_counters(self) -> tuple[int, int] | None:
        return int(self._engine().open_handle_count()), 0


# --- handles -------------------------------------------------------------------------------

_close_lock = _thread.allocate_lock()


class Handle:
    """An open HCN object handle. Use it as a context manager; ``close()`` is idempotent.

    An unclosed handle that is garbage-collected only warns (``ResourceWarning``): closing
    from a finaliser could re-enter HNS at an arbitrary point, so nothing is closed there.
    """

    __slots__ = ("_library", "_raw", "kind", "serial")

    def __init__(self, library: Library, kind: ObjectKind, raw: int, serial: int) -> None:
        self._library = library
        self._raw: int | None = raw
        self.kind = kind
        #: A small per-process number naming this handle in traces.
        self.serial = serial

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._raw is None

    def close(self) -> None:
        """Close the handle (``HcnClose<Kind>``); later calls do nothing."""
        self._library._close_handle(self)

    def _detach(self) -> int | None:
        with _close_lock:
            raw, self._raw = self._raw, None
        return raw

    def __enter__(self) -> Handle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # warnings is imported whenever a filter could show a ResourceWarning (-W, -X dev,
        # PYTHONWARNINGS, any code that configures warnings); otherwise it would be ignored.
        warnings = sys.modules.get("warnings")
        if warnings is not None and getattr(self, "_raw", None) is not None:
            warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=1)

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<hcnpy Handle {self.kind.value} #{self.serial} {state}>"


class CallbackRegistration:
    """A registered service-notification callback; a context manager that unregisters."""

    __slots__ = ("_keepalive", "_library", "_raw", "serial")

    def __init__(self, library: Library, raw: int, serial: int, keepalive: object) -> None:
        self._library = library
        self._raw: int | None = raw
        self._keepalive = keepalive
        self.serial = serial

    @property
    def closed(self) -> bool:
        """True once unregistered."""
        return self._raw is None

    def unregister(self) -> None:
        """``HcnUnregisterServiceCallback``; later calls do nothing."""
        with _close_lock:
            raw, self._raw = self._raw, None
        if raw is not None:
            self._library._unregister(self, raw)

    close = unregister

    def __enter__(self) -> CallbackRegistration:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.unregister()

    def __repr__(self) -> str:
        state = "unregistered" if self.closed else "registered"
        return f"<hcnpy CallbackRegistration #{self.serial} {state}>"


# --- the library ---------------------------------------------------------------------------


def _checked_text(function: str, name: str, value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{function}: {name} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{function}: {name} contains a NUL character")
    return value


def _checked_id(function: str, value: uuid.UUID | Guid) -> Guid:
    if isinstance(value, Guid):
        return value
    uuid = sys.modules.get("uuid")  # a uuid.UUID exists only once uuid was imported
    if uuid is not None and isinstance(value, uuid.UUID):
        return Guid(value)
    raise TypeError(f"{function}: the ID must be a uuid.UUID, not {type(value).__name__}")


def _no_outputs(value: object) -> dict[str, Any]:
    return {}


def _result_output(value: str | None) -> dict[str, Any]:
    return {"Result": value}


class Library:
    """One loaded HCN library (real or simulated). Thread-safe; get it from :func:`load`.

    Every operation takes ``timeout`` (seconds). Without one the C call runs on the calling
    thread. With one it runs on a worker thread; if it has not returned in time,
    :class:`hcnpy.errors.HcnTimeout` is raised while the call keeps running in the
    background — when it finishes its strings are freed and any handle it opened is closed.
    A timeout of zero or less raises at once without calling HCN.
    """

    def __init__(self, transport: _Transport, *, trace: str | os.PathLike[str] | None = None):
        self._transport = transport
        #: ``"hcn"``, ``"sim"`` or ``"sim-inprocess"``.
        self.backend: str = transport.backend
        #: The library file (``computenetwork.dll`` or the stand-in), or ``"<in-process>"``.
        self.path: str = transport.path
        self._sink: _LineSink | None = None
        if trace:
            self.set_trace(trace)
        self._serials = itertools.count(1)
        self._pending: set[threading.Thread] = set()
        self._keepalive: list[object] = []

    def __repr__(self) -> str:
        return f"<hcnpy Library backend={self.backend!r} path={self.path!r}>"

    # -- objects ------------------------------------------------------------------------

    def enumerate(
        self, kind: ObjectKind | str, query: str, *, timeout: float | None = None
    ) -> list[str]:
        """``HcnEnumerate<Kind>s``: the IDs (GUID strings) matching ``query``."""
        k = ObjectKind(kind)
        function = k.function("Enumerate")
        _checked_text(function, "Query", query)
        text = self._execute(
            function,
            {"Query": query},
            lambda: self._transport.enumerate(k.value, query),
            timeout,
            _result_output,
        )
        return _id_list(function, text)

    def create(
        self,
        kind: ObjectKind | str,
        settings: str,
        *,
        object_id: uuid.UUID | Guid | None = None,
        network: Handle | None = None,
        timeout: float | None = None,
    ) -> Handle:
        """``HcnCreate<Kind>`` (HNS picks the ID unless given); endpoints need ``network``."""
        k = ObjectKind(kind)
        function = k.function("Create")
        _checked_text(function, "Settings", settings)
        wanted = None if object_id is None else _checked_id(function, object_id)
        if wanted == NIL_GUID:
            wanted = None
        inputs: dict[str, Any] = {}
        network_raw: int | None = None
        if k is ObjectKind.ENDPOINT:
            if network is None:
                raise ValueError(f"{function}: an endpoint is created under a network handle")
            network_raw = self._raw(function, network, ObjectKind.NETWORK)
            inputs["Network"] = network.serial
        elif network is not None:
            raise ValueError(f"{function}: only endpoints are created under a network")
        inputs["Id"] = wanted
        inputs["Settings"] = settings

        def call() -> _Result[Handle | None]:
            hresult, raw, rec = self._transport.create(k.value, wanted, settings, network_raw)
            return hresult, self._wrap(k, raw), rec

        handle = self._execute(function, inputs, call, timeout, _handle_output, _discard_handle)
        return self._opened(function, handle)

    def open(
        self, kind: ObjectKind | str, object_id: uuid.UUID | Guid, *, timeout: float | None = None
    ) -> Handle:
        """``HcnOpen<Kind>``: a handle to an existing object."""
        k = ObjectKind(kind)
        function = k.function("Open")
        checked = _checked_id(function, object_id)

        def call() -> _Result[Handle | None]:
            hresult, raw, rec = self._transport.open(k.value, checked)
            return hresult, self._wrap(k, raw), rec

        inputs = {"Id": checked}
        handle = self._execute(function, inputs, call, timeout, _handle_output, _discard_handle)
        return self._opened(function, handle)

    def modify(self, handle: Handle, settings: str, *, timeout: float | None = None) -> None:
        """``HcnModify<Kind>`` with a modify-request document."""
        function = handle.kind.function("Modify")
        _checked_text(function, "Settings", settings)
        raw = self._raw(function, handle)
        kind = handle.kind.value
        self._execute(
            function,
            {"Handle": handle.serial, "Settings": settings},
            lambda: self._transport.modify(kind, raw, settings),
            timeout,
            _no_outputs,
        )

    def query(self, handle: Handle, query: str, *, timeout: float | None = None) -> str:
        """``HcnQuery<Kind>Properties``: the object's JSON document."""
        function = handle.kind.function("Query")
        _checked_text(function, "Query", query)
        raw = self._raw(function, handle)
        kind = handle.kind.value
        text = self._execute(
            function,
            {"Handle": handle.serial, "Query": query},
            lambda: self._transport.query(kind, raw, query),
            timeout,
            _result_output,
        )
        return text or ""

    def delete(
        self, kind: ObjectKind | str, object_id: uuid.UUID | Guid, *, timeout: float | None = None
    ) -> None:
        """``HcnDelete<Kind>`` by ID (no handle needed)."""
        k = ObjectKind(kind)
        function = k.function("Delete")
        checked = _checked_id(function, object_id)
        self._execute(
            function,
            {"Id": checked},
            lambda: self._transport.delete(k.value, checked),
            timeout,
            _no_outputs,
        )

    def query_endpoint_stats(
        self, handle: Handle, query: str, *, timeout: float | None = None
    ) -> str:
        """``HcnQueryEndpointStats`` (optional export: ``HcnUnavailable`` when absent)."""
        return self._endpoint_query("HcnQueryEndpointStats", handle, query, timeout)

    def query_endpoint_addresses(
        self, handle: Handle, query: str, *, timeout: float | None = None
    ) -> str:
        """``HcnQueryEndpointAddresses`` (optional export: ``HcnUnavailable`` when absent)."""
        return self._endpoint_query("HcnQueryEndpointAddresses", handle, query, timeout)

    def _endpoint_query(
        self, function: str, handle: Handle, query: str, timeout: float | None
    ) -> str:
        _checked_text(function, "Query", query)
        raw = self._raw(function, handle, ObjectKind.ENDPOINT)
        text = self._execute(
            function,
            {"Handle": handle.serial, "Query": query},
            lambda: self._transport.endpoint_query(function, raw, query),
            timeout,
            _result_output,
        )
        return text or ""

    # -- v1 and notifications -----------------------------------------------------------

    def hns_call(
        self, method: str, path: str, body: str = "", *, timeout: float | None = None
    ) -> str:
        """``HNSCall`` (vmcompute.dll, HNS v1): the raw response text (envelope unparsed)."""
        function = "HNSCall"
        for name, value in (("Method", method), ("Path", path), ("Object", body)):
            _checked_text(function, name, value)

        def call() -> _Result[str | None]:
            hresult, text = self._transport.hns_call(method, path, body)
            return hresult, text, None

        text = self._execute(
            function,
            {"Method": method, "Path": path, "Object": body},
            call,
            timeout,
            lambda value: {"Response": value},
            record_output=False,
        )
        return text or ""

    def register_service_callback(
        self, callback: NotificationCallback, *, timeout: float | None = None
    ) -> CallbackRegistration:
        """``HcnRegisterServiceCallback``; the result unregisters on ``__exit__``.

        ``callback(notification_type, status, data)`` runs on an HNS thread; exceptions
        it raises are logged, not propagated.
        """
        function = "HcnRegisterServiceCallback"

        def call() -> _Result[CallbackRegistration | None]:
            hresult, raw, keepalive = self._transport.register_service_callback(callback)
            if is_failure(hresult) or not raw:
                return hresult, None, None
            self._keepalive.append(keepalive)
            return hresult, CallbackRegistration(self, raw, next(self._serials), keepalive), None

        registration = self._execute(
            function,
            {},
            call,
            timeout,
            lambda value: {"Handle": None if value is None else value.serial},
            discard=lambda value: None if value is None else value.unregister(),
            record_output=False,
        )
        if registration is None:
            raise HcnError(HResult.E_POINTER, function, message=f"{function} returned no handle")
        return registration

    def _unregister(self, registration: CallbackRegistration, raw: int) -> None:
        function = "HcnUnregisterServiceCallback"
        self._execute(
            function,
            {"Handle": registration.serial},
            lambda: (self._transport.unregister_service_callback(raw), None, None),
            None,
            _no_outputs,
            record_output=False,
        )
        # The C callback object stays referenced (self._keepalive): HNS may still be
        # delivering a notification on another thread, and freeing it would crash.

    # -- diagnostics --------------------------------------------------------------------

    def leak_counters(self) -> tuple[int, int] | None:
        """``(open handles, unfreed strings)`` on the simulator; ``None`` on the real HCN.

        ``sim`` counts in the stand-in library; ``sim-inprocess`` has no C strings (always 0).
        """
        return self._transport.leak_counters()

    def set_trace(self, target: str | os.PathLike[str] | _LineSink | None) -> _LineSink | None:
        """Trace into a file (or any object with ``write(bytes)``), or stop; returns the old one."""
        previous = self._sink
        if isinstance(target, (str, os.PathLike)):
            from .trace import TraceWriter

            self._sink = TraceWriter(target)
        else:
            self._sink = target
        return previous

    def join_pending(self, timeout: float | None = None) -> bool:
        """Wait for calls abandoned by a timeout to finish; True when none is left."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._pending):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
        return not any(t.is_alive() for t in list(self._pending))

    # -- machinery ----------------------------------------------------------------------

    def _wrap(self, kind: ObjectKind, raw: int | None) -> Handle | None:
        return None if not raw else Handle(self, kind, raw, next(self._serials))

    def _opened(self, function: str, handle: Handle | None) -> Handle:
        if handle is None:
            raise HcnError(HResult.E_POINTER, function, message=f"{function} returned no handle")
        return handle

    def _raw(self, function: str, handle: Handle, kind: ObjectKind | None = None) -> int:
        if not isinstance(handle, Handle) or handle._library is not self:
            raise ValueError(f"{function}: not a handle of this library: {handle!r}")
        if kind is not None and handle.kind is not kind:
            raise ValueError(f"{function}: needs a {kind.value} handle, got {handle!r}")
        raw = handle._raw
        if raw is None:
            raise ValueError(f"{function}: {handle!r} is closed")
        return raw

    def _close_handle(self, handle: Handle) -> None:
        raw = handle._detach()
        if raw is None:
            return
        function = handle.kind.function("Close")
        kind = handle.kind.value
        self._execute(
            function,
            {"Handle": handle.serial},
            lambda: (self._transport.close(kind, raw), None, None),
            None,
            _no_outputs,
            record_output=False,
        )

    def _execute(
        self,
        function: str,
        inputs: Mapping[str, Any],
        call: Callable[[], _Result[_T]],
        timeout: float | None,
        describe: Callable[[_T], dict[str, Any]],
        discard: Callable[[_T], None] | None = None,
        *,
        record_output: bool = True,
    ) -> _T:
        """Run ``call`` (traced, maybe under a timeout) and raise on failure.

        A failure is a failed HRESULT or any non-empty error record; ``discard`` releases
        a value that came back with a failure (or after the caller gave up waiting).
        """
        sink = self._sink
        if sink is not None:
            call = self._traced(sink, function, inputs, call, describe, record_output)
        if timeout is None:
            hresult, value, record = call()
        else:
            hresult, value, record = self._with_timeout(function, call, timeout, discard)
        if is_failure(hresult) or record:
            if discard is not None and value is not None:
                discard(value)
            raise_for(function, hresult, record)
        return value

    def _traced(
        self,
        sink: _LineSink,
        function: str,
        inputs: Mapping[str, Any],
        call: Callable[[], _Result[_T]],
        describe: Callable[[_T], dict[str, Any]],
        record_output: bool,
    ) -> Callable[[], _Result[_T]]:
        from .trace import encode_record

        backend = self.backend

        def traced() -> _Result[_T]:
            start = time.perf_counter()
            result = call()
            elapsed = time.perf_counter() - start
            outputs = describe(result[1])
            if record_output:
                outputs["ErrorRecord"] = result[2]
            sink.write(encode_record(backend, function, inputs, outputs, result[0], elapsed))
            return result

        return traced

    def _with_timeout(
        self,
        function: str,
        call: Callable[[], _Result[_T]],
        timeout: float,
        discard: Callable[[_T], None] | None,
    ) -> _Result[_T]:
        if timeout <= 0:
            raise HcnTimeout(function, timeout)
        import threading  # only calls with a timeout need a worker thread

        lock = threading.Lock()
        box: list[tuple[bool, Any]] = []
        abandoned = False
        finished = threading.Event()

        def worker() -> None:
            try:
                outcome: tuple[bool, Any] = (True, call())
            except BaseException as exc:
                outcome = (False, exc)
            with lock:
                box.append(outcome)
                late = abandoned
            finished.set()
            if late:
                try:
                    if outcome[0] and discard is not None and outcome[1][1] is not None:
                        discard(outcome[1][1])
                finally:
                    self._pending.discard(thread)

        thread = threading.Thread(target=worker, name=f"hcnpy-{function}", daemon=True)
        thread.start()
        try:
            finished.wait(timeout)
        finally:  # also when the wait is interrupted (KeyboardInterrupt): clean up later
            with lock:
                if not box:
                    abandoned = True
                    self._pending.add(thread)
        if abandoned:
            raise HcnTimeout(function, timeout)
        ok, payload = box[0]
        if not ok:
            raise payload
        result: _Result[_T] = payload
        return result


def _discard_handle(handle: Handle | None) -> None:
    if handle is None:
        return
    try:
        handle.close()
    except HcnError:
        _log_exception("closing %r after a failed or abandoned call failed", handle)


def _handle_output(handle: Handle | None) -> dict[str, Any]:
    return {"Handle": None if handle is None else handle.serial}


def _id_list(function: str, text: str | None) -> list[str]:
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        data = text
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise HcnError(
            HResult.E_UNEXPECTED,
            function,
            message=f"{function} returned {text[:200]!r}, not a JSON array of IDs",
        )
    return data


# --- entry points --------------------------------------------------------------------------

_loaded: dict[str, Library] = {}
_load_lock = _thread.allocate_lock()


def resolve_backend(backend: str | None = None) -> str:
    """The backend to use: ``backend``, else ``$HCNPY_BACKEND``, else by platform."""
    name = backend if backend is not None else os.environ.get("HCNPY_BACKEND", "")
    name = name.strip().lower()
    if not name:
        return "hcn" if sys.platform == "win32" else "sim"
    if name not in BACKENDS:
        source = "HCNPY_BACKEND" if backend is None else "backend argument"
        raise ValueError(f"unknown HCN backend {name!r} ({source}): use one of {BACKENDS}")
    return name


def load(backend: str | None = None) -> Library:
    """The process-wide :class:`Library` for ``backend`` (see :func:`resolve_backend`).

    Loaded once per backend, under a lock; a failed load is retried on the next call.
    Raises :class:`hcnpy.errors.HcnUnavailable` when the library cannot be loaded.
    """
    name = resolve_backend(backend)
    library = _loaded.get(name)
    if library is None:
        with _load_lock:
            library = _loaded.get(name)
            if library is None:
                library = _loaded[name] = open_library(name)
    return library


def open_library(
    backend: str,
    *,
    path: str | None = None,
    dlls: Mapping[str, Sequence[str]] | None = None,
    trace: str | os.PathLike[str] | None = None,
) -> Library:
    """A new, uncached :class:`Library` (tests and tools; applications use :func:`load`).

    ``path`` is the stand-in for ``sim`` (default: ``hcnpy.sim.standin.library_path()``);
    ``dlls`` maps the roles ``computenetwork``/``vmcompute``/``com`` to candidate files for
    ``hcn`` (default: System32 on Windows). ``trace`` defaults to ``$HCNPY_TRACE``.
    """
    if trace is None:
        trace = os.environ.get("HCNPY_TRACE") or None
    if backend == "sim-inprocess":
        return Library(_EngineTransport(), trace=trace)
    if backend == "sim":
        return Library(_open_standin(path), trace=trace)
    if backend == "hcn":
        return Library(_open_hcn(dlls), trace=trace)
    raise ValueError(f"unknown HCN backend {backend!r}: use one of {BACKENDS}")


def _open_hcn(dlls: Mapping[str, Sequence[str]] | None) -> _CTransport:
    if dlls is None:
        if sys.platform != "win32":
            raise HcnUnavailable(
                "the real Host Compute Network API exists only on Windows; "
                "use the simulator (HCNPY_BACKEND=sim) elsewhere"
            )
        dlls = _windows_candidates()
    dll_set = _DllSet(dlls)
    path, _ = dll_set.library("computenetwork")
    return _CTransport("hcn", dll_set, path)


def _open_standin(path: str | None) -> _CTransport:
    if path is None:
        from .sim.standin import library_path

        path = library_path()
    dll_set = _DllSet({role: [path] for role in ("computenetwork", "vmcompute", "com", "sim")})
    dll_set.library("sim")
    ready = dll_set.function("HcnSimReady")()
    if ready != _cdef.SIM_READY:
        raise HcnUnavailable(
            f"the simulated HNS library {path} failed to initialise its Python side "
            "(its traceback went to stderr); check that hcnpy is importable"
        )
    return _CTransport("sim", dll_set, path)
