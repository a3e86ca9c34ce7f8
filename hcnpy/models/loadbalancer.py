"""Load balancers (``HostComputeLoadBalancer``) and their port mappings."""

import enum

import attrs

from ._base import IntWireEnum, Model, flag, nested, opt, seq
from .common import ProtocolType, SchemaVersion

__all__ = [
    "LoadBalancer",
    "LoadBalancerDistribution",
    "LoadBalancerFlags",
    "LoadBalancerPortMapping",
    "LoadBalancerPortMappingFlags",
]


class LoadBalancerFlags(enum.IntFlag):
    """Load balancer flags. ``DSR`` (direct server return) needs HNS 9.3+/10.2+."""

    NONE = 0
    DSR = 1
    ENABLE_DIRECT_SERVER_RETURN = 1
    IPV6 = 2


class LoadBalancerPortMappingFlags(enum.IntFlag):
    """Port mapping flags (``ILB``: internal load balancer)."""

    NONE = 0
    ILB = 1
    ENABLE_INTERNAL_LOAD_BALANCER = 1
    LOCAL_ROUTED_VIP = 2
    USE_MUX = 4
    PRESERVE_DIP = 8
    ENABLE_PRESERVE_DIP = 8


class LoadBalancerDistribution(IntWireEnum):
    """Backend selection: per connection, or sticky by source IP (+ protocol)."""

    NONE = 0
    SOURCE_IP_PROTOCOL = 1
    SOURCE_IP = 2


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class LoadBalancerPortMapping(Model):
    """One frontend port → backend port rule."""

    protocol: ProtocolType | int | None = opt("Protocol", uint=8)
    internal_port: int | None = opt("InternalPort", uint=16)
    external_port: int | None = opt("ExternalPort", uint=16)
    distribution_type: LoadBalancerDistribution | int | None = opt("DistributionType", uint=32)
    flags: LoadBalancerPortMappingFlags = flag("Flags", LoadBalancerPortMappingFlags.NONE)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class LoadBalancer(Model):
    """``HostComputeLoadBalancer``: frontend VIPs balanced over endpoints."""

    id: str | None = opt("ID", check="guid")
    host_compute_endpoints: tuple[str, ...] = seq("HostComputeEndpoints", check="guid")
    source_vip: str | None = opt("SourceVIP", check="ip")
    frontend_vips: tuple[str, ...] = seq("FrontendVIPs", check="ip")
    port_mappings: tuple[LoadBalancerPortMapping, ...] = seq("PortMappings")
    schema_version: SchemaVersion = nested("SchemaVersion", SchemaVersion)
    flags: LoadBalancerFlags = flag("Flags", LoadBalancerFlags.NONE)
    host_compute_network: str | None = opt("HostComputeNetwork", check="guid")
