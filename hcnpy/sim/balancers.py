"""Simulated HNS load balancers: backends, frontends and their port clashes, feature gates."""

from __future__ import annotations

from ..features import Feature
from ..hresult import HResult
from .addressing import parse_ip
from .context import DEFAULT_SCHEMA, Ctx, View, ordered
from .jsondoc import JsonObj, canon, fail, opt_int, opt_list, opt_str, parse_guid, schema_version
from .ports import PortClaim, any_vip, claim_ports, vip_family

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


def existing_endpoints(ctx: Ctx, raw: object, where: str) -> list[str]:
    """A ``HostComputeEndpoints`` list; each must exist (``HCN_E_ENDPOINT_NOT_FOUND``)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: want an array of endpoint IDs")
    ids = []
    for i, item in enumerate(raw):
        endpoint = parse_guid(item, f"{where}[{i}]")
        if not ctx.tx.exists("Endpoint", endpoint):
            fail(HResult.HCN_E_ENDPOINT_NOT_FOUND, f"{where}[{i}]: endpoint {endpoint} not found")
        ids.append(endpoint)
    return ids


def _mapping(ctx: Ctx, raw: object, where: str) -> JsonObj:
    if not isinstance(raw, dict):
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: want an object")
    mapping = canon(raw, MAPPING_FIELDS)
    protocol = opt_int(mapping, "Protocol", where)
    if protocol not in (6, 17):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.Protocol: {protocol!r} is not 6 or 17")
    if not opt_int(mapping, "InternalPort", where, 0, 65535):
        fail(HResult.HCN_E_INVALID_INTERNAL_PORT, f"{where}.InternalPort is missing or zero")
    if not opt_int(mapping, "ExternalPort", where, 0, 65535):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.ExternalPort is missing or zero")
    distribution = opt_int(mapping, "DistributionType", where, 0, 2)
    if distribution == _DISTRIBUTION_SOURCE_IP:
        ctx.require(Feature.SESSION_AFFINITY, f"{where}.DistributionType SourceIP")
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
        ctx.require(Feature.DSR, "load balancer flag DSR")
    if flags & _FLAG_IPV6:
        ctx.require(Feature.IPV6_DUAL_STACK, "load balancer flag IPv6")
    mappings = [
        _mapping(ctx, raw, f"{where}.PortMappings[{i}]")
        for i, raw in enumerate(opt_list(doc, "PortMappings", where))
    ]
    if doc.get("HostComputeNetwork"):
        network = parse_guid(doc["HostComputeNetwork"], f"{where}.HostComputeNetwork")
        if not ctx.tx.exists("Network", network):
            fail(HResult.HCN_E_NETWORK_NOT_FOUND, f"network {network} is not found")
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
    gone: int = HResult.ERROR_NOT_FOUND

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Validate, claim the frontends (``HCN_E_PORT_ALREADY_EXISTS`` on a clash), store."""
        doc, claims = _parse(ctx, oid, body)
        claim_ports(ctx.tx, "loadbalancer", oid, claims)
        ctx.tx.insert(self.kind, oid, doc)

    def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
        """In-place update with the full load-balancer document (needs ModifyLoadbalancer)."""
        ctx.require(Feature.MODIFY_LOADBALANCER, "HcnModifyLoadBalancer (in-place update)")
        new_doc, claims = _parse(ctx, oid, body)
        ctx.tx.release_ports("loadbalancer", oid)
        claim_ports(ctx.tx, "loadbalancer", oid, claims)
        ctx.tx.update(self.kind, oid, new_doc)

    def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
        """Release the frontends and remove."""
        ctx.tx.release_ports("loadbalancer", oid)
        ctx.tx.remove(self.kind, oid)

    def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
        """The stored properties (``Flags`` omitted when zero)."""
        out = dict(doc)
        if not out.get("Flags"):
            out.pop("Flags", None)
        out["SchemaVersion"] = view.schema_for(doc)
        return out

    def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
        """Every stored property."""
        fields: dict[str, Any] = {key.lower(): value for key, value in doc.items()}
        return fields
