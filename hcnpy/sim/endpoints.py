"""Simulated HNS endpoints: IP and MAC allocation, port mappings, policy requests."""

from __future__ import annotations

import ipaddress

from ..features import Feature, is_supported
from ..hresult import HResult
from . import v1schema
from .addressing import IPAddress, SubnetPlan, address_key, format_mac, parse_ip, parse_mac
from .context import DEFAULT_SCHEMA, Ctx, View, modify_request, ordered
from .jsondoc import (
    JsonObj,
    canon,
    fail,
    opt_int,
    opt_list,
    opt_obj,
    opt_str,
    parse_guid,
    schema_version,
)
from .networks import DNS_FIELDS, mac_ranges, parse_routes, subnet_plans
from .policies import apply_request, normalize_policies, port_claims
from .ports import claim_ports

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["REMOTE_ENDPOINT", "Endpoints"]

FIELDS = ("ID", "Name", "HostComputeNetwork", "HostComputeNamespace", "Policies",
          "IpConfigurations", "Dns", "Routes", "MacAddress", "Flags", "Health",
          "SchemaVersion")  # fmt: skip
#: ``Flags`` bit of a remote endpoint (one that lives on another host).
REMOTE_ENDPOINT = 1


def _check_policies(policies: list[JsonObj]) -> None:
    if sum(1 for p in policies if p["Type"] == "InterfaceParameters") > 1:
        fail(
            HResult.HCN_INTERFACEPARAMETERS_ALREADY_APPLIED,
            "more than one InterfaceParameters policy",
        )


def _plan_for(plans: list[SubnetPlan], address: IPAddress) -> SubnetPlan | None:
    return next((p for p in plans if address in p.network), None)


def _static_config(
    ctx: Ctx, raw: object, where: str, network: str, plans: list[SubnetPlan], taken: set[str]
) -> tuple[JsonObj, IPAddress]:
    if not isinstance(raw, dict):
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: want an object")
    config = canon(raw, ["IpAddress", "PrefixLength", "IpSubnetId"])
    address = parse_ip(config.get("IpAddress"), f"{where}.IpAddress")
    plan = _plan_for(plans, address)
    if plan is None:
        fail(HResult.HCN_E_INVALID_IP, f"{where}.IpAddress: {address} is outside every subnet")
    reason = plan.reserved_reason(address)
    if reason is not None:
        fail(HResult.HCN_E_ADDR_INVALID_OR_RESERVED, f"{where}.IpAddress: {address} is {reason}")
    holder = ctx.tx.address_owner(network, str(address))
    if str(address) in taken:
        holder = "this endpoint"
    if holder is not None:
        fail(
            HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
            f"{where}.IpAddress: {address} is already in use by {holder}",
        )
    length = opt_int(config, "PrefixLength", where, 0, 128)
    subnet_length = plan.network.prefixlen
    host_length = plan.network.max_prefixlen
    if length and length != subnet_length:
        if length != host_length:
            fail(
                HResult.HCN_E_INVALID_PREFIX,
                f"{where}.PrefixLength: {length} does not match subnet {plan.network}",
            )
        if not is_supported(Feature.SLASH32_ENDPOINT_PREFIXES, ctx.version):
            fail(
                HResult.HCN_E_INVALID_PREFIX,
                f"{where}.PrefixLength: /{length} endpoint prefixes need HNS 10.4 or newer",
            )
    config.update(IpAddress=str(address), PrefixLength=length or subnet_length)
    return config, address


def _allocate(ctx: Ctx, network: str, plans: list[SubnetPlan], family: int) -> IPAddress:
    for plan in plans:
        if plan.network.version == family:
            keys = ctx.tx.address_keys(network, *plan.key_range())
            used = {int.from_bytes(key[1:], "big") for key in keys}
            address = plan.first_free(used)
            if address is not None:
                return address
    nets = ", ".join(str(p.network) for p in plans if p.network.version == family)
    fail(HResult.HCN_E_ADDR_INVALID_OR_RESERVED, f"no free IPv{family} address left in {nets}")


