"""V1-shaped answers (``HNSNetwork``, ``HNSEndpoint``) with every key real HNS shows.

Real V1 answers carry HNS's internal bookkeeping (``ActivityId``, ``Resources`` with its
allocators, ``Health``, ``Version``) next to the documented fields; tools that read them
(Calico reads ``State``, scripts read ``Resources``) see the same keys from the simulator.
The shapes follow the saved real answers (rule ``query.schema-v1``); the internal values
(GUIDs derived from the object's ID, zero timings) are the simulator's.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .jsondoc import JsonObj

__all__ = ["endpoint_to_v1", "network_to_v1", "v1_version"]

_ENDPOINT_CREATED = 1
_ENDPOINT_ATTACHED = 2
_FILETIME_EPOCH = 116444736000000000  # 1601-01-01 to 1970-01-01 in 100 ns ticks
_SWITCH_EXTENSIONS = (
    ("E7C3B2F0-F3C5-48DF-AF2B-10FED6D72E7A", False, "Microsoft Windows Filtering Platform"),
    ("F74F241B-440F-4433-BB28-00F89EAD20D8", False, "Microsoft Azure VFP Switch Extension"),
    ("430BDADD-BAB0-41AB-A369-94B67FA5BE0A", True, "Microsoft NDIS Capture"),
)
_DERIVED = "2b7c9a53-64a1-4f8e-9d2e-0d6c2f1a8e47"


def _guid(oid: str, role: str) -> str:
    """A stable upper-case GUID for one of an object's internal parts."""
    import uuid  # only V1 answers need derived GUIDs

    return str(uuid.uuid5(uuid.UUID(_DERIVED), f"{oid}/{role}")).upper()


def _health() -> JsonObj:
    return {"LastErrorCode": 0, "LastUpdateTime": int(time.time() * 10_000_000) + _FILETIME_EPOCH}


def v1_version(version: tuple[int, int]) -> int:
    """The V1 ``Version`` field: the HNS version as ``major << 32 | minor``."""
    return (version[0] << 32) | version[1]


def _subnets(oid: str, doc: JsonObj) -> list[JsonObj]:
    subnets = []
    for ipam in doc.get("Ipams", []):
        for subnet in ipam.get("Subnets", []):
            prefix = subnet.get("IpAddressPrefix", "")
            entry: JsonObj = {"AdditionalParams": {}, "AddressPrefix": prefix, "Flags": 0}
            for route in subnet.get("Routes", []):
                if str(route.get("DestinationPrefix", "")).endswith("/0") and route.get("NextHop"):
                    entry["GatewayAddress"] = route["NextHop"]
                    break
            ip_subnet = {
                "AdditionalParams": {},
                "Flags": 3,
                "Health": _health(),
                "ID": _guid(oid, f"ipsubnet/{prefix}"),
                "IpAddressPrefix": prefix,
                "ObjectType": 6,
                "Policies": [],
                "State": 0,
            }
            entry.update(
                Health=_health(),
                ID=_guid(oid, f"subnet/{prefix}"),
                IpSubnets=[ip_subnet],
                ObjectType=5,
                Policies=[],
                State=0,
            )
            subnets.append(entry)
    return subnets


def _host_vnic(oid: str, name: str, mac: str) -> JsonObj:
    interface = _guid(oid, "host-vnic-interface")
    return {
        "AdapterNetCfgInstanceId": "{" + interface + "}",
        "AdditionalParams": {},
        "AllocationOrder": 0,
        "CompartmendId": 0,
        "Connected": True,
        "DNSFirewallRules": True,
        "DevicelessNic": True,
        "DhcpDisabled": True,
        "EndpointNicGuid": _guid(oid, "host-vnic-nic"),
        "EndpointPortGuid": _guid(oid, "host-vnic-port"),
        "Flags": 0,
        "Health": {**_health(), "NATState": 0},
        "ID": _guid(oid, "host-vnic"),
        "InterfaceGuid": interface,
        "IsPolicy": False,
        "IsolationId": 1,
        "MacAddress": mac,
        "ManagementPort": True,
        "NcfHidden": False,
        "NicFriendlyName": name[:15],
        "NlmHidden": True,
        "PreferredPortFriendlyName": f"Container NIC {_guid(oid, 'host-vnic')[:8].lower()}",
        "Prefix": 0,
        "PrivateInterfaceGUID": _guid(oid, "host-vnic-private"),
        "State": 3,
        "SubnetIPAddress": "",
        "SwitchId": _guid(oid, "switch"),
        "Tag": "Host Vnic",
        "WaitForIpv6Interface": False,
        "nonPersistentPort": False,
    }


