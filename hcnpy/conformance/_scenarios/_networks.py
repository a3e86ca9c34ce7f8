"""Scenarios of network, subnet and route rules."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

from ... import jsonkeys
from ...guid import new_guid
from ...sim import rules as R
from .._outcome import OK, Parts, then
from .._probe import NETWORK, Probe, query_text
from .._registry import Expect, scenario
from ._common import endpoint, nat, nat_doc, policy, policy_request, subnet_doc, try_endpoint

#: How HNS writes a MAC address.
MAC_SPELLING = re.compile(r"^[0-9A-F]{2}(-[0-9A-F]{2}){5}$")
_BOGUS_TYPE = "NotANetworkType"


def mac_value(text: str) -> int | None:
    """A MAC written with dashes or colons, as an integer."""
    digits = text.replace("-", "").replace(":", "")
    try:
        return int(digits, 16) if len(digits) == 12 else None
    except ValueError:
        return None


def mac_spelling(text: str) -> str:
    """How a MAC is written: ``upper-case hex with dashes`` or what differs."""
    if MAC_SPELLING.match(text):
        return "upper-case hex with dashes"
    return "another spelling" if mac_value(text) is not None else "not a MAC address"


def subnets_of(props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every subnet of a V2 network's properties."""
    found = []
    for ipam in jsonkeys.get(props, "Ipams") or []:
        for subnet in (jsonkeys.get(ipam, "Subnets") or []) if isinstance(ipam, Mapping) else []:
            if isinstance(subnet, Mapping):
                found.append(subnet)
    return found


