"""Networks (``HostComputeNetwork``), IPAM and subnets, and network modify requests."""

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from ._base import Model, StrWireEnum, always, flag, nested, opt, seq, wire
from .common import Dns, Health, MacPool, ModifyResourceType, RequestType, Route, SchemaVersion
from .policies.base import NetworkPolicy, SubnetPolicy

__all__ = [
    "Ipam",
    "IpamType",
    "ModifyNetworkSettingRequest",
    "Network",
    "NetworkFlags",
    "NetworkType",
    "PolicyNetworkRequest",
    "Subnet",
    "SubnetFlags",
]


class NetworkType(StrWireEnum):
    """Network mode. HNS omits ``NAT`` (its zero value) on read; it is the default here."""

    NAT = "NAT"
    ICS = "ICS"
    TRANSPARENT = "Transparent"
    L2_BRIDGE = "L2Bridge"
    L2_TUNNEL = "L2Tunnel"
    OVERLAY = "Overlay"
    PRIVATE = "Private"
    INTERNAL = "Internal"
    MIRRORED = "Mirrored"
    INFINIBAND = "Infiniband"
    CONSTRAINED_ICS = "ConstrainedICS"
    LAYERED = "Layered"


class NetworkFlags(enum.IntFlag):
    """Network flags (bits after hcsshim and the SDN PowerShell client)."""

    NONE = 0
    ENABLE_DNS_PROXY = 1
    ENABLE_DHCP_SERVER = 2
    ENABLE_MIRRORING = 4
    ENABLE_NON_PERSISTENT = 8
    DISABLE_HOST_PORT = 1024
    ENABLE_IOV = 8192


class SubnetFlags(enum.IntFlag):
    """Subnet flags (schema 2.7)."""

    NONE = 0
    DO_NOT_RESERVE_GATEWAY_ADDRESS = 1


class IpamType(StrWireEnum):
    """Address management. ``STATIC`` is HNS's zero value and the default here."""

    STATIC = "Static"
    DHCP = "Dhcp"


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Subnet(Model):
    """An address prefix with its routes and policies.

    A subnet with a prefix needs routes that all have a next hop and at least one default
    route (``0.0.0.0/0`` or ``::/0``); :func:`hcnpy.validation.validate` checks this.
    """

    ip_address_prefix: str | None = opt("IpAddressPrefix", check="cidr")
    policies: tuple[SubnetPolicy, ...] = seq("Policies")
    routes: tuple[Route, ...] = seq("Routes")
    flags: SubnetFlags = flag("Flags", SubnetFlags.NONE)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Ipam(Model):
    """One IPAM block: its type and subnets."""

    type: IpamType | str = always("Type", IpamType.STATIC)
    subnets: tuple[Subnet, ...] = seq("Subnets")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Network(Model):
    """``HostComputeNetwork``.

    ``mac_pool``, ``dns``, ``health`` and ``schema_version`` are always sent (as hcsshim
    does); ``type`` defaults to ``NAT``.
    """

    id: str | None = opt("ID", check="guid")
    name: str | None = opt("Name")
    type: NetworkType | str = always("Type", NetworkType.NAT)
    policies: tuple[NetworkPolicy, ...] = seq("Policies")
    mac_pool: MacPool = nested("MacPool", MacPool)
    dns: Dns = nested("Dns", Dns)
    ipams: tuple[Ipam, ...] = seq("Ipams")
    flags: NetworkFlags = flag("Flags", NetworkFlags.NONE)
    health: Health = nested("Health", Health)
    schema_version: SchemaVersion = nested("SchemaVersion", SchemaVersion)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class PolicyNetworkRequest(Model):
    """Settings of a network ``Policy`` modify request: the policies to add/remove."""

    policies: tuple[NetworkPolicy, ...] = seq("Policies")


def _network_settings(resource_type: object) -> type[Model] | None:
    if resource_type == ModifyResourceType.POLICY:
        return PolicyNetworkRequest
    if resource_type == ModifyResourceType.DNS:
        return Dns
    return None


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ModifyNetworkSettingRequest(Model):
    """``HcnModifyNetwork`` settings document.

    ``settings`` is a :class:`PolicyNetworkRequest` (``POLICY``), a :class:`~hcnpy.Dns`
    (``DNS``) or raw JSON for other resource types.
    """

    resource_type: ModifyResourceType | str | None = opt("ResourceType")
    request_type: RequestType | str | None = opt("RequestType")
    settings: PolicyNetworkRequest | Dns | Mapping[str, Any] | None = attrs.field(
        default=None,
        hash=False,
        metadata=wire("Settings", dispatch=_network_settings, dispatch_on="resource_type"),
    )
