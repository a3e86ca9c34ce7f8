"""Documents and set-up steps the scenarios share (V2 JSON as hcsshim sends it)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from .._probe import ENDPOINT, LOAD_BALANCER, NAMESPACE, NETWORK, Net, Probe

__all__ = [
    "SCHEMA",
    "acl",
    "attach",
    "container_request",
    "endpoint",
    "endpoint_outcome",
    "endpoint_request",
    "load_balancer",
    "namespace",
    "nat",
    "nat_doc",
    "policy",
    "policy_request",
    "port_mapping",
    "subnet_doc",
    "try_endpoint",
]

#: The ``SchemaVersion`` hcsshim puts in every create document.
SCHEMA = {"Major": 2, "Minor": 0}

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def subnet_doc(
    prefix: IPNetwork | str, gateway: str | None = "auto", **fields: Any
) -> dict[str, Any]:
    """One IPAM subnet; ``gateway="auto"`` routes the default route via the first host."""
    net = ipaddress.ip_network(prefix, strict=False) if isinstance(prefix, str) else prefix
    doc: dict[str, Any] = {"IpAddressPrefix": str(prefix)}
    if gateway == "auto":
        gateway = str(net.network_address + 1)
    if gateway is not None:
        default = "0.0.0.0/0" if net.version == 4 else "::/0"
        doc["Routes"] = [{"NextHop": gateway, "DestinationPrefix": default}]
    doc.update(fields)
    return doc


def nat_doc(
    name: str | None, subnets: Iterable[dict[str, Any]] = (), **fields: Any
) -> dict[str, Any]:
    """A NAT network document with static subnets (none: let HNS pick one)."""
    doc: dict[str, Any] = {"SchemaVersion": dict(SCHEMA), "Type": "NAT"}
    if name is not None:
        doc["Name"] = name
    listed = list(subnets)
    if listed:
        doc["Ipams"] = [{"Type": "Static", "Subnets": listed}]
    doc.update(fields)
    return doc


def nat(p: Probe, prefix: int = 27, **fields: Any) -> Net:
    """Create a NAT network with one fresh subnet (gateway ``.1``)."""
    subnet = p.subnet(prefix)
    gateway = str(subnet.network_address + 1)
    network_id = p.create(NETWORK, nat_doc(p.name(), [subnet_doc(subnet, gateway)], **fields))
    return Net(network_id, subnet, gateway)


def endpoint(p: Probe, net: Net, **fields: Any) -> str:
    """Create an endpoint on ``net`` (HNS allocates what is not given)."""
    doc: dict[str, Any] = {"SchemaVersion": dict(SCHEMA), "Name": p.name()}
    doc.update(fields)
    return p.create(ENDPOINT, doc, network=net.id)


def try_endpoint(p: Probe, net: Net | str, doc: dict[str, Any]) -> str:
    """Try to create an endpoint on ``net``; the outcome."""
    network_id = net if isinstance(net, str) else net.id
    return p.attempt_create(ENDPOINT, {"SchemaVersion": dict(SCHEMA), **doc}, network=network_id)


def endpoint_outcome(p: Probe, net: Net, **fields: Any) -> tuple[str, str | None]:
    """Try to create an endpoint on ``net``; the outcome and the new ID."""
    doc: dict[str, Any] = {"SchemaVersion": dict(SCHEMA), "Name": p.name(), **fields}
    return p.create_outcome(ENDPOINT, doc, network=net.id)


def namespace(p: Probe, **fields: Any) -> str:
    """Create a namespace (type Host unless given)."""
    return p.create(NAMESPACE, {"SchemaVersion": dict(SCHEMA), **fields})


def endpoint_request(endpoint_id: str, request: str = "Add") -> dict[str, Any]:
    """A namespace modify request that adds or removes an endpoint."""
    return {
        "ResourceType": "Endpoint",
        "RequestType": request,
        "Settings": {"EndpointId": endpoint_id},
    }


def container_request(container_id: str | None, request: str = "Add") -> dict[str, Any]:
    """A namespace modify request that adds or removes a container."""
    settings = {} if container_id is None else {"ContainerId": container_id}
    return {"ResourceType": "Container", "RequestType": request, "Settings": settings}


def attach(p: Probe, namespace_id: str, endpoint_id: str) -> None:
    """Put an endpoint into a namespace (set-up step)."""
    p.modify(NAMESPACE, namespace_id, endpoint_request(endpoint_id))


def policy(kind: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """A V2 policy object."""
    doc: dict[str, Any] = {"Type": kind}
    if settings is not None:
        doc["Settings"] = settings
    return doc


def port_mapping(external: int | None, internal: int | None = 80, **extra: Any) -> dict[str, Any]:
    """A PortMapping policy (TCP unless ``Protocol`` is given)."""
    settings: dict[str, Any] = {"Protocol": 6}
    if internal is not None:
        settings["InternalPort"] = internal
    if external is not None:
        settings["ExternalPort"] = external
    settings.update(extra)
    return policy("PortMapping", settings)


def acl(**settings: Any) -> dict[str, Any]:
    """An ACL policy (Allow In at priority 1000 unless given)."""
    base: dict[str, Any] = {"Action": "Allow", "Direction": "In", "Priority": 1000}
    base.update(settings)
    return policy("ACL", {k: v for k, v in base.items() if v is not None})


def policy_request(request: str, *policies: dict[str, Any]) -> dict[str, Any]:
    """An endpoint or network modify request for policies."""
    return {
        "ResourceType": "Policy",
        "RequestType": request,
        "Settings": {"Policies": list(policies)},
    }


def load_balancer(
    p: Probe, endpoints: Iterable[str], *, port: int | None = None, **fields: Any
) -> dict[str, Any]:
    """A load-balancer document with one TCP frontend on a fresh VIP and host port."""
    mapping = {"Protocol": 6, "InternalPort": 80, "ExternalPort": port or p.port()}
    doc: dict[str, Any] = {
        "SchemaVersion": dict(SCHEMA),
        "HostComputeEndpoints": list(endpoints),
        "FrontendVIPs": [p.vip()],
        "PortMappings": [mapping],
    }
    doc.update(fields)
    return doc


def create_load_balancer(p: Probe, doc: dict[str, Any]) -> str:
    """Create a load balancer (set-up step)."""
    return p.create(LOAD_BALANCER, doc)
