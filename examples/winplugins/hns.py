"""The HNS side of the plugins: every HCN call they make, on :mod:`hcnpy.ops` (plain dicts).

Kept in one place so the call count is easy to audit. A plain ADD makes eight HCN calls
(not counting handle closes), a plain DEL six:

=====  =======================================  =====================================
ADD    find the network by name                 HcnEnumerateNetworks, HcnOpenNetwork,
                                                HcnQueryNetworkProperties
       is there an endpoint of that name?       HcnEnumerateEndpoints
       create it on the open network handle     HcnCreateEndpoint,
                                                HcnQueryEndpointProperties
       attach it to the container's namespace   HcnOpenNamespace, HcnModifyNamespace
DEL    find the endpoint by name                HcnEnumerateEndpoints, HcnOpenEndpoint,
                                                HcnQueryEndpointProperties
       detach it from its namespace             HcnOpenNamespace, HcnModifyNamespace
       delete it                                HcnDeleteEndpoint
=====  =======================================  =====================================

The HNS version (``HNSCall``) is read only when a feature check needs it (loopback DSR).
"""

from __future__ import annotations

from hcnpy.errors import HcnError
from hcnpy.ops import Ops, make_query, new_id

from .config import get_ci

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeAlias

    from hcnpy.bindings import Handle

__all__ = [
    "Hns",
    "endpoint_id",
    "endpoint_name",
    "endpoint_namespace",
    "endpoint_network",
    "new_id",
]

Doc: TypeAlias = "dict[str, Any]"
_FLAG_REMOTE_ENDPOINT = 1


def endpoint_name(container_id: str, network_name: str) -> str:
    """``<CNI_CONTAINERID>_<network name>``, the reference's endpoint naming (C-06)."""
    return f"{container_id}_{network_name}"


def text(doc: Mapping[str, Any], key: str) -> str:
    value = get_ci(doc, key)
    return value if isinstance(value, str) else ""


def network_type(doc: Mapping[str, Any]) -> str:
    """The network's ``Type``. HNS omits enum value 0 on read, so a NAT network has none."""
    return text(doc, "Type") or "NAT"


def endpoint_id(doc: Mapping[str, Any]) -> str:
    return text(doc, "ID")


def endpoint_network(doc: Mapping[str, Any]) -> str:
    return text(doc, "HostComputeNetwork")


def endpoint_namespace(doc: Mapping[str, Any]) -> str:
    return text(doc, "HostComputeNamespace")


def is_remote(doc: Mapping[str, Any]) -> bool:
    flags = get_ci(doc, "Flags")
    return isinstance(flags, int) and bool(flags & _FLAG_REMOTE_ENDPOINT)


def same_id(a: str, b: str) -> bool:
    """GUIDs compared case-insensitively, braces ignored."""
    return a.strip("{}").lower() == b.strip("{}").lower() and bool(a)


class Hns:
    """The plugins' HNS operations on one :class:`hcnpy.ops.Ops`."""

    def __init__(self, ops: Ops | None = None) -> None:
        self.ops = ops if ops is not None else Ops()

    # -- networks ---------------------------------------------------------------------------

    def open_network(self, name: str) -> tuple[Doc, Handle]:
        """Find the network called ``name``: its document and an open handle.

        The handle lets :meth:`create_endpoint` skip a second HcnOpenNetwork; the caller
        closes it (``close_handle``). Raises
        :class:`hcnpy.lookup_errors.NetworkNotFoundError` when there is no such network.
        """
        return self.ops.open_network_by_name(name)

    @staticmethod
    def close_handle(handle: Handle | None) -> None:
        if handle is not None:
            handle.close()

    def network(self, name: str) -> Doc:
        """The network called ``name`` (NetworkNotFoundError when missing)."""
        return self.ops.get_network_by_name(name)

    def create_network(self, doc: Mapping[str, Any]) -> Doc:
        return self.ops.create_network(doc)

    # -- endpoints --------------------------------------------------------------------------

    def endpoint_by_name(self, name: str) -> Doc | None:
        """The endpoint called ``name``, or None (one HcnEnumerateEndpoints when absent)."""
        for doc in self.ops.list_endpoints(make_query({"Name": name})):
            if text(doc, "Name") == name:
                return doc
        return None

    def endpoints_of_network(self, network_id: str) -> list[Doc]:
        return self.ops.list_endpoints_of_network(network_id)

    def create_endpoint(self, network: Mapping[str, Any], handle: Handle | None, doc: Doc) -> Doc:
        """Create ``doc`` on ``network``, reusing its open ``handle`` (one HcnOpenNetwork less)."""
        return self.ops.create_endpoint(endpoint_id(network), doc, network_handle=handle)

    def add_policies(self, endpoint: str, policies: list[Doc]) -> Doc:
        return self.ops.apply_endpoint_policies(endpoint, "Add", policies)

    def delete_endpoint(self, endpoint: str) -> None:
        """Delete; an endpoint that is already gone is success."""
        self.ops.delete_endpoint(endpoint, missing_ok=True)

    # -- namespaces -------------------------------------------------------------------------

    def attach(self, namespace: str, endpoint: str) -> None:
        """Attach ``endpoint`` to ``namespace`` (HcnOpenNamespace + HcnModifyNamespace)."""
        self.ops.add_namespace_endpoint(namespace, endpoint, refresh=False)

    def detach(self, namespace: str, endpoint: str) -> None:
        """Detach; a namespace or endpoint that is already gone is success."""
        try:
            self.ops.remove_namespace_endpoint(namespace, endpoint, missing_ok=True, refresh=False)
        except HcnError as err:
            if not _not_attached(err):
                raise

    def namespace_endpoints(self, namespace: str) -> list[str]:
        return self.ops.namespace_endpoint_ids(namespace)

    def remove_endpoint(self, doc: Mapping[str, Any], netns: str = "") -> None:
        """Detach ``doc`` from its namespace (or ``netns``) and delete it; gone is success."""
        ep_id = endpoint_id(doc)
        namespace = endpoint_namespace(doc) or netns
        if namespace:
            self.detach(namespace, ep_id)
        self.delete_endpoint(ep_id)

    # -- features ---------------------------------------------------------------------------

    def dsr_supported(self) -> bool:
        """True when HNS supports DSR (reads the HNS version: one HNSCall)."""
        from hcnpy.features import Feature

        try:
            return self.ops.is_supported(Feature.DSR)
        except HcnError:
            return False

    def hns_version(self) -> str:
        try:
            return str(self.ops.hns_version())
        except HcnError:
            return "unknown"


def _not_attached(err: HcnError) -> bool:
    from hcnpy.hresult import HResult

    return err.hresult == HResult.HCN_E_ENDPOINT_NOT_ATTACHED
