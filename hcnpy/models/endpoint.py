"""Endpoints (``HostComputeEndpoint``), IP configurations and endpoint modify requests."""

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from ._base import Model, flag, nested, opt, seq, wire
from .common import Dns, Health, ModifyResourceType, RequestType, Route, SchemaVersion
from .policies.base import EndpointPolicy

__all__ = [
    "Endpoint",
    "EndpointFlags",
    "IpConfig",
    "ModifyEndpointSettingRequest",
    "PolicyEndpointRequest",
    "VmEndpointRequest",
]


class EndpointFlags(enum.IntFlag):
    """Endpoint flags."""

    NONE = 0
    REMOTE_ENDPOINT = 1
    DISABLE_INTER_COMPUTE_COMMUNICATION = 2
    DISABLE_ICC = 2
    ENABLE_MIRRORING = 4
    ENABLE_LOW_INTERFACE_METRIC = 8
    OVERRIDE_DNS_SERVER_ORDER = 16
    ENABLE_DHCP = 32


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class IpConfig(Model):
    """One address of an endpoint."""

    ip_address: str | None = opt("IpAddress", check="ip")
    prefix_length: int | None = opt("PrefixLength", uint=8)
    ip_subnet_id: str | None = opt("IpSubnetId", check="guid")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Endpoint(Model):
    """``HostComputeEndpoint``.

    ``host_compute_network`` is required to create one; ``host_compute_namespace`` is
    read-only (set by HNS when the endpoint joins a namespace) and must not be sent on
    create. ``dns``, ``health`` and ``schema_version`` are always sent.
    """

    id: str | None = opt("ID", check="guid")
    name: str | None = opt("Name")
    host_compute_network: str | None = opt("HostComputeNetwork", check="guid")
    host_compute_namespace: str | None = opt("HostComputeNamespace", check="guid")
    policies: tuple[EndpointPolicy, ...] = seq("Policies")
    ip_configurations: tuple[IpConfig, ...] = seq("IpConfigurations")
    dns: Dns = nested("Dns", Dns)
    routes: tuple[Route, ...] = seq("Routes")
    mac_address: str | None = opt("MacAddress", check="mac")
    flags: EndpointFlags = flag("Flags", EndpointFlags.NONE)
    health: Health = nested("Health", Health)
    schema_version: SchemaVersion = nested("SchemaVersion", SchemaVersion)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class PolicyEndpointRequest(Model):
    """Settings of an endpoint ``Policy`` modify request."""

    policies: tuple[EndpointPolicy, ...] = seq("Policies")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class VmEndpointRequest(Model):
    """Settings of an endpoint ``Port`` modify request: attach to a VM's NIC."""

    port_id: str | None = opt("PortId", check="guid")
    virtual_nic_name: str | None = opt("VirtualNicName")
    virtual_machine_id: str | None = opt("VirtualMachineId", check="guid")


def _endpoint_settings(resource_type: object) -> type[Model] | None:
    if resource_type == ModifyResourceType.POLICY:
        return PolicyEndpointRequest
    if resource_type == ModifyResourceType.PORT:
        return VmEndpointRequest
    return None


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ModifyEndpointSettingRequest(Model):
    """``HcnModifyEndpoint`` settings document.

    ``settings`` is a :class:`PolicyEndpointRequest` (``POLICY``), a
    :class:`VmEndpointRequest` (``PORT``) or raw JSON.
    """

    resource_type: ModifyResourceType | str | None = opt("ResourceType")
    request_type: RequestType | str | None = opt("RequestType")
    settings: PolicyEndpointRequest | VmEndpointRequest | Mapping[str, Any] | None = attrs.field(
        default=None,
        hash=False,
        metadata=wire("Settings", dispatch=_endpoint_settings, dispatch_on="resource_type"),
    )
