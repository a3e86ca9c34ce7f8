"""The simulated host's nftables table: NAT, port mappings and the outside network's limits.

The chains never change; everything per network or per endpoint is an element of a set or map,
so attaching an endpoint only *adds* elements (cheap), and anything else rewrites the elements
from the state in one atomic transaction. How each HNS setting maps (``table inet hcnsim`` in
the host namespace):

* NAT network (``NAT``, ``ICS``): its subnets in ``nat_nets4/6``, masqueraded towards the
  outside; the outside cannot open connections into them.
* ``Internal``/``Private`` network: its subnets in ``isolated4/6``, cut off from the outside.
* ``PortMapping`` without ``VIP``: ``pm_any4/6``, protocol . host port -> endpoint address .
  internal port, on every host address; with ``VIP``: ``pm_vip4/6``, on that address only.
* ``OutBoundNAT``: ``Exceptions`` in ``nonat4/6`` (endpoint . prefix, never translated);
  without ``Destinations`` the endpoint is in ``obnat4/6`` (everything else masqueraded towards
  the outside), with them ``obnat_dst4/6`` holds endpoint . destination; ``VirtualIP`` in
  ``snat_vip4/6`` (that source address instead of the host's).
* Every network: ``hairpin4/6`` holds subnet . bridge, so a container reaching a port mapping of
  its own network is masqueraded and the replies come back through the host.
"""

from __future__ import annotations

import ipaddress

from .names import HOST_TABLE, HOST_UPLINK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .model import EndpointView, NetworkView

__all__ = ["SETS", "Elements", "endpoint_elements", "network_elements", "table_script"]

#: Every set and map of the table: name -> (keyword, type, flags).
SETS: dict[str, tuple[str, str, str]] = {}
for _v, _addr in ((4, "ipv4_addr"), (6, "ipv6_addr")):
    SETS.update({
        f"nat_nets{_v}": ("set", _addr, "interval; auto-merge"),
        f"isolated{_v}": ("set", _addr, "interval; auto-merge"),
        f"nonat{_v}": ("set", f"{_addr} . {_addr}", "interval"),
        f"obnat{_v}": ("set", _addr, ""),
        f"obnat_dst{_v}": ("set", f"{_addr} . {_addr}", "interval"),
        f"snat_vip{_v}": ("map", f"{_addr} : {_addr}", ""),
        f"pm_any{_v}": ("map", f"inet_proto . inet_service : {_addr} . inet_service", ""),
        f"pm_vip{_v}": ("map", f"{_addr} . inet_proto . inet_service : {_addr} . inet_service", ""),
        f"hairpin{_v}": ("set", f"{_addr} . ifname", "interval"),
    })  # fmt: skip

#: Set name -> element texts.
Elements = dict[str, list[str]]


def _chains() -> str:
    uplink = f'"{HOST_UPLINK}"'
    post = [
        "ct status dnat ip saddr . oifname @hairpin4 masquerade",
        "ct status dnat ip6 saddr . oifname @hairpin6 masquerade",
        f"oifname != {uplink} accept",
    ]
    forward = ["ct state established,related accept", "ct status dnat accept"]
    for v, ip in ((4, "ip"), (6, "ip6")):
        post.append(f"{ip} saddr . {ip} daddr @nonat{v} accept")
        post += [f"{ip} saddr @nat_nets{v} goto snat{v}", f"{ip} saddr @obnat{v} goto snat{v}",
                 f"{ip} saddr . {ip} daddr @obnat_dst{v} goto snat{v}"]  # fmt: skip
        forward += [
            f"iifname {uplink} {ip} daddr @nat_nets{v} drop",
            f"iifname {uplink} {ip} daddr @isolated{v} drop",
            f"oifname {uplink} {ip} saddr @isolated{v} drop",
        ]
    portmaps = []
    for v, ip in ((4, "ip"), (6, "ip6")):
        portmaps += [
            f"dnat {ip} to {ip} daddr . meta l4proto . th dport map @pm_vip{v}",
            f"fib daddr type local dnat {ip} to meta l4proto . th dport map @pm_any{v}",
        ]
    chains = {
        "portmaps": portmaps,
        "prerouting": ["type nat hook prerouting priority dstnat; policy accept;", "jump portmaps"],
        "output": ["type nat hook output priority -100; policy accept;", "jump portmaps"],
        "postrouting": ["type nat hook postrouting priority srcnat; policy accept;", *post],
        "snat4": ["snat ip to ip saddr map @snat_vip4", "masquerade"],
        "snat6": ["snat ip6 to ip6 saddr map @snat_vip6", "masquerade"],
        "forward": ["type filter hook forward priority filter; policy accept;", *forward],
    }
    out = []
    for name, body in chains.items():
        out += [f"\tchain {name} {{", *(f"\t\t{line}" for line in body), "\t}"]
    return "\n".join(out)


