"""What every CNI plugin on HNS writes: a CNI result from an endpoint, policies from port maps.

Plain dicts in and out, so any CNI library can take them (``cniskel.Result.from_dict(d)``).
Keys of HNS documents are matched as Go's decoder does (:mod:`hcnpy.jsonkeys`).

>>> endpoint = {"MacAddress": "00-15-5D-1A-2B-3C",
...             "IpConfigurations": [{"IpAddress": "10.0.0.5", "PrefixLength": 24}],
...             "Routes": [{"NextHop": "10.0.0.1", "DestinationPrefix": "0.0.0.0/0"}]}
>>> result = result_from_endpoint(endpoint, ifname="eth0", sandbox="ns-id")
>>> result["interfaces"][0]["mac"], result["ips"][0]
('00:15:5d:1a:2b:3c', {'address': '10.0.0.5/24', 'interface': 0, 'gateway': '10.0.0.1'})
>>> port_mapping_policies([{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}])
[{'Type': 'PortMapping', 'Settings': {'Protocol': 6, 'InternalPort': 80, 'ExternalPort': 8080}}]
"""

from __future__ import annotations

from collections.abc import Mapping

from . import jsonkeys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Protocol

    class _HasToDict(Protocol):
        def to_dict(self) -> Mapping[str, Any]: ...

__all__ = [
    "PORT_MAPPING_FLAG_IPV6",
    "PORT_MAPPING_FLAG_LOCAL_ROUTED_VIP",
    "PROTOCOLS",
    "cni_mac",
    "endpoint_addresses",
    "endpoint_dns",
    "endpoint_gateways",
    "port_mapping_policies",
    "port_mapping_policy",
    "protocol_number",
    "result_from_endpoint",
]

#: ``PortMapping`` flag: the mapping is reached through the endpoint's local routed VIP.
PORT_MAPPING_FLAG_LOCAL_ROUTED_VIP = 1
#: ``PortMapping`` flag: an IPv6 mapping.
PORT_MAPPING_FLAG_IPV6 = 2
#: IP protocol names CNI port mappings use (case-insensitive).
PROTOCOLS = {"tcp": 6, "udp": 17, "sctp": 132, "icmpv4": 1, "icmp": 1, "igmp": 2, "icmpv6": 58}

_HEX = frozenset("0123456789abcdef")
_DEFAULT_ROUTES = {4: "0.0.0.0/0", 6: "::/0"}


def cni_mac(value: object) -> str:
    """A MAC as CNI writes it: ``"00-15-5D-1A-2B-3C"`` -> ``"00:15:5d:1a:2b:3c"``.

    Dashes, colons or dots, any case; ``""`` when ``value`` is not a MAC.
    """
    if not isinstance(value, str):
        return ""
    digits = "".join(c for c in value.lower() if c not in "-:. ")
    if len(digits) != 12 or not _HEX.issuperset(digits):
        return ""
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _shown(value: object) -> str:
    """``repr(value)`` for a message; an integer too long to print is described instead."""
    if isinstance(value, int) and value.bit_length() > 200:
        return f"(a number of about {int(value.bit_length() * 0.30103)} digits)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _family(address: str) -> int:
    return 6 if ":" in address else 4


def endpoint_addresses(endpoint: Mapping[str, Any]) -> list[tuple[str, int]]:
    """``(address, PrefixLength or 0)`` of each of the endpoint's ``IpConfigurations``."""
    found = []
    configs = jsonkeys.get(endpoint, "IpConfigurations")
    for config in configs if isinstance(configs, list) else []:
        if not isinstance(config, Mapping):
            continue
        address = jsonkeys.get(config, "IpAddress")
        if not isinstance(address, str) or not address:
            continue
        prefix = jsonkeys.get(config, "PrefixLength")
        usable = isinstance(prefix, int) and not isinstance(prefix, bool)
        found.append((address, prefix if usable else 0))
    return found


def endpoint_gateways(endpoint: Mapping[str, Any]) -> dict[int, str]:
    """Address family (4 or 6) -> the next hop of the endpoint's default route."""
    found: dict[int, str] = {}
    routes = jsonkeys.get(endpoint, "Routes")
    for route in routes if isinstance(routes, list) else []:
        if not isinstance(route, Mapping):
            continue
        destination = jsonkeys.get(route, "DestinationPrefix")
        hop = jsonkeys.get(route, "NextHop")
        for family, default in _DEFAULT_ROUTES.items():
            if destination == default and isinstance(hop, str) and hop:
                found.setdefault(family, hop)
    return found


