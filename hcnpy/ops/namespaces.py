"""HNS namespaces: list, get, create, delete, and attaching endpoints."""

from __future__ import annotations

from collections.abc import Mapping

from .. import jsontext
from ..bindings import ObjectKind
from ..errors import NotFoundError
from ..lookup_errors import NamespaceNotFoundError
from ._core import OpsCore, document, field, means_absent, parse_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, overload

    from ._core import IdLike, JsonDict

__all__ = ["NamespaceOps"]


class NamespaceOps(OpsCore):
    """Namespace operations (hcsshim's ``hcnnamespace.go``)."""

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
        return self._create(ObjectKind.NAMESPACE, document(doc or {}), None, deadline)

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

        With ``missing_ok`` a namespace that no longer exists (``HcnOpenNamespace`` says
        "not found") is not an error (returns ``None``): runtimes often delete the namespace
        first. Any other failure, "not found" answers of the modify included, is raised.
        ``refresh=False`` skips reading the namespace back and returns ``None``.
        """
        deadline = self._deadline(timeout, "remove_namespace_endpoint")
        request = _namespace_endpoint_request("Remove", endpoint_id)
        try:
            return self._modify(ObjectKind.NAMESPACE, namespace_id, request, deadline, refresh)
        except NotFoundError as exc:
            if missing_ok and means_absent(exc):
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


def _namespace_endpoint_request(request_type: str, endpoint_id: IdLike) -> JsonDict:
    return {
        "ResourceType": "Endpoint",
        "RequestType": request_type,
        "Settings": {"EndpointId": str(parse_id(endpoint_id, "endpoint_id"))},
    }


def _resource_ids(namespace: Mapping[str, Any], resource_type: str) -> list[str]:
    ids: list[str] = []
    resources = field(namespace, "Resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, Mapping):
            continue
        if str(field(resource, "Type")).lower() != resource_type.lower():
            continue
        data = field(resource, "Data")
        if isinstance(data, str):
            try:
                data = jsontext.loads(data)
            except ValueError:
                continue
        if isinstance(data, Mapping):
            value = field(data, "ID")
            if isinstance(value, str) and value:
                ids.append(value)
    return ids
