"""Objects shared by several kinds: schema version, health, routes, DNS, MAC pools, enums."""

from typing import Any

import attrs

from ._base import IntWireEnum, Model, StrWireEnum, always, nested, opt, raw, seq

__all__ = [
    "Dns",
    "ExtraParams",
    "Health",
    "MacPool",
    "MacRange",
    "ModifyResourceType",
    "ProtocolType",
    "RequestType",
    "Route",
    "SchemaVersion",
]


class RequestType(StrWireEnum):
    """What a modify-settings request does (``ModifyRequestType``)."""

    ADD = "Add"
    REMOVE = "Remove"
    UPDATE = "Update"
    REFRESH = "Refresh"
    RESET = "Reset"


class ModifyResourceType(StrWireEnum):
    """What a modify-settings request changes.

    Networks take ``POLICY``, ``DNS``, ``EXTENSION``, ``SUBNET`` and ``IP_SUBNET``; endpoints
    ``POLICY`` and ``PORT``; namespaces ``ENDPOINT`` and ``CONTAINER``.
    """

    POLICY = "Policy"
    DNS = "DNS"
    EXTENSION = "Extension"
    SUBNET = "Subnet"
    IP_SUBNET = "IPSubnet"
    PORT = "Port"
    ENDPOINT = "Endpoint"
    CONTAINER = "Container"


class ProtocolType(IntWireEnum):
    """IP protocol numbers as HNS uses them (port mappings, load balancers, L4 proxy)."""

    UNKNOWN = 0
    ICMPV4 = 1
    IGMP = 2
    TCP = 6
    UDP = 17
    ICMPV6 = 58


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class SchemaVersion(Model):
    """JSON schema version (``Version``); both numbers are always sent. Defaults to 2.0."""

    major: int = always("Major", 2, uint=32)
    minor: int = always("Minor", 0, uint=32)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ExtraParams(Model):
    """``Health.Extra``: HNS-reported extras such as the switch GUID."""

    resources: Any = raw("Resources")
    shared_containers: Any = raw("SharedContainers")
    layered_on: str | None = opt("LayeredOn")
    switch_guid: str | None = opt("SwitchGuid")
    utility_vm: str | None = opt("UtilityVM")
    virtual_machine: str | None = opt("VirtualMachine")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Health(Model):
    """Health information HNS attaches to objects; ``Extra`` is always sent (as ``{}``)."""

    data: Any = raw("Data")
    extra: ExtraParams = nested("Extra", ExtraParams)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Route(Model):
    """A route of a subnet or an endpoint."""

    next_hop: str | None = opt("NextHop", check="ip")
    destination_prefix: str | None = opt("DestinationPrefix", check="cidr")
    metric: int | None = opt("Metric", uint=16)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Dns(Model):
    """DNS settings of a network or an endpoint (always sent, possibly as ``{}``)."""

    domain: str | None = opt("Domain")
    search: tuple[str, ...] = seq("Search")
    server_list: tuple[str, ...] = seq("ServerList", check="ip")
    options: tuple[str, ...] = seq("Options")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class MacRange(Model):
    """An inclusive MAC address range, e.g. ``00-15-5D-52-C0-00`` … ``00-15-5D-52-CF-FF``."""

    start_mac_address: str | None = opt("StartMacAddress", check="mac")
    end_mac_address: str | None = opt("EndMacAddress", check="mac")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class MacPool(Model):
    """The MAC address ranges of a network (always sent, possibly as ``{}``)."""

    ranges: tuple[MacRange, ...] = seq("Ranges")
