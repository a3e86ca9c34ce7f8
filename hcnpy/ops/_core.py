"""The machinery every object kind's operations share: documents, deadlines, the lifecycles.

Each operation follows the reference lifecycle (create → query → close; open → query → close;
enumerate → open → query → close), closes every handle it opens, and checks version-gated
features before sending. Only a "not found" from ``HcnEnumerate*``/``HcnOpen*``/``HcnDelete*``
means "the object is absent"; one from a query, modify or close of an object that was just
opened is an ordinary failure (the object changed under us), never "absent".
"""

from __future__ import annotations

import _thread
import time
from collections.abc import Mapping

from .. import jsonkeys, jsontext
from ..bindings import Handle, Library, ObjectKind, load
from ..errors import HcnError, HcnTimeout, NotFoundError, ValidationError
from ..features import Feature, HnsVersion, is_supported, require_all, supported_features
from ..gates import document_features, policy_features
from ..guid import NIL_GUID, Guid, guid
from .queries import SCHEMA_VERSION, query_text

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~2 ms per process
if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, Literal, TypeAlias, overload

    JsonDict: TypeAlias = "dict[str, Any]"
    IdLike: TypeAlias = "str | uuid.UUID"
    _NotFoundFactory: TypeAlias = "Callable[[str], NotFoundError]"

__all__ = ["OpsCore", "clear_version_cache"]

#: The C functions whose "not found" means "there is no such object".
_ABSENCE_FUNCTIONS = ("HcnEnumerate", "HcnOpen", "HcnDelete")


def parse_id(value: IdLike, what: str) -> Guid:
    """``value`` as GUID text; :class:`ValidationError` naming ``what`` otherwise."""
    try:
        return guid(str(value).strip())
    except ValueError:
        raise ValidationError(what, value, "not a GUID") from None


def field(doc: Mapping[str, Any], key: str) -> Any:
    """``doc[key]`` matched as Go's decoder does (HNS writes both ``ID`` and ``Id``)."""
    return jsonkeys.get(doc, key)


def document(doc: Mapping[str, Any]) -> JsonDict:
    """A copy of ``doc`` with ``SchemaVersion`` 2.0 added when absent."""
    body = dict(doc)
    if not jsonkeys.has(body, "SchemaVersion"):
        body["SchemaVersion"] = dict(SCHEMA_VERSION)
    return body


def encode(doc: Mapping[str, Any]) -> str:
    return jsontext.dumps(doc, separators=(",", ":"))


def decode(text: str, operation: str) -> JsonDict:
    """An HNS answer as a dict; ``E_UNEXPECTED`` when it is not a JSON object."""
    try:
        value = jsontext.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        from ..hresult import HResult

        raise HcnError(
            HResult.E_UNEXPECTED,
            operation,
            message=f"{operation}: HNS returned something that is not a JSON object: {text!r}",
        )
    return value


def id_of(doc: Mapping[str, Any]) -> str:
    value = field(doc, "ID")
    return str(value) if value is not None else ""


def requested_id(doc: Mapping[str, Any]) -> Guid | None:
    """The ``ID`` a create document asks for (``None``: let HNS choose)."""
    value = field(doc, "ID")
    if not value:
        return None
    parsed = parse_id(value, "ID")
    return None if parsed == NIL_GUID else parsed


def same_id(left: object, right: str) -> bool:
    """Two IDs name the same object (case and braces ignored)."""
    try:
        return guid(left) == guid(right)
    except ValueError:
        return False


def means_absent(error: HcnError) -> bool:
    """True for a "not found" from enumerate, open or delete: the object does not exist."""
    return isinstance(error, NotFoundError) and error.operation.startswith(_ABSENCE_FUNCTIONS)


def _log_release_failure(handle: Handle, error: HcnError) -> None:
    import logging  # only on this error path

    logging.getLogger("hcnpy").warning("closing %r failed (ignored): %s", handle, error)


class Deadline:
    """The time left for one operation made of several HCN calls (``None``: no limit)."""

    __slots__ = ("_end", "operation", "seconds")

    def __init__(self, seconds: float | None, operation: str, end: float | None = None) -> None:
        self.seconds = seconds
        self.operation = operation
        limit = None if seconds is None else time.monotonic() + seconds
        if end is not None and (limit is None or end < limit):
            limit = end
            self.seconds = max(0.0, end - time.monotonic())
        self._end = limit

    def left(self) -> float | None:
        """Seconds left; raises :class:`HcnTimeout` naming the operation once none are."""
        if self._end is None:
            return None
        remaining = self._end - time.monotonic()
        if remaining <= 0:
            raise HcnTimeout(self.operation, self.seconds or 0.0)
        return remaining


# --- the HNS version, read once per process and library ------------------------------

_version_lock = _thread.allocate_lock()
_version_cache: dict[tuple[str, str], HnsVersion | HcnError] = {}


def clear_version_cache() -> None:
    """Forget every cached HNS version (tests, and after ``hcnpy sim version``)."""
    with _version_lock:
        _version_cache.clear()


