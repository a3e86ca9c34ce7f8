"""HNS networks: list, get (by ID or name), create, modify, delete."""

from __future__ import annotations

from collections.abc import Mapping

from ..bindings import ObjectKind
from ..errors import NotFoundError
from ..guid import guid
from ..lookup_errors import NetworkNotFoundError
from ._core import OpsCore, document, field, parse_id, policy_request
from .queries import make_query, query_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..bindings import Handle
    from ._core import IdLike, JsonDict

__all__ = ["NetworkOps"]


class NetworkOps(OpsCore):
    """Network operations (hcsshim's ``hcnnetwork.go``)."""

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
        """The network called ``name`` and its handle, left open for the caller to close
        (:meth:`release`).

        Pass the handle to :meth:`create_endpoint` (``network_handle=``) to create an
        endpoint without opening the network again: a CNI ADD then needs one HCN call fewer.
        :class:`NetworkNotFoundError` when there is no such network.
        """
        deadline = self._deadline(timeout, "open_network_by_name")
        query = make_query({"Name": name})
        ids = self.library.enumerate(ObjectKind.NETWORK, query_text(query), timeout=deadline.left())
        properties_query = query_text(query, keep_filter=False)
        for text in ids:
            try:
                handle = self._open(ObjectKind.NETWORK, guid(text), deadline)
            except NotFoundError:
                continue  # deleted between enumerate and open
            try:
                doc = self._query_handle(handle, properties_query, deadline)
            except BaseException:
                self.release(handle)
                raise
            if field(doc, "Name") == name:
                return doc, handle
            self.release(handle)
        raise NetworkNotFoundError(name=name)

    def open_network(
        self, network_id: IdLike, *, timeout: float | None = None
    ) -> tuple[JsonDict, Handle]:
        """The network with this ID and its handle, left open for the caller to close
        (:meth:`release`); :class:`NetworkNotFoundError` when there is none."""
        deadline = self._deadline(timeout, "open_network")
        parsed = parse_id(network_id, "network_id")
        try:
            handle = self._open(ObjectKind.NETWORK, parsed, deadline)
        except NotFoundError as exc:
            raise NetworkNotFoundError(id=str(parsed)) from exc
        try:
            return self._query_handle(handle, query_text(None), deadline), handle
        except BaseException:
            self.release(handle)
            raise

    def create_network(self, doc: Mapping[str, Any], *, timeout: float | None = None) -> JsonDict:
        """Create a network from a V2 document; returns it as HNS reports it."""
        deadline = self._deadline(timeout, "create_network")
        body = document(doc)
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
        return self.modify_network(network_id, policy_request("Add", policies), timeout=timeout)

    def remove_network_policies(
        self,
        network_id: IdLike,
        policies: Sequence[Mapping[str, Any]],
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """Remove policies from a network (they must match what was added)."""
        return self.modify_network(network_id, policy_request("Remove", policies), timeout=timeout)
