"""Simulated HNS endpoints: IP and MAC allocation, port mappings, policy requests."""

from __future__ import annotations

import ipaddress

from . import rules as R
from . import v1schema
from .addressing import IPAddress, SubnetPlan, address_key, format_mac, parse_ip, parse_mac
from .context import DEFAULT_SCHEMA, Ctx, View, modify_request, ordered
from .jsondoc import (
    JsonObj,
    canon,
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
from .rules import violate
from .versions import gate

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
        violate(R.INTERFACE_PARAMETERS_ONCE, "more than one InterfaceParameters policy")


def _plan_for(plans: list[SubnetPlan], address: IPAddress) -> SubnetPlan | None:
    return next((p for p in plans if address in p.network), None)


def _static_config(
    ctx: Ctx,
    raw: object,
    where: str,
    network: str,
    plans: list[SubnetPlan],
    taken: set[str],
    remote: bool,
) -> tuple[JsonObj, IPAddress]:
    if not isinstance(raw, dict):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an object")
    config = canon(raw, ["IpAddress", "PrefixLength", "IpSubnetId"])
    address = parse_ip(config.get("IpAddress"), f"{where}.IpAddress", R.ENDPOINT_IP_INVALID)
    plan = _plan_for(plans, address)
    if plan is None:
        violate(R.ENDPOINT_IP_INVALID, f"{where}.IpAddress: {address} is outside every subnet")
    reason = plan.reserved_reason(address)
    if reason is not None:
        violate(R.ENDPOINT_IP_RESERVED, f"{where}.IpAddress: {address} is {reason}")
    if str(address) in taken:
        violate(R.ENDPOINT_IP_TAKEN, f"{where}.IpAddress: {address} is given twice")
    holder = None if remote else ctx.tx.address_owner(network, str(address))
    if holder is not None:
        violate(R.ENDPOINT_IP_TAKEN, f"{where}.IpAddress: {address} is already in use by {holder}")
    length = opt_int(config, "PrefixLength", where, 0, 128)
    subnet_length = plan.network.prefixlen
    if length and length != subnet_length:
        if length != plan.network.max_prefixlen:
            violate(
                R.ENDPOINT_PREFIX_LENGTH,
                f"{where}.PrefixLength: {length} does not match subnet {plan.network}",
            )
        gate(R.ENDPOINT_PREFIX_LENGTH, ctx.version, f"{where}.PrefixLength /{length}")
    config.update(IpAddress=str(address), PrefixLength=length or subnet_length)
    return config, address


def _cursor_key(kind: str, owner: str) -> str:
    return f"cursor:{kind}:{owner}"


def _allocate(ctx: Ctx, network: str, plans: list[SubnetPlan], family: int) -> IPAddress:
    """The next free address of ``family`` after the last one handed out, wrapping around.

    One indexed lookup per candidate, so the cost does not grow with the endpoint count.
    """
    for plan in plans:
        if plan.network.version != family:
            continue
        cursor = _cursor_key("ip", f"{network}:{plan.network}")
        first = int(plan.network.network_address)
        last = int(plan.network.broadcast_address)
        stored = ctx.tx.meta(cursor)
        start = int(stored) + 1 if stored is not None else first
        family_type = type(plan.network.network_address)
        for offset in range(last - first + 1):
            value = first + (start - first + offset) % (last - first + 1)
            candidate = family_type(value)
            if plan.reserved_reason(candidate) is not None:
                continue
            if not ctx.tx.address_taken(network, address_key(candidate)):
                ctx.tx.set_meta(cursor, str(value))
                return candidate
    nets = ", ".join(str(p.network) for p in plans if p.network.version == family)
    violate(R.ENDPOINT_IP_EXHAUSTED, f"no free IPv{family} address left in {nets}")


def _assign_addresses(
    ctx: Ctx, oid: str, network: str, plans: list[SubnetPlan], raw: list[Any], remote: bool
) -> list[JsonObj]:
    configs: list[JsonObj] = []
    chosen: list[IPAddress] = []
    if raw:
        taken: set[str] = set()
        for i, item in enumerate(raw):
            config, address = _static_config(
                ctx, item, f"IpConfigurations[{i}]", network, plans, taken, remote
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
    if not remote:  # a remote endpoint may share its address (rule endpoint.ip.remote-shares)
        for address in chosen:
            ctx.tx.claim_address(network, str(address), address_key(address), oid)
    return configs


def _assign_mac(ctx: Ctx, oid: str, network_id: str, network: JsonObj, raw: object) -> str:
    if raw:
        mac = parse_mac(raw, "Endpoint.MacAddress", R.ENDPOINT_MAC_INVALID)
        holder = ctx.tx.mac_owner(mac)
        if holder is not None:
            violate(R.ENDPOINT_MAC_TAKEN, f"MAC {format_mac(mac)} is already in use by {holder}")
        ctx.tx.claim_mac(mac, oid)
        return str(raw).strip()  # rule endpoint.mac.echoed
    cursor = _cursor_key("mac", network_id)
    stored = ctx.tx.meta(cursor)
    for low, high in mac_ranges(network):
        size = high - low + 1
        start = int(stored) + 1 if stored is not None and low <= int(stored) <= high else low
        for offset in range(size):
            candidate = low + (start - low + offset) % size
            if ctx.tx.mac_owner(candidate) is None:
                ctx.tx.set_meta(cursor, str(candidate))
                ctx.tx.claim_mac(candidate, oid)
                return format_mac(candidate)
    violate(R.ENDPOINT_MAC_TAKEN, "the network's MAC pool is exhausted")


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

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Allocate addresses, MAC and host ports and store the endpoint, all or nothing."""
        if v1schema.is_v1_endpoint(body):
            body = v1schema.endpoint_from_v1(body, ctx.tx.network_by_name)
        doc = canon(body, FIELDS)
        named = doc.get("HostComputeNetwork")
        named_id = parse_guid(named, "Endpoint.HostComputeNetwork") if named else None
        if network is not None and named_id is not None and named_id != network:
            violate(
                R.ENDPOINT_NETWORK_MISMATCH,
                f"HostComputeNetwork {named_id} differs from the network handle's {network}",
            )
        network = network or named_id
        net_doc = ctx.tx.get("Network", network) if network else None
        if network is None or net_doc is None:
            violate(R.ENDPOINT_NETWORK, f"the endpoint's network {network} is not found")
        opt_str(doc, "Name", "Endpoint")
        flags = opt_int(doc, "Flags", "Endpoint") or 0
        policies = normalize_policies(
            doc.get("Policies"), "endpoint", "Endpoint.Policies", ctx.version
        )
        _check_policies(policies)
        plans = subnet_plans(net_doc)
        remote = bool(flags & REMOTE_ENDPOINT)
        configs = _assign_addresses(
            ctx, oid, network, plans, opt_list(doc, "IpConfigurations", "Endpoint"), remote
        )
        mac = _assign_mac(ctx, oid, network, net_doc, doc.get("MacAddress"))
        claim_ports(ctx.tx, "endpoint", oid, port_claims(policies), R.PORT_MAPPING_CLASH)
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
                violate(R.ENDPOINT_REMOTE_NAMESPACE, "a remote endpoint has no switch port")
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
        claim_ports(ctx.tx, "endpoint", oid, port_claims(policies), R.PORT_MAPPING_CLASH)
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
            from . import v1answers  # V1 queries only: not on a V2 client's path

            return v1answers.endpoint_to_v1(doc, network, namespace, ctx.version)
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
        if "network_names" not in ctx.memo:  # networks are few: one query per enumerate
            ctx.memo["network_names"] = {i: d.get("Name") for i, d in ctx.tx.all("Network")}
        network = doc["HostComputeNetwork"]
        namespace = ctx.tx.namespace_of(oid)  # indexed: the cost stays per candidate
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