def _parse_version_envelope(text: str) -> HnsVersion:
    from ..hresult import HResult

    operation = "HNSCall GET /globals/version"
    envelope = decode(text, operation)
    if field(envelope, "Success") is False:
        error = field(envelope, "Error") or "unknown error"
        raise HcnError(HResult.E_FAIL, operation, message=f"HNS failed with error : {error}")
    output = field(envelope, "Output")
    if isinstance(output, Mapping):
        major, minor = field(output, "Major"), field(output, "Minor")
        if isinstance(major, int) and isinstance(minor, int):
            return HnsVersion(major, minor)
    raise HcnError(HResult.E_UNEXPECTED, operation, message=f"{operation}: no version in {text!r}")


def _read_version(library: Library, timeout: float | None) -> HnsVersion:
    key = (library.backend, library.path)
    with _version_lock:
        cached = _version_cache.get(key)
        if cached is None:
            try:
                text = library.hns_call("GET", "/globals/version", "", timeout=timeout)
                cached = _parse_version_envelope(text)
            except HcnTimeout:
                raise  # transient: not cached
            except HcnError as exc:
                cached = exc
            _version_cache[key] = cached
    if isinstance(cached, HcnError):
        raise cached.with_traceback(None)
    return cached


class OpsCore:
    """State and skeletons shared by the per-kind operation classes (see :class:`Ops`)."""

    def __init__(
        self,
        library: Library | None = None,
        *,
        timeout: float | None = None,
        _end: float | None = None,
    ) -> None:
        self.library: Library = library if library is not None else load()
        self.timeout = timeout
        self._end = _end

    def bounded(self, seconds: float | None) -> OpsCore:
        """A view of these operations that shares one deadline, ``seconds`` from now.

        Every operation through it gets at most the time left; once none is left the next
        one raises :class:`hcnpy.errors.HcnTimeout` naming itself, and an HCN call that is
        still running when the time runs out raises it naming that C function.
        ``None`` returns ``self``.
        """
        if seconds is None:
            return self
        end = time.monotonic() + seconds
        if self._end is not None:
            end = min(end, self._end)
        return type(self)(self.library, timeout=self.timeout, _end=end)

    # -- identity -----------------------------------------------------------------------

    @property
    def backend(self) -> str:
        """``"hcn"`` (Windows) or ``"sim"`` (the simulated HNS)."""
        return self.library.backend

    @property
    def library_path(self) -> str:
        """The file the C functions come from."""
        return self.library.path

    def hns_version(self, *, timeout: float | None = None) -> HnsVersion:
        """The HNS service version (``HNSCall GET /globals/version``), read once per process.

        A failure is cached too (as hcsshim does), except a timeout.
        """
        return _read_version(self.library, self._deadline(timeout, "hns_version").left())

    def supported_features(self, *, timeout: float | None = None) -> frozenset[Feature]:
        """Every feature the host's HNS version supports."""
        return supported_features(self.hns_version(timeout=timeout))

    def is_supported(self, feature: Feature, *, timeout: float | None = None) -> bool:
        """True when the host's HNS version supports ``feature``."""
        return is_supported(feature, self.hns_version(timeout=timeout))

    def require(self, features: Iterable[Feature], *, timeout: float | None = None) -> None:
        """Raise :class:`hcnpy.features.FeatureNotSupported` for the first missing feature.

        Reads the version only when ``features`` is not empty.
        """
        needed = set(features)
        if needed:
            require_all(needed, self.hns_version(timeout=timeout))

    def release(self, handle: Handle | None) -> None:
        """Close ``handle``; a failure to close is logged, never raised (the work is done)."""
        if handle is None:
            return
        try:
            handle.close()
        except HcnError as error:
            _log_release_failure(handle, error)

    # -- the generic skeletons ----------------------------------------------------------

    def _deadline(self, timeout: float | None, operation: str) -> Deadline:
        return Deadline(timeout if timeout is not None else self.timeout, operation, self._end)

    def _gate(self, kind: str, body: Mapping[str, Any], deadline: Deadline) -> None:
        self.require(document_features(kind, body), timeout=deadline.left())

    def _gate_request(self, kind: str, request: Mapping[str, Any], deadline: Deadline) -> None:
        if str(field(request, "ResourceType")) != "Policy":
            return
        if field(request, "RequestType") not in ("Add", "Update"):
            return
        settings = field(request, "Settings")
        if isinstance(settings, Mapping):
            policies = field(settings, "Policies")
            if isinstance(policies, list):
                needed = policy_features(kind, [p for p in policies if isinstance(p, Mapping)])
                self.require(needed, timeout=deadline.left())

    def _query_handle(self, handle: Handle, query: str, deadline: Deadline) -> JsonDict:
        text = self.library.query(handle, query, timeout=deadline.left())
        return decode(text, deadline.operation)

    def _open(self, kind: ObjectKind, object_id: Guid, deadline: Deadline) -> Handle:
        return self.library.open(kind, object_id, timeout=deadline.left())

    def _open_query(
        self, kind: ObjectKind, object_id: Guid, query: str, deadline: Deadline
    ) -> JsonDict:
        handle = self._open(kind, object_id, deadline)
        try:
            return self._query_handle(handle, query, deadline)
        finally:
            self.release(handle)

    def _list(
        self, kind: ObjectKind, query: Mapping[str, Any] | None, deadline: Deadline
    ) -> list[JsonDict]:
        ids = self.library.enumerate(kind, query_text(query), timeout=deadline.left())
        properties_query = query_text(query, keep_filter=False)
        found: list[JsonDict] = []
        for text in ids:
            try:
                handle = self._open(kind, guid(text), deadline)
            except NotFoundError:
                continue  # deleted between enumerate and open: not an error
            try:
                found.append(self._query_handle(handle, properties_query, deadline))
            finally:
                self.release(handle)
        return found

    def _get(
        self,
        kind: ObjectKind,
        object_id: IdLike,
        missing: _NotFoundFactory,
        deadline: Deadline,
    ) -> JsonDict:
        parsed = parse_id(object_id, "id")
        try:
            handle = self._open(kind, parsed, deadline)
        except NotFoundError as exc:
            raise missing(str(parsed)) from exc
        try:
            return self._query_handle(handle, query_text(None), deadline)
        finally:
            self.release(handle)

    def _by_name(
        self, kind: ObjectKind, name: str, missing: NotFoundError, deadline: Deadline
    ) -> JsonDict:
        from .queries import make_query

        for found in self._list(kind, make_query({"Name": name}), deadline):
            if field(found, "Name") == name:
                return found
        raise missing

    def _create(
        self,
        kind: ObjectKind,
        body: Mapping[str, Any],
        network: Handle | None,
        deadline: Deadline,
    ) -> JsonDict:
        handle = self.library.create(
            kind,
            encode(body),
            object_id=requested_id(body),
            network=network,
            timeout=deadline.left(),
        )
        try:
            return self._query_handle(handle, query_text(None), deadline)
        finally:
            self.release(handle)

    if TYPE_CHECKING:

        @overload
        def _modify(
            self,
            kind: ObjectKind,
            object_id: IdLike,
            request: Mapping[str, Any],
            deadline: Deadline,
            refresh: Literal[True] = True,
        ) -> JsonDict: ...

        @overload
        def _modify(
            self,
            kind: ObjectKind,
            object_id: IdLike,
            request: Mapping[str, Any],
            deadline: Deadline,
            refresh: bool,
        ) -> JsonDict | None: ...

    def _modify(
        self,
        kind: ObjectKind,
        object_id: IdLike,
        request: Mapping[str, Any],
        deadline: Deadline,
        refresh: bool = True,
    ) -> JsonDict | None:
        handle = self._open(kind, parse_id(object_id, "id"), deadline)
        try:
            self.library.modify(handle, encode(request), timeout=deadline.left())
            if not refresh:
                return None
            return self._query_handle(handle, query_text(None), deadline)
        finally:
            self.release(handle)

    def _delete(
        self,
        kind: ObjectKind,
        object_id: IdLike,
        missing_ok: bool,
        timeout: float | None,
        operation: str,
    ) -> None:
        parsed = parse_id(object_id, "id")
        deadline = self._deadline(timeout, operation)
        try:
            self.library.delete(kind, parsed, timeout=deadline.left())
        except NotFoundError:
            if not missing_ok:
                raise

    def _recreate(
        self, kind: ObjectKind, old: JsonDict, new: JsonDict, deadline: Deadline
    ) -> JsonDict:
        """Delete ``old`` and create ``new`` under the same ID; put ``old`` back on failure."""
        object_id = parse_id(id_of(old), "ID")
        self.library.delete(kind, object_id, timeout=deadline.left())
        try:
            return self._create(kind, new, None, deadline)
        except HcnError:
            self._create(kind, old, None, Deadline(None, deadline.operation))
            raise


def policy_request(request_type: str, policies: Sequence[Mapping[str, Any]]) -> JsonDict:
    """A ``Policy`` modify request carrying ``policies``."""
    return {
        "ResourceType": "Policy",
        "RequestType": request_type,
        "Settings": {"Policies": [dict(p) for p in policies]},
    }


def with_endpoint(doc: JsonDict, endpoint_id: IdLike, *, add: bool) -> JsonDict | None:
    """``doc`` with ``endpoint_id`` added to / removed from its endpoints; ``None`` if as-is."""
    target = parse_id(endpoint_id, "endpoint_id")
    raw = field(doc, "HostComputeEndpoints")
    endpoints = [str(e) for e in raw] if isinstance(raw, list) else []
    present = any(same_id(e, target) for e in endpoints)
    if add == present:
        return None
    if add:
        endpoints.append(str(target))
    else:
        endpoints = [e for e in endpoints if not same_id(e, target)]
    updated = jsonkeys.without(doc, ["HostComputeEndpoints"])
    updated["HostComputeEndpoints"] = endpoints
    return updated
