"""Settings of endpoint-only policies (port mapping, NAT, QoS, …) and their enums."""

import enum

import attrs

from .._base import IntWireEnum, flag, opt, seq, wire
from ..common import ProtocolType
from .base import PolicySetting

__all__ = [
    "EncapOverheadEndpointPolicySetting",
    "InterfaceParametersPolicySetting",
    "IovInterruptModeration",
    "IovPolicySetting",
    "L2DriverPolicySetting",
    "NatFlags",
    "OutboundNatPolicySetting",
    "PortMappingPolicySetting",
    "PortnameEndpointPolicySetting",
    "ProviderAddressEndpointPolicySetting",
    "QosPolicySetting",
]


class NatFlags(enum.IntFlag):
    """Flags of port mappings and outbound NAT."""

    NONE = 0
    LOCAL_ROUTED_VIP = 1
    IPV6 = 2
    EXTERNAL_PORT_RESERVED = 4


class IovInterruptModeration(IntWireEnum):
    """SR-IOV interrupt moderation, sent as a number (hcsshim's ``uint32``).

    Microsoft's schema names the values (``IovInterruptModerationDefault`` …) but hcsshim
    sends and reads numbers; hcnpy rejects strings so that nothing HNS cannot decode is sent.
    """

    DEFAULT = 0
    ADAPTIVE = 1
    OFF = 2
    LOW = 100
    MEDIUM = 200
    HIGH = 300


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class PortMappingPolicySetting(PolicySetting):
    """``PortMapping``: publish ``internal_port`` of the endpoint on host ``external_port``."""

    protocol: ProtocolType | int | None = opt("Protocol", uint=8)
    internal_port: int | None = opt("InternalPort", uint=16)
    external_port: int | None = opt("ExternalPort", uint=16)
    vip: str | None = opt("VIP", check="ip")
    flags: NatFlags = flag("Flags", NatFlags.NONE)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class QosPolicySetting(PolicySetting):
    """``QOS``: outgoing bandwidth cap in bytes per second (always sent)."""

    maximum_outgoing_bandwidth_in_bytes: int = attrs.field(
        metadata=wire("MaximumOutgoingBandwidthInBytes", omit=False, missing=0, uint=64)
    )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class L2DriverPolicySetting(PolicySetting):
    """``L2Driver``: no documented settings; anything HNS sends is kept in ``unknown_fields``."""


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class OutboundNatPolicySetting(PolicySetting):
    """``OutBoundNAT``: SNAT traffic to ``virtual_ip`` except to the ``exceptions`` prefixes."""

    virtual_ip: str | None = opt("VirtualIP", check="ip")
    exceptions: tuple[str, ...] = seq("Exceptions", check="ip_or_cidr")
    destinations: tuple[str, ...] = seq("Destinations", check="ip_or_cidr")
    flags: NatFlags = flag("Flags", NatFlags.NONE)
    max_port_pool_usage: int | None = opt("MaxPortPoolUsage", uint=16)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class PortnameEndpointPolicySetting(PolicySetting):
    """``PortName``: the vSwitch port name."""

    name: str | None = opt("Name")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class EncapOverheadEndpointPolicySetting(PolicySetting):
    """``EncapOverhead``: bytes reserved for encapsulation."""

    overhead: int | None = opt("Overhead", uint=16)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class IovPolicySetting(PolicySetting):
    """``Iov``: SR-IOV offload. ``interrupt_moderation`` is a number (a string is an error)."""

    iov_offload_weight: int | None = opt("IovOffloadWeight", uint=32)
    queue_pairs_requested: int | None = opt("QueuePairsRequested", uint=32)
    interrupt_moderation: IovInterruptModeration | int | None = opt("InterruptModeration", uint=32)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ProviderAddressEndpointPolicySetting(PolicySetting):
    """``ProviderAddress`` (endpoint): the provider (host) address for overlay traffic."""

    provider_address: str | None = opt("ProviderAddress", check="ip")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class InterfaceParametersPolicySetting(PolicySetting):
    """``InterfaceParameters``: interface MTU (Microsoft schema 2.4)."""

    mtu: int | None = opt("Mtu", uint=16)
