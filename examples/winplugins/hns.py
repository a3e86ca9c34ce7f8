"""The HNS side of the plugins: every HCN call they make, on :mod:`hcnpy.ops` (plain dicts).

Kept in one place so the call count is easy to audit. An endpoint's ID is derived from its
container and network (:func:`endpoint_id`), so the plugins find their endpoint by ID (one
``HcnOpenEndpoint``) instead of by name, and two containers can never be mistaken for each
other, whatever their names. A network's ID is remembered between runs (``netcache.py``).

=====  =======================================  =====================================
ADD    the network (ID remembered)              HcnOpenNetwork, HcnQueryNetworkProperties
       is the container's endpoint there?       HcnOpenEndpoint (not found)
       create it on the open network handle     HcnCreateEndpoint,
                                                HcnQueryEndpointProperties
       attach it to the container's namespace   HcnOpenNamespace, HcnModifyNamespace
DEL    the container's endpoint                 HcnOpenEndpoint, HcnQueryEndpointProperties
       detach it from its namespace             HcnOpenNamespace, HcnModifyNamespace
       delete it                                HcnDeleteEndpoint
=====  =======================================  =====================================

That is seven calls per ADD and five per DEL, not counting handle closes; the first ADD on
a network (or after HNS re-created it) adds ``HcnEnumerateNetworks``. The HNS version
(``HNSCall``) is read only when a feature check needs it (loopback DSR).

An endpoint made by an earlier release of the plugins has a random ID; DEL finds it by name
*on the configuration's network* (:meth:`Hns.legacy_endpoint`: one enumerate more, and the
network), so upgraded nodes lose nothing, and a same-named endpoint of another network is
never touched.
"""

from __future__ import annotations

from hcnpy import jsonkeys
from hcnpy.errors import HcnError
from hcnpy.guid import derived_guid, guid
from hcnpy.lookup_errors import EndpointNotFoundError, NetworkNotFoundError
from hcnpy.ops import Ops, new_id

from . import netcache

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
    "object_id",
]

Doc: TypeAlias = "dict[str, Any]"
_FLAG_REMOTE_ENDPOINT = 1
#: The scope of endpoint IDs; a new value would orphan every endpoint made with the old one.
_ENDPOINT_SCOPE = "hcnpy-winplugins endpoint v1"


def endpoint_id(container_id: str, network_name: str) -> str:
    """The ID of the endpoint of ``container_id`` on the network ``network_name``.

    Derived from both (:func:`hcnpy.guid.derived_guid`), so distinct pairs never share an
    ID: container ``a_b`` on network ``c`` and container ``a`` on network ``b_c`` get
    different endpoints, although the reference names both ``a_b_c``.
    """
    return str(derived_guid(_ENDPOINT_SCOPE, container_id, network_name))


def endpoint_name(container_id: str, network_name: str) -> str:
    """``<CNI_CONTAINERID>_<network name>``, the reference's endpoint naming (C-06).

    A label for people and tools; the plugins find their endpoints by :func:`endpoint_id`.
    """
    return f"{container_id}_{network_name}"


def text(doc: Mapping[str, Any], key: str) -> str:
    value = jsonkeys.get(doc, key)
    return value if isinstance(value, str) else ""


def network_type(doc: Mapping[str, Any]) -> str:
    """The network's ``Type``. HNS omits enum value 0 on read, so a NAT network has none."""
    return text(doc, "Type") or "NAT"


def object_id(doc: Mapping[str, Any]) -> str:
    """An HNS object's ``ID``."""
    return text(doc, "ID")


def endpoint_network(doc: Mapping[str, Any]) -> str:
    return text(doc, "HostComputeNetwork")


def endpoint_namespace(doc: Mapping[str, Any]) -> str:
    return text(doc, "HostComputeNamespace")


def is_remote(doc: Mapping[str, Any]) -> bool:
    flags = jsonkeys.get(doc, "Flags")
    return isinstance(flags, int) and bool(flags & _FLAG_REMOTE_ENDPOINT)


def same_id(a: str, b: str) -> bool:
    """GUIDs compared as GUIDs (case and braces ignored); empty never matches."""
    try:
        return bool(a) and guid(a) == guid(b)
    except ValueError:
        return False


