"""The CNI result built from the HNS endpoint document.

The result is produced as a plain dict in the 1.1.0 shape (``interfaces``, ``ips``, ``routes``,
``dns``); the skeleton converts it to the ``cniVersion`` the runtime asked for (0.2.0 gets
``ip4``/``ip6``). What the reference got wrong, and this module does not:

* the MAC is text (``00:15:5d:1a:2b:3c``), not the raw bytes;
* each IP carries the prefix length of the HNS network subnet that holds it (not of the
  network's first subnet) and the gateway of its own family;
* the endpoint's DNS settings are reported.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import addressing
from .config import DNS, get_ci

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["build", "endpoint_dns", "endpoint_gateways", "endpoint_ips", "format_mac"]

_HEX = frozenset("0123456789abcdef")


def format_mac(value: Any) -> str:
    """``"00-15-5D-1A-2B-3C"`` (HNS) -> ``"00:15:5d:1a:2b:3c"``; ``""`` if it is not a MAC."""
    if not isinstance(value, str):
        return ""
    digits = "".join(c for c in value.lower() if c not in "-:. ")
    if len(digits) != 12 or not set(digits) <= _HEX:
        return ""
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def endpoint_ips(endpoint: Mapping[str, Any]) -> list[tuple[str, int]]:
    """``(address, PrefixLength or 0)`` for each of the endpoint's ``IpConfigurations``."""
    out = []
    configs = get_ci(endpoint, "IpConfigurations")
    for config in configs if isinstance(configs, list) else []:
        if not isinstance(config, Mapping):
            continue
        ip = get_ci(config, "IpAddress")
        if not isinstance(ip, str) or not ip:
            continue
        prefix = get_ci(config, "PrefixLength")
        out.append((ip, prefix if isinstance(prefix, int) and not isinstance(prefix, bool) else 0))
    return out


def endpoint_gateways(endpoint: Mapping[str, Any]) -> dict[int, str]:
    """Family -> next hop of the endpoint's default route(s)."""
    found: dict[int, str] = {}
    routes = get_ci(endpoint, "Routes")
    for route in routes if isinstance(routes, list) else []:
        if not isinstance(route, Mapping):
            continue
        dst = get_ci(route, "DestinationPrefix")
        hop = get_ci(route, "NextHop")
        if dst in ("0.0.0.0/0", "::/0") and isinstance(hop, str) and hop:
            found.setdefault(4 if dst == "0.0.0.0/0" else 6, hop)
    return found


def endpoint_dns(endpoint: Mapping[str, Any]) -> DNS:
    """The endpoint's ``Dns`` object as a :class:`DNS` (``ServerList`` may be a list or CSV)."""
    raw = get_ci(endpoint, "Dns")
    if not isinstance(raw, Mapping):
        return DNS()

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [s.strip() for s in value.split(",") if s.strip()]
        if isinstance(value, list):
            return [s for s in value if isinstance(s, str) and s]
        return []

    domain = get_ci(raw, "Domain")
    return DNS(
        strings(get_ci(raw, "ServerList")),
        domain if isinstance(domain, str) else "",
        strings(get_ci(raw, "Search")),
        strings(get_ci(raw, "Options")),
    )


def build(
    network: Mapping[str, Any],
    endpoint: Mapping[str, Any],
    ifname: str,
    netns: str = "",
    *,
    dns: DNS | None = None,
    planned: addressing.Addresses | None = None,
) -> dict[str, Any]:
    """The 1.1.0-shaped result for ``endpoint`` on ``network``.

    ``planned`` (what ADD decided) fills gaps where HNS did not echo a value back, e.g. the
    prefix length of an IPAM address; ``dns`` likewise when the endpoint has no ``Dns``.
    """
    interface: dict[str, Any] = {"name": ifname}
    mac = format_mac(get_ci(endpoint, "MacAddress"))
    if mac:
        interface["mac"] = mac
    if netns:
        interface["sandbox"] = netns
    gateways = endpoint_gateways(endpoint)
    ips: list[dict[str, Any]] = []
    routes: list[dict[str, Any]] = []
    for ip, hns_prefix in endpoint_ips(endpoint):
        version = addressing.family(ip)
        planned_prefix = 0
        if planned is not None:
            planned_prefix = planned.prefix4 if version == 4 else planned.prefix6
        prefix = addressing.prefix_length(ip, network, hns_prefix, planned_prefix)
        gateway = gateways.get(version) or (planned.gateway(version) if planned else "")
        entry: dict[str, Any] = {"address": f"{ip}/{prefix}", "interface": 0}
        if gateway:
            entry["gateway"] = gateway
            if not any(r["dst"] == addressing.default_route(version) for r in routes):
                routes.append({"dst": addressing.default_route(version), "gw": gateway})
        ips.append(entry)
    result: dict[str, Any] = {"interfaces": [interface], "ips": ips}
    if routes:
        result["routes"] = routes
    reported = endpoint_dns(endpoint)
    if reported.is_empty() and dns is not None:
        reported = dns
    dns_out: dict[str, Any] = {}
    if reported.nameservers:
        dns_out["nameservers"] = reported.nameservers
    if reported.domain:
        dns_out["domain"] = reported.domain
    if reported.search:
        dns_out["search"] = reported.search
    if reported.options:
        dns_out["options"] = reported.options
    if dns_out:
        result["dns"] = dns_out
    return result