def _assign_addresses(
    ctx: Ctx, oid: str, network: str, plans: list[SubnetPlan], raw: list[Any]
) -> list[JsonObj]:
    configs: list[JsonObj] = []
    chosen: list[IPAddress] = []
    if raw:
        taken: set[str] = set()
        for i, item in enumerate(raw):
            config, address = _static_config(
                ctx, item, f"IpConfigurations[{i}]", network, plans, taken
            )
            taken.add(str(address))
            chosen.append(address)
            configs.append(config)
    else:
        for family in sorted({p.network.version for p in plans}):
            address = _allocate(ctx, network, plans, family)
            plan = _plan_for(plans, address)
            assert plan is not None
            chosen.append(address)
            configs.append({"IpAddress": str(address), "PrefixLength": plan.network.prefixlen})
    for address in chosen:
        ctx.tx.claim_address(network, str(address), address_key(address), oid)
    return configs


def _assign_mac(ctx: Ctx, oid: str, network: JsonObj, raw: object) -> str:
    if raw:
        mac = parse_mac(raw, "Endpoint.MacAddress", HResult.HCN_E_INVALID_ENDPOINT)
        holder = ctx.tx.mac_owner(mac)
        if holder is not None:
            fail(
                HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
                f"MAC {format_mac(mac)} is already in use by endpoint {holder}",
            )
    else:
        found = None
        for low, high in mac_ranges(network):
            taken = ctx.tx.macs_between(low, high)
            found = next((m for m in range(low, high + 1) if m not in taken), None)
            if found is not None:
                break
        if found is None:
            fail(HResult.HCN_E_ADDR_INVALID_OR_RESERVED, "the network's MAC pool is exhausted")
        mac = found
    ctx.tx.claim_mac(mac, oid)
    return format_mac(mac)


def _default_routes(plans: list[SubnetPlan], configs: list[JsonObj]) -> list[JsonObj]:
    routes = []
    for config in configs:
        plan = _plan_for(plans, ipaddress.ip_address(config["IpAddress"]))
        if plan is not None and plan.gateway is not None:
            default = "0.0.0.0/0" if plan.network.version == 4 else "::/0"
            routes.append({"NextHop": str(plan.gateway), "DestinationPrefix": default})
    return routes


