"""Simulated HNS networks: create/modify/delete rules, IPAM subnets and MAC pools."""

from __future__ import annotations

import ipaddress

from . import rules as R
from . import v1schema
from .addressing import (
    DEFAULT_MAC_BASE,
    MAC_BLOCK,
    IPNetwork,
    SubnetPlan,
    format_mac,
    parse_ip,
    parse_mac,
    parse_prefix,
)
from .context import DEFAULT_SCHEMA, Ctx, View, modify_request, ordered, pick_enum
from .jsondoc import JsonObj, canon, opt_int, opt_list, opt_obj, opt_str, schema_version
from .policies import apply_request, normalize_policies
from .rules import violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_NAT_POOL",
    "NETWORK_TYPES",
    "Networks",
    "mac_ranges",
    "subnet_plans",
]

FIELDS = ("ID", "Name", "Type", "Policies", "MacPool", "Dns", "Ipams", "Flags", "Health",
          "SchemaVersion")  # fmt: skip
DNS_FIELDS = ("Domain", "Search", "ServerList", "Options")
#: Network types HNS accepts (``NAT`` is the zero value and is omitted on read).
NETWORK_TYPES: tuple[str, ...] = R.NETWORK_TYPE.params["types"]
#: NAT networks without subnets get the first free /20 of this pool, gateway ``.1``.
DEFAULT_NAT_POOL = ipaddress.IPv4Network(R.NETWORK_NAT_DEFAULT_SUBNET.params["pool"])
_NAT_PREFIX: int = R.NETWORK_NAT_DEFAULT_SUBNET.params["prefix"]
_FLAG_DISABLE_HOST_PORT: int = R.NETWORK_FLAG_DISABLE_HOST_PORT.params["flag"]
_SUBNET_DO_NOT_RESERVE_GATEWAY = 1
_DEFAULT_MAC_BLOCKS = (
    R.NETWORK_MAC_POOL_DEFAULT.params["last"] - DEFAULT_MAC_BASE + 1
) // MAC_BLOCK
_SWITCH_NAMESPACE = "6c1f6d52-6a43-4d7e-9c55-7a3f3b9e2a10"


def _is_default_route(route: JsonObj) -> bool:
    prefix = route.get("DestinationPrefix")
    return isinstance(prefix, str) and prefix.strip().endswith("/0")


def subnet_plans(network: JsonObj) -> list[SubnetPlan]:
    """Every subnet with a prefix, with its gateway (the default route's ``NextHop``)."""
    plans = []
    for ipam in network.get("Ipams", []):
        for subnet in ipam.get("Subnets", []):
            prefix = subnet.get("IpAddressPrefix")
            if not prefix:
                continue
            net = ipaddress.ip_network(prefix)
            gateway = None
            for route in subnet.get("Routes", []):
                hop = route.get("NextHop")
                if hop and _is_default_route(route):
                    candidate = ipaddress.ip_address(hop)
                    if candidate.version == net.version:
                        gateway = candidate
                        break
            reserve = not (subnet.get("Flags", 0) & _SUBNET_DO_NOT_RESERVE_GATEWAY)
            plans.append(SubnetPlan(net, gateway, reserve))
    return plans


def mac_ranges(network: JsonObj) -> list[tuple[int, int]]:
    """The network's MAC pool as ``(first, last)`` integer pairs."""
    ranges = network.get("MacPool", {}).get("Ranges", [])
    return [
        (
            parse_mac(r["StartMacAddress"], "MacPool", R.NETWORK_MAC_POOL_INVALID),
            parse_mac(r["EndMacAddress"], "MacPool", R.NETWORK_MAC_POOL_INVALID),
        )
        for r in ranges
    ]


def _parse_route(raw: object, where: str) -> JsonObj:
    if not isinstance(raw, dict):
        violate(R.DOC_FIELD_TYPE, f"{where}: a route must be an object")
    route = canon(raw, ["NextHop", "DestinationPrefix", "Metric"])
    if route.get("NextHop"):
        route["NextHop"] = str(parse_ip(route["NextHop"], f"{where}.NextHop", R.ROUTE_NEXT_HOP))
    if route.get("DestinationPrefix"):
        parse_prefix(route["DestinationPrefix"], f"{where}.DestinationPrefix", R.ROUTE_PREFIX)
    opt_int(route, "Metric", where, 0, 65535)
    return route


