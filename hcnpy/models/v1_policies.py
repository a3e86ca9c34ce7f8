"""Typed V1 policies: the flat ``{"Type": ..., <fields>}`` objects of V1 networks, subnets and
endpoints (hcsshim's ``internal/hns`` policy structs).

V1 models keep their policies as the JSON objects they read; :func:`hcnpy.v1.read_policy`
decodes one into the class for its type (matched ignoring case, as HNS does), and
:data:`V1_POLICY_CLASSES` is the table behind it. Every field is optional and written whenever
it is set, like the other V1 models; ``type`` keeps the spelling it was read with.
"""

from collections.abc import Mapping
from typing import Any, Final

import attrs

from ._base import Model, StrWireEnum, opt, wire

__all__ = [
    "V1_POLICY_CLASSES",
    "V1AclPolicy",
    "V1IsolationPolicy",
    "V1L2DriverPolicy",
    "V1NatPolicy",
    "V1OutboundNatPolicy",
    "V1PaPolicy",
    "V1Policy",
    "V1PolicyType",
    "V1ProxyPolicy",
    "V1QosPolicy",
    "V1RoutePolicy",
    "V1VlanPolicy",
    "V1VsidPolicy",
]


class V1PolicyType(StrWireEnum):
    """V1 policy types (hcsshim's ``PolicyType``)."""

    NAT = "NAT"
    ACL = "ACL"
    PA = "PA"
    VLAN = "VLAN"
    VSID = "VSID"
    VNET = "VNET"
    L2_DRIVER = "L2Driver"
    ISOLATION = "Isolation"
    QOS = "QOS"
    OUTBOUND_NAT = "OutBoundNAT"
    ELB = "ELB"
    ROUTE = "ROUTE"
    PROXY = "PROXY"