class Hns:
    """The plugins' HNS operations on one :class:`hcnpy.ops.Ops`."""

    def __init__(self, ops: Ops | None = None) -> None:
        self.ops = ops if ops is not None else Ops()

    # -- networks ---------------------------------------------------------------------------

    def open_network(self, name: str) -> tuple[Doc, Handle]:
        """The network called ``name``: its document and an open handle (close it with
        :meth:`release`). :class:`NetworkNotFoundError` when there is no such network.

        The ID ``name`` had last time is tried first (two calls); otherwise, or when that
        network is gone or renamed, the network is found by name (three calls) and its ID
        remembered.
        """
        remembered = netcache.recall(name)
        if remembered:
            try:
                doc, handle = self.ops.open_network(remembered)
            except NetworkNotFoundError:
                netcache.forget(name)
            else:
                if text(doc, "Name") == name:
                    return doc, handle
                self.release(handle)
                netcache.forget(name)
        doc, handle = self.ops.open_network_by_name(name)
        netcache.remember(name, object_id(doc))
        return doc, handle

    def network(self, name: str) -> Doc:
        """The network called ``name`` (:class:`NetworkNotFoundError` when missing)."""
        doc, handle = self.open_network(name)
        self.release(handle)
        return doc

    def create_network(self, doc: Mapping[str, Any]) -> Doc:
        return self.ops.create_network(doc)

    def release(self, handle: Handle | None) -> None:
        """Close a handle; a failure to close is logged, never raised (the work is done)."""
        self.ops.release(handle)

    # -- endpoints --------------------------------------------------------------------------

    def endpoint(self, endpoint_id: str) -> Doc | None:
        """The endpoint with this ID, or ``None`` when HNS says it does not exist.

        Only ``HcnOpenEndpoint`` answering "not found" means absent; a failure after it
        (the query) is raised, never taken for "absent".
        """
        try:
            return self.ops.get_endpoint(endpoint_id)
        except EndpointNotFoundError:
            return None

    def new_endpoint(self, endpoint_id: str) -> Doc | None:
        """:meth:`endpoint` for where it is usually absent (an ADD): HNS is asked which
        endpoints have this ID (hcsshim's ``GetEndpointByID``), one call that answers an empty
        list rather than a failure. A failing enumeration is raised, never taken for
        "absent"; an endpoint it lists is then opened and read (two calls more).
        """
        from hcnpy.ops import make_query

        for doc in self.ops.list_endpoints(make_query({"ID": endpoint_id})):
            if same_id(object_id(doc), endpoint_id):
                return doc
        return None

    def legacy_endpoint(self, name: str, network_id: str) -> Doc | None:
        """The endpoint called ``name`` on the network ``network_id``, or ``None``.

        For endpoints made by releases that named endpoints but did not derive their IDs:
        the name alone is ambiguous (container ``a_b`` on network ``c`` and container ``a``
        on network ``b_c`` both give ``a_b_c``), the name on one network is not.
        """
        from hcnpy.ops import make_query

        for doc in self.ops.list_endpoints(make_query({"Name": name})):
            if text(doc, "Name") == name and same_id(endpoint_network(doc), network_id):
                return doc
        return None

    def endpoints_of_network(self, network_id: str) -> list[Doc]:
        return self.ops.list_endpoints_of_network(network_id)

    def create_endpoint(self, network: Mapping[str, Any], handle: Handle | None, doc: Doc) -> Doc:
        """Create ``doc`` on ``network``, reusing its open ``handle`` (one HcnOpenNetwork less)."""
        return self.ops.create_endpoint(object_id(network), doc, network_handle=handle)

    def add_policies(self, endpoint: str, policies: list[Doc]) -> Doc:
        return self.ops.apply_endpoint_policies(endpoint, "Add", policies)

    def delete_endpoint(self, endpoint: str) -> None:
        """Delete; an endpoint HNS does not know (any more) is success."""
        self.ops.delete_endpoint(endpoint, missing_ok=True)

    # -- namespaces -------------------------------------------------------------------------

    def attach(self, namespace: str, endpoint: str) -> None:
        """Attach ``endpoint`` to ``namespace`` (HcnOpenNamespace + HcnModifyNamespace)."""
        self.ops.add_namespace_endpoint(namespace, endpoint, refresh=False)

    def detach(self, namespace: str, endpoint: str) -> None:
        """Detach; a namespace that is gone, or an endpoint not attached to it, is success."""
        try:
            self.ops.remove_namespace_endpoint(namespace, endpoint, missing_ok=True, refresh=False)
        except HcnError as err:
            if not _not_attached(err):
                raise

    def namespace_endpoints(self, namespace: str) -> list[str]:
        return self.ops.namespace_endpoint_ids(namespace)

    def remove_endpoint(self, doc: Mapping[str, Any], netns: str = "") -> None:
        """Detach ``doc`` from its namespace (or ``netns``) and delete it; gone is success."""
        ep_id = object_id(doc)
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