class Endpoints:
    """The ``Endpoint`` kind."""

    kind = "Endpoint"
    gone: int = HResult.HCN_E_ENDPOINT_NOT_FOUND

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Allocate addresses, MAC and host ports and store the endpoint, all or nothing."""
        if v1schema.is_v1_endpoint(body):
            body = v1schema.endpoint_from_v1(body, ctx.tx.network_by_name)
        doc = canon(body, FIELDS)
        named = doc.get("HostComputeNetwork")
        named_id = parse_guid(named, "Endpoint.HostComputeNetwork") if named else None
        if network is not None and named_id is not None and named_id != network:
            fail(
                HResult.HCN_E_INVALID_ENDPOINT,
                f"HostComputeNetwork {named_id} differs from the network handle's {network}",
            )
        network = network or named_id
        net_doc = ctx.tx.get("Network", network) if network else None
        if network is None or net_doc is None:
            fail(HResult.HCN_E_NETWORK_NOT_FOUND, f"the endpoint's network {network} is not found")
        opt_str(doc, "Name", "Endpoint")
        flags = opt_int(doc, "Flags", "Endpoint") or 0
        policies = normalize_policies(
            doc.get("Policies"), "endpoint", "Endpoint.Policies", ctx.version
        )
        _check_policies(policies)
        plans = subnet_plans(net_doc)
        configs = _assign_addresses(
            ctx, oid, network, plans, opt_list(doc, "IpConfigurations", "Endpoint")
        )
        mac = _assign_mac(ctx, oid, net_doc, doc.get("MacAddress"))
        claim_ports(ctx.tx, "endpoint", oid, port_claims(policies))
        routes = parse_routes(doc.get("Routes"), "Endpoint.Routes") or _default_routes(
            plans, configs
        )
        doc.pop("HostComputeNamespace", None)  # read-only: reflects the namespace attachment
        doc.update(
            ID=oid,
            HostComputeNetwork=network,
            Policies=policies,
            IpConfigurations=configs,
            Dns=canon(opt_obj(doc, "Dns", "Endpoint") or {}, DNS_FIELDS),
            Routes=routes,
            MacAddress=mac,
            Flags=flags,
            Health={"Extra": {}},
            SchemaVersion=schema_version(doc, "Endpoint") or dict(DEFAULT_SCHEMA),
        )
        ctx.tx.insert(self.kind, oid, ordered(doc, FIELDS), network=network)

    def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
        """``Policy`` Add/Remove/Update (port clashes re-checked); ``Port`` requests accepted."""
        resource, request, settings = modify_request(body, "HcnModifyEndpoint", ("Policy", "Port"))
        if resource == "Port":
            if doc.get("Flags", 0) & REMOTE_ENDPOINT:
                fail(
                    HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION,
                    "a remote endpoint has no switch port",
                )
            port = canon(settings, ["PortId", "VirtualNicName", "VirtualMachineId"])
            for key in ("PortId", "VirtualMachineId"):
                if port.get(key):
                    parse_guid(port[key], f"Settings.{key}")
            return
        change = normalize_policies(
            canon(settings, ["Policies"]).get("Policies"),
            "endpoint",
            "Settings.Policies",
            ctx.version,
            settings_optional=request == "Remove",
        )
        policies = apply_request(doc.get("Policies", []), request, change)
        _check_policies(policies)
        ctx.tx.release_ports("endpoint", oid)
        claim_ports(ctx.tx, "endpoint", oid, port_claims(policies))
        doc["Policies"] = policies
        ctx.tx.update(self.kind, oid, doc)

    def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
        """Release everything, detach from the namespace, drop from load balancers and routes."""
        ctx.tx.release_endpoint(oid)
        ctx.tx.detach_endpoint(oid)
        for kind in ("LoadBalancer", "SdnRoute"):
            for other, other_doc in ctx.tx.all(kind):
                members = other_doc.get("HostComputeEndpoints", [])
                if oid in members:
                    other_doc["HostComputeEndpoints"] = [m for m in members if m != oid]
                    ctx.tx.update(kind, other, other_doc)
        ctx.tx.remove(self.kind, oid)

    def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
        """V2 properties with ``HostComputeNamespace`` once attached, or V1 for 1.x queries."""
        namespace = ctx.tx.namespace_of(oid)
        if view.v1:
            network = ctx.tx.get("Network", doc["HostComputeNetwork"]) or {}
            return v1schema.endpoint_to_v1(doc, network.get("Name", ""), namespace)
        out = dict(doc)
        if namespace is not None:
            out["HostComputeNamespace"] = namespace
        for key in ("Policies", "Routes", "Flags"):
            if not out.get(key):
                out.pop(key, None)
        out["SchemaVersion"] = view.schema_for(doc)
        if view.detailed and namespace is not None:
            containers = [rid for rtype, rid in ctx.tx.resources(namespace) if rtype == "Container"]
            out["Health"] = {"Extra": {"SharedContainers": containers}}
        return ordered(out, FIELDS)

    def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
        """Stored properties plus the V1 names HNS filters use (``VirtualNetwork`` …)."""
        fields: dict[str, Any] = {key.lower(): value for key, value in doc.items()}
        if "namespaces" not in ctx.memo:  # one query per enumerate, not one per endpoint
            ctx.memo["namespaces"] = ctx.tx.endpoint_namespaces()
            ctx.memo["network_names"] = {i: d.get("Name") for i, d in ctx.tx.all("Network")}
        network = doc["HostComputeNetwork"]
        namespace = ctx.memo["namespaces"].get(oid)
        fields["virtualnetwork"] = network
        if network in ctx.memo["network_names"]:
            fields["virtualnetworkname"] = ctx.memo["network_names"][network]
        fields["isremoteendpoint"] = bool(doc.get("Flags", 0) & REMOTE_ENDPOINT)
        if namespace is not None:
            fields["hostcomputenamespace"] = namespace
            fields["namespace"] = namespace
        addresses = [c["IpAddress"] for c in doc.get("IpConfigurations", [])]
        if addresses:
            fields["ipaddress"] = addresses[0]
        return fields
