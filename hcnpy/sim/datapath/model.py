"""What the datapath needs of HNS documents, read from the simulator's stored V2 documents.

Pure functions: a :class:`NetworkView` or :class:`EndpointView` is built from a stored document
(canonical key spelling, policies as ``{"Type", "Settings"}``) or the build fails with
:class:`DatapathError` naming the field that cannot be mirrored into the kernel.
"""

from __future__ import annotations

import ipaddress

from . import names
from .acl import AclRule, parse_acls
from .errors import DatapathError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    class StateView(Protocol):
        """The read-only view of the simulator's state the datapath relies on."""

        def get(self, kind: str, oid: str) -> dict[str, Any] | None: ...
        def all(self, kind: str) -> list[tuple[str, dict[str, Any]]]: ...
        def namespace_of(self, endpoint_id: str) -> str | None: ...
        def resources(self, namespace_id: str) -> list[tuple[str, str]]: ...
        def on_network(self, network_id: str) -> list[str]: ...

    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
    IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
    IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

__all__ = [
    "ISOLATED_TYPES",
    "NAT_TYPES",
    "RESERVED",
    "EndpointView",
    "NetworkView",
    "OutboundNat",
    "PortMapping",
    "Route",
    "parse_address",
    "parse_prefix_list",
]

#: Network types whose endpoints reach the outside through the host's NAT.
NAT_TYPES = frozenset({"NAT", "ICS", "ConstrainedICS"})
#: Network types cut off from the outside network (the host still reaches them).
ISOLATED_TYPES = frozenset({"Internal", "Private"})
#: The benchmarking ranges the simulated host and outside network use (RFC 2544, RFC 5180).
RESERVED = (ipaddress.ip_network("198.18.0.0/15"), ipaddress.ip_network("2001:2::/48"))

_NAT_FLAG_IPV6 = 2
_PROTOCOLS = {6: "tcp", 17: "udp"}


def parse_address(text: object, where: str) -> IPAddress:
    """An IP address, or :class:`DatapathError` naming ``where``."""
    try:
        return ipaddress.ip_address(str(text).strip())
    except ValueError:
        raise DatapathError(f"{where}: {text!r} is not an IP address") from None


def _parse_prefix(text: object, where: str) -> IPNetwork:
    try:
        return ipaddress.ip_network(str(text).strip(), strict=False)
    except ValueError:
        raise DatapathError(f"{where}: {text!r} is not an IP address or prefix") from None


def parse_prefix_list(raw: object, where: str) -> list[IPNetwork]:
    """A list (or comma-separated string) of addresses and prefixes."""
    if raw is None or raw == "":
        return []
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise DatapathError(f"{where}: want a list of IP prefixes, not {raw!r}")
    return [_parse_prefix(item, where) for item in items if str(item).strip()]


def _settings(policy: dict[str, Any]) -> dict[str, Any]:
    settings = policy.get("Settings")
    return settings if isinstance(settings, dict) else {}


class Route:
    """One route of an endpoint: ``prefix`` via ``next_hop`` (``None``: on the link)."""

    __slots__ = ("metric", "next_hop", "prefix")

    def __init__(self, prefix: IPNetwork, next_hop: IPAddress | None, metric: int | None) -> None:
        self.prefix = prefix
        self.next_hop = next_hop
        self.metric = metric

    def __repr__(self) -> str:
        return f"Route({self.prefix}, via={self.next_hop}, metric={self.metric})"


class PortMapping:
    """A ``PortMapping`` policy: ``protocol`` ``vip``:``external`` -> endpoint:``internal``."""

    __slots__ = ("external", "family", "internal", "protocol", "vip")

    def __init__(
        self, protocol: int, external: int, internal: int, vip: IPAddress | None, family: int
    ) -> None:
        self.protocol = protocol
        self.external = external
        self.internal = internal
        self.vip = vip
        self.family = family

    @property
    def protocol_name(self) -> str:
        """``tcp`` or ``udp``."""
        return _PROTOCOLS[self.protocol]


class OutboundNat:
    """An ``OutBoundNAT`` policy: which destinations get the host's address as source."""

    __slots__ = ("destinations", "exceptions", "virtual_ip")

    def __init__(
        self,
        exceptions: list[IPNetwork],
        destinations: list[IPNetwork],
        virtual_ip: IPAddress | None,
    ) -> None:
        self.exceptions = exceptions
        self.destinations = destinations
        self.virtual_ip = virtual_ip


class NetworkView:
    """An HNS network as the datapath sees it: a bridge, its gateways, how it leaves the host."""

    __slots__ = ("gateways", "id", "mode", "subnets", "type")

    def __init__(
        self,
        oid: str,
        ntype: str,
        subnets: list[IPNetwork],
        gateways: list[IPInterface],
    ) -> None:
        self.id = oid
        self.type = ntype
        self.subnets = subnets
        self.gateways = gateways
        if ntype in NAT_TYPES:
            self.mode = "nat"
        elif ntype in ISOLATED_TYPES:
            self.mode = "isolated"
        else:
            self.mode = "routed"

    @property
    def bridge(self) -> str:
        """The bridge's interface name."""
        return names.bridge(self.id)

    @classmethod
    def from_doc(cls, oid: str, doc: dict[str, Any]) -> NetworkView:
        """Read a stored network document."""
        subnets: list[IPNetwork] = []
        gateways: list[IPInterface] = []
        for ipam in doc.get("Ipams") or []:
            for subnet in ipam.get("Subnets") or []:
                prefix = subnet.get("IpAddressPrefix")
                if not prefix:
                    continue
                where = f"network {oid}: subnet {prefix}"
                net = _parse_prefix(prefix, where)
                for reserved in RESERVED:
                    if net.version == reserved.version and net.overlaps(reserved):
                        raise DatapathError(
                            f"{where} overlaps {reserved}, which the simulated host and "
                            "outside network use"
                        )
                subnets.append(net)
                for route in subnet.get("Routes") or []:
                    hop, dst = route.get("NextHop"), str(route.get("DestinationPrefix") or "")
                    if hop and dst.strip().endswith("/0"):
                        gateway = parse_address(hop, f"{where}: default route NextHop")
                        if gateway in net:
                            gateways.append(ipaddress.ip_interface(f"{gateway}/{net.prefixlen}"))
                            break
        return cls(oid, str(doc.get("Type") or "NAT"), subnets, gateways)


