"""The HCN C API as Python calls: one :class:`Library` per backend, loaded by :func:`load`.

Public, low-level API (what pyca/cryptography calls "bindings"): plain strings in and out,
handles as context managers, a failure raised as an :class:`hcnpy.errors.HcnError` subclass
through the one HRESULT table (:func:`hcnpy.errors.raise_for`) with the C function name as
the operation. Higher layers (:mod:`hcnpy.ops`, the typed client) build on it.

Backends (:mod:`hcnpy.backends`): ``hcn`` (``computenetwork.dll``; the default on Windows),
``sim`` (the simulator's stand-in library exporting the same C functions; the default
elsewhere) and ``sim-inprocess`` (the simulated HNS called directly, without C).
``HCNPY_BACKEND`` overrides the default. See ``docs/hcnpy/bindings.md``.
"""

from __future__ import annotations

import _thread
import itertools
import os
import sys
import time
from collections.abc import Callable, Mapping

from . import jsontext
from ._hresult_bits import is_failure
from ._timeout import PendingCall, call_with_timeout
from .backends import (
    BACKEND_ENV,
    known_backends,
    open_transport,
    register_backend,
    resolve_backend,
)
from .errors import HcnError, HcnUnavailable, raise_for
from .guid import NIL_GUID, Guid
from .handles import CallbackRegistration, Handle, ObjectKind

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~2 ms per process
if TYPE_CHECKING:
    import uuid
    from typing import Any, Protocol, TypeVar

    from .backends import Result, Transport

    _T = TypeVar("_T")
    _Result = Result[_T]

    class _LineSink(Protocol):
        def write(self, line: bytes) -> None: ...


__all__ = [
    "BACKEND_ENV",
    "CallbackRegistration",
    "Handle",
    "Library",
    "NotificationCallback",
    "ObjectKind",
    "backends",
    "load",
    "open_c_transport",
    "open_library",
    "register_backend",
    "resolve_backend",
]


#: ``callback(notification_type, status_hresult, data_or_None)`` for service notifications.
NotificationCallback = Callable[[int, int, "str | None"], None]


def _log_exception(message: str, *args: object) -> None:
    import logging  # only on error paths: keeps plugin start-up lean

    logging.getLogger("hcnpy").exception(message, *args)


def backends() -> tuple[str, ...]:
    """Every backend name :func:`load` accepts without searching installed entry points."""
    return known_backends()


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

    def __init__(self, transport: Transport, *, trace: str | os.PathLike[str] | None = None):
        self._transport = transport
        #: ``"hcn"``, ``"sim"`` or ``"sim-inprocess"``.
        self.backend: str = transport.backend
        #: The library file (``computenetwork.dll`` or the stand-in), or ``"<in-process>"``.
        self.path: str = transport.path
        self._sink: _LineSink | None = None
        if trace:
            self.set_trace(trace)
        self._serials = itertools.count(1)
        self._pending: set[PendingCall] = set()
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
            from .hresult import HResult

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
        for call in list(self._pending):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            call.join(left)
        return not any(call.is_alive() for call in list(self._pending))

    # -- machinery ----------------------------------------------------------------------

    def _wrap(self, kind: ObjectKind, raw: int | None) -> Handle | None:
        return None if not raw else Handle(self, kind, raw, next(self._serials))

    def _opened(self, function: str, handle: Handle | None) -> Handle:
        if handle is None:
            from .hresult import HResult

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
            hresult, value, record = call_with_timeout(
                function, call, timeout, discard, self._pending
            )
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
        data = jsontext.loads(text)
    except ValueError:
        data = text
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        from .hresult import HResult

        raise HcnError(
            HResult.E_UNEXPECTED,
            function,
            message=f"{function} returned {text[:200]!r}, not a JSON array of IDs",
        )
    return data


# --- entry points --------------------------------------------------------------------------

_loaded: dict[str, Library] = {}
_load_lock = _thread.allocate_lock()


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
    libraries: Mapping[str, list[str]] | None = None,
    trace: str | os.PathLike[str] | None = None,
) -> Library:
    """A new, uncached :class:`Library` (tests and tools; applications use :func:`load`).

    ``path`` is the stand-in library for ``sim`` (default: built and cached on first use);
    ``libraries`` maps the roles ``computenetwork``/``vmcompute``/``com`` to candidate files
    for ``hcn`` (default: System32 on Windows). ``trace`` defaults to ``$HCNPY_TRACE``.
    """
    if trace is None:
        trace = os.environ.get("HCNPY_TRACE") or None
    options: dict[str, object] = {}
    if path is not None:
        options["path"] = path
    if libraries is not None:
        options["libraries"] = libraries
    name = resolve_backend(backend)
    return Library(open_transport(name, **options), trace=trace)


def open_c_transport(
    backend: str,
    libraries: Mapping[str, list[str]],
    *,
    counters: tuple[str, str] | None = None,
    ready: tuple[str, int] | None = None,
) -> Transport:
    """A transport making C calls into ``libraries`` (role -> candidate files), for backends
    that provide a library exporting HCN's functions.

    ``counters`` names two exported ``uint32_t (void)`` leak counters (open handles, unfreed
    strings); ``ready`` is an exported ``uint32_t (void)`` probe and the value it must return,
    else :class:`hcnpy.errors.HcnUnavailable` is raised.
    """
    from ._ffi import open_c_transport as open_c

    transport = open_c(backend, libraries, counters=counters)
    if ready is not None:
        probe, expected = ready
        got = transport.call_probe(probe)
        if got != expected:
            raise HcnUnavailable(
                f"{transport.path}: {probe}() returned 0x{got:08X}, not 0x{expected:08X}"
            )
    return transport