def endpoint_dns(endpoint: Mapping[str, Any]) -> dict[str, Any]:
    """The endpoint's ``Dns`` as a CNI ``dns`` object (``{}`` when it has none)."""
    raw = jsonkeys.get(endpoint, "Dns")
    if not isinstance(raw, Mapping):
        return {}

    def strings(value: object) -> list[str]:
        if isinstance(value, str):  # V1 writes server lists as comma-separated text
            return [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(value, list):
            return [item for item in value if isinstance(item, str) and item]
        return []

    dns: dict[str, Any] = {}
    for hns_key, cni_key in (("ServerList", "nameservers"), ("Search", "search")):
        values = strings(jsonkeys.get(raw, hns_key))
        if values:
            dns[cni_key] = values
    domain = jsonkeys.get(raw, "Domain")
    if isinstance(domain, str) and domain:
        dns["domain"] = domain
    options = strings(jsonkeys.get(raw, "Options"))
    if options:
        dns["options"] = options
    return dns


def result_from_endpoint(
    endpoint: Mapping[str, Any],
    *,
    ifname: str = "eth0",
    sandbox: str = "",
    prefix_lengths: Mapping[str, int] | None = None,
    gateways: Mapping[int, str] | None = None,
    dns: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A CNI 1.1.0 result (``cniVersion``, ``interfaces``, ``ips``, ``routes``, ``dns``) for
    an HNS endpoint; a runtime converts it to the configuration's version.

    One interface named ``ifname`` with the endpoint's MAC (in CNI's colon form) and
    ``sandbox`` (the HNS namespace ID); one entry per address with its prefix length and
    the gateway of its family (from the endpoint's default routes), and the default routes.
    Where HNS did not echo a value, ``prefix_lengths`` (address -> length), ``gateways``
    (family -> next hop) and ``dns`` (a CNI ``dns`` object) fill the gap.
    """
    interface: dict[str, Any] = {"name": ifname}
    mac = cni_mac(jsonkeys.get(endpoint, "MacAddress"))
    if mac:
        interface["mac"] = mac
    if sandbox:
        interface["sandbox"] = sandbox
    known_gateways = {**(gateways or {}), **endpoint_gateways(endpoint)}
    ips: list[dict[str, Any]] = []
    routes: list[dict[str, Any]] = []
    for address, hns_prefix in endpoint_addresses(endpoint):
        family = _family(address)
        prefix = hns_prefix or (prefix_lengths or {}).get(address) or (32 if family == 4 else 128)
        entry: dict[str, Any] = {"address": f"{address}/{prefix}", "interface": 0}
        gateway = known_gateways.get(family)
        if gateway:
            entry["gateway"] = gateway
            route = {"dst": _DEFAULT_ROUTES[family], "gw": gateway}
            if route not in routes:
                routes.append(route)
        ips.append(entry)
    result: dict[str, Any] = {"cniVersion": "1.1.0", "interfaces": [interface], "ips": ips}
    if routes:
        result["routes"] = routes
    reported = endpoint_dns(endpoint) or dict(dns or {})
    if reported:
        result["dns"] = reported
    return result


def protocol_number(value: object, names: Mapping[str, int] = PROTOCOLS) -> int:
    """An IP protocol number from a protocol name in ``names`` (default :data:`PROTOCOLS`:
    ``tcp``, ``udp``, …), a numeric string or a number; a missing protocol is TCP.
    ``ValueError`` names a bad one."""
    if value is None or value == "":
        return PROTOCOLS["tcp"]
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().lower()
        if text in names:
            return names[text]
        try:
            number = int(text, 0)
        except ValueError:
            number = 0
    else:
        number = 0
    if not 1 <= number <= 255:
        known = ", ".join(sorted(names))
        raise ValueError(f"unknown protocol {_shown(value)} (use {known} or a number 1-255)")
    return number


def port_mapping_policy(
    host_port: int,
    container_port: int,
    protocol: object = "tcp",
    host_ip: str = "",
    *,
    local_routed: bool = False,
    ipv6: bool = False,
) -> dict[str, Any]:
    """One HNS ``PortMapping`` endpoint policy: ``host_ip:host_port`` -> ``container_port``.

    ``local_routed`` sets flag 1 (reach the mapping through the local routed VIP), ``ipv6``
    flag 2 (also implied by an IPv6 ``host_ip``).
    """
    for name, port in (("host port", host_port), ("container port", container_port)):
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise ValueError(f"{name} {_shown(port)} is not a port number 1-65535")
    settings: dict[str, Any] = {
        "Protocol": protocol_number(protocol),
        "InternalPort": container_port,
        "ExternalPort": host_port,
    }
    if host_ip:
        settings["VIP"] = host_ip
    flags = (PORT_MAPPING_FLAG_LOCAL_ROUTED_VIP if local_routed else 0) | (
        PORT_MAPPING_FLAG_IPV6 if ipv6 or ":" in host_ip else 0
    )
    if flags:
        settings["Flags"] = flags
    return {"Type": "PortMapping", "Settings": settings}


def port_mapping_policies(
    port_mappings: Iterable[Mapping[str, Any] | _HasToDict],
    *,
    local_routed: bool = False,
    dual_stack: bool = False,
) -> list[dict[str, Any]]:
    """HNS ``PortMapping`` policies for CNI ``runtimeConfig.portMappings`` entries
    (``hostPort``, ``containerPort``, ``protocol``, ``hostIP``): JSON objects, or typed
    entries with a ``to_dict()`` (``cniskel``'s ``ctx.runtime_config.port_mappings``).

    With ``dual_stack`` a mapping without ``hostIP`` also gets its IPv6 twin (flag 2).
    ``ValueError`` names a malformed entry.
    """
    policies = []
    for index, item in enumerate(port_mappings):
        entry = item if isinstance(item, Mapping) else item.to_dict()
        try:
            host_ip = jsonkeys.get(entry, "hostIP") or ""
            if not isinstance(host_ip, str):
                raise ValueError(f"hostIP {_shown(host_ip)} is not an address")
            mapping = (
                jsonkeys.get(entry, "hostPort"),
                jsonkeys.get(entry, "containerPort"),
                jsonkeys.get(entry, "protocol"),
            )
            policies.append(port_mapping_policy(*mapping, host_ip, local_routed=local_routed))
            if dual_stack and not host_ip:
                twin = port_mapping_policy(*mapping, local_routed=local_routed, ipv6=True)
                policies.append(twin)
        except ValueError as exc:
            raise ValueError(f"portMappings[{index}]: {exc}") from None
    return policies