def _type(default: V1PolicyType) -> Any:
    """The ``Type`` of a typed V1 policy class: always written; a missing key reads as it."""
    return attrs.field(
        default=default.value, metadata=wire("Type", omit=False, missing=default.value)
    )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1Policy(Model):
    """Base of the V1 policy classes, and the class of policies without a typed class
    (``VNET``, ``ELB``, unknown types): only ``type`` is typed, every other key is in
    ``unknown_fields``."""

    type: str = attrs.field(default="", metadata=wire("Type", omit=False, missing=""))


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1NatPolicy(V1Policy):
    """``NAT``: a port mapping. ``protocol`` is a name (``"TCP"``, ``"UDP"``)."""

    type: str = _type(V1PolicyType.NAT)
    protocol: str | None = opt("Protocol", omit=False)
    internal_port: int | None = opt("InternalPort", omit=False, uint=16)
    external_port: int | None = opt("ExternalPort", omit=False, uint=16)
    external_port_reserved: bool | None = opt("ExternalPortReserved", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1AclPolicy(V1Policy):
    """``ACL``: one rule. V1 has both single values (``Protocol``, ``LocalPort``, …) and the
    comma-separated lists V2 kept (``Protocols``, ``LocalPorts``, …)."""

    type: str = _type(V1PolicyType.ACL)
    id: str | None = opt("Id", omit=False)
    protocol: int | None = opt("Protocol", omit=False, uint=16)
    protocols: str | None = opt("Protocols", omit=False, check="protocols")
    internal_port: int | None = opt("InternalPort", omit=False, uint=16)
    action: str | None = opt("Action", omit=False)
    direction: str | None = opt("Direction", omit=False)
    local_addresses: str | None = opt("LocalAddresses", omit=False)
    remote_addresses: str | None = opt("RemoteAddresses", omit=False)
    local_ports: str | None = opt("LocalPorts", omit=False, check="ports")
    local_port: int | None = opt("LocalPort", omit=False, uint=16)
    remote_ports: str | None = opt("RemotePorts", omit=False, check="ports")
    remote_port: int | None = opt("RemotePort", omit=False, uint=16)
    rule_type: str | None = opt("RuleType", omit=False)
    priority: int | None = opt("Priority", omit=False, uint=16)
    service_name: str | None = opt("ServiceName", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1PaPolicy(V1Policy):
    """``PA``: the provider (host) address of an overlay endpoint."""

    type: str = _type(V1PolicyType.PA)
    pa: str | None = opt("PA", omit=False, check="ip")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1VlanPolicy(V1Policy):
    """``VLAN``: a VLAN id (Go ``uint``: 64 bits on 64-bit Windows; a VLAN id is 0-4095)."""

    type: str = _type(V1PolicyType.VLAN)
    vlan: int | None = opt("VLAN", omit=False, uint=64, check="vlan")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1VsidPolicy(V1Policy):
    """``VSID``: a virtual subnet id (Go ``uint``; a VSID has 24 bits)."""

    type: str = _type(V1PolicyType.VSID)
    vsid: int | None = opt("VSID", omit=False, uint=64, check="vsid")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1IsolationPolicy(V1Policy):
    """``Isolation``: VLAN and VSID together."""

    type: str = _type(V1PolicyType.ISOLATION)
    vlan: int | None = opt("VLAN", omit=False, uint=64, check="vlan")
    vsid: int | None = opt("VSID", omit=False, uint=64, check="vsid")
    in_default_isolation: bool | None = opt("InDefaultIsolation", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1QosPolicy(V1Policy):
    """``QOS``: outgoing bandwidth cap in bytes per second."""

    type: str = _type(V1PolicyType.QOS)
    maximum_outgoing_bandwidth_in_bytes: int | None = opt(
        "MaximumOutgoingBandwidthInBytes", omit=False, uint=64
    )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1OutboundNatPolicy(V1Policy):
    """``OutBoundNAT``: SNAT, except to the ``ExceptionList`` prefixes (V2 calls it
    ``Exceptions``)."""

    type: str = _type(V1PolicyType.OUTBOUND_NAT)
    vip: str | None = opt("VIP", omit=False, check="ip")
    exception_list: tuple[str, ...] | None = opt("ExceptionList", omit=False, check="ip_or_cidr")
    destinations: tuple[str, ...] | None = opt("Destinations", omit=False, check="ip_or_cidr")
    max_port_pool_usage: int | None = opt("MaxPortPoolUsage", omit=False, uint=16)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1ProxyPolicy(V1Policy):
    """``PROXY``: redirect traffic to ``IP``:``Port`` (V2's ``L4Proxy``)."""

    type: str = _type(V1PolicyType.PROXY)
    ip: str | None = opt("IP", omit=False, check="ip")
    port: str | None = opt("Port", omit=False, check="port")
    exception_list: tuple[str, ...] | None = opt("ExceptionList", omit=False)
    destination: str | None = opt("Destination", omit=False)
    outbound_nat: bool | None = opt("OutboundNat", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1RoutePolicy(V1Policy):
    """``ROUTE``: a route for the endpoint, optionally encapsulated (V2's ``SDNRoute``)."""

    type: str = _type(V1PolicyType.ROUTE)
    destination_prefix: str | None = opt("DestinationPrefix", omit=False, check="cidr")
    next_hop: str | None = opt("NextHop", omit=False, check="ip")
    need_encap: bool | None = opt("NeedEncap", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1L2DriverPolicy(V1Policy):
    """``L2Driver``: no documented fields."""

    type: str = _type(V1PolicyType.L2_DRIVER)


#: V1 policy type (case-folded) → its class. Types missing here read as :class:`V1Policy`.
V1_POLICY_CLASSES: Final[Mapping[str, type[V1Policy]]] = {
    V1PolicyType.NAT.value.casefold(): V1NatPolicy,
    V1PolicyType.ACL.value.casefold(): V1AclPolicy,
    V1PolicyType.PA.value.casefold(): V1PaPolicy,
    V1PolicyType.VLAN.value.casefold(): V1VlanPolicy,
    V1PolicyType.VSID.value.casefold(): V1VsidPolicy,
    V1PolicyType.ISOLATION.value.casefold(): V1IsolationPolicy,
    V1PolicyType.QOS.value.casefold(): V1QosPolicy,
    V1PolicyType.OUTBOUND_NAT.value.casefold(): V1OutboundNatPolicy,
    V1PolicyType.PROXY.value.casefold(): V1ProxyPolicy,
    V1PolicyType.ROUTE.value.casefold(): V1RoutePolicy,
    V1PolicyType.L2_DRIVER.value.casefold(): V1L2DriverPolicy,
}