class EndpointView:
    """An HNS endpoint as the datapath sees it: addresses, MAC, routes and policies."""

    __slots__ = ("acls", "addresses", "id", "mac", "network_id", "outbound", "port_mappings",
                 "routes")  # fmt: skip

    def __init__(
        self,
        oid: str,
        network_id: str,
        mac: str,
        addresses: list[IPInterface],
        routes: list[Route],
        port_mappings: list[PortMapping],
        outbound: list[OutboundNat],
        acls: list[AclRule],
    ) -> None:
        self.id = oid
        self.network_id = network_id
        self.mac = mac
        self.addresses = addresses
        self.routes = routes
        self.port_mappings = port_mappings
        self.outbound = outbound
        self.acls = acls

    @property
    def host_port(self) -> str:
        """The host end of its veth pair."""
        return names.host_port(self.id)

    @property
    def port(self) -> str:
        """Its own end of the veth pair (inside its namespace)."""
        return names.container_port(self.id)

    def address(self, family: int) -> IPAddress | None:
        """Its first address of IP version ``family``."""
        return next((a.ip for a in self.addresses if a.version == family), None)

    @property
    def needs_host_rules(self) -> bool:
        """True when the simulated host's nftables table holds something for it."""
        return bool(self.port_mappings or self.outbound)

    @classmethod
    def from_doc(cls, oid: str, doc: dict[str, Any], network: NetworkView) -> EndpointView:
        """Read a stored endpoint document (``network`` is its network's view)."""
        where = f"endpoint {oid}"
        mac = str(doc.get("MacAddress") or "").replace("-", ":").lower()
        addresses = []
        for config in doc.get("IpConfigurations") or []:
            address = parse_address(config.get("IpAddress"), f"{where}: IpConfigurations")
            length = config.get("PrefixLength") or address.max_prefixlen
            addresses.append(ipaddress.ip_interface(f"{address}/{length}"))
        routes = [
            _route(raw, f"{where}: Routes[{i}]") for i, raw in enumerate(doc.get("Routes") or [])
        ]
        if not routes:  # no route of its own: the network's gateway, as HNS programs it
            routes = [
                Route(ipaddress.ip_network("0.0.0.0/0" if gw.version == 4 else "::/0"), gw.ip, None)
                for gw in network.gateways
                if any(a.version == gw.version for a in addresses)
            ]
        policies = [p for p in doc.get("Policies") or [] if isinstance(p, dict)]
        mappings, outbound = [], []
        for i, policy in enumerate(policies):
            kind = policy.get("Type")
            if kind == "PortMapping":
                mappings.append(_port_mapping(_settings(policy), f"{where}: Policies[{i}]"))
            elif kind == "OutBoundNAT":
                outbound.append(_outbound(_settings(policy), f"{where}: Policies[{i}]"))
        acls = parse_acls(policies, where)
        return cls(
            oid, str(doc.get("HostComputeNetwork") or network.id), mac, addresses, routes,
            mappings, outbound, acls,
        )  # fmt: skip


def _route(raw: dict[str, Any], where: str) -> Route:
    prefix = _parse_prefix(raw.get("DestinationPrefix") or "0.0.0.0/0", where)
    hop_text = raw.get("NextHop")
    hop = parse_address(hop_text, f"{where}.NextHop") if hop_text else None
    if hop is not None and hop.is_unspecified:
        hop = None
    if hop is not None and hop.version != prefix.version:
        raise DatapathError(f"{where}: NextHop {hop} is not of the family of {prefix}")
    metric = raw.get("Metric")
    return Route(prefix, hop, int(metric) if metric else None)


def _port_mapping(settings: dict[str, Any], where: str) -> PortMapping:
    protocol = int(settings.get("Protocol") or 6)
    if protocol not in _PROTOCOLS:
        raise DatapathError(f"{where}: PortMapping Protocol {protocol} is not 6 (TCP) or 17 (UDP)")
    vip_text = settings.get("VIP")
    vip = parse_address(vip_text, f"{where}: PortMapping VIP") if vip_text else None
    if vip is not None and vip.is_unspecified:
        vip = None
    if vip is not None:
        family = vip.version
    else:
        family = 6 if int(settings.get("Flags") or 0) & _NAT_FLAG_IPV6 else 4
    return PortMapping(
        protocol, int(settings["ExternalPort"]), int(settings["InternalPort"]), vip, family
    )


def _outbound(settings: dict[str, Any], where: str) -> OutboundNat:
    vip_text = settings.get("VirtualIP")
    return OutboundNat(
        parse_prefix_list(settings.get("Exceptions"), f"{where}: OutBoundNAT Exceptions"),
        parse_prefix_list(settings.get("Destinations"), f"{where}: OutBoundNAT Destinations"),
        parse_address(vip_text, f"{where}: OutBoundNAT VirtualIP") if vip_text else None,
    )
