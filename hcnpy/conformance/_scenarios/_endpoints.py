"""Scenarios of endpoint rules: networks, addresses, MACs, routes, remote endpoints, V1."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from ... import jsonkeys
from ...guid import guid, new_guid
from .._outcome import OK, Parts, then
from .._probe import ENDPOINT, LOAD_BALANCER, NAMESPACE, NETWORK, Net, Probe, query_text
from .._registry import scenario
from ._common import (
    attach,
    endpoint,
    endpoint_outcome,
    endpoint_request,
    load_balancer,
    namespace,
    nat,
    nat_doc,
    port_mapping,
    subnet_doc,
    try_endpoint,
)
from ._networks import mac_pool, mac_spelling, mac_value

REMOTE = 1  # Endpoint Flags bit of a remote endpoint


def static_ip(net: Net, address: str, length: int | None = None) -> list[dict[str, Any]]:
    """``IpConfigurations`` holding one address (the subnet's length unless given)."""
    return [{"IpAddress": address, "PrefixLength": length or net.prefix.prefixlen}]


def format_mac(value: int, separator: str = "-") -> str:
    """A 48-bit MAC as six upper-case hex pairs."""
    digits = f"{value:012X}"
    return separator.join(digits[i : i + 2] for i in range(0, 12, 2))


def pool_mac(p: Probe, net: Net, offset: int) -> int:
    """An address of ``net``'s MacPool, ``offset`` from its start (HNS hands out few)."""
    ranges = mac_pool(p.props(NETWORK, net.id))
    start = mac_value(ranges[0][0]) if ranges else None
    end = mac_value(ranges[0][1]) if ranges else None
    if start is None or end is None:
        return 0x02155DF00000 + offset  # a locally administered address as a fallback
    return start + min(offset, end - start)


def addresses_of(props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """An endpoint's IpConfigurations."""
    configs = jsonkeys.get(props, "IpConfigurations") or []
    return [c for c in configs if isinstance(c, Mapping)]


@scenario(
    "endpoint.network.required",
    lambda x: {"create under the handle of a deleted network": x.fails()},
)
def endpoint_network_required(p: Probe) -> Parts:
    """An endpoint created with a network handle whose network was deleted since."""
    net = nat(p)
    handle = p.open(NETWORK, net.id)
    p.delete(NETWORK, net.id)
    doc = {"SchemaVersion": {"Major": 2, "Minor": 0}, "Name": p.name()}
    return {
        "create under the handle of a deleted network": p.attempt_create(
            ENDPOINT, doc, network=handle
        )
    }


@scenario(
    "endpoint.network.mismatch",
    lambda x: {"HostComputeNetwork naming another network": x.fails()},
)
def endpoint_network_mismatch(p: Probe) -> Parts:
    """An endpoint created under one network's handle naming another network."""
    first, other = nat(p), nat(p)
    doc = {"Name": p.name(), "HostComputeNetwork": other.id}
    return {"HostComputeNetwork naming another network": try_endpoint(p, first, doc)}


@scenario(
    "endpoint.namespace.read-only",
    lambda x: {"create with HostComputeNamespace": OK,
               "properties before attaching": "no HostComputeNamespace",
               "properties after attaching": "the namespace attached to"},
)  # fmt: skip
def endpoint_namespace_read_only(p: Probe) -> Parts:
    """An endpoint created naming a namespace it is not in, then attached to another."""
    net = nat(p)
    outcome, ep = endpoint_outcome(p, net, HostComputeNamespace=new_guid())
    if ep is None:
        return {"create with HostComputeNamespace": outcome,
                "properties before attaching": "not reached",
                "properties after attaching": "not reached"}  # fmt: skip
    before = jsonkeys.get(p.props(ENDPOINT, ep), "HostComputeNamespace")
    ns = namespace(p)
    attach(p, ns, ep)
    after = jsonkeys.get(p.props(ENDPOINT, ep), "HostComputeNamespace")
    return {
        "create with HostComputeNamespace": outcome,
        "properties before attaching": "no HostComputeNamespace" if not before else "a namespace",
        "properties after attaching": "the namespace attached to"
        if after and guid(str(after)) == guid(ns)
        else f"{'another namespace' if after else 'no HostComputeNamespace'}",
    }


@scenario(
    "endpoint.ip.invalid",
    lambda x: {"IpAddress that is a word": x.fails(), "an address outside every subnet": x.fails()},
)
def endpoint_ip_invalid(p: Probe) -> Parts:
    """Static addresses that are not an address, or lie outside the network's subnets."""
    net = nat(p)
    return {
        "IpAddress that is a word": try_endpoint(p, net, {"IpConfigurations": static_ip(net, "x")}),
        "an address outside every subnet": try_endpoint(
            p, net, {"IpConfigurations": static_ip(net, "203.0.113.7")}
        ),
    }


@scenario(
    "endpoint.ip.reserved",
    lambda x: {"the subnet's network address": x.fails(), "its broadcast address": x.fails(),
               "its gateway": x.fails(), "the gateway, with DoNotReserveGatewayAddress": OK},
)  # fmt: skip
def endpoint_ip_reserved(p: Probe) -> Parts:
    """Static addresses a subnet reserves, and its gateway when the subnet frees it."""
    net = nat(p)

    def attempt(target: Net, address: str) -> str:
        return try_endpoint(p, target, {"IpConfigurations": static_ip(target, address)})

    free = p.subnet()
    gateway = str(free.network_address + 1)
    freed = p.create(NETWORK, nat_doc(p.name(), [subnet_doc(free, gateway, Flags=1)]))
    return {
        "the subnet's network address": attempt(net, str(net.prefix.network_address)),
        "its broadcast address": attempt(net, str(net.prefix.broadcast_address)),
        "its gateway": attempt(net, net.gateway or ""),
        "the gateway, with DoNotReserveGatewayAddress": attempt(Net(freed, free, gateway), gateway),
    }


@scenario("endpoint.ip.in-use", lambda x: {"the address of another local endpoint": x.fails()})
def endpoint_ip_in_use(p: Probe) -> Parts:
    """Two local endpoints with one static address."""
    net = nat(p)
    endpoint(p, net, IpConfigurations=static_ip(net, net.host(5)))
    taken = {"IpConfigurations": static_ip(net, net.host(5))}
    return {"the address of another local endpoint": try_endpoint(p, net, taken)}


@scenario("endpoint.ip.remote-shares", lambda x: {"a remote endpoint with that address": OK})
def endpoint_ip_remote_shares(p: Probe) -> Parts:
    """A remote endpoint (Flags 1) with the address of a local one."""
    net = nat(p)
    endpoint(p, net, IpConfigurations=static_ip(net, net.host(5)))
    remote = {"Flags": REMOTE, "IpConfigurations": static_ip(net, net.host(5))}
    return {"a remote endpoint with that address": try_endpoint(p, net, remote)}


@scenario(
    "endpoint.ip.assigned",
    lambda x: {"addresses": "one, IPv4", "the address": "in the subnet, not reserved",
               "PrefixLength": "the subnet's", "a second endpoint": "another address"},
)  # fmt: skip
def endpoint_ip_assigned(p: Probe) -> Parts:
    """Two endpoints created without addresses on a one-subnet network."""
    net = nat(p)
    first = addresses_of(p.props(ENDPOINT, endpoint(p, net)))
    second = addresses_of(p.props(ENDPOINT, endpoint(p, net)))
    if len(first) != 1:
        return {"addresses": f"{len(first)}", "the address": "not checked",
                "PrefixLength": "not checked", "a second endpoint": "not checked"}  # fmt: skip
    try:
        address = ipaddress.ip_address(str(jsonkeys.get(first[0], "IpAddress")))
    except ValueError:
        address = None
    reserved = {net.prefix.network_address, net.prefix.broadcast_address}
    if net.gateway:
        reserved.add(ipaddress.IPv4Address(net.gateway))
    if address is None:
        where = "not an address"
    elif address not in net.prefix:
        where = "outside the subnet"
    else:
        where = "in the subnet, reserved" if address in reserved else "in the subnet, not reserved"
    length = jsonkeys.get(first[0], "PrefixLength")
    other = [str(jsonkeys.get(c, "IpAddress")) for c in second]
    return {
        "addresses": f"one, IPv{address.version}" if address is not None else "one",
        "the address": where,
        "PrefixLength": "the subnet's" if length == net.prefix.prefixlen else f"{length!r}",
        "a second endpoint": "another address" if other and str(address) not in other else
        "the same address" if other else "no address",
    }  # fmt: skip


@scenario(
    "endpoint.ip.prefix-length",
    lambda x: {
        "the subnet's length": OK,
        "the host length (/32)": x.gated(x.rule.params["ranges"], "a /32 endpoint prefix"),
        "another length (/20)": x.fails(),
    },
)
def endpoint_ip_prefix_length(p: Probe) -> Parts:
    """Static addresses with the subnet's prefix length, /32 and /20."""
    net = nat(p)

    def attempt(index: int, length: int | None) -> str:
        return try_endpoint(p, net, {"IpConfigurations": static_ip(net, net.host(index), length)})

    return {
        "the subnet's length": attempt(5, None),
        "the host length (/32)": attempt(6, 32),
        "another length (/20)": attempt(7, 20),
    }


@scenario("endpoint.ip.exhausted", lambda x: {"once the subnet is full": x.fails()})
def endpoint_ip_exhausted(p: Probe) -> Parts:
    """Endpoints without addresses on a /30 until a create fails."""
    net = nat(p, prefix=30)
    for _ in range(4):
        outcome, created = endpoint_outcome(p, net)
        if created is None:
            return {"once the subnet is full": outcome}
    return {"once the subnet is full": "no failure after 4 endpoints"}


@scenario(
    "endpoint.mac.invalid",
    lambda x: {"MacAddress that is a word": x.fails(), "five hex pairs": x.fails()},
)
def endpoint_mac_invalid(p: Probe) -> Parts:
    """Endpoints with malformed MAC addresses."""
    net = nat(p)
    return {
        "MacAddress that is a word": try_endpoint(p, net, {"MacAddress": "not-a-mac"}),
        "five hex pairs": try_endpoint(p, net, {"MacAddress": "00-15-5D-00-00"}),
    }


@scenario("endpoint.mac.in-use", lambda x: {"the MAC of another endpoint": x.fails()})
def endpoint_mac_in_use(p: Probe) -> Parts:
    """Two endpoints with one MAC from the network's pool."""
    net = nat(p)
    mac = format_mac(pool_mac(p, net, 0xDEF))
    endpoint(p, net, MacAddress=mac)
    return {"the MAC of another endpoint": try_endpoint(p, net, {"MacAddress": mac})}


@scenario(
    "endpoint.mac.assigned",
    lambda x: {"MacAddress": "in the network's MacPool", "spelling": "upper-case hex with dashes"},
)
def endpoint_mac_assigned(p: Probe) -> Parts:
    """The MAC HNS gives an endpoint created without one."""
    net = nat(p)
    ranges = mac_pool(p.props(NETWORK, net.id))
    mac = str(jsonkeys.get(p.props(ENDPOINT, endpoint(p, net)), "MacAddress") or "")
    value = mac_value(mac)
    inside = value is not None and any(
        (mac_value(start) or 0) <= value <= (mac_value(end) or -1) for start, end in ranges
    )
    return {
        "MacAddress": "in the network's MacPool" if inside else "outside the network's MacPool",
        "spelling": mac_spelling(mac) if mac else "no MacAddress",
    }


@scenario(
    "endpoint.mac.echoed",
    lambda x: {"given in mixed case": "answered as sent",
               "picked by HNS": "upper-case hex with dashes"},
)  # fmt: skip
def endpoint_mac_echoed(p: Probe) -> Parts:
    """A MAC given in mixed case, and one HNS picks, read back."""
    net = nat(p)
    groups = format_mac(pool_mac(p, net, 0xABC)).split("-")
    mixed = "-".join(g.lower() if i in (2, 5) else g for i, g in enumerate(groups))
    given = str(jsonkeys.get(p.props(ENDPOINT, endpoint(p, net, MacAddress=mixed)), "MacAddress"))
    picked = str(jsonkeys.get(p.props(ENDPOINT, endpoint(p, net)), "MacAddress") or "")
    return {
        "given in mixed case": "answered as sent" if given == mixed else mac_spelling(given),
        "picked by HNS": mac_spelling(picked),
    }


@scenario(
    "endpoint.routes.default",
    lambda x: {"Routes": "0.0.0.0/0 via the subnet's gateway"},
)
def endpoint_routes_default(p: Probe) -> Parts:
    """The routes of an endpoint created without any."""
    net = nat(p)
    routes = jsonkeys.get(p.props(ENDPOINT, endpoint(p, net)), "Routes") or []
    found = [
        (str(jsonkeys.get(r, "DestinationPrefix")), str(jsonkeys.get(r, "NextHop")))
        for r in routes
        if isinstance(r, Mapping)
    ]
    if ("0.0.0.0/0", net.gateway) in found:
        text = "0.0.0.0/0 via the subnet's gateway"
    elif found:
        text = f"{len(found)} routes, none 0.0.0.0/0 via the gateway"
    else:
        text = "none"
    return {"Routes": text}


def _port_request(p: Probe) -> dict[str, Any]:
    settings = {"PortId": new_guid(), "VirtualNicName": p.name(), "VirtualMachineId": new_guid()}
    return {"ResourceType": "Port", "RequestType": "Add", "Settings": settings}


@scenario(
    "endpoint.remote.no-namespace",
    lambda x: {"attach to a namespace": x.fails(), "a Port request": x.fails()},
)
def endpoint_remote_no_namespace(p: Probe) -> Parts:
    """A remote endpoint attached to a namespace, and given a switch port."""
    net = nat(p)
    remote = endpoint(p, net, Flags=REMOTE, IpConfigurations=static_ip(net, net.host(5)))
    ns = namespace(p)
    return {
        "attach to a namespace": p.attempt_modify(NAMESPACE, ns, endpoint_request(remote)),
        "a Port request": p.attempt_modify(ENDPOINT, remote, _port_request(p)),
    }


_ENDPOINT_STABLE = ("HostComputeNetwork", "HostComputeNamespace", "Policies", "IpConfigurations",
                    "Dns", "Routes", "MacAddress", "Flags")  # fmt: skip


def _endpoint_state(p: Probe, ep: str) -> dict[str, Any]:
    props = p.props(ENDPOINT, ep)
    return {key: jsonkeys.get(props, key) for key in _ENDPOINT_STABLE}


@scenario("endpoint.modify.port", lambda x: {"a Port request": "S_OK, properties unchanged"})
def endpoint_modify_port(p: Probe) -> Parts:
    """A Port request (PortId, VirtualNicName, VirtualMachineId) on a local endpoint."""
    ep = endpoint(p, nat(p))
    before = _endpoint_state(p, ep)
    outcome = p.attempt_modify(ENDPOINT, ep, _port_request(p))
    after = _endpoint_state(p, ep)
    note = "properties unchanged" if before == after else "properties changed"
    return {"a Port request": then(outcome, note)}


def _lists(ids: object, object_id: str) -> bool:
    wanted = guid(object_id)
    for item in ids if isinstance(ids, list) else []:
        try:
            if guid(str(item)) == wanted:
                return True
        except ValueError:
            continue
    return False


@scenario(
    "endpoint.delete.releases",
    lambda x: {"delete (attached, in a load balancer)": OK, "its address": "free again",
               "its MAC": "free again", "its host port": "free again",
               "its namespace": "no longer lists it", "the load balancer": "no longer lists it"},
)  # fmt: skip
def endpoint_delete_releases(p: Probe) -> Parts:
    """Delete an endpoint that holds an address, a MAC, a host port, a namespace and an LB."""
    net = nat(p)
    address, port = net.host(5), p.port()
    mac = format_mac(pool_mac(p, net, 0xBEE))
    held = {"IpConfigurations": static_ip(net, address), "MacAddress": mac,
            "Policies": [port_mapping(port)]}  # fmt: skip
    ep = endpoint(p, net, **held)
    ns = namespace(p)
    attach(p, ns, ep)
    lb = p.create(LOAD_BALANCER, load_balancer(p, [ep]))
    deleted = p.attempt_delete(ENDPOINT, ep)
    if deleted != OK:
        parts = dict.fromkeys(("its address", "its MAC", "its host port", "its namespace",
                               "the load balancer"), "not reached")  # fmt: skip
        return {"delete (attached, in a load balancer)": deleted, **parts}
    resources = jsonkeys.get(p.props(NAMESPACE, ns), "Resources") or []
    in_namespace = [
        jsonkeys.get(jsonkeys.get(r, "Data") or {}, "ID")
        for r in resources
        if isinstance(r, Mapping)
    ]
    backends = jsonkeys.get(p.props(LOAD_BALANCER, lb), "HostComputeEndpoints")

    def again(**fields: Any) -> str:
        outcome = try_endpoint(p, net, {"Name": p.name(), **fields})
        return "free again" if outcome == OK else f"still taken: {outcome}"

    return {
        "delete (attached, in a load balancer)": deleted,
        "its address": again(IpConfigurations=static_ip(net, address)),
        "its MAC": again(MacAddress=mac),
        "its host port": again(Policies=[port_mapping(port)]),
        "its namespace": "still lists it" if _lists(in_namespace, ep) else "no longer lists it",
        "the load balancer": "still lists it" if _lists(backends, ep) else "no longer lists it",
    }


@scenario(
    "endpoint.v1-create",
    lambda x: {"create with a V1 HNSEndpoint document": "S_OK, its IPAddress in IpConfigurations"},
)
def endpoint_v1_create(p: Probe) -> Parts:
    """HcnCreateEndpoint with a V1 document (VirtualNetwork, IPAddress)."""
    net = nat(p)
    address = net.host(5)
    doc = {"Name": p.name(), "VirtualNetwork": net.id, "IPAddress": address}
    outcome, created = p.create_outcome(ENDPOINT, doc, network=net.id)
    note = ""
    if created is not None:
        found = [
            str(jsonkeys.get(c, "IpAddress")) for c in addresses_of(p.props(ENDPOINT, created))
        ]
        note = "its IPAddress in IpConfigurations" if found == [address] else "another address"
    return {"create with a V1 HNSEndpoint document": then(outcome, note)}


@scenario(
    "endpoint.v1-state",
    lambda x: {"before attaching": "State 1", "after attaching": "State 2"},
)
def endpoint_v1_state(p: Probe) -> Parts:
    """The V1 State of an endpoint before and after it joins a namespace."""
    ep = endpoint(p, nat(p))
    v1 = query_text(1, 0)
    before = jsonkeys.get(p.props(ENDPOINT, ep, v1), "State")
    attach(p, namespace(p), ep)
    after = jsonkeys.get(p.props(ENDPOINT, ep, v1), "State")
    return {"before attaching": f"State {before}", "after attaching": f"State {after}"}


@scenario(
    "syntax.mac-address",
    lambda x: {"MacAddress with colons": OK, "MacAddress with dashes": OK},
)
def syntax_mac_address(p: Probe) -> Parts:
    """Endpoints with pool MACs written with colons and with dashes."""
    net = nat(p)
    colons = format_mac(pool_mac(p, net, 0xCA1), ":")
    dashes = format_mac(pool_mac(p, net, 0xCA2))
    return {
        "MacAddress with colons": try_endpoint(p, net, {"MacAddress": colons}),
        "MacAddress with dashes": try_endpoint(p, net, {"MacAddress": dashes}),
    }
