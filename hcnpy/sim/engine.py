"""The simulated HNS engine: every C function of the stand-in ``computenetwork.dll`` lands here.

Each method answers ``(hresult, output, error_record)`` the way the C function would (hresult
unsigned, 0 = S_OK; on failure the error record real HNS writes, see the rule
``error-record.shape`` in :mod:`hcnpy.sim.rules`, else ``None``). Handles are per-process
integers; the objects live in the shared SQLite state (:mod:`hcnpy.sim.state`). Faults from
``HCNPY_SIM_FAULTS`` are applied before any work (a ``kill-after`` fault after it). Every
behaviour is a rule of the table.
"""

from __future__ import annotations

import _thread
import itertools
import os
import sys
import time

from .. import jsontext
from .._cdef import KINDS, c_function
from ..guid import NIL_GUID, guid, new_guid
from ..hresult import HResult
from . import rules as R
from ._sqlite import sqlite3
from .context import Ctx
from .datapath import DatapathUnavailable, from_environment
from .faults import KILL_AFTER, KILL_BEFORE, FaultInjector, kill_this_process, parse_faults
from .jsondoc import canon, dumps, parse_document, parse_guid
from .messages import message
from .queries import matches, parse_query
from .rules import HnsFailure, violate
from .state import StateError, Store, StorePool, env_version, persisted_version, resolve_state_path
from .versions import DEFAULT_VERSION, SimVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Mapping
    from typing import Any, NoReturn, TypeVar

    from .context import ObjectKind
    from .datapath.datapath import Datapath
    from .faults import Verdict
    from .state import Transaction, Tx

    _T = TypeVar("_T")

__all__ = [
    "FAULTS_ENV",
    "FIRST_HANDLE",
    "KINDS",
    "Engine",
    "engine_for",
    "get_engine",
    "reset_engine",
]

#: Environment variable holding the fault spec (see :mod:`hcnpy.sim.faults`).
FAULTS_ENV = "HCNPY_SIM_FAULTS"
#: The first handle value a process hands out.
FIRST_HANDLE = 0x1000

_kinds: dict[str, ObjectKind] = {}


def _never() -> bool:
    return False


def error_record(hresult: int, detail: str, rule: str | None = None) -> str:
    """The error record of a failure: real HNS's keys in its order, then the simulator's why."""
    why: dict[str, str] = {"Detail": detail}
    if rule is not None:
        why = {"Rule": rule, **why}
    record = {"Success": False, "Error": message(hresult), "ErrorCode": int(hresult) & 0xFFFFFFFF}
    return dumps({**record, "Simulator": why})


def _failure(exc: HnsFailure) -> tuple[int, None, str]:
    return exc.hresult, None, error_record(exc.hresult, exc.detail, exc.rule.id)


def _envelope(success: bool, output: object = None, error: str = "") -> str:
    doc: dict[str, object] = {"Success": success}
    if error:
        doc["Error"] = error
    if output is not None:
        doc["Output"] = output
    return dumps(doc)


def _endpoint_stats(oid: str) -> dict[str, object]:
    counters = ("BytesReceived", "BytesSent", "DroppedPacketsIncoming", "DroppedPacketsOutgoing",
                "PacketsReceived", "PacketsSent")  # fmt: skip
    return {"EndpointId": oid, "InstanceId": oid, **dict.fromkeys(counters, 0)}


