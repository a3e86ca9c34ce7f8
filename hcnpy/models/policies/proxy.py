"""Proxy policy settings: ``L4Proxy`` (endpoint and network) and ``L4WFPPROXY`` (endpoint)."""

import attrs

from .._base import Model, csv_string, nested, opt, seq, wire
from ..common import ProtocolType
from .base import PolicySetting

__all__ = [
    "FiveTuple",
    "L4ProxyPolicySetting",
    "L4WfpProxyPolicySetting",
    "ProxyExceptions",
]


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class L4ProxyPolicySetting(PolicySetting):
    """``L4Proxy``: redirect matching traffic to ``ip``:``port``.

    Sent with Microsoft's keys ``ExceptionList``/``OutboundNat``; hcsshim's ``Exceptions``/
    ``OutboundNAT`` are accepted on read. ``destination`` is always sent.
    """

    ip: str | None = opt("IP", check="ip")
    port: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("Port", csv=True, check="port")
    )
    protocol: ProtocolType | int | None = opt("Protocol", uint=8)
    exception_list: tuple[str, ...] = seq("ExceptionList", aliases=("Exceptions",))
    destination: str = attrs.field(default="", metadata=wire("Destination", omit=False, missing=""))
    outbound_nat: bool | None = opt("OutboundNat")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class FiveTuple(Model):
    """Traffic filter of a WFP proxy (comma-separated strings, like ACLs)."""

    protocols: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("Protocols", csv=True, check="protocols")
    )
    local_addresses: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("LocalAddresses", csv=True)
    )
    remote_addresses: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("RemoteAddresses", csv=True)
    )
    local_ports: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("LocalPorts", csv=True, check="ports")
    )
    remote_ports: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("RemotePorts", csv=True, check="ports")
    )
    priority: int | None = opt("Priority", uint=16)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ProxyExceptions(Model):
    """Addresses and ports exempt from WFP proxy redirection (schema 2.14)."""

    ip_address_exceptions: tuple[str, ...] = seq("IpAddressExceptions")
    port_exceptions: tuple[str, ...] = seq("PortExceptions", csv=True, check="port")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class L4WfpProxyPolicySetting(PolicySetting):
    """``L4WFPPROXY``: WFP-based proxy; the filter tuple and exception lists are always sent."""

    inbound_proxy_port: str | None = attrs.field(
        default=None,
        converter=csv_string,
        metadata=wire("InboundProxyPort", csv=True, check="port"),
    )
    outbound_proxy_port: str | None = attrs.field(
        default=None,
        converter=csv_string,
        metadata=wire("OutboundProxyPort", csv=True, check="port"),
    )
    filter_tuple: FiveTuple = nested("FilterTuple", FiveTuple)
    user_sid: str | None = opt("UserSID")
    inbound_exceptions: ProxyExceptions = nested("InboundExceptions", ProxyExceptions)
    outbound_exceptions: ProxyExceptions = nested("OutboundExceptions", ProxyExceptions)
