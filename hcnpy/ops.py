"""Wire-level HCN operations: V2 JSON ``dict``s in and out, with hcsshim's semantics.

This is the layer CNI plugins use: it imports neither attrs, cattrs nor the typed models,
so a fresh process pays only for the C binding. Every operation follows the lifecycle in
the reference (create → query → close; open → query → close; enumerate → open → query →
close), closes every handle it opens, and checks version-gated features before sending.

``timeout`` (seconds) bounds a whole operation, however many HCN calls it makes; ``None``
on a call means "use the :class:`Ops` default", which itself may be ``None`` (no limit).
"""

from __future__ import annotations

import _thread
import json
import time
from collections.abc import Mapping

from . import _native
from ._native import NIL_GUID, Guid, Handle, Library, ObjectKind, new_guid
from .errors import HcnError, HcnTimeout, NotFoundError, ValidationError
from .features import Feature, HnsVersion, is_supported, require_all
from .features import supported_features as _features_of
from .gates import document_features, policy_features
from .hresult import HResult
from .lookup_errors import (
    EndpointNotFoundError,
    LoadBalancerNotFoundError,
    NamespaceNotFoundError,
    NetworkNotFoundError,
    RouteNotFoundError,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~2 ms per process
if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, Literal, TypeAlias, overload

__all__ = [
    "DEFAULT_QUERY",
    "SCHEMA_VERSION",
    "IdLike",
    "JsonDict",
    "Ops",
    "clear_version_cache",
    "connect",
    "make_query",
    "new_id",
]

JsonDict: TypeAlias = "dict[str, Any]"
IdLike: TypeAlias = "str | uuid.UUID"

#: The schema version hcsshim sends with every document and query.
SCHEMA_VERSION: Mapping[str, int] = {"Major": 2, "Minor": 0}
#: hcsshim's ``defaultQuery()``: schema 2.0, no flags, no filter.
DEFAULT_QUERY: Mapping[str, Any] = {"SchemaVersion": SCHEMA_VERSION}

_ENDPOINT_FLAG_REMOTE = 1


def make_query(filter: Mapping[str, Any] | None = None, *, detailed: bool = False) -> JsonDict:
    """A ``HostComputeQuery`` dict; ``filter`` is JSON-encoded into the ``Filter`` string."""
    query: JsonDict = {"SchemaVersion": dict(SCHEMA_VERSION)}
    if detailed:
        query["Flags"] = 1
    if filter:
        query["Filter"] = json.dumps(dict(filter), separators=(",", ":"))
    return query


def new_id() -> str:
    """A fresh random object ID, e.g. for an endpoint document's ``ID``: a version-4 GUID as
    HNS prints it (what ``str(uuid.uuid4())`` gives)."""
    return str(new_guid())


def _query_text(query: Mapping[str, Any] | None, *, keep_filter: bool = True) -> str:
    if query is None:
        return json.dumps(DEFAULT_QUERY, separators=(",", ":"))
    body = dict(query)
    body.setdefault("SchemaVersion", dict(SCHEMA_VERSION))
    filter_value = body.get("Filter")
    if not keep_filter:
        body.pop("Filter", None)
    elif isinstance(filter_value, Mapping):
        body["Filter"] = json.dumps(dict(filter_value), separators=(",", ":"))
    return json.dumps(body, separators=(",", ":"))


def _parse_id(value: IdLike, what: str) -> Guid:
    try:
        return _native.guid(str(value).strip())
    except ValueError:
        raise ValidationError(what, value, "not a GUID") from None


def _field(doc: Mapping[str, Any], key: str) -> Any:
    """``doc[key]`` matched case-insensitively (HNS emits both ``ID`` and ``Id``)."""
    if key in doc:
        return doc[key]
    lowered = key.lower()
    for name, value in doc.items():
        if isinstance(name, str) and name.lower() == lowered:
            return value
    return None


def _without(doc: Mapping[str, Any], *keys: str) -> JsonDict:
    drop = {k.lower() for k in keys}
    return {k: v for k, v in doc.items() if not (isinstance(k, str) and k.lower() in drop)}


def _document(doc: Mapping[str, Any]) -> JsonDict:
    """A copy of ``doc`` with ``SchemaVersion`` 2.0 added when absent."""
    body = dict(doc)
    if _field(body, "SchemaVersion") is None:
        body["SchemaVersion"] = dict(SCHEMA_VERSION)
    return body


def _encode(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, separators=(",", ":"))


def _decode(text: str, operation: str) -> JsonDict:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise HcnError(
            HResult.E_UNEXPECTED,
            operation,
            message=f"{operation}: HNS returned something that is not a JSON object: {text!r}",
        )
    return value


def _id_of(doc: Mapping[str, Any]) -> str:
    value = _field(doc, "ID")
    return str(value) if value is not None else ""


def _requested_id(doc: Mapping[str, Any]) -> Guid | None:
    value = _field(doc, "ID")
    if not value:
        return None
    parsed = _parse_id(value, "ID")
    return None if parsed == NIL_GUID else parsed


def _same_id(left: str, right: Guid) -> bool:
    try:
        return _native.guid(left) == right
    except ValueError:
        return False


class _Deadline:
    """The time left for one operation made of several HCN calls."""

    __slots__ = ("_end", "operation", "seconds")

    def __init__(self, seconds: float | None, operation: str) -> None:
        self.seconds = seconds
        self.operation = operation
        self._end = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        if self._end is None or self.seconds is None:
            return None
        remaining = self._end - time.monotonic()
        if remaining <= 0:
            raise HcnTimeout(self.operation, self.seconds)
        return remaining


# --- the HNS version, read once per process and library ------------------------------

_version_lock = _thread.allocate_lock()
_version_cache: dict[tuple[str, str], HnsVersion | HcnError] = {}


def clear_version_cache() -> None:
    """Forget every cached HNS version (tests, and after ``hcnpy sim version``)."""
    with _version_lock:
        _version_cache.clear()


def _parse_version_envelope(text: str) -> HnsVersion:
    operation = "HNSCall GET /globals/version"
    envelope = _decode(text, operation)
    if _field(envelope, "Success") is False:
        error = _field(envelope, "Error") or "unknown error"
        raise HcnError(HResult.E_FAIL, operation, message=f"HNS failed with error : {error}")
    output = _field(envelope, "Output")
    if isinstance(output, Mapping):
        major, minor = _field(output, "Major"), _field(output, "Minor")
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


# --- the operations -------------------------------------------------------------------

_NotFoundFactory: TypeAlias = "Callable[[str], NotFoundError]"


class Ops:
    """Every HCN operation on one :class:`hcnpy._native.Library`, with plain dicts.

    ``timeout`` is the default for every operation; each method also takes ``timeout=``.
    Instances are cheap, stateless and thread-safe.
    """

    def __init__(self, library: Library | None = None, *, timeout: float | None = None) -> None:
        self.library: Library = library if library is not None else _native.load()
        self.timeout = timeout

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
        return _read_version(self.library, self._seconds(timeout))

    def supported_features(self, *, timeout: float | None = None) -> frozenset[Feature]:
        """Every feature the host's HNS version supports."""
        return _features_of(self.hns_version(timeout=timeout))

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

    # -- networks -----------------------------------------------------------------------

    def list_networks(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every network matching ``query`` (a ``HostComputeQuery`` dict; default: all)."""
        return self._list(ObjectKind.NETWORK, query, self._deadline(timeout, "list_networks"))

    def get_network(self, network_id: IdLike, *, timeout: float | None = None) -> JsonDict:
        """The network with this ID; :class:`NetworkNotFoundError` when there is none."""
        return self._get(
            ObjectKind.NETWORK,
            network_id,
            lambda i: NetworkNotFoundError(id=i),
            self._deadline(timeout, "get_network"),
        )

    def get_network_by_name(self, name: str, *, timeout: float | None = None) -> JsonDict:
        """The network called ``name``; :class:`NetworkNotFoundError` when there is none."""
        return self._by_name(
            ObjectKind.NETWORK,
            name,
            NetworkNotFoundError(name=name),
            self._deadline(timeout, "get_network_by_name"),
        )

    def open_network_by_name(
        self, name: str, *, timeout: float | None = None
    ) -> tuple[JsonDict, Handle]:
        """The network called ``name`` and its handle, left open for the caller to close.

        Pass the handle to :meth:`create_endpoint` (``network_handle=``) to create an
        endpoint without opening the network again: a CNI ADD then needs one HCN call fewer.
        :class:`NetworkNotFoundError` when there is no such network.
        """
        deadline = self._deadline(timeout, "open_network_by_name")
        query = make_query({"Name": name})
        ids = self.library.enumerate(
            ObjectKind.NETWORK, _query_text(query), timeout=deadline.left()
        )
        properties_query = _query_text(query, keep_filter=False)
        for text in ids:
            try:
                handle = self.library.open(
                    ObjectKind.NETWORK, _native.guid(text), timeout=deadline.left()
                )
            except NotFoundError:
                continue  # deleted between enumerate and open
            try:
                doc = self._query_handle(handle, properties_query, deadline)
            except BaseException:
                handle.close()
                raise
            if _field(doc, "Name") == name:
                return doc, handle
            handle.close()
        raise NetworkNotFoundError(name=name)

    def create_network(self, doc: Mapping[str, Any], *, timeout: float | None = None) -> JsonDict:
        """Create a network from a V2 document; returns it as HNS reports it."""
        deadline = self._deadline(timeout, "create_network")
        body = _document(doc)
        self._gate("Network", body, deadline)
        return self._create(ObjectKind.NETWORK, body, None, deadline)

    def delete_network(
        self, network_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a network (HNS refuses while it still has endpoints)."""
        self._delete(ObjectKind.NETWORK, network_id, missing_ok, timeout, "delete_network")

    def modify_network(
        self, network_id: IdLike, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Send a ``ModifyNetworkSettingRequest``; returns the network afterwards."""
        deadline = self._deadline(timeout, "modify_network")
        self._gate_request("Network", request, deadline)
        return self._modify(ObjectKind.NETWORK, network_id, request, deadline)

    def add_network_policies(
        self,
        network_id: IdLike,
        policies: Sequence[Mapping[str, Any]],
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """Add ``{"Type", "Settings"}`` policies to a network."""
        return self.modify_network(network_id, _policy_request("Add", policies), timeout=timeout)

    def remove_network_policies(
        self,
        network_id: IdLike,
        policies: Sequence[Mapping[str, Any]],
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """Remove policies from a network (they must match what was added)."""
        return self.modify_network(network_id, _policy_request("Remove", policies), timeout=timeout)

    # -- endpoints ----------------------------------------------------------------------

    def list_endpoints(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every endpoint matching ``query`` (default: all)."""
        return self._list(ObjectKind.ENDPOINT, query, self._deadline(timeout, "list_endpoints"))

    def list_endpoints_of_network(
        self, network_id: IdLike, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every endpoint on one network (filter key ``VirtualNetwork``, as hcsshim)."""
        nid = _parse_id(network_id, "network_id")
        query = make_query({"VirtualNetwork": str(nid)})
        return self._list(
            ObjectKind.ENDPOINT, query, self._deadline(timeout, "list_endpoints_of_network")
        )

    def get_endpoint(self, endpoint_id: IdLike, *, timeout: float | None = None) -> JsonDict:
        """The endpoint with this ID; :class:`EndpointNotFoundError` when there is none."""
        return self._get(
            ObjectKind.ENDPOINT,
            endpoint_id,
            lambda i: EndpointNotFoundError(id=i),
            self._deadline(timeout, "get_endpoint"),
        )

    def get_endpoint_by_name(self, name: str, *, timeout: float | None = None) -> JsonDict:
        """The endpoint called ``name``; :class:`EndpointNotFoundError` when there is none."""
        return self._by_name(
            ObjectKind.ENDPOINT,
            name,
            EndpointNotFoundError(name=name),
            self._deadline(timeout, "get_endpoint_by_name"),
        )

    def create_endpoint(
        self,
        network_id: IdLike,
        doc: Mapping[str, Any],
        *,
        network_handle: Handle | None = None,
        timeout: float | None = None,
    ) -> JsonDict:
        """Create an endpoint on a network; HNS allocates the IP and MAC unless given.

        ``HostComputeNetwork`` is set from ``network_id``; ``HostComputeNamespace`` is
        read-only (attach with :meth:`add_namespace_endpoint` afterwards). An open
        ``network_handle`` of that network (from :meth:`open_network_by_name`) is used
        instead of opening the network again; it stays open.
        """
        deadline = self._deadline(timeout, "create_endpoint")
        nid = _parse_id(network_id, "network_id")
        namespace = _field(doc, "HostComputeNamespace")
        if namespace:
            raise ValidationError(
                "HostComputeNamespace",
                namespace,
                "is read-only: create the endpoint, then attach it to the namespace",
            )
        body = _document(_without(doc, "HostComputeNetwork", "HostComputeNamespace"))
        body["HostComputeNetwork"] = str(nid)
        self._gate("Endpoint", body, deadline)
        if network_handle is not None:
            return self._create(ObjectKind.ENDPOINT, body, network_handle, deadline)
        with self.library.open(ObjectKind.NETWORK, nid, timeout=deadline.left()) as network:
            return self._create(ObjectKind.ENDPOINT, body, network, deadline)

    def create_remote_endpoint(
        self, network_id: IdLike, doc: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Create an endpoint with the ``RemoteEndpoint`` flag (an endpoint on another host)."""
        flags = _field(doc, "Flags")
        body = _without(doc, "Flags")
        body["Flags"] = (flags if isinstance(flags, int) else 0) | _ENDPOINT_FLAG_REMOTE
        return self.create_endpoint(network_id, body, timeout=timeout)

    def delete_endpoint(
        self, endpoint_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete an endpoint."""
        self._delete(ObjectKind.ENDPOINT, endpoint_id, missing_ok, timeout, "delete_endpoint")

    def modify_endpoint(
        self, endpoint_id: IdLike, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Send a ``ModifyEndpointSettingRequest``; returns the endpoint afterwards."""
        deadline = self._deadline(timeout, "modify_endpoint")
        self._gate_request("Endpoint", request, deadline)
        return self._modify(ObjectKind.ENDPOINT, endpoint_id, request, deadline)

    def apply_endpoint_policies(
        self,
        endpoint_id: IdLike,
        request_type: str,
        policies: Sequence[Mapping[str, Any]],
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """hcsshim's ``ApplyPolicy``: ``request_type`` is ``Add``, ``Remove`` or ``Update``."""
        if request_type not in ("Add", "Remove", "Update", "Refresh"):
            raise ValidationError("request_type", request_type, "want Add, Remove or Update")
        return self.modify_endpoint(
            endpoint_id, _policy_request(request_type, policies), timeout=timeout
        )

    def endpoint_stats(
        self,
        endpoint_id: IdLike,
        query: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """Packet and byte counters of an endpoint (``HcnQueryEndpointStats``)."""
        deadline = self._deadline(timeout, "endpoint_stats")
        eid = _parse_id(endpoint_id, "endpoint_id")
        with self.library.open(ObjectKind.ENDPOINT, eid, timeout=deadline.left()) as handle:
            text = self.library.query_endpoint_stats(
                handle, _query_text(query), timeout=deadline.left()
            )
        return _decode(text, "HcnQueryEndpointStats")

    # -- namespaces ---------------------------------------------------------------------

    def list_namespaces(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every namespace matching ``query`` (default: all)."""
        return self._list(ObjectKind.NAMESPACE, query, self._deadline(timeout, "list_namespaces"))

    def get_namespace(self, namespace_id: IdLike, *, timeout: float | None = None) -> JsonDict:
        """The namespace with this ID; :class:`NamespaceNotFoundError` when there is none."""
        return self._get(
            ObjectKind.NAMESPACE,
            namespace_id,
            lambda i: NamespaceNotFoundError(id=i),
            self._deadline(timeout, "get_namespace"),
        )

    def create_namespace(
        self, doc: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> JsonDict:
        """Create a namespace (default document: no ``Type``, so HNS picks ``Host``)."""
        deadline = self._deadline(timeout, "create_namespace")
        return self._create(ObjectKind.NAMESPACE, _document(doc or {}), None, deadline)

    def delete_namespace(
        self, namespace_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a namespace."""
        self._delete(ObjectKind.NAMESPACE, namespace_id, missing_ok, timeout, "delete_namespace")

    def modify_namespace(
        self, namespace_id: IdLike, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Send a ``ModifyNamespaceSettingRequest``; returns the namespace afterwards."""
        deadline = self._deadline(timeout, "modify_namespace")
        return self._modify(ObjectKind.NAMESPACE, namespace_id, request, deadline)

    if TYPE_CHECKING:

        @overload
        def add_namespace_endpoint(
            self,
            namespace_id: IdLike,
            endpoint_id: IdLike,
            *,
            refresh: Literal[True] = True,
            timeout: float | None = None,
        ) -> JsonDict: ...

        @overload
        def add_namespace_endpoint(
            self,
            namespace_id: IdLike,
            endpoint_id: IdLike,
            *,
            refresh: Literal[False],
            timeout: float | None = None,
        ) -> None: ...

    def add_namespace_endpoint(
        self,
        namespace_id: IdLike,
        endpoint_id: IdLike,
        *,
        refresh: bool = True,
        timeout: float | None = None,
    ) -> JsonDict | None:
        """Attach an endpoint to a namespace; returns the namespace afterwards.

        ``refresh=False`` skips reading the namespace back (one HCN call fewer) and
        returns ``None``: what a CNI plugin wants.
        """
        deadline = self._deadline(timeout, "add_namespace_endpoint")
        request = _namespace_endpoint_request("Add", endpoint_id)
        return self._modify(ObjectKind.NAMESPACE, namespace_id, request, deadline, refresh)

    def remove_namespace_endpoint(
        self,
        namespace_id: IdLike,
        endpoint_id: IdLike,
        *,
        missing_ok: bool = False,
        refresh: bool = True,
        timeout: float | None = None,
    ) -> JsonDict | None:
        """Detach an endpoint from a namespace; returns the namespace afterwards.

        With ``missing_ok`` a vanished namespace or endpoint is not an error (returns
        ``None``): runtimes often delete the namespace first. ``refresh=False`` skips
        reading the namespace back and returns ``None``.
        """
        deadline = self._deadline(timeout, "remove_namespace_endpoint")
        request = _namespace_endpoint_request("Remove", endpoint_id)
        try:
            return self._modify(ObjectKind.NAMESPACE, namespace_id, request, deadline, refresh)
        except NotFoundError:
            if missing_ok:
                return None
            raise

    def namespace_endpoint_ids(
        self, namespace_id: IdLike, *, timeout: float | None = None
    ) -> list[str]:
        """IDs of the endpoints attached to a namespace."""
        return _resource_ids(self.get_namespace(namespace_id, timeout=timeout), "Endpoint")

    def namespace_container_ids(
        self, namespace_id: IdLike, *, timeout: float | None = None
    ) -> list[str]:
        """IDs of the containers in a namespace."""
        return _resource_ids(self.get_namespace(namespace_id, timeout=timeout), "Container")

    # -- load balancers -----------------------------------------------------------------

    def list_load_balancers(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every load balancer matching ``query`` (default: all)."""
        return self._list(
            ObjectKind.LOAD_BALANCER, query, self._deadline(timeout, "list_load_balancers")
        )

    def get_load_balancer(
        self, load_balancer_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """The load balancer with this ID; :class:`LoadBalancerNotFoundError` otherwise."""
        return self._get(
            ObjectKind.LOAD_BALANCER,
            load_balancer_id,
            lambda i: LoadBalancerNotFoundError(id=i),
            self._deadline(timeout, "get_load_balancer"),
        )

    def create_load_balancer(
        self, doc: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Create a load balancer from a V2 document."""
        deadline = self._deadline(timeout, "create_load_balancer")
        body = _document(doc)
        self._gate("LoadBalancer", body, deadline)
        return self._create(ObjectKind.LOAD_BALANCER, body, None, deadline)

    def add_load_balancer(
        self,
        endpoint_ids: Sequence[IdLike],
        *,
        internal_port: int,
        external_port: int,
        protocol: int = 6,
        flags: int = 0,
        port_mapping_flags: int = 0,
        source_vip: str = "",
        frontend_vips: Sequence[str] = (),
        timeout: float | None = None,
    ) -> JsonDict:
        """hcsshim's ``AddLoadBalancer``: one port mapping over ``endpoint_ids``."""
        mapping: JsonDict = {
            "Protocol": protocol,
            "InternalPort": internal_port,
            "ExternalPort": external_port,
        }
        if port_mapping_flags:
            mapping["Flags"] = port_mapping_flags
        doc: JsonDict = {
            "HostComputeEndpoints": [str(_parse_id(e, "endpoint_ids")) for e in endpoint_ids],
            "PortMappings": [mapping],
            "SchemaVersion": dict(SCHEMA_VERSION),
        }
        if source_vip:
            doc["SourceVIP"] = source_vip
        if frontend_vips:
            doc["FrontendVIPs"] = list(frontend_vips)
        if flags:
            doc["Flags"] = flags
        return self.create_load_balancer(doc, timeout=timeout)

    def delete_load_balancer(
        self, load_balancer_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a load balancer."""
        self._delete(
            ObjectKind.LOAD_BALANCER,
            load_balancer_id,
            missing_ok,
            timeout,
            "delete_load_balancer",
        )

    def update_load_balancer(
        self,
        load_balancer_id: IdLike,
        doc: Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """Replace a load balancer in place with the full document ``doc``.

        Needs :attr:`Feature.MODIFY_LOADBALANCER`; raises ``FeatureNotSupported`` before
        sending anything when the host's HNS is too old.
        """
        deadline = self._deadline(timeout, "update_load_balancer")
        body = _document(_without(doc, "ID"))
        needed = document_features("LoadBalancer", body) | {Feature.MODIFY_LOADBALANCER}
        self.require(needed, timeout=deadline.left())
        return self._modify(ObjectKind.LOAD_BALANCER, load_balancer_id, body, deadline)

    def add_load_balancer_endpoint(
        self, load_balancer_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Add a backend endpoint; returns the load balancer afterwards (same ID).

        In place when HNS supports ``ModifyLoadbalancer``, otherwise delete and re-create
        under the same ID (hcsshim's method), restoring the original if re-creating fails.
        """
        return self._edit_load_balancer(load_balancer_id, endpoint_id, add=True, timeout=timeout)

    def remove_load_balancer_endpoint(
        self, load_balancer_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Remove a backend endpoint; see :meth:`add_load_balancer_endpoint`."""
        return self._edit_load_balancer(load_balancer_id, endpoint_id, add=False, timeout=timeout)

    # -- SDN routes ---------------------------------------------------------------------

    def list_routes(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every SDN route matching ``query`` (default: all)."""
        return self._list(ObjectKind.SDN_ROUTE, query, self._deadline(timeout, "list_routes"))

    def get_route(self, route_id: IdLike, *, timeout: float | None = None) -> JsonDict:
        """The SDN route with this ID; :class:`RouteNotFoundError` when there is none."""
        return self._get(
            ObjectKind.SDN_ROUTE,
            route_id,
            lambda i: RouteNotFoundError(id=i),
            self._deadline(timeout, "get_route"),
        )

    def create_route(self, doc: Mapping[str, Any], *, timeout: float | None = None) -> JsonDict:
        """Create an SDN route from a V2 document."""
        deadline = self._deadline(timeout, "create_route")
        return self._create(ObjectKind.SDN_ROUTE, _document(doc), None, deadline)

    def add_route(
        self,
        endpoint_ids: Sequence[IdLike],
        destination_prefix: str,
        next_hop: str,
        *,
        need_encapsulation: bool = False,
        timeout: float | None = None,
    ) -> JsonDict:
        """hcsshim's ``AddRoute``: one route setting over ``endpoint_ids`` (not empty)."""
        if not endpoint_ids:
            raise ValidationError("endpoint_ids", endpoint_ids, "a route needs an endpoint")
        setting: JsonDict = {"DestinationPrefix": destination_prefix, "NextHop": next_hop}
        if need_encapsulation:
            setting["NeedEncap"] = True
        doc: JsonDict = {
            "HostComputeEndpoints": [str(_parse_id(e, "endpoint_ids")) for e in endpoint_ids],
            "Routes": [setting],
            "SchemaVersion": dict(SCHEMA_VERSION),
        }
        return self.create_route(doc, timeout=timeout)

    def delete_route(
        self, route_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete an SDN route."""
        self._delete(ObjectKind.SDN_ROUTE, route_id, missing_ok, timeout, "delete_route")

    def modify_route(
        self, route_id: IdLike, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Send a modify request to an SDN route (``HcnModifySdnRoute``)."""
        deadline = self._deadline(timeout, "modify_route")
        return self._modify(ObjectKind.SDN_ROUTE, route_id, request, deadline)

    def add_route_endpoint(
        self, route_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Add an endpoint to a route: delete and re-create under the same ID."""
        return self._edit_route(route_id, endpoint_id, add=True, timeout=timeout)

    def remove_route_endpoint(
        self, route_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Remove an endpoint from a route (a no-op when it is not there)."""
        return self._edit_route(route_id, endpoint_id, add=False, timeout=timeout)

    # -- the generic skeletons ----------------------------------------------------------

    def _seconds(self, timeout: float | None) -> float | None:
        return timeout if timeout is not None else self.timeout

    def _deadline(self, timeout: float | None, operation: str) -> _Deadline:
        return _Deadline(self._seconds(timeout), operation)

    def _gate(self, kind: str, body: Mapping[str, Any], deadline: _Deadline) -> None:
        self.require(document_features(kind, body), timeout=deadline.left())

    def _gate_request(self, kind: str, request: Mapping[str, Any], deadline: _Deadline) -> None:
        if str(_field(request, "ResourceType")) != "Policy":
            return
        if _field(request, "RequestType") not in ("Add", "Update"):
            return
        settings = _field(request, "Settings")
        if isinstance(settings, Mapping):
            policies = _field(settings, "Policies")
            if isinstance(policies, list):
                needed = policy_features(kind, [p for p in policies if isinstance(p, Mapping)])
                self.require(needed, timeout=deadline.left())

    def _query_handle(self, handle: Handle, query: str, deadline: _Deadline) -> JsonDict:
        text = self.library.query(handle, query, timeout=deadline.left())
        return _decode(text, deadline.operation)

    def _open_query(
        self, kind: ObjectKind, object_id: Guid, query: str, deadline: _Deadline
    ) -> JsonDict:
        with self.library.open(kind, object_id, timeout=deadline.left()) as handle:
            return self._query_handle(handle, query, deadline)

    def _list(
        self, kind: ObjectKind, query: Mapping[str, Any] | None, deadline: _Deadline
    ) -> list[JsonDict]:
        ids = self.library.enumerate(kind, _query_text(query), timeout=deadline.left())
        properties_query = _query_text(query, keep_filter=False)
        found: list[JsonDict] = []
        for text in ids:
            try:
                object_id = _native.guid(text)
                found.append(self._open_query(kind, object_id, properties_query, deadline))
            except NotFoundError:
                continue  # deleted between enumerate and open: not an error
        return found

    def _get(
        self,
        kind: ObjectKind,
        object_id: IdLike,
        missing: _NotFoundFactory,
        deadline: _Deadline,
    ) -> JsonDict:
        parsed = _parse_id(object_id, "id")
        try:
            return self._open_query(kind, parsed, _query_text(None), deadline)
        except NotFoundError as exc:
            raise missing(str(parsed)) from exc

    def _by_name(
        self, kind: ObjectKind, name: str, missing: NotFoundError, deadline: _Deadline
    ) -> JsonDict:
        for found in self._list(kind, make_query({"Name": name}), deadline):
            if _field(found, "Name") == name:
                return found
        raise missing

    def _create(
        self,
        kind: ObjectKind,
        body: Mapping[str, Any],
        network: Handle | None,
        deadline: _Deadline,
    ) -> JsonDict:
        handle = self.library.create(
            kind,
            _encode(body),
            object_id=_requested_id(body),
            network=network,
            timeout=deadline.left(),
        )
        with handle:
            return self._query_handle(handle, _query_text(None), deadline)

    if TYPE_CHECKING:

        @overload
        def _modify(
            self,
            kind: ObjectKind,
            object_id: IdLike,
            request: Mapping[str, Any],
            deadline: _Deadline,
            refresh: Literal[True] = True,
        ) -> JsonDict: ...

        @overload
        def _modify(
            self,
            kind: ObjectKind,
            object_id: IdLike,
            request: Mapping[str, Any],
            deadline: _Deadline,
            refresh: bool,
        ) -> JsonDict | None: ...

    def _modify(
        self,
        kind: ObjectKind,
        object_id: IdLike,
        request: Mapping[str, Any],
        deadline: _Deadline,
        refresh: bool = True,
    ) -> JsonDict | None:
        parsed = _parse_id(object_id, "id")
        with self.library.open(kind, parsed, timeout=deadline.left()) as handle:
            self.library.modify(handle, _encode(request), timeout=deadline.left())
            if not refresh:
                return None
            return self._query_handle(handle, _query_text(None), deadline)

    def _delete(
        self,
        kind: ObjectKind,
        object_id: IdLike,
        missing_ok: bool,
        timeout: float | None,
        operation: str,
    ) -> None:
        parsed = _parse_id(object_id, "id")
        deadline = self._deadline(timeout, operation)
        try:
            self.library.delete(kind, parsed, timeout=deadline.left())
        except NotFoundError:
            if not missing_ok:
                raise

    def _recreate(
        self, kind: ObjectKind, old: JsonDict, new: JsonDict, deadline: _Deadline
    ) -> JsonDict:
        """Delete ``old`` and create ``new`` under the same ID; put ``old`` back on failure."""
        object_id = _parse_id(_id_of(old), "ID")
        self.library.delete(kind, object_id, timeout=deadline.left())
        try:
            return self._create(kind, new, None, deadline)
        except HcnError:
            self._create(kind, old, None, _Deadline(None, deadline.operation))
            raise

    def _edit_load_balancer(
        self, lb_id: IdLike, endpoint_id: IdLike, *, add: bool, timeout: float | None
    ) -> JsonDict:
        operation = "add_load_balancer_endpoint" if add else "remove_load_balancer_endpoint"
        deadline = self._deadline(timeout, operation)
        current = self.get_load_balancer(lb_id, timeout=deadline.left())
        updated = _with_endpoint(current, endpoint_id, add=add)
        if updated is None:
            return current
        if self._modify_lb_supported(deadline):
            return self.update_load_balancer(lb_id, updated, timeout=deadline.left())
        return self._recreate(ObjectKind.LOAD_BALANCER, current, updated, deadline)

    def _modify_lb_supported(self, deadline: _Deadline) -> bool:
        try:
            return self.is_supported(Feature.MODIFY_LOADBALANCER, timeout=deadline.left())
        except HcnTimeout:
            raise
        except HcnError:
            return False

    def _edit_route(
        self, route_id: IdLike, endpoint_id: IdLike, *, add: bool, timeout: float | None
    ) -> JsonDict:
        operation = "add_route_endpoint" if add else "remove_route_endpoint"
        deadline = self._deadline(timeout, operation)
        current = self.get_route(route_id, timeout=deadline.left())
        updated = _with_endpoint(current, endpoint_id, add=add)
        if updated is None:
            return current
        return self._recreate(ObjectKind.SDN_ROUTE, current, updated, deadline)


def _policy_request(request_type: str, policies: Sequence[Mapping[str, Any]]) -> JsonDict:
    return {
        "ResourceType": "Policy",
        "RequestType": request_type,
        "Settings": {"Policies": [dict(p) for p in policies]},
    }


def _namespace_endpoint_request(request_type: str, endpoint_id: IdLike) -> JsonDict:
    return {
        "ResourceType": "Endpoint",
        "RequestType": request_type,
        "Settings": {"EndpointId": str(_parse_id(endpoint_id, "endpoint_id"))},
    }


def _resource_ids(namespace: Mapping[str, Any], resource_type: str) -> list[str]:
    ids: list[str] = []
    resources = _field(namespace, "Resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, Mapping):
            continue
        if str(_field(resource, "Type")).lower() != resource_type.lower():
            continue
        data = _field(resource, "Data")
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                continue
        if isinstance(data, Mapping):
            value = _field(data, "ID")
            if isinstance(value, str) and value:
                ids.append(value)
    return ids


def _with_endpoint(doc: JsonDict, endpoint_id: IdLike, *, add: bool) -> JsonDict | None:
    """``doc`` with ``endpoint_id`` added to / removed from its endpoints; ``None`` if as-is."""
    target = _parse_id(endpoint_id, "endpoint_id")
    raw = _field(doc, "HostComputeEndpoints")
    endpoints = [str(e) for e in raw] if isinstance(raw, list) else []
    present = any(_same_id(e, target) for e in endpoints)
    if add == present:
        return None
    if add:
        endpoints.append(str(target))
    else:
        endpoints = [e for e in endpoints if not _same_id(e, target)]
    updated = _without(doc, "HostComputeEndpoints")
    updated["HostComputeEndpoints"] = endpoints
    return updated


def connect(backend: str | None = None, *, timeout: float | None = None) -> Ops:
    """Load the HCN library (``backend``: ``"hcn"``, ``"sim"`` or ``None`` = automatic)."""
    return Ops(_native.load(backend), timeout=timeout)
