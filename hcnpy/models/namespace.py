"""Namespaces (``HostComputeNamespace``), their resources and namespace modify requests."""

from collections.abc import Mapping
from typing import Any

import attrs

from ._base import Model, StrWireEnum, always, nested, opt, seq, wire
from .common import ModifyResourceType, RequestType, SchemaVersion

__all__ = [
    "ModifyNamespaceSettingRequest",
    "Namespace",
    "NamespaceContainerRequest",
    "NamespaceEndpointRequest",
    "NamespaceResource",
    "NamespaceResourceContainer",
    "NamespaceResourceEndpoint",
    "NamespaceResourceType",
    "NamespaceType",
]


class NamespaceType(StrWireEnum):
    """``HOST``: a new compartment; ``HOST_DEFAULT``: the host's default compartment;
    ``GUEST``/``GUEST_DEFAULT``: the same inside a utility VM. ``HOST`` is HNS's zero value
    (omitted on read) and the default here."""

    HOST = "Host"
    HOST_DEFAULT = "HostDefault"
    GUEST = "Guest"
    GUEST_DEFAULT = "GuestDefault"


class NamespaceResourceType(StrWireEnum):
    """Kind of a namespace resource."""

    CONTAINER = "Container"
    ENDPOINT = "Endpoint"


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NamespaceResourceEndpoint(Model):
    """``Data`` of an ``Endpoint`` namespace resource."""

    id: str | None = opt("ID", check="guid")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NamespaceResourceContainer(Model):
    """``Data`` of a ``Container`` namespace resource."""

    id: str | None = opt("ID")


def _resource_data(resource_type: object) -> type[Model] | None:
    if resource_type == NamespaceResourceType.ENDPOINT:
        return NamespaceResourceEndpoint
    if resource_type == NamespaceResourceType.CONTAINER:
        return NamespaceResourceContainer
    return None


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NamespaceResource(Model):
    """One resource (endpoint or container) of a namespace; ``Type`` and ``Data`` always sent."""

    type: NamespaceResourceType | str = attrs.field(metadata=wire("Type", omit=False))
    data: NamespaceResourceEndpoint | NamespaceResourceContainer | Mapping[str, Any] | None = (
        attrs.field(
            default=None, hash=False, metadata=wire("Data", omit=False, dispatch=_resource_data)
        )
    )

    @classmethod
    def endpoint(cls, endpoint_id: str) -> "NamespaceResource":
        """An ``Endpoint`` resource for ``endpoint_id``."""
        return cls(
            type=NamespaceResourceType.ENDPOINT, data=NamespaceResourceEndpoint(id=endpoint_id)
        )

    @classmethod
    def container(cls, container_id: str) -> "NamespaceResource":
        """A ``Container`` resource for ``container_id``."""
        return cls(
            type=NamespaceResourceType.CONTAINER, data=NamespaceResourceContainer(id=container_id)
        )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Namespace(Model):
    """``HostComputeNamespace``. ``namespace_id`` is the network compartment id."""

    id: str | None = opt("ID", check="guid")
    namespace_id: int | None = opt("NamespaceId", uint=32)
    type: NamespaceType | str = always("Type", NamespaceType.HOST)
    resources: tuple[NamespaceResource, ...] = seq("Resources")
    schema_version: SchemaVersion = nested("SchemaVersion", SchemaVersion)
    namespace_guid: str | None = opt("NamespaceGuid", check="guid")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NamespaceEndpointRequest(Model):
    """Settings of a namespace ``Endpoint`` modify request (add/remove an endpoint)."""

    endpoint_id: str | None = opt("EndpointId", check="guid")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NamespaceContainerRequest(Model):
    """Settings of a namespace ``Container`` modify request."""

    container_id: str | None = opt("ContainerId")


def _namespace_settings(resource_type: object) -> type[Model] | None:
    if resource_type == ModifyResourceType.ENDPOINT:
        return NamespaceEndpointRequest
    if resource_type == ModifyResourceType.CONTAINER:
        return NamespaceContainerRequest
    return None


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ModifyNamespaceSettingRequest(Model):
    """``HcnModifyNamespace`` settings document.

    ``settings`` is a :class:`NamespaceEndpointRequest` (``ENDPOINT``), a
    :class:`NamespaceContainerRequest` (``CONTAINER``) or raw JSON. Use
    :meth:`add_endpoint`/:meth:`remove_endpoint` for the common case.
    """

    resource_type: ModifyResourceType | str | None = opt("ResourceType")
    request_type: RequestType | str | None = opt("RequestType")
    settings: NamespaceEndpointRequest | NamespaceContainerRequest | Mapping[str, Any] | None = (
        attrs.field(
            default=None,
            hash=False,
            metadata=wire("Settings", dispatch=_namespace_settings, dispatch_on="resource_type"),
        )
    )

    @classmethod
    def add_endpoint(cls, endpoint_id: str) -> "ModifyNamespaceSettingRequest":
        """The request that attaches ``endpoint_id`` to a namespace."""
        return cls(
            resource_type=ModifyResourceType.ENDPOINT,
            request_type=RequestType.ADD,
            settings=NamespaceEndpointRequest(endpoint_id=endpoint_id),
        )

    @classmethod
    def remove_endpoint(cls, endpoint_id: str) -> "ModifyNamespaceSettingRequest":
        """The request that detaches ``endpoint_id`` from a namespace."""
        return cls(
            resource_type=ModifyResourceType.ENDPOINT,
            request_type=RequestType.REMOVE,
            settings=NamespaceEndpointRequest(endpoint_id=endpoint_id),
        )
