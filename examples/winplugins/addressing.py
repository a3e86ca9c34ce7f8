"""Address decisions: which IPs, prefix lengths, gateways and DNS settings an endpoint gets.

Pure functions over the parsed configuration, the IPAM result and the HNS network document.

Gateway precedence (per address family), as in the reference unless noted:

1. with delegated IPAM: ``optionalFlags.forceBridgeGateway`` (IPv4 only: the IPAM address
   masked to its prefix, ``.2``) > the IPAM result's gateway;
2. the configuration: the first ``ipam.routes`` entry with a gateway whose ``dst`` is empty or
   a default route (``gw``, ``GW`` or ``gateway``) > ``ipam.subnet`` network address + 1
   (IPv4 and, unlike the reference, IPv6);
3. with ``optionalFlags.gatewayFromAdditionalRoutes``: the ``additionalRoutes`` entry whose
   ``dst`` is ``0.0.0.0/0`` / ``::/0``, only if still unset;
4. with neither (new): the default route of the HNS network subnet that holds the address,
   so an endpoint on a pre-created network gets the gateway HNS itself uses.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from hcnpy import jsonkeys

from .config import DNS, NetConf
from .errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from cniskel.result import Result

__all__ = [
    "Addresses",
    "bridge_gateway",
    "default_gateways_of",
    "endpoint_dns",
    "family",
    "network_subnets",
    "plan_gateways",
    "prefix_length",
    "subnet_gateway",
]

_DEFAULT = {4: "0.0.0.0/0", 6: "::/0"}


def family(ip: str) -> int:
    """4 or 6; raises ``ValueError`` for text that is not an address."""
    return ipaddress.ip_address(ip.split("/")[0]).version


def subnet_gateway(cidr: str) -> str:
    """The conventional gateway of a subnet: its network address + 1."""
    net = ipaddress.ip_network(cidr, strict=False)
    return str(net.network_address + 1)


def bridge_gateway(ip: str, prefix: int) -> str:
    """``forceBridgeGateway``: the address masked to ``prefix``, + 2 (flannel host-gw's ``.2``)."""
    net = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return str(net.network_address + 2)


def _is_default_or_empty(dst: str) -> bool:
    return not dst or dst in ("0.0.0.0/0", "::/0")


class Addresses:
    """What an endpoint is given: per family an address (empty: HNS assigns), its prefix length
    (0: unknown) and a gateway (empty: no default route)."""

    __slots__ = ("gw4", "gw6", "ip4", "ip6", "prefix4", "prefix6")

    def __init__(self) -> None:
        self.ip4 = ""
        self.ip6 = ""
        self.prefix4 = 0
        self.prefix6 = 0
        self.gw4 = ""
        self.gw6 = ""

    def __repr__(self) -> str:
        return (
            f"Addresses(ip4={self.ip4}/{self.prefix4} gw {self.gw4 or '-'}, "
            f"ip6={self.ip6}/{self.prefix6} gw {self.gw6 or '-'})"
        )

    def gateway(self, version: int) -> str:
        return self.gw4 if version == 4 else self.gw6

    def set_gateway(self, version: int, gw: str) -> None:
        if version == 4:
            self.gw4 = gw
        else:
            self.gw6 = gw

    def ips(self) -> list[str]:
        return [ip for ip in (self.ip4, self.ip6) if ip]


def _config_gateways(conf: NetConf) -> dict[int, str]:
    found: dict[int, str] = {}
    for route in conf.ipam.routes:
        if route.gw and _is_default_or_empty(route.dst):
            found.setdefault(family(route.gw), route.gw)
    if conf.ipam.subnet:
        found.setdefault(family(conf.ipam.subnet), subnet_gateway(conf.ipam.subnet))
    return found


def _additional_route_gateways(conf: NetConf) -> dict[int, str]:
    found: dict[int, str] = {}
    for route in conf.additional_routes:
        if route.gw and route.dst in ("0.0.0.0/0", "::/0"):
            found.setdefault(6 if ":" in route.dst else 4, route.gw)
    return found


def _ipam_ips(ipam_result: Result) -> list[tuple[str, int, str]]:
    """``(ip, prefix, gateway)`` for each address of an IPAM plugin's result (any version:
    cniskel reads 0.1/0.2 ``ip4``/``ip6`` into the same ``ips``)."""
    return [
        (str(ip.address.ip), ip.address.network.prefixlen, str(ip.gateway or ""))
        for ip in ipam_result.ips
    ]


def plan_gateways(conf: NetConf, ipam_result: Result | None) -> Addresses:
    """Decide addresses and gateways before the endpoint is created (rules 1-3 above).

    Without dual-stack one address is taken from the IPAM result (the first); with it, the
    first of each family.
    """
    plan = Addresses()
    dual = conf.flags.enable_dual_stack
    if ipam_result is not None:
        entries = _ipam_ips(ipam_result)
        if not entries:
            raise ConfigError(f"IPAM plugin {conf.ipam.type!r} returned no IP address")
        for ip, prefix, gw in entries if dual else entries[:1]:
            version = family(ip)
            if version == 4 and not plan.ip4:
                plan.ip4, plan.prefix4 = ip, prefix
                plan.gw4 = bridge_gateway(ip, prefix) if conf.flags.force_bridge_gateway else gw
            elif version == 6 and not plan.ip6:
                plan.ip6, plan.prefix6, plan.gw6 = ip, prefix, gw
    for version, gw in _config_gateways(conf).items():
        if not plan.gateway(version):
            plan.set_gateway(version, gw)
    if conf.flags.gateway_from_additional_routes:
        for version, gw in _additional_route_gateways(conf).items():
            if not plan.gateway(version):
                plan.set_gateway(version, gw)
    if not dual:
        # Single-stack: a gateway of the other family than the address would give the
        # endpoint a default route it cannot use.
        if plan.ip4 and not plan.ip6:
            plan.gw6 = ""
        elif plan.ip6 and not plan.ip4:
            plan.gw4 = ""
    return plan


def network_subnets(network: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """``(ip_network, default-route next hop or "")`` for every subnet of an HNS network."""
    out = []
    ipams = jsonkeys.get(network, "Ipams")
    for ipam in ipams if isinstance(ipams, list) else []:
        subnets = jsonkeys.get(ipam, "Subnets") if isinstance(ipam, Mapping) else None
        for subnet in subnets if isinstance(subnets, list) else []:
            if not isinstance(subnet, Mapping):
                continue
            prefix = jsonkeys.get(subnet, "IpAddressPrefix")
            try:
                net = ipaddress.ip_network(str(prefix), strict=False)
            except ValueError:
                continue
            gw = ""
            routes = jsonkeys.get(subnet, "Routes")
            for route in routes if isinstance(routes, list) else []:
                if not isinstance(route, Mapping):
                    continue
                dst = jsonkeys.get(route, "DestinationPrefix") or ""
                hop = jsonkeys.get(route, "NextHop") or ""
                if _is_default_or_empty(str(dst)) and hop and hop not in ("0.0.0.0", "::"):
                    gw = str(hop)
                    break
            out.append((net, gw))
    return out


def _containing_subnet(ip: str, network: Mapping[str, Any]) -> tuple[Any, str] | None:
    addr = ipaddress.ip_address(ip)
    for net, gw in network_subnets(network):
        if net.version == addr.version and addr in net:
            return net, gw
    return None


def prefix_length(ip: str, network: Mapping[str, Any], *fallbacks: int) -> int:
    """The prefix length for ``ip``: the HNS network subnet that holds it, else the first
    non-zero fallback (the endpoint's ``PrefixLength``, the IPAM prefix), else a host prefix."""
    found = _containing_subnet(ip, network)
    if found is not None:
        return int(found[0].prefixlen)
    for value in fallbacks:
        if value:
            return value
    return 32 if family(ip) == 4 else 128


def default_gateways_of(network: Mapping[str, Any], ip: str) -> str:
    """Rule 4: the next hop of the default route of the network subnet that holds ``ip``."""
    found = _containing_subnet(ip, network)
    return found[1] if found is not None else ""


def endpoint_dns(conf: NetConf, k8s_namespace: str = "") -> DNS:
    """The endpoint's DNS settings.

    The configuration's ``dns``; with a Kubernetes namespace the first search domain becomes
    ``<namespace>.<search[0]>`` (replaced, not prepended, as the reference does); then each
    non-empty ``runtimeConfig.dns`` list (``servers``, ``searches``, ``options``) replaces the
    configured one.
    """
    search = list(conf.dns.search)
    if search and k8s_namespace:
        search[0] = f"{k8s_namespace}.{search[0]}"
    runtime = conf.runtime_dns
    return DNS(
        list(runtime.nameservers or conf.dns.nameservers),
        runtime.domain or conf.dns.domain,
        list(runtime.search) if runtime.search else search,
        list(runtime.options or conf.dns.options),
    )


def default_route(version: int) -> str:
    return _DEFAULT[version]


def network_of(cidr: str) -> Any:
    """The network a CIDR belongs to (host bits cleared): ``10.0.0.7/16`` -> ``10.0.0.0/16``."""
    return ipaddress.ip_network(cidr, strict=False)


def _primary_family(conf: NetConf, network: Mapping[str, Any]) -> int:
    if conf.ipam.subnet:
        return family(conf.ipam.subnet)
    subnets = network_subnets(network)
    return subnets[0][0].version if subnets else 4


def fill_from_network(
    plan: Addresses, conf: NetConf, network: Mapping[str, Any], delegated: bool
) -> None:
    """Rule 4: a family still without a gateway takes the HNS network subnet's default route.

    With delegated IPAM the subnet holding each address is used. When HNS assigns the
    address, single-stack endpoints get one family only: the configuration subnet's, else the
    network's first subnet's.
    """
    if delegated:
        for ip in plan.ips():
            version = family(ip)
            if not plan.gateway(version):
                plan.set_gateway(version, default_gateways_of(network, ip))
        return
    versions = (4, 6) if conf.flags.enable_dual_stack else (_primary_family(conf, network),)
    for version in versions:
        if plan.gateway(version):
            continue
        for net, gw in network_subnets(network):
            if net.version == version and gw:
                plan.set_gateway(version, gw)
                break
    if not conf.flags.enable_dual_stack:
        plan.set_gateway(10 - versions[0], "")  # 4 <-> 6