def table_script() -> str:
    """The table with its sets, maps and chains, all empty of elements."""
    lines = [f"table inet {HOST_TABLE} {{"]
    for name, (keyword, kind, flags) in SETS.items():
        extra = f" flags {flags};" if flags else ""
        lines.append(f"\t{keyword} {name} {{ type {kind};{extra} }}")
    return "\n".join(lines) + "\n" + _chains() + "\n}\n"


def _add(elements: Elements, name: str, element: str) -> None:
    bucket = elements.setdefault(name, [])
    if element not in bucket:
        bucket.append(element)


def network_elements(networks: Iterable[NetworkView]) -> Elements:
    """The elements networks put into the table."""
    elements: Elements = {}
    for network in networks:
        target = {"nat": "nat_nets", "isolated": "isolated"}.get(network.mode)
        if target:
            for subnet in network.subnets:
                _add(elements, f"{target}{subnet.version}", str(subnet))
        for subnet in network.subnets:
            _add(elements, f"hairpin{subnet.version}", f'{subnet} . "{network.bridge}"')
    return elements


def endpoint_elements(endpoint: EndpointView) -> Elements:
    """The elements an attached endpoint puts into the table."""
    elements: Elements = {}
    for mapping in endpoint.port_mappings:
        target = endpoint.address(mapping.family)
        if target is None:
            continue  # a mapping of a family the endpoint has no address of leads nowhere
        key = f"{mapping.protocol_name} . {mapping.external}"
        value = f"{target} . {mapping.internal}"
        if mapping.vip is not None:
            _add(elements, f"pm_vip{mapping.family}", f"{mapping.vip} . {key} : {value}")
        else:
            _add(elements, f"pm_any{mapping.family}", f"{key} : {value}")
    for interface in endpoint.addresses:
        source, v = interface.ip, interface.version
        exceptions = [
            p for policy in endpoint.outbound for p in policy.exceptions if p.version == v
        ]
        for prefix in ipaddress.collapse_addresses(exceptions):  # type: ignore[type-var]
            _add(elements, f"nonat{v}", f"{source} . {prefix}")
        destinations = []
        for policy in endpoint.outbound:
            if policy.destinations:
                destinations += [p for p in policy.destinations if p.version == v]
            else:
                _add(elements, f"obnat{v}", str(source))
        for prefix in ipaddress.collapse_addresses(destinations):  # type: ignore[type-var]
            _add(elements, f"obnat_dst{v}", f"{source} . {prefix}")
        vip = next(
            (p.virtual_ip for p in endpoint.outbound if p.virtual_ip and p.virtual_ip.version == v),
            None,
        )
        if vip is not None:
            _add(elements, f"snat_vip{v}", f"{source} : {vip}")
    return elements


def merge(*parts: Elements) -> Elements:
    """Several element collections as one."""
    out: Elements = {}
    for part in parts:
        for name, items in part.items():
            for item in items:
                _add(out, name, item)
    return out


def add_script(elements: Elements) -> str:
    """Add ``elements`` to the table (only additions: the cheap kind of nftables change)."""
    return "".join(
        f"add element inet {HOST_TABLE} {name} {{ {', '.join(items)} }}\n"
        for name, items in elements.items()
        if items
    )


def replace_script(elements: Elements) -> str:
    """Make the table's sets and maps hold exactly ``elements``, atomically."""
    flush = "".join(f"flush {SETS[name][0]} inet {HOST_TABLE} {name}\n" for name in SETS)
    return flush + add_script(elements)


def rebuild_script(elements: Elements) -> str:
    """Recreate the whole table (chains included) holding exactly ``elements``."""
    head = f"add table inet {HOST_TABLE}\ndelete table inet {HOST_TABLE}\n"
    return head + table_script() + add_script(elements)