class Engine:
    """One process's view of the simulated HNS.

    ``None`` arguments are read from ``HCNPY_SIM_STATE``, ``HCNPY_SIM_HNS_VERSION`` (else the
    version persisted by :func:`hcnpy.sim.state.set_version`, else
    :data:`hcnpy.sim.versions.DEFAULT_VERSION`) and ``HCNPY_SIM_FAULTS``. A malformed
    setting raises ``ValueError``; an unusable state file raises
    :class:`hcnpy.sim.state.StateError`. ``HCNPY_SIM_DATAPATH=netns`` mirrors every change into
    the kernel (:mod:`hcnpy.sim.datapath`), or raises
    :class:`hcnpy.sim.datapath.DatapathUnavailable` where it cannot run.
    """

    state_path: str
    _store: Store | None
    _broken: str | None
    _datapath: Datapath | None
    _pool: StorePool | None

    def __init__(
        self,
        state_path: str | None = None,
        version: SimVersion | None = None,
        faults: str | None = None,
        environ: Mapping[str, str] | None = None,
        pool: StorePool | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        spec = faults if faults is not None else env.get(FAULTS_ENV)
        try:
            rules = parse_faults(spec)
        except ValueError as exc:
            raise ValueError(f"{FAULTS_ENV}: {exc}") from None
        self._setup(resolve_state_path(state_path, env), version or env_version(env))
        self._datapath = from_environment(self.state_path, env)
        self._faults = FaultInjector(rules)
        self._pool = pool
        self._store = pool.take(self.state_path) if pool is not None else Store(self.state_path)

    def _setup(self, state_path: str, pinned: SimVersion | None) -> None:
        self.state_path = state_path
        self._pinned = pinned
        self._faults = FaultInjector()
        self._store = None
        self._broken = None
        self._datapath = None
        self._lock = _thread.RLock()
        self._handles: dict[int, tuple[str, str]] = {}
        self._callbacks: set[int] = set()
        self._counter = itertools.count(FIRST_HANDLE)
        self._pool = None
        #: How a ``kill`` fault kills the caller, and whether the caller has gone away during a
        #: stall; the service (:mod:`hcnpy.sim.service`) replaces both for its remote callers.
        self.kill_caller: Callable[[], object] = kill_this_process
        self.caller_gone: Callable[[], bool] = _never

    @classmethod
    def unavailable(cls, reason: str) -> Engine:
        """An engine whose every call fails with ``E_FAIL`` and ``reason`` in the error record.

        :func:`get_engine` returns one when the environment is misconfigured, so that a plugin
        process gets a clean HCN error instead of a Python traceback inside a C callback.
        """
        engine = cls.__new__(cls)
        engine._setup("", None)
        engine._broken = reason
        return engine

    # -- plumbing ------------------------------------------------------------------------------
    def _guarded(self, function: str, work: Callable[[], _T]) -> tuple[int, _T | None, str | None]:
        """Run ``work`` as the C function ``function``: faults first, then one locked call."""
        if self._broken is not None:
            return int(HResult.E_FAIL), None, error_record(HResult.E_FAIL, self._broken)
        verdict = self._faults.on_call(function)
        if verdict.stall_ms:
            time.sleep(verdict.stall_ms / 1000)
            if self.caller_gone():
                failure = HnsFailure(R.CALLER_GONE, f"{function}: the caller went away")
                return _failure(failure)
        if verdict.kill == KILL_BEFORE:
            self.kill_caller()
        answer = self._answer(function, verdict, work)
        if verdict.kill == KILL_AFTER:
            self.kill_caller()  # the call is over (committed or failed): the caller never knows
        return answer

    def _answer(
        self, function: str, verdict: Verdict, work: Callable[[], _T]
    ) -> tuple[int, _T | None, str | None]:
        if verdict.hresult is not None:
            detail = f"injected fault ({FAULTS_ENV}): {function} call {verdict.call_number}"
            return verdict.hresult, None, error_record(verdict.hresult, detail)
        try:
            with self._lock:
                return 0, work(), None
        except HnsFailure as exc:
            return _failure(exc)
        except sqlite3.OperationalError as exc:
            code = int(HResult.ERROR_TIMEOUT if "locked" in str(exc) else HResult.E_FAIL)
            return code, None, error_record(code, f"simulated HNS state: {exc}")
        except Exception as exc:  # a simulator bug must not crash the plugin process
            detail = f"simulated HNS internal error: {type(exc).__name__}: {exc}"
            return int(HResult.E_UNEXPECTED), None, error_record(HResult.E_UNEXPECTED, detail)

    def _version(self, tx: Tx) -> SimVersion:
        if self._pinned is not None:
            return self._pinned
        try:
            return persisted_version(tx) or DEFAULT_VERSION
        except ValueError:
            return DEFAULT_VERSION

    def _transaction(self, write: bool) -> Transaction:
        assert self._store is not None
        return self._store.transaction(write)

    def _v2(self, tx: Tx) -> Ctx:
        """The context of a V2 call (``E_NOTIMPL`` when the version predates the V2 API)."""
        ctx = Ctx(tx, self._version(tx))
        ctx.gate(R.API_V2, "the V2 API")
        return ctx

    @staticmethod
    def _ops(kind: str) -> ObjectKind:
        ops = _kinds.get(kind)
        if ops is None:
            ops = _kinds[kind] = _load_kind(kind)
        return ops

    def _resolve(self, handle: int | None, kind: str) -> str:
        entry = self._handles.get(handle or 0)
        if entry is None or entry[0] != kind:
            violate(R.HANDLE_INVALID, f"0x{handle or 0:X} is not an open {kind} handle")
        return entry[1]

    def _new_handle(self, kind: str, oid: str) -> int:
        handle = next(self._counter)
        self._handles[handle] = (kind, oid)
        return handle

    @staticmethod
    def _choose_id(
        ctx: Ctx, kind: str, object_id: uuid.UUID | str | None, body: dict[str, object]
    ) -> str:
        given = canon(body, ["ID"]).get("ID")
        parsed = parse_guid(given, f"{kind}.ID", R.DOC_ID_NOT_GUID) if given else None
        if object_id is not None and str(object_id) != NIL_GUID:
            oid = str(object_id)
        elif parsed is not None and parsed != NIL_GUID:
            oid = parsed
        else:
            oid = str(new_guid())
        if ctx.tx.exists(kind, oid):
            violate(R.CREATE_ID_TAKEN, f"a {kind} with ID {oid} already exists")
        return oid

    # -- the C API -----------------------------------------------------------------------------
    def enumerate(self, kind: str, query: str | None) -> tuple[int, str | None, str | None]:
        """``HcnEnumerate{Kind}s``: a JSON array of the matching IDs, in creation order."""

        def work() -> str:
            ops = self._ops(kind)
            flt = parse_query(query).filter
            with self._transaction(write=False) as tx:
                ctx = self._v2(tx)
                if flt is None:
                    return dumps(ctx.tx.ids(kind))
                candidates = _indexed_candidates(tx, kind, flt)
                if candidates is None:
                    candidates = tx.all(kind)
                return dumps(
                    [
                        oid
                        for oid, doc in candidates
                        if matches(ops.filter_fields(ctx, oid, doc), flt)
                    ]
                )

        return self._guarded(c_function("Enumerate", kind), work)

    def create(
        self,
        kind: str,
        object_id: uuid.UUID | str | None,
        settings: str | None,
        network_handle: int | None = None,
    ) -> tuple[int, int | None, str | None]:
        """``HcnCreate{Kind}``: a new open handle. ``network_handle`` is for endpoints only."""

        def work() -> int:
            ops = self._ops(kind)
            body = parse_document(settings, f"{kind} settings")
            network = None
            if kind == "Endpoint" and network_handle:
                network = self._resolve(network_handle, "Network")
            with self._transaction(write=True) as tx:
                ctx = self._v2(tx)
                oid = self._choose_id(ctx, kind, object_id, body)
                ops.create(ctx, oid, body, network)
                if self._datapath is not None:
                    self._datapath.after_write(ctx.tx, kind, "create", oid)
            if ctx.deferred is not None:
                raise ctx.deferred
            return self._new_handle(kind, oid)

        return self._guarded(c_function("Create", kind), work)

    def open(self, kind: str, object_id: uuid.UUID | str) -> tuple[int, int | None, str | None]:
        """``HcnOpen{Kind}``: ``ERROR_NOT_FOUND`` (0x80070490) for an unknown ID."""

        def work() -> int:
            self._ops(kind)
            oid = str(object_id)
            with self._transaction(write=False) as tx:
                ctx = self._v2(tx)
                if not ctx.tx.exists(kind, oid):
                    rule = R.OPEN_NAMESPACE_UNKNOWN if kind == "Namespace" else R.OPEN_UNKNOWN
                    violate(rule, f"{kind} {oid} does not exist")
            return self._new_handle(kind, oid)

        return self._guarded(c_function("Open", kind), work)

    def modify(self, kind: str, handle: int, settings: str | None) -> tuple[int, None, str | None]:
        """``HcnModify{Kind}``: apply a modify request (one transaction, all or nothing)."""

        def work() -> None:
            ops = self._ops(kind)
            oid = self._resolve(handle, kind)
            body = parse_document(settings, f"{kind} modify request")
            with self._transaction(write=True) as tx:
                ctx = self._v2(tx)
                doc = ctx.tx.get(kind, oid)
                if doc is None:
                    _gone(kind, oid)
                ops.modify(ctx, oid, doc, body)
                if self._datapath is not None:
                    self._datapath.after_write(ctx.tx, kind, "modify", oid)

        hresult, _, record = self._guarded(c_function("Modify", kind), work)
        return hresult, None, record

    def query(
        self, kind: str, handle: int, query: str | None
    ) -> tuple[int, str | None, str | None]:
        """``HcnQuery{Kind}Properties``: the properties JSON."""

        def work() -> str:
            ops = self._ops(kind)
            oid = self._resolve(handle, kind)
            view = parse_query(query).view
            with self._transaction(write=False) as tx:
                ctx = self._v2(tx)
                doc = ctx.tx.get(kind, oid)
                if doc is None:
                    _gone(kind, oid)
                return dumps(ops.render(ctx, oid, doc, view))

        return self._guarded(c_function("Query", kind), work)

    def delete(self, kind: str, object_id: uuid.UUID | str) -> tuple[int, None, str | None]:
        """``HcnDelete{Kind}``: ``ERROR_NOT_FOUND`` (0x80070490) for an unknown ID."""

        def work() -> None:
            ops = self._ops(kind)
            oid = str(object_id)
            with self._transaction(write=True) as tx:
                ctx = self._v2(tx)
                doc = ctx.tx.get(kind, oid)
                if doc is None:
                    violate(R.DELETE_UNKNOWN, f"{kind} {oid} does not exist")
                ops.delete(ctx, oid, doc)
                if self._datapath is not None:
                    self._datapath.after_write(ctx.tx, kind, "delete", oid)

        hresult, _, record = self._guarded(c_function("Delete", kind), work)
        return hresult, None, record

    def close(self, kind: str, handle: int) -> int:
        """``HcnClose{Kind}``: ``E_INVALIDARG`` for a handle that is not open (or not a {kind})."""

        def work() -> None:
            self._ops(kind)
            self._resolve(handle, kind)
            del self._handles[handle]

        return self._guarded(c_function("Close", kind), work)[0]

    def query_endpoint_stats(
        self, handle: int, query: str | None
    ) -> tuple[int, str | None, str | None]:
        """``HcnQueryEndpointStats``: all-zero counters in the V1 ``EndpointStats`` shape."""

        def work() -> str:
            oid = self._resolve(handle, "Endpoint")
            parse_query(query)
            with self._transaction(write=False) as tx:
                ctx = self._v2(tx)
                if not ctx.tx.exists("Endpoint", oid):
                    _gone("Endpoint", oid)
            return dumps(_endpoint_stats(oid))

        return self._guarded("HcnQueryEndpointStats", work)

    def query_endpoint_addresses(
        self, handle: int, query: str | None
    ) -> tuple[int, str | None, str | None]:
        """``HcnQueryEndpointAddresses``: ``{"ID", "IpConfigurations", "MacAddress"}`` (a guess)."""

        def work() -> str:
            oid = self._resolve(handle, "Endpoint")
            parse_query(query)
            with self._transaction(write=False) as tx:
                ctx = self._v2(tx)
                doc = ctx.tx.get("Endpoint", oid)
                if doc is None:
                    _gone("Endpoint", oid)
            return dumps(
                {
                    "ID": oid,
                    "IpConfigurations": doc.get("IpConfigurations", []),
                    "MacAddress": doc.get("MacAddress", ""),
                }
            )

        return self._guarded("HcnQueryEndpointAddresses", work)

    def hns_call(self, method: str, path: str, body: str | None) -> tuple[int, str | None]:
        """``HNSCall`` (V1): ``GET /globals/version``, ``GET /endpointstats/<id>``, and
        ``GET /networks[/<id>]`` and ``/endpoints[/<id>]`` with their V1 shapes.

        Answers the V1 envelope ``{"Success", "Error", "Output"}``; a path the simulator does
        not serve gets ``Success: false`` with S_OK, as V1 reports logical failures.
        """

        def work() -> str:
            verb = method.strip().upper()
            parts = [p for p in path.strip().lower().split("/") if p]
            if verb == "GET" and parts == ["globals", "version"]:
                with self._transaction(write=False) as tx:
                    version = self._version(tx)
                return _envelope(True, {"Major": version.major, "Minor": version.minor})
            if verb == "GET" and len(parts) == 2 and parts[0] == "endpointstats":
                try:
                    oid = str(guid(parts[1]))
                except ValueError:
                    return _envelope(False, error="Element not found.")
                with self._transaction(write=False) as tx:
                    found = tx.exists("Endpoint", oid)
                if not found:
                    return _envelope(False, error="Element not found.")
                return _envelope(True, _endpoint_stats(oid))
            kind = {"networks": "Network", "endpoints": "Endpoint"}.get(parts[0] if parts else "")
            if verb == "GET" and kind is not None and len(parts) <= 2:
                return self._v1_objects(kind, parts[1] if len(parts) == 2 else None)
            return _envelope(False, error=f"the simulated HNS does not serve {verb} {path}")

        hresult, response, record = self._guarded("HNSCall", work)
        if response is None:
            text = jsontext.loads(record)["Error"] if record else message(hresult)
            response = _envelope(False, error=text)
        return hresult, response

    def _v1_objects(self, kind: str, wanted: str | None) -> str:
        """The V1 answer to ``GET /networks`` or ``/endpoints`` (rule
        hnscall.networks-endpoints)."""
        from .context import View

        ops = self._ops(kind)
        view = View({"Major": 1, "Minor": 0})
        with self._transaction(write=False) as tx:
            ctx = Ctx(tx, self._version(tx))
            if wanted is None:
                return _envelope(True, [ops.render(ctx, i, d, view) for i, d in tx.all(kind)])
            try:
                oid = str(guid(wanted))
            except ValueError:
                return _envelope(False, error="Element not found.")
            doc = tx.get(kind, oid)
            if doc is None:
                return _envelope(False, error="Element not found.")
            return _envelope(True, ops.render(ctx, oid, doc, view))

    def register_service_callback(self) -> tuple[int, int]:
        """``HcnRegisterServiceCallback``: a callback handle (notifications are never sent)."""

        def work() -> int:
            handle = next(self._counter)
            self._callbacks.add(handle)
            return handle

        hresult, handle, _ = self._guarded("HcnRegisterServiceCallback", work)
        return hresult, handle or 0

    def unregister_service_callback(self, handle: int) -> int:
        """``HcnUnregisterServiceCallback``: ``E_INVALIDARG`` for an unknown handle."""

        def work() -> None:
            if handle not in self._callbacks:
                violate(R.CALLBACK_UNKNOWN, f"0x{handle:X} is not a registered callback")
            self._callbacks.discard(handle)

        return self._guarded("HcnUnregisterServiceCallback", work)[0]

    # -- bookkeeping ---------------------------------------------------------------------------
    def open_handle_count(self) -> int:
        """Object handles and callback registrations this engine handed out and not closed."""
        with self._lock:
            return len(self._handles) + len(self._callbacks)

    def simulated_version(self) -> SimVersion:
        """The version this engine answers with right now."""
        if self._pinned is not None or self._store is None:
            return self._pinned or DEFAULT_VERSION
        with self._lock, self._store.transaction(write=False) as tx:
            return self._version(tx)

    def call_count(self, function: str) -> int:
        """How often the C function ``function`` was called on this engine."""
        return self._faults.calls(function)

    def shutdown(self) -> None:
        """Close the state connection (handles stay counted; later calls fail with E_FAIL)."""
        with self._lock:
            if self._store is not None:
                if self._pool is not None:
                    self._pool.give(self._store)
                else:
                    self._store.close()
                self._store = None
            self._broken = self._broken or "the simulated HNS engine was shut down"


def _load_kind(kind: str) -> ObjectKind:
    # Each kind's module is imported on first use: a CNI ADD needs three of the five.
    if kind == "Network":
        from .networks import Networks

        return Networks()
    if kind == "Endpoint":
        from .endpoints import Endpoints

        return Endpoints()
    if kind == "Namespace":
        from .namespaces import Namespaces

        return Namespaces()
    if kind == "LoadBalancer":
        from .balancers import LoadBalancers

        return LoadBalancers()
    if kind == "SdnRoute":
        from .routes import SdnRoutes

        return SdnRoutes()
    violate(R.HANDLE_INVALID, f"unknown object kind {kind!r} (want one of {KINDS})")


def _indexed_candidates(
    tx: Tx, kind: str, flt: dict[str, object]
) -> list[tuple[str, dict[str, Any]]] | None:
    """The objects an enumerate filter can match, found through an index; ``None`` when no
    filter key is indexed (every object is then tested). Each candidate is still tested
    against the whole filter, so this only makes the answer cheaper, never different."""
    keys = {key.lower(): value for key, value in flt.items()}
    wanted = keys.get("id")
    if isinstance(wanted, str):
        try:
            oid = str(guid(wanted))
        except ValueError:
            return []
        doc = tx.get(kind, oid)
        return [] if doc is None else [(oid, doc)]
    name = keys.get("name")
    if isinstance(name, str):
        return tx.by_name(kind, name.lower())
    if kind == "Endpoint":
        for key in ("virtualnetwork", "hostcomputenetwork"):
            network = keys.get(key)
            if isinstance(network, str):
                try:
                    return tx.endpoints_on(str(guid(network)))
                except ValueError:
                    return []
    return None


def _gone(kind: str, oid: str) -> NoReturn:
    code = R.HANDLE_OBJECT_GONE.params[kind]
    raise HnsFailure(R.HANDLE_OBJECT_GONE, f"{kind} {oid} was deleted after it was opened", code)


_engine: Engine | None = None
_engine_pid = 0
_engine_lock = _thread.allocate_lock()


def get_engine() -> Engine:
    """The per-process engine, created on first use from the environment.

    A misconfigured environment yields :meth:`Engine.unavailable` (every call fails with
    ``E_FAIL`` and says why) rather than an exception. A forked child gets its own engine.
    """
    global _engine, _engine_pid
    engine = _engine
    if engine is not None and _engine_pid == os.getpid():
        return engine
    with _engine_lock:
        if _engine is None or _engine_pid != os.getpid():
            _engine = engine_for(os.environ)
            _engine_pid = os.getpid()
        return _engine


def engine_for(environ: Mapping[str, str], pool: StorePool | None = None) -> Engine:
    """An engine configured by ``environ`` (``HCNPY_SIM_*``), never raising.

    A misconfigured environment yields :meth:`Engine.unavailable` (every call fails with
    ``E_FAIL`` and says why) rather than an exception. ``pool`` lends it a state connection.
    """
    try:
        return Engine(environ=environ, pool=pool)
    except (ValueError, StateError, DatapathUnavailable) as exc:
        return Engine.unavailable(f"the simulated HNS is misconfigured: {exc}")


def reset_engine() -> None:
    """Forget the per-process engine (the next :func:`get_engine` builds a new one).

    The stand-ins this process loaded also drop their connections to the simulator service
    (:func:`hcnpy.sim.standin.reset_connections`), so their next call starts afresh from the
    environment, as a new process would.
    """
    global _engine
    standin = sys.modules.get("hcnpy.sim.standin")
    if standin is not None:
        standin.reset_connections()
    with _engine_lock:
        if _engine is not None and _engine_pid == os.getpid():
            _engine.shutdown()
        _engine = None