def mac_pool(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The network's MacPool ranges as ``(start, end)`` text."""
    pool = jsonkeys.get(props, "MacPool")
    ranges = jsonkeys.get(pool, "Ranges") if isinstance(pool, Mapping) else None
    return [
        (str(jsonkeys.get(r, "StartMacAddress")), str(jsonkeys.get(r, "EndMacAddress")))
        for r in ranges or []
        if isinstance(r, Mapping)
    ]


@scenario(
    "network.name.required",
    lambda x: {"no Name": x.fails(), "a blank Name": x.fails()},
)
def network_name_required(p: Probe) -> Parts:
    """Networks without a name and with a blank one."""
    return {
        "no Name": p.attempt_create(NETWORK, nat_doc(None, [subnet_doc(p.subnet())])),
        "a blank Name": p.attempt_create(NETWORK, nat_doc("   ", [subnet_doc(p.subnet())])),
    }


@scenario(
    "network.name.unique",
    lambda x: {"the same name": x.fails(), "the same name in upper case": x.fails()},
)
def network_name_unique(p: Probe) -> Parts:
    """A second network with the first one's name, as is and upper-cased."""
    name = p.name()
    p.create(NETWORK, nat_doc(name, [subnet_doc(p.subnet())]))
    return {
        "the same name": p.attempt_create(NETWORK, nat_doc(name, [subnet_doc(p.subnet())])),
        "the same name in upper case": p.attempt_create(
            NETWORK, nat_doc(name.upper(), [subnet_doc(p.subnet())])
        ),
    }


def _lower_type(x: Expect) -> str:
    types: tuple[str, ...] = x.rule.params["types"]
    assert _BOGUS_TYPE not in types
    return types[0].lower()


@scenario(
    "network.type.enum",
    lambda x: {
        f"Type {_BOGUS_TYPE!r}": x.fails(),
        "Type 0 (a number)": x.fails(),
        f"Type {_lower_type(x)!r} (lower case)": OK,
    },
)
def network_type_enum(p: Probe) -> Parts:
    """Networks with an unknown type, a numeric type and a known one in lower case."""

    def attempt(value: object) -> str:
        return p.attempt_create(NETWORK, nat_doc(p.name(), [subnet_doc(p.subnet())], Type=value))

    return {
        f"Type {_BOGUS_TYPE!r}": attempt(_BOGUS_TYPE),
        "Type 0 (a number)": attempt(0),
        "Type 'nat' (lower case)": attempt("nat"),
    }


@scenario(
    "network.type.nat-omitted",
    lambda x: {"V2 Type": "left out", "V1 Type": "nat (any case)"},
)
def network_type_nat_omitted(p: Probe) -> Parts:
    """A network created without Type, queried as V2 and V1."""
    doc = nat_doc(p.name(), [subnet_doc(p.subnet())])
    del doc["Type"]
    network_id = p.create(NETWORK, doc)
    v2 = jsonkeys.get(p.props(NETWORK, network_id), "Type")
    v1 = jsonkeys.get(p.props(NETWORK, network_id, query_text(1, 0)), "Type")
    return {
        "V2 Type": "left out" if v2 is None else f"{v2!r}",
        "V1 Type": "nat (any case)" if str(v1).lower() == "nat" else f"{v1!r}",
    }


@scenario(
    "network.flags.disable-host-port",
    lambda x: {
        f"Flags {x.rule.params['flag']} (DisableHostPort)": x.gated(
            x.rule.params["ranges"], "network flag DisableHostPort"
        )
    },
)
def network_flags_disable_host_port(p: Probe) -> Parts:
    """A NAT network with flag DisableHostPort."""
    flag: int = R.NETWORK_FLAG_DISABLE_HOST_PORT.params["flag"]
    doc = nat_doc(p.name(), [subnet_doc(p.subnet())], Flags=flag)
    return {f"Flags {flag} (DisableHostPort)": p.attempt_create(NETWORK, doc)}


@scenario(
    "network.nat.default-subnet",
    lambda x: {
        "subnet": f"a /{x.rule.params['prefix']} inside {x.rule.params['pool']}",
        "default route": "via the subnet's first address (.1)",
    },
)
def network_nat_default_subnet(p: Probe) -> Parts:
    """A NAT network created without subnets: the one HNS picks."""
    network_id = p.create(NETWORK, nat_doc(p.name()))
    subnets = subnets_of(p.props(NETWORK, network_id))
    if len(subnets) != 1:
        return {"subnet": f"{len(subnets)} subnets", "default route": "not checked"}
    prefix = str(jsonkeys.get(subnets[0], "IpAddressPrefix") or "")
    try:
        net = ipaddress.ip_network(prefix)
    except ValueError:
        return {"subnet": f"not a prefix: {prefix!r}", "default route": "not checked"}
    pool = ipaddress.IPv4Network(R.NETWORK_NAT_DEFAULT_SUBNET.params["pool"])
    inside = isinstance(net, ipaddress.IPv4Network) and net.subnet_of(pool)
    where = f"{'inside' if inside else 'outside'} {pool}"
    hops = [
        str(jsonkeys.get(route, "NextHop"))
        for route in jsonkeys.get(subnets[0], "Routes") or []
        if isinstance(route, Mapping)
        and str(jsonkeys.get(route, "DestinationPrefix")).endswith("/0")
    ]
    if not hops:
        route = "none"
    elif hops[0] == str(net.network_address + 1):
        route = "via the subnet's first address (.1)"
    else:
        route = "via another address"
    return {"subnet": f"a /{net.prefixlen} {where}", "default route": route}


def _mac_pool_expect(x: Expect) -> Parts:
    block: int = x.rule.params["block"]
    oui = f"{x.rule.params['base'] >> 24:06X}"
    return {
        "ranges": "1",
        "range": f"{block} addresses from a multiple of {block}",
        "vendor prefix": "-".join(oui[i : i + 2] for i in (0, 2, 4)),
        "spelling": "upper-case hex with dashes",
    }


@scenario("network.mac-pool.default", _mac_pool_expect)
def network_mac_pool_default(p: Probe) -> Parts:
    """The MacPool HNS gives a network created without one."""
    network_id = p.create(NETWORK, nat_doc(p.name(), [subnet_doc(p.subnet())]))
    ranges = mac_pool(p.props(NETWORK, network_id))
    if len(ranges) != 1:
        return {"ranges": str(len(ranges)), "range": "not checked", "vendor prefix": "not checked",
                "spelling": "not checked"}  # fmt: skip
    start_text, end_text = ranges[0]
    start, end = mac_value(start_text), mac_value(end_text)
    if start is None or end is None:
        return {"ranges": "1", "range": "not MAC addresses", "vendor prefix": "not checked",
                "spelling": "not checked"}  # fmt: skip
    size = end - start + 1
    block: int = R.NETWORK_MAC_POOL_DEFAULT.params["block"]
    aligned = f"a multiple of {block}" if start % block == 0 else f"not a multiple of {block}"
    oui = f"{start >> 24:06X}"
    spellings = {mac_spelling(start_text), mac_spelling(end_text)}
    return {
        "ranges": "1",
        "range": f"{size} addresses from {aligned}",
        "vendor prefix": "-".join(oui[i : i + 2] for i in (0, 2, 4)),
        "spelling": " and ".join(sorted(spellings)),
    }


@scenario(
    "network.mac-pool.invalid",
    lambda x: {"a malformed StartMacAddress": x.fails(), "start after end": x.fails()},
)
def network_mac_pool_invalid(p: Probe) -> Parts:
    """MacPool ranges with a malformed address and with the start after the end."""

    def attempt(start: str, end: str) -> str:
        pool = {"Ranges": [{"StartMacAddress": start, "EndMacAddress": end}]}
        return p.attempt_create(NETWORK, nat_doc(p.name(), [subnet_doc(p.subnet())], MacPool=pool))

    return {
        "a malformed StartMacAddress": attempt("00-15-5D-ZZ-00-00", "00-15-5D-F0-0F-FF"),
        "start after end": attempt("00-15-5D-F0-0F-FF", "00-15-5D-F0-00-00"),
    }


@scenario(
    "subnet.prefix.invalid",
    lambda x: {"an address without a length": x.fails(), "a word": x.fails(),
               "length 33": x.fails()},
)  # fmt: skip
def subnet_prefix_invalid(p: Probe) -> Parts:
    """Subnets whose IpAddressPrefix is not a prefix."""
    base = p.subnet().network_address

    def attempt(prefix: str) -> str:
        return p.attempt_create(NETWORK, nat_doc(p.name(), [{"IpAddressPrefix": prefix}]))

    return {
        "an address without a length": attempt(str(base)),
        "a word": attempt("not-a-prefix"),
        "length 33": attempt(f"{base}/33"),
    }


@scenario("subnet.prefix.host-bits", lambda x: {"a prefix with host bits set": x.fails()})
def subnet_prefix_host_bits(p: Probe) -> Parts:
    """A subnet like 172.22.16.0/16: host bits set (containers-toolkit#24)."""
    net = p.subnet()
    loose = f"{net.network_address + 8}/{net.prefixlen}"
    doc = nat_doc(p.name(), [subnet_doc(loose, str(net.network_address + 1))])
    return {"a prefix with host bits set": p.attempt_create(NETWORK, doc)}


@scenario("subnet.overlap", lambda x: {"two overlapping subnets": x.fails()})
def subnet_overlap(p: Probe) -> Parts:
    """A network with a subnet and a subnet inside it."""
    net = p.subnet()
    inner = next(net.subnets(new_prefix=28))
    doc = nat_doc(p.name(), [subnet_doc(net), subnet_doc(inner, None)])
    return {"two overlapping subnets": p.attempt_create(NETWORK, doc)}


@scenario(
    "subnet.ipv6-gate",
    lambda x: {"an IPv4 and an IPv6 subnet": x.gated(x.rule.params["ranges"], "an IPv6 subnet")},
)
def subnet_ipv6_gate(p: Probe) -> Parts:
    """A dual-stack NAT network (an IPv4 and an IPv6 /64 subnet)."""
    doc = nat_doc(p.name(), [subnet_doc(p.subnet()), subnet_doc(p.subnet6())])
    return {"an IPv4 and an IPv6 subnet": p.attempt_create(NETWORK, doc)}


@scenario(
    "subnet.routes-optional",
    lambda x: {"a subnet without Routes": OK, "a subnet with Routes []": OK},
)
def subnet_routes_optional(p: Probe) -> Parts:
    """Subnets with a prefix and no default route."""
    bare = nat_doc(p.name(), [subnet_doc(p.subnet(), None)])
    empty = nat_doc(p.name(), [subnet_doc(p.subnet(), None, Routes=[])])
    return {
        "a subnet without Routes": p.attempt_create(NETWORK, bare),
        "a subnet with Routes []": p.attempt_create(NETWORK, empty),
    }


def _bad_route_parts(p: Probe, route: Callable[[str], dict[str, str]]) -> Parts:
    prefix = p.subnet()
    subnet = subnet_doc(prefix, None, Routes=[route(str(prefix.network_address + 1))])
    net = nat(p)
    doc = {"Name": p.name(), "Routes": [route(net.gateway or "")]}
    return {
        "a network subnet's route": p.attempt_create(NETWORK, nat_doc(p.name(), [subnet])),
        "an endpoint's route": try_endpoint(p, net, doc),
    }


@scenario(
    "route.next-hop.invalid",
    lambda x: {"a network subnet's route": x.fails(), "an endpoint's route": x.fails()},
)
def route_next_hop_invalid(p: Probe) -> Parts:
    """Routes whose NextHop is a word."""
    return _bad_route_parts(
        p, lambda gw: {"NextHop": "not-an-ip", "DestinationPrefix": "0.0.0.0/0"}
    )


@scenario(
    "route.prefix.invalid",
    lambda x: {"a network subnet's route": x.fails(), "an endpoint's route": x.fails()},
)
def route_prefix_invalid(p: Probe) -> Parts:
    """Routes whose DestinationPrefix is a word."""
    return _bad_route_parts(p, lambda gw: {"NextHop": gw, "DestinationPrefix": "not-a-prefix"})


@scenario(
    "network.delete.has-endpoints",
    lambda x: {"delete": x.fails(), "the network afterwards": "still there"},
)
def network_delete_has_endpoints(p: Probe) -> Parts:
    """Delete a network that still has an endpoint."""
    net = nat(p)
    endpoint(p, net)
    outcome = p.attempt_delete(NETWORK, net.id)
    still = p.attempt_open(NETWORK, net.id)
    return {
        "delete": outcome,
        "the network afterwards": "still there" if still == OK else f"gone ({still})",
    }


_STABLE = ("Name", "Type", "Ipams", "Policies", "Dns", "MacPool", "Flags")


def _stable(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: jsonkeys.get(props, key) for key in _STABLE}


@scenario(
    "network.modify",
    lambda x: {
        "Policy Add (AutomaticDNS)": "S_OK, listed",
        "DNS Update": "S_OK, ServerList replaced",
        "DNS Remove": "S_OK, Dns cleared",
        "Extension Update": "S_OK, nothing changed",
    },
)
def network_modify(p: Probe) -> Parts:
    """Network modify requests of each resource type the rule names."""
    net = nat(p)
    add = p.attempt_modify(
        NETWORK, net.id, policy_request("Add", policy("AutomaticDNS", {"Enable": True}))
    )
    types = [
        jsonkeys.get(x, "Type") for x in jsonkeys.get(p.props(NETWORK, net.id), "Policies") or []
    ]
    server = net.host(10)
    update = {"ResourceType": "DNS", "RequestType": "Update",
              "Settings": {"ServerList": [server], "Domain": "conformance.test"}}  # fmt: skip
    updated = p.attempt_modify(NETWORK, net.id, update)
    dns = jsonkeys.get(p.props(NETWORK, net.id), "Dns") or {}
    servers = jsonkeys.get(dns, "ServerList") if isinstance(dns, Mapping) else None
    remove = {"ResourceType": "DNS", "RequestType": "Remove", "Settings": {}}
    removed = p.attempt_modify(NETWORK, net.id, remove)
    dns = jsonkeys.get(p.props(NETWORK, net.id), "Dns") or {}
    cleared = not isinstance(dns, Mapping) or not any(dns.values())
    before = _stable(p.props(NETWORK, net.id))
    extension = {"ResourceType": "Extension", "RequestType": "Update",
                 "Settings": {"Id": new_guid(), "IsEnabled": False}}  # fmt: skip
    extended = p.attempt_modify(NETWORK, net.id, extension)
    after = _stable(p.props(NETWORK, net.id))
    replaced = "replaced" if servers == [server] else "not replaced"
    return {
        "Policy Add (AutomaticDNS)": then(add, "listed" if "AutomaticDNS" in types else "missing"),
        "DNS Update": then(updated, f"ServerList {replaced}"),
        "DNS Remove": then(removed, "Dns cleared" if cleared else "Dns kept"),
        "Extension Update": then(extended, "nothing changed" if before == after else "changed"),
    }


@scenario(
    "network.v1-create",
    lambda x: {"create with a V1 HNSNetwork document": "S_OK, its subnet as a V2 Ipams subnet"},
)
def network_v1_create(p: Probe) -> Parts:
    """HcnCreateNetwork with a V1 document (Subnets with AddressPrefix and GatewayAddress)."""
    net = p.subnet()
    doc = {
        "Name": p.name(),
        "Type": "nat",
        "Subnets": [{"AddressPrefix": str(net), "GatewayAddress": str(net.network_address + 1)}],
    }
    outcome, created = p.create_outcome(NETWORK, doc)
    note = ""
    if created is not None:
        prefixes = [
            str(jsonkeys.get(s, "IpAddressPrefix")) for s in subnets_of(p.props(NETWORK, created))
        ]
        note = (
            "its subnet as a V2 Ipams subnet" if prefixes == [str(net)] else "no matching V2 subnet"
        )
    return {"create with a V1 HNSNetwork document": then(outcome, note)}
