"""Simulated HNS load balancers: backends, frontends and their port clashes, feature gates."""

from __future__ import annotations

from . import rules as R
from .addressing import parse_ip
from .context import DEFAULT_SCHEMA, Ctx, View, ordered
from .jsondoc import JsonObj, canon, opt_int, opt_list, opt_str, parse_guid, schema_version
from .ports import PortClaim, any_vip, claim_ports, vip_family
from .rules import HnsFailure, in_ranges, violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LoadBalancers", "existing_endpoints"]

FIELDS = ("ID", "HostComputeEndpoints", "SourceVIP", "FrontendVIPs", "PortMappings",
          "SchemaVersion", "Flags", "HostComputeNetwork")  # fmt: skip
MAPPING_FIELDS = ("Protocol", "InternalPort", "ExternalPort", "DistributionType", "Flags")
_FLAG_DSR = 1
_FLAG_IPV6 = 2
_DISTRIBUTION_SOURCE_IP = 2
_GATES = R.LB_GATES.params


def existing_endpoints(ctx: Ctx, raw: object, where: str) -> list[str]:
    """A ``HostComputeEndpoints`` list; each must exist (rule load-balancer.endpoints.unknown)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an array of endpoint IDs")
    ids = []
    for i, item in enumerate(raw):
        endpoint = parse_guid(item, f"{where}[{i}]")
        if not ctx.tx.exists("Endpoint", endpoint):
            violate(R.LB_ENDPOINTS, f"{where}[{i}]: endpoint {endpoint} not found")
        ids.append(endpoint)
    return ids


def _mapping(ctx: Ctx, raw: object, where: str) -> JsonObj:
    if not isinstance(raw, dict):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an object")
    mapping = canon(raw, MAPPING_FIELDS)
    protocol = opt_int(mapping, "Protocol", where)
    if protocol not in (6, 17):
        violate(R.LB_MAPPING, f"{where}.Protocol: {protocol!r} is not 6 or 17")
    if not opt_int(mapping, "InternalPort", where, 0, 65535):
        violate(R.LB_INTERNAL_PORT, f"{where}.InternalPort is missing or zero")
    if not opt_int(mapping, "ExternalPort", where, 0, 65535):
        violate(R.LB_MAPPING, f"{where}.ExternalPort is missing or zero")
    distribution = opt_int(mapping, "DistributionType", where, 0, 2, R.LB_MAPPING)
    if distribution == _DISTRIBUTION_SOURCE_IP:
        ctx.gate(R.LB_GATES, f"{where}.DistributionType SourceIP", _GATES["source-ip"])
    opt_int(mapping, "Flags", where)
    return mapping


def _parse(ctx: Ctx, oid: str, body: JsonObj) -> tuple[JsonObj, list[PortClaim]]:
    doc = canon(body, FIELDS)
    where = "LoadBalancer"
    endpoints = existing_endpoints(
        ctx, doc.get("HostComputeEndpoints"), f"{where}.HostComputeEndpoints"
    )
    source = opt_str(doc, "SourceVIP", where)
    if source:
        doc["SourceVIP"] = str(parse_ip(source, f"{where}.SourceVIP"))
    frontends = [
        str(parse_ip(vip, f"{where}.FrontendVIPs[{i}]"))
        for i, vip in enumerate(opt_list(doc, "FrontendVIPs", where))
    ]
    flags = opt_int(doc, "Flags", where) or 0
    if flags & _FLAG_DSR:
        ctx.gate(R.LB_GATES, "load balancer flag DSR", _GATES["dsr"])
    if flags & _FLAG_IPV6:
        ctx.gate(R.LB_GATES, "load balancer flag IPv6", _GATES["ipv6"])
    mappings = [
        _mapping(ctx, raw, f"{where}.PortMappings[{i}]")
        for i, raw in enumerate(opt_list(doc, "PortMappings", where))
    ]
    if doc.get("HostComputeNetwork"):
        network = parse_guid(doc["HostComputeNetwork"], f"{where}.HostComputeNetwork")
        if not ctx.tx.exists("Network", network):
            violate(R.LB_NETWORK, f"network {network} is not found")
        doc["HostComputeNetwork"] = network
    doc.update(
        ID=oid,
        HostComputeEndpoints=endpoints,
        FrontendVIPs=frontends,
        PortMappings=mappings,
        Flags=flags,
        SchemaVersion=schema_version(doc, where) or dict(DEFAULT_SCHEMA),
    )
    vips = [any_vip(vip) for vip in frontends] or [""]
    claims = [
        PortClaim(m["Protocol"], m["ExternalPort"], vip, vip_family(vip, bool(flags & _FLAG_IPV6)))
        for m in mappings
        for vip in vips
    ]
    return ordered(doc, FIELDS), claims


class LoadBalancers:
    """The ``LoadBalancer`` kind."""

    kind = "LoadBalancer"

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Validate, claim the frontends, store. A frontend clash leaves the load balancer
        behind with no port mappings (rule load-balancer.partial-create) and then fails."""
        doc, claims = _parse(ctx, oid, body)
        try:
            claim_ports(ctx.tx, "loadbalancer", oid, claims, R.LB_FRONTEND_CLASH)
        except HnsFailure as failure:
            ctx.tx.insert(self.kind, oid, {**doc, "PortMappings": []})
            ctx.fail_after_commit(failure)
            return
        ctx.tx.insert(self.kind, oid, doc)

    def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
        """In-place update with the full document (rule load-balancer.modify)."""
        if in_ranges(R.LB_MODIFY.params["no-op"], ctx.version):
            _parse(ctx, oid, body)
            return  # HNS 15.4 accepts the call and changes nothing
        ctx.gate(
            R.LB_MODIFY, "HcnModifyLoadBalancer (in-place update)", R.LB_MODIFY.params["works"]
        )
        new_doc, claims = _parse(ctx, oid, body)
        ctx.tx.release_ports("loadbalancer", oid)
        claim_ports(ctx.tx, "loadbalancer", oid, claims, R.LB_FRONTEND_CLASH)
        ctx.tx.update(self.kind, oid, new_doc)

    def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
        """Release the frontends and remove."""
        ctx.tx.release_ports("loadbalancer", oid)
        ctx.tx.remove(self.kind, oid)

    def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
        """The stored properties (``Flags`` omitted when zero, endpoint IDs upper-case)."""
        out = dict(doc)
        if not out.get("Flags"):
            out.pop("Flags", None)
        out["HostComputeEndpoints"] = [e.upper() for e in out.get("HostComputeEndpoints", [])]
        out["SchemaVersion"] = view.schema_for(doc)
        return out

    def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
        """Every stored property."""
        fields: dict[str, Any] = {key.lower(): value for key, value in doc.items()}
        return fields
