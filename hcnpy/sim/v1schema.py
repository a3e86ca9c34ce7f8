"""The small part of the HNS V1 schema the V2 API accepts and answers (networks, endpoints).

V1 documents passed to ``HcnCreateNetwork``/``HcnCreateEndpoint`` are converted to V2 first
(V1 policies other than ``NAT``, port mappings, are dropped). V1-shaped answers are
:mod:`hcnpy.sim.v1answers`.
"""

from __future__ import annotations

from collections.abc import Callable

from .jsondoc import JsonObj, canon, opt_list, opt_obj

__all__ = [
    "endpoint_from_v1",
    "is_v1_endpoint",
    "is_v1_network",
    "network_from_v1",
]

_V1_NETWORK_KEYS = frozenset(
    ["subnets", "macpools", "networkadaptername", "sourcemac", "dnssuffix", "dnsserverlist",
     "managementip", "automaticdns"]
)  # fmt: skip
_V1_ENDPOINT_KEYS = frozenset(
    ["virtualnetwork", "virtualnetworkname", "ipaddress", "ipv6address", "gatewayaddress",
     "isremoteendpoint", "dnssuffix", "dnsserverlist", "enableinternaldns", "disableicc"]
)  # fmt: skip
_V2_SCHEMA: JsonObj = {"Major": 2, "Minor": 0}


def _looks_v1(body: JsonObj, v1_keys: frozenset[str]) -> bool:
    schema = opt_obj(canon(body, ["SchemaVersion"]), "SchemaVersion", "document")
    if schema is not None:
        return bool(canon(schema, ["Major"]).get("Major") == 1)
    return any(key.lower() in v1_keys for key in body)


def is_v1_network(body: JsonObj) -> bool:
    """True for a V1 ``HNSNetwork`` document (schema 1.x, or V1-only keys and no schema)."""
    return _looks_v1(body, _V1_NETWORK_KEYS)


def is_v1_endpoint(body: JsonObj) -> bool:
    """True for a V1 ``HNSEndpoint`` document."""
    return _looks_v1(body, _V1_ENDPOINT_KEYS)


def _dns(suffix: object, servers: object) -> JsonObj:
    dns: JsonObj = {}
    if isinstance(suffix, str) and suffix:
        dns["Domain"] = suffix
    if isinstance(servers, str) and servers:
        dns["ServerList"] = [s.strip() for s in servers.split(",") if s.strip()]
    return dns


def network_from_v1(body: JsonObj) -> JsonObj:
    """A V1 network document as the V2 document HNS would store."""
    doc = canon(body, ["ID", "Name", "Type", "Subnets", "MacPools", "DNSSuffix", "DNSServerList"])
    out: JsonObj = {"Name": doc.get("Name"), "SchemaVersion": dict(_V2_SCHEMA)}
    if doc.get("Type") is not None:
        out["Type"] = doc["Type"]
    subnets = []
    for raw in opt_list(doc, "Subnets", "Network.Subnets"):
        subnet = canon(raw if isinstance(raw, dict) else {}, ["AddressPrefix", "GatewayAddress"])
        entry: JsonObj = {"IpAddressPrefix": subnet.get("AddressPrefix")}
        gateway = subnet.get("GatewayAddress")
        if isinstance(gateway, str) and gateway:
            default = "::/0" if ":" in gateway else "0.0.0.0/0"
            entry["Routes"] = [{"NextHop": gateway, "DestinationPrefix": default}]
        subnets.append(entry)
    if subnets:
        out["Ipams"] = [{"Type": "Static", "Subnets": subnets}]
    ranges = []
    for raw in opt_list(doc, "MacPools", "Network.MacPools"):
        pool = canon(raw if isinstance(raw, dict) else {}, ["StartMacAddress", "EndMacAddress"])
        ranges.append({key: pool.get(key) for key in ("StartMacAddress", "EndMacAddress")})
    if ranges:
        out["MacPool"] = {"Ranges": ranges}
    out["Dns"] = _dns(doc.get("DNSSuffix"), doc.get("DNSServerList"))
    return out


def _v1_nat_to_port_mapping(raw: object) -> JsonObj | None:
    if not isinstance(raw, dict):
        return None
    policy = canon(raw, ["Type", "Protocol", "InternalPort", "ExternalPort"])
    if str(policy.get("Type", "")).upper() != "NAT":
        return None
    settings = {k: policy[k] for k in ("Protocol", "InternalPort", "ExternalPort") if k in policy}
    return {"Type": "PortMapping", "Settings": settings}


def endpoint_from_v1(body: JsonObj, network_by_name: Callable[[str], str | None]) -> JsonObj:
    """A V1 endpoint document as a V2 one (``VirtualNetworkName`` is resolved by name)."""
    keys = ["Name", "VirtualNetwork", "VirtualNetworkName", "IPAddress", "PrefixLength",
            "IPv6Address", "IPv6PrefixLength", "MacAddress", "DNSSuffix", "DNSServerList",
            "IsRemoteEndpoint", "Policies"]  # fmt: skip
    doc = canon(body, keys)
    out: JsonObj = {"SchemaVersion": dict(_V2_SCHEMA)}
    if doc.get("Name") is not None:
        out["Name"] = doc["Name"]
    network = doc.get("VirtualNetwork")
    if not network and isinstance(doc.get("VirtualNetworkName"), str):
        network = network_by_name(doc["VirtualNetworkName"].lower())
    if network:
        out["HostComputeNetwork"] = network
    configs = []
    families = (("IPAddress", "PrefixLength"), ("IPv6Address", "IPv6PrefixLength"))
    for address_key, prefix_key in families:
        if doc.get(address_key):
            config: JsonObj = {"IpAddress": doc[address_key]}
            if doc.get(prefix_key):
                config["PrefixLength"] = doc[prefix_key]
            configs.append(config)
    if configs:
        out["IpConfigurations"] = configs
    if doc.get("MacAddress"):
        out["MacAddress"] = doc["MacAddress"]
    out["Dns"] = _dns(doc.get("DNSSuffix"), doc.get("DNSServerList"))
    if doc.get("IsRemoteEndpoint") is True:
        out["Flags"] = 1
    policies = [_v1_nat_to_port_mapping(p) for p in opt_list(doc, "Policies", "Endpoint.Policies")]
    out["Policies"] = [p for p in policies if p is not None]
    return out
