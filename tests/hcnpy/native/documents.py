"""Small valid HNS V2 documents for the binding tests (shapes from the reference, section 2)."""

from __future__ import annotations

import json
from typing import Any

SCHEMA = {"Major": 2, "Minor": 0}
QUERY = json.dumps({"SchemaVersion": SCHEMA})


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps({**doc, "SchemaVersion": SCHEMA}, ensure_ascii=False)


def network(name: str = "hcnpy-test-nat", prefix: str = "192.168.250") -> str:
    """A NAT network with one subnet and a default route."""
    subnet = {
        "IpAddressPrefix": f"{prefix}.0/24",
        "Routes": [{"NextHop": f"{prefix}.1", "DestinationPrefix": "0.0.0.0/0"}],
    }
    return _dump({"Name": name, "Type": "NAT", "Ipams": [{"Type": "Static", "Subnets": [subnet]}]})


def endpoint(network_id: str, name: str = "hcnpy-test-ep") -> str:
    """An endpoint on ``network_id``; HNS allocates its address."""
    return _dump({"Name": name, "HostComputeNetwork": network_id})


def namespace() -> str:
    """A host namespace."""
    return _dump({"Type": "Host"})


def load_balancer(endpoint_id: str) -> str:
    """A TCP 8080 -> 80 load balancer in front of one endpoint."""
    mapping = {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}
    return _dump(
        {
            "HostComputeEndpoints": [endpoint_id],
            "FrontendVIPs": ["10.250.0.10"],
            "PortMappings": [mapping],
        }
    )


def sdn_route(endpoint_id: str) -> str:
    """One route to 10.251.0.0/16 through an endpoint."""
    route = {"DestinationPrefix": "10.251.0.0/16", "NextHop": "192.168.250.2", "NeedEncap": True}
    return _dump({"HostComputeEndpoints": [endpoint_id], "Routes": [route]})


def namespace_add_endpoint(endpoint_id: str) -> str:
    """A namespace modify request attaching ``endpoint_id``."""
    return json.dumps(
        {"ResourceType": "Endpoint", "RequestType": "Add", "Settings": {"EndpointId": endpoint_id}}
    )


def identity(text: str) -> str:
    """The ``ID`` of a queried document."""
    value = json.loads(text)
    return str(value.get("ID") or value.get("Id"))


def network_dns(server: str = "10.250.0.53") -> str:
    """A network modify request replacing the DNS settings."""
    return json.dumps(
        {"ResourceType": "DNS", "RequestType": "Update", "Settings": {"ServerList": [server]}}
    )


def endpoint_port_mapping(external: int = 8088) -> str:
    """An endpoint modify request adding a TCP port mapping."""
    mapping = {"InternalPort": 80, "ExternalPort": external, "Protocol": 6}
    policy = {"Type": "PortMapping", "Settings": mapping}
    return json.dumps(
        {"ResourceType": "Policy", "RequestType": "Add", "Settings": {"Policies": [policy]}}
    )