def network_to_v1(doc: JsonObj, endpoint_count: int, version: tuple[int, int]) -> JsonObj:
    """A stored V2 network as real HNS's V1 ``HNSNetwork`` answer."""
    oid = doc["ID"]
    ranges = doc.get("MacPool", {}).get("Ranges", [])
    mac_pools = [
        {"EndMacAddress": r["EndMacAddress"], "StartMacAddress": r["StartMacAddress"]}
        for r in ranges
    ]
    first_mac = ranges[0]["StartMacAddress"] if ranges else ""
    kind = doc.get("Type", "NAT")
    out: JsonObj = {
        "ActivityId": _guid(oid, "activity"),
        "AdditionalParams": {},
        "CurrentEndpointCount": endpoint_count,
        "Extensions": [
            {"Id": ext_id, "IsEnabled": enabled, "Name": name}
            for ext_id, enabled, name in _SWITCH_EXTENSIONS
        ],
        "Flags": doc.get("Flags", 0),
        "Health": _health(),
        "ID": oid.upper(),  # rule query.schema-v1: V1 network IDs are upper-case
        "IPv6": any(":" in s["AddressPrefix"] for s in _subnets(oid, doc)),
        "LayeredOn": _guid(oid, "switch"),
        "MacPools": mac_pools,
        "MaxConcurrentEndpoints": endpoint_count,
        "Name": doc["Name"],
        "Policies": [],
        "State": 1,
        "Subnets": _subnets(oid, doc),
        "TotalEndpoints": endpoint_count,
        "Type": kind,
        "Version": v1_version(version),
        "Resources": {
            "AdditionalParams": {},
            "AllocationOrder": 1,
            "Allocators": [_host_vnic(oid, doc["Name"], first_mac)],
            "CompartmentOperationTime": 0,
            "Flags": 0,
            "Health": _health(),
            "ID": _guid(oid, "resources"),
            "PortOperationTime": 0,
            "State": 1,
            "SwitchOperationTime": 0,
            "VfpOperationTime": 0,
            "parentId": _guid(oid, "parent"),
        },
    }
    if kind == "NAT":
        out["NatName"] = "NAT" + _guid(oid, "host-vnic-interface")
    dns = doc.get("Dns", {})
    if dns.get("Domain"):
        out["DNSSuffix"] = dns["Domain"]
    if dns.get("ServerList"):
        out["DNSServerList"] = ",".join(dns["ServerList"])
    return out


def _v1_policies(doc: JsonObj) -> list[JsonObj]:
    policies: list[JsonObj] = []
    for policy in doc.get("Policies", []):
        settings = policy.get("Settings", {})
        if policy["Type"] == "PortMapping" and settings:
            protocol = {6: "TCP", 17: "UDP"}.get(settings["Protocol"], "TCP")
            policies.append(
                {
                    "ExternalPort": settings["ExternalPort"],
                    "InternalPort": settings["InternalPort"],
                    "Protocol": protocol,
                    "Type": "NAT",
                }
            )
        elif policy["Type"] == "ProviderAddress" and settings.get("ProviderAddress"):
            policies.append({"PA": settings["ProviderAddress"], "Type": "PA"})
    return policies


def endpoint_to_v1(
    doc: JsonObj,
    network: JsonObj,
    namespace: str | None,
    version: tuple[int, int],
) -> JsonObj:
    """A stored V2 endpoint as real HNS's V1 ``HNSEndpoint`` answer."""
    oid = doc["ID"]
    remote = bool(doc.get("Flags", 0) & 1)
    policies = _v1_policies(doc)
    out: JsonObj = {
        "ActivityId": _guid(oid, "activity"),
        "AdditionalParams": {},
        "Flags": doc.get("Flags", 0),
        "ID": oid,
        "IsRemoteEndpoint": remote,
        "MacAddress": doc.get("MacAddress", ""),
        "Name": doc.get("Name", ""),
        "Policies": policies,
        "SharedContainers": [],
        "State": _ENDPOINT_ATTACHED if namespace else _ENDPOINT_CREATED,
        "Type": network.get("Type", "NAT"),
        "Version": v1_version(version),
        "VirtualNetwork": doc["HostComputeNetwork"],
        "VirtualNetworkName": network.get("Name", ""),
    }
    for config in doc.get("IpConfigurations", []):
        v6 = ":" in config["IpAddress"]
        out["IPv6Address" if v6 else "IPAddress"] = config["IpAddress"]
        out["IPv6PrefixLength" if v6 else "PrefixLength"] = config.get("PrefixLength", 0)
    for route in doc.get("Routes", []):
        hop = route.get("NextHop")
        if hop and str(route.get("DestinationPrefix", "")).endswith("/0"):
            out["GatewayAddressV6" if ":" in hop else "GatewayAddress"] = hop
    overhead = next(
        (
            p.get("Settings", {}).get("Overhead")
            for p in doc.get("Policies", [])
            if p["Type"] == "EncapOverhead"
        ),
        None,
    )
    if overhead is not None or network.get("Type") == "Overlay":
        out["EncapOverhead"] = overhead if overhead is not None else 50
    dns = doc.get("Dns", {})
    if dns.get("Domain"):
        out["DNSSuffix"] = dns["Domain"]
    if dns.get("ServerList"):
        out["DNSServerList"] = ",".join(dns["ServerList"])
    if namespace:
        out["Namespace"] = {"ID": namespace}
    allocators = []
    pa = next((p["PA"] for p in policies if p["Type"] == "PA"), None)
    if remote and pa is not None:
        allocators.append(
            {
                "AllocationOrder": 0,
                "CA": out.get("IPAddress", ""),
                "ID": _guid(oid, "vnet-policy"),
                "IsLocal": False,
                "IsPolicy": True,
                "PA": pa,
                "Tag": "VNET Policy",
                "Type": 3,
            }
        )
    out["Resources"] = {
        "AdditionalParams": {},
        "AllocationOrder": len(allocators),
        "Allocators": allocators,
        "CompartmentOperationTime": 0,
        "Flags": 0,
        "Health": _health(),
        "ID": _guid(oid, "activity"),
        "PortOperationTime": 0,
        "State": 1,
        "SwitchOperationTime": 0,
        "VfpOperationTime": 0,
        "parentId": _guid(doc["HostComputeNetwork"], "resources"),
    }
    return out
