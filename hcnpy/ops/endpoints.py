"""HNS endpoints: list, get, create (local and remote), modify, policies, stats, delete."""

from __future__ import annotations

from collections.abc import Mapping

from .. import jsonkeys
from ..bindings import ObjectKind
from ..errors import ValidationError
from ..lookup_errors import EndpointNotFoundError
from ._core import OpsCore, decode, document, field, parse_id, policy_request
from .queries import make_query, query_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..bindings import Handle
    from ._core import IdLike, JsonDict

__all__ = ["EndpointOps"]

_ENDPOINT_FLAG_REMOTE = 1


class EndpointOps(OpsCore):
    """Endpoint operations (hcsshim's ``hcnendpoint.go``)."""

    def list_endpoints(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every endpoint matching ``query`` (default: all)."""
        return self._list(ObjectKind.ENDPOINT, query, self._deadline(timeout, "list_endpoints"))

    def list_endpoints_of_network(
        self, network_id: IdLike, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every endpoint on one network (filter key ``VirtualNetwork``, as hcsshim)."""
        nid = parse_id(network_id, "network_id")
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
        nid = parse_id(network_id, "network_id")
        namespace = field(doc, "HostComputeNamespace")
        if namespace:
            raise ValidationError(
                "HostComputeNamespace",
                namespace,
                "is read-only: create the endpoint, then attach it to the namespace",
            )
        body = document(jsonkeys.without(doc, ["HostComputeNetwork", "HostComputeNamespace"]))
        body["HostComputeNetwork"] = str(nid)
        self._gate("Endpoint", body, deadline)
        if network_handle is not None:
            return self._create(ObjectKind.ENDPOINT, body, network_handle, deadline)
        network = self._open(ObjectKind.NETWORK, nid, deadline)
        try:
            return self._create(ObjectKind.ENDPOINT, body, network, deadline)
        finally:
            self.release(network)

    def create_remote_endpoint(
        self, network_id: IdLike, doc: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Create an endpoint with the ``RemoteEndpoint`` flag (an endpoint on another host)."""
        flags = field(doc, "Flags")
        body = jsonkeys.without(doc, ["Flags"])
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
            endpoint_id, policy_request(request_type, policies), timeout=timeout
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
        eid = parse_id(endpoint_id, "endpoint_id")
        handle = self._open(ObjectKind.ENDPOINT, eid, deadline)
        try:
            text = self.library.query_endpoint_stats(
                handle, query_text(query), timeout=deadline.left()
            )
        finally:
            self.release(handle)
        return decode(text, "HcnQueryEndpointStats")