def parse_routes(raw: object, where: str) -> list[JsonObj]:
    """Validate a ``Routes`` array (``NextHop`` an IP, ``DestinationPrefix`` a prefix)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an array")
    return [_parse_route(item, f"{where}[{i}]") for i, item in enumerate(raw)]


def _parse_subnet(ctx: Ctx, raw: object, where: str, seen: list[IPNetwork]) -> JsonObj:
    if not isinstance(raw, dict):
        violate(R.DOC_FIELD_TYPE, f"{where}: a subnet must be an object")
    subnet = canon(raw, ["IpAddressPrefix", "Policies", "Routes", "Flags"])
    prefix = opt_str(subnet, "IpAddressPrefix", where)
    if prefix:
        net = parse_prefix(
            prefix, f"{where}.IpAddressPrefix", R.SUBNET_PREFIX, host_bits=R.SUBNET_HOST_BITS
        )
        if net.version == 6:
            ctx.gate(R.SUBNET_IPV6, f"{where}: an IPv6 subnet")
        for other in seen:
            if other.version == net.version and net.overlaps(other):
                violate(R.SUBNET_OVERLAP, f"{where}: {net} overlaps subnet {other}")
        seen.append(net)
        subnet["IpAddressPrefix"] = str(net)
    if "Routes" in subnet:
        subnet["Routes"] = parse_routes(subnet["Routes"], f"{where}.Routes")
    if "Policies" in subnet:
        subnet["Policies"] = normalize_policies(
            subnet["Policies"], "subnet", f"{where}.Policies", ctx.version
        )
    opt_int(subnet, "Flags", where)
    return subnet


def _parse_ipams(ctx: Ctx, raw: object) -> list[JsonObj]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        violate(R.DOC_FIELD_TYPE, "Network.Ipams: want an array")
    seen: list[IPNetwork] = []
    ipams = []
    for i, item in enumerate(raw):
        where = f"Network.Ipams[{i}]"
        if not isinstance(item, dict):
            violate(R.DOC_FIELD_TYPE, f"{where}: want an object")
        ipam = canon(item, ["Type", "Subnets"])
        opt_str(ipam, "Type", where)
        if "Subnets" in ipam:
            ipam["Subnets"] = [
                _parse_subnet(ctx, s, f"{where}.Subnets[{j}]", seen)
                for j, s in enumerate(opt_list(ipam, "Subnets", where))
            ]
        ipams.append(ipam)
    return ipams


def _has_prefix(ipams: list[JsonObj]) -> bool:
    return any(s.get("IpAddressPrefix") for ipam in ipams for s in ipam.get("Subnets", []))


def _default_nat_ipam(ctx: Ctx) -> JsonObj:
    taken = [
        plan.network
        for _, doc in ctx.tx.all("Network")
        for plan in subnet_plans(doc)
        if plan.network.version == 4
    ]
    for candidate in DEFAULT_NAT_POOL.subnets(new_prefix=_NAT_PREFIX):
        if not any(candidate.overlaps(net) for net in taken):
            gateway = str(candidate.network_address + 1)
            subnet = {
                "IpAddressPrefix": str(candidate),
                "Routes": [{"NextHop": gateway, "DestinationPrefix": "0.0.0.0/0"}],
            }
            return {"Type": "Static", "Subnets": [subnet]}
    violate(R.NETWORK_NAT_POOL_EXHAUSTED, f"no free default NAT subnet left in {DEFAULT_NAT_POOL}")


def _parse_mac_pool(ctx: Ctx, raw: JsonObj | None) -> JsonObj:
    pool = canon(raw or {}, ["Ranges"])
    ranges = []
    for i, item in enumerate(opt_list(pool, "Ranges", "Network.MacPool")):
        where = f"Network.MacPool.Ranges[{i}]"
        if not isinstance(item, dict):
            violate(R.DOC_FIELD_TYPE, f"{where}: want an object")
        entry = canon(item, ["StartMacAddress", "EndMacAddress"])
        rule = R.NETWORK_MAC_POOL_INVALID
        start = parse_mac(entry.get("StartMacAddress"), f"{where}.StartMacAddress", rule)
        end = parse_mac(entry.get("EndMacAddress"), f"{where}.EndMacAddress", rule)
        if start > end:
            violate(rule, f"{where}: StartMacAddress is after EndMacAddress")
        entry.update(StartMacAddress=format_mac(start), EndMacAddress=format_mac(end))
        ranges.append(entry)
    if not ranges:
        ranges.append(_default_mac_range(ctx))
    pool["Ranges"] = ranges
    return pool


def _default_mac_range(ctx: Ctx) -> JsonObj:
    used = set()
    for _, doc in ctx.tx.all("Network"):
        for start, _end in mac_ranges(doc):
            offset = start - DEFAULT_MAC_BASE
            if offset >= 0 and offset % MAC_BLOCK == 0:
                used.add(offset // MAC_BLOCK)
    block = next((b for b in range(_DEFAULT_MAC_BLOCKS) if b not in used), None)
    if block is None:
        violate(R.NETWORK_MAC_POOL_EXHAUSTED, "no default MAC pool block left")
    start = DEFAULT_MAC_BASE + block * MAC_BLOCK
    end = start + MAC_BLOCK - 1
    return {"StartMacAddress": format_mac(start), "EndMacAddress": format_mac(end)}


def _parse_dns(raw: JsonObj | None) -> JsonObj:
    return canon(raw or {}, DNS_FIELDS)


class Networks:
    """The ``Network`` kind."""

    kind = "Network"

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Validate and store a network (see ``docs/hcnpy/simulator.md`` for every rule)."""
        if v1schema.is_v1_network(body):
            body = v1schema.network_from_v1(body)
        doc = canon(body, FIELDS)
        name = opt_str(doc, "Name", "Network")
        if not name or not name.strip():
            violate(R.NETWORK_NAME, "Network.Name is required")
        if ctx.tx.network_by_name(name.lower()) is not None:
            violate(R.NETWORK_NAME_TAKEN, f"a network named {name!r} already exists")
        ntype = pick_enum(doc, "Type", "Network", NETWORK_TYPES, R.NETWORK_TYPE)
        ntype = ntype or "NAT"
        flags = opt_int(doc, "Flags", "Network") or 0
        if flags & _FLAG_DISABLE_HOST_PORT:
            ctx.gate(R.NETWORK_FLAG_DISABLE_HOST_PORT, "network flag DisableHostPort (1024)")
        policies = normalize_policies(
            doc.get("Policies"), "network", "Network.Policies", ctx.version
        )
        ipams = _parse_ipams(ctx, doc.get("Ipams"))
        if ntype == "NAT" and not _has_prefix(ipams):
            ipams = [_default_nat_ipam(ctx)]
        doc.update(
            ID=oid,
            Name=name,
            Type=ntype,
            Policies=policies,
            MacPool=_parse_mac_pool(ctx, opt_obj(doc, "MacPool", "Network")),
            Dns=_parse_dns(opt_obj(doc, "Dns", "Network")),
            Ipams=ipams,
            Flags=flags,
            Health={"Extra": {}},
            SchemaVersion=schema_version(doc, "Network") or dict(DEFAULT_SCHEMA),
        )
        ctx.tx.insert(self.kind, oid, ordered(doc, FIELDS))

    def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
        """``Policy`` Add/Remove/Update, ``DNS`` replace, ``Extension`` (accepted, no effect)."""
        resource, request, settings = modify_request(
            body, "HcnModifyNetwork", ("Policy", "DNS", "Extension"), ("Subnet", "IPSubnet")
        )
        if resource == "Policy":
            change = normalize_policies(
                canon(settings, ["Policies"]).get("Policies"),
                "network",
                "Settings.Policies",
                ctx.version,
                settings_optional=request == "Remove",
            )
            doc["Policies"] = apply_request(doc.get("Policies", []), request, change)
        elif resource == "DNS":
            doc["Dns"] = {} if request == "Remove" else _parse_dns(settings)
        ctx.tx.update(self.kind, oid, doc)

    def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
        """Refuse while endpoints remain (``HCN_E_ENTITY_HAS_REFERENCES``)."""
        endpoints = ctx.tx.on_network(oid)
        if endpoints:
            violate(
                R.NETWORK_DELETE_IN_USE,
                f"network {oid} still has {len(endpoints)} endpoint(s), e.g. {endpoints[0]}",
            )
        ctx.tx.remove(self.kind, oid)

    def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
        """V2 properties (``Type`` omitted for NAT, as HNS does), or V1 for 1.x queries."""
        if view.v1:
            from . import v1answers  # V1 queries only: not on a V2 client's path

            return v1answers.network_to_v1(doc, len(ctx.tx.on_network(oid)), ctx.version)
        out = dict(doc)
        if out.get("Type") == "NAT":
            del out["Type"]
        for key in ("Policies", "Ipams", "Flags"):
            if not out.get(key):
                out.pop(key, None)
        out["SchemaVersion"] = view.schema_for(doc)
        if view.detailed:
            import uuid  # only detailed queries derive a switch GUID

            switch = str(uuid.uuid5(uuid.UUID(_SWITCH_NAMESPACE), oid))
            out["Health"] = {"Extra": {"SwitchGuid": switch, "LayeredOn": switch}}
        return out

    def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
        """Every stored property (``Type`` included even for NAT)."""
        fields: dict[str, Any] = {key.lower(): value for key, value in doc.items()}
        return fields
