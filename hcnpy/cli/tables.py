"""Readable tables of HNS objects, modelled on ``Get-HnsEndpoint`` and ``hnsdiag list all``.

Columns are read from the raw V2 dicts (keys matched case-insensitively); zero-valued
enums that HNS omits on read (``NAT``, ``Host``) are shown by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import jsonkeys

__all__ = [
    "COLUMNS",
    "Column",
    "details",
    "render",
    "render_details",
    "rows",
]

Doc = Mapping[str, Any]
Column = tuple[str, Callable[[Doc, Mapping[str, str]], str]]

_PROTOCOLS = {1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6"}


def field(doc: Doc, key: str) -> Any:
    """``doc[key]`` matched as Go's decoder matches it (:mod:`hcnpy.jsonkeys`); ``None`` when
    absent."""
    return jsonkeys.get(doc, key)


def _items(value: Any) -> list[Doc]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _subnets(doc: Doc) -> list[Doc]:
    return [s for ipam in _items(field(doc, "Ipams")) for s in _items(field(ipam, "Subnets"))]


def _network_subnets(doc: Doc, _names: Mapping[str, str]) -> str:
    return _text([field(s, "IpAddressPrefix") for s in _subnets(doc)])


def _network_gateways(doc: Doc, _names: Mapping[str, str]) -> str:
    hops = [field(r, "NextHop") for s in _subnets(doc) for r in _items(field(s, "Routes"))]
    return _text([h for h in hops if h])


def _policy_types(doc: Doc, _names: Mapping[str, str]) -> str:
    return _text([field(p, "Type") for p in _items(field(doc, "Policies"))])


def _endpoint_ips(doc: Doc, _names: Mapping[str, str]) -> str:
    return _text([field(c, "IpAddress") for c in _items(field(doc, "IpConfigurations"))])


def _endpoint_network(doc: Doc, names: Mapping[str, str]) -> str:
    network = _text(field(doc, "HostComputeNetwork"))
    return names.get(network.lower(), network)


def _namespace_resources(kind: str) -> Callable[[Doc, Mapping[str, str]], str]:
    def column(doc: Doc, _names: Mapping[str, str]) -> str:
        ids = []
        for resource in _items(field(doc, "Resources")):
            if _text(field(resource, "Type")).lower() == kind:
                data = field(resource, "Data")
                if isinstance(data, Mapping):
                    ids.append(field(data, "ID"))
        return _text(ids)

    return column


def _ports(doc: Doc, _names: Mapping[str, str]) -> str:
    shown = []
    for mapping in _items(field(doc, "PortMappings")):
        protocol = field(mapping, "Protocol")
        name = _PROTOCOLS.get(protocol, str(protocol)) if isinstance(protocol, int) else "TCP"
        external, internal = field(mapping, "ExternalPort"), field(mapping, "InternalPort")
        shown.append(f"{name} {external or 0}->{internal or 0}")
    return ", ".join(shown)


def _count(key: str) -> Callable[[Doc, Mapping[str, str]], str]:
    def column(doc: Doc, _names: Mapping[str, str]) -> str:
        value = field(doc, key)
        return str(len(value)) if isinstance(value, list) else "0"

    return column


def _route_settings(key: str) -> Callable[[Doc, Mapping[str, str]], str]:
    def column(doc: Doc, _names: Mapping[str, str]) -> str:
        settings = _items(field(doc, "Routes")) or _items(field(doc, "Setting"))
        return _text([field(s, key) for s in settings])

    return column


def _plain(key: str, default: str = "") -> Callable[[Doc, Mapping[str, str]], str]:
    def column(doc: Doc, _names: Mapping[str, str]) -> str:
        value = field(doc, key)
        return default if value is None else _text(value)

    return column


#: The table columns of each object kind (the ``hcnpy <kind> list`` headings).
COLUMNS: Mapping[str, Sequence[Column]] = {
    "network": (
        ("ID", _plain("ID")),
        ("Name", _plain("Name")),
        ("Type", _plain("Type", "NAT")),
        ("Subnets", _network_subnets),
        ("Gateways", _network_gateways),
        ("Policies", _policy_types),
    ),
    "endpoint": (
        ("ID", _plain("ID")),
        ("Name", _plain("Name")),
        ("Network", _endpoint_network),
        ("IP", _endpoint_ips),
        ("MAC", _plain("MacAddress")),
        ("Namespace", _plain("HostComputeNamespace")),
        ("Policies", _policy_types),
    ),
    "namespace": (
        ("ID", _plain("ID")),
        ("Type", _plain("Type", "Host")),
        ("Compartment", _plain("NamespaceId")),
        ("Endpoints", _namespace_resources("endpoint")),
        ("Containers", _namespace_resources("container")),
    ),
    "loadbalancer": (
        ("ID", _plain("ID")),
        ("FrontendVIPs", _plain("FrontendVIPs")),
        ("SourceVIP", _plain("SourceVIP")),
        ("Ports", _ports),
        ("Backends", _count("HostComputeEndpoints")),
        ("Flags", _plain("Flags", "0")),
    ),
    "route": (
        ("ID", _plain("ID")),
        ("Destination", _route_settings("DestinationPrefix")),
        ("NextHop", _route_settings("NextHop")),
        ("Encap", _route_settings("NeedEncap")),
        ("Endpoints", _plain("HostComputeEndpoints")),
    ),
}


def rows(kind: str, docs: Sequence[Doc], names: Mapping[str, str] | None = None) -> list[list[str]]:
    """The cells of each object; ``names`` maps lower-case network IDs to names."""
    lookup = names or {}
    return [[get(doc, lookup) for _title, get in COLUMNS[kind]] for doc in docs]


def render(kind: str, docs: Sequence[Doc], names: Mapping[str, str] | None = None) -> str:
    """A left-aligned table with a dashed rule under the headings (``Format-Table`` style)."""
    headings = [title for title, _get in COLUMNS[kind]]
    body = rows(kind, docs, names)
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headings)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [line(headings), line(["-" * w for w in widths])]
    lines.extend(line(r) for r in body)
    return "\n".join(lines)


def details(kind: str, doc: Doc, names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for ``show``: the table columns plus DNS and flags."""
    lookup = names or {}
    pairs = [(title, get(doc, lookup)) for title, get in COLUMNS[kind]]
    if kind in ("network", "endpoint"):
        dns = field(doc, "Dns")
        if isinstance(dns, Mapping):
            pairs.append(("DNS servers", _text(field(dns, "ServerList"))))
            pairs.append(("DNS suffix", _text(field(dns, "Domain"))))
        pairs.append(("Flags", _text(field(doc, "Flags") or 0)))
    if kind == "endpoint":
        routes = _items(field(doc, "Routes"))
        pairs.append(("Routes", ", ".join(_route(r) for r in routes)))
    return pairs


def _route(route: Doc) -> str:
    """``10.1.0.0/16 via 10.0.0.1`` (or just the prefix when there is no next hop)."""
    destination = _text(field(route, "DestinationPrefix")) or "?"
    next_hop = _text(field(route, "NextHop"))
    return f"{destination} via {next_hop}" if next_hop else destination


def render_details(pairs: Sequence[tuple[str, str]]) -> str:
    """``Label : value`` lines, labels padded like PowerShell's ``Format-List``."""
    width = max((len(label) for label, _value in pairs), default=0)
    return "\n".join(f"{label.ljust(width)} : {value}".rstrip() for label, value in pairs)
