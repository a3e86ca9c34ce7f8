"""HNS ACL policies as nftables rules, with HNS's semantics (``docs/hcnpy/datapath.md``).

* Once an endpoint has any ACL policy it is **default-deny** in both directions: what no rule
  allows is dropped.
* Rules are tried by ``Priority``, lowest number first; the first rule that matches decides.
  At equal priority ``Block`` is tried before ``Allow``, then the policies' order.
* ``Direction`` ``In`` is traffic to the endpoint, ``Out`` traffic from it. ``Local*`` fields
  are the endpoint's side, ``Remote*`` the peer's.
* ``Protocols`` is a comma-separated list of IP protocol numbers; ``256`` (or nothing) is any.
  Ports (``80``, ``80,443``, ``8000-8080``) only match TCP and UDP.
* Rules are stateful: replies of an allowed flow pass, and a missing ``Priority`` is 0.

:func:`decide` is the reference semantics in Python; :func:`table_script` renders the same
decisions as an nftables table in the endpoint's namespace, on its own interface only.
"""

from __future__ import annotations

import ipaddress

from . import names
from .errors import DatapathError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
    IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

__all__ = [
    "ANY_PROTOCOL",
    "AclRule",
    "Packet",
    "decide",
    "ordered",
    "parse_acls",
    "parse_ports",
    "parse_protocols",
    "remove_script",
    "rule_lines",
    "table_script",
]

#: ``Protocols`` value meaning every protocol.
ANY_PROTOCOL = 256
_PORT_PROTOCOLS = frozenset({6, 17})
_ACTIONS = {"allow": "Allow", "block": "Block", "pass": "Pass"}
_DIRECTIONS = {"in": "In", "out": "Out"}
# Neighbour discovery is below the ACL layer on Windows: never let default-deny break IPv6.
_NEIGHBOUR_DISCOVERY = (
    "icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, "
    "nd-neighbor-advert } accept"
)


def parse_protocols(raw: object, where: str) -> frozenset[int] | None:
    """``"6,17"`` -> ``{6, 17}``; ``""``, ``None`` or any entry ``256`` -> ``None`` (any)."""
    if raw is None:
        return None
    found: set[int] = set()
    for token in str(raw).split(","):
        token = token.strip()
        if not token:
            continue
        if not token.isdigit() or int(token) > ANY_PROTOCOL:
            raise DatapathError(f"{where}: Protocols entry {token!r} is not a number 0-256")
        if int(token) == ANY_PROTOCOL:
            return None
        found.add(int(token))
    return frozenset(found) or None


def parse_ports(raw: object, where: str) -> list[tuple[int, int]]:
    """``"80,443,8000-8080"`` -> merged, sorted ``(low, high)`` ranges; ``""`` -> ``[]``."""
    if raw is None:
        return []
    ranges: list[tuple[int, int]] = []
    for token in str(raw).split(","):
        token = token.strip()
        if not token:
            continue
        low_text, dash, high_text = token.partition("-")
        if not low_text.strip().isdigit() or (dash and not high_text.strip().isdigit()):
            raise DatapathError(f"{where}: port {token!r} is not a number or a range a-b")
        low = int(low_text)
        high = int(high_text) if high_text else low
        if not 0 <= low <= high <= 65535:
            raise DatapathError(f"{where}: port {token!r} is not within 0-65535 (low-high)")
        ranges.append((low, high))
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _parse_addresses(raw: object, where: str) -> list[IPNetwork]:
    if raw is None:
        return []
    found: list[IPNetwork] = []
    for token in str(raw).split(","):
        token = token.strip()
        if not token:
            continue
        try:
            found.append(ipaddress.ip_network(token, strict=False))
        except ValueError:
            raise DatapathError(
                f"{where}: {token!r} is not an IP address or prefix (HNS takes addresses and "
                "prefixes only)"
            ) from None
    v4 = [n for n in found if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in found if isinstance(n, ipaddress.IPv6Network)]
    return [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]


def _enum(raw: object, table: dict[str, str], key: str, where: str) -> str:
    value = table.get(str(raw or "").strip().lower())
    if value is None:
        raise DatapathError(f"{where}: {key} {raw!r} is not one of {', '.join(table.values())}")
    return value


class AclRule:
    """One ACL policy, validated and normalised."""

    __slots__ = ("action", "direction", "index", "local", "local_ports", "priority",
                 "protocols", "remote", "remote_ports")  # fmt: skip

    def __init__(
        self,
        index: int,
        action: str,
        direction: str,
        priority: int,
        protocols: frozenset[int] | None,
        local: list[IPNetwork],
        remote: list[IPNetwork],
        local_ports: list[tuple[int, int]],
        remote_ports: list[tuple[int, int]],
    ) -> None:
        self.index = index
        self.action = action
        self.direction = direction
        self.priority = priority
        self.protocols = protocols
        self.local = local
        self.remote = remote
        self.local_ports = local_ports
        self.remote_ports = remote_ports

    def __repr__(self) -> str:
        return (
            f"AclRule(#{self.index} {self.action} {self.direction} prio {self.priority} "
            f"proto {sorted(self.protocols) if self.protocols else 'any'} local {self.local} "
            f"{self.local_ports} remote {self.remote} {self.remote_ports})"
        )

    @property
    def allows(self) -> bool:
        """``Allow`` and ``Pass`` let a packet through; ``Block`` drops it."""
        return self.action != "Block"

    @property
    def port_protocols(self) -> frozenset[int] | None:
        """The protocols a rule with ports matches (``None``: the rule has no ports)."""
        if not (self.local_ports or self.remote_ports):
            return None
        return _PORT_PROTOCOLS if self.protocols is None else self.protocols & _PORT_PROTOCOLS

    @classmethod
    def from_settings(cls, index: int, settings: dict[str, Any], where: str) -> AclRule:
        """Read one ACL policy's ``Settings``."""
        priority = settings.get("Priority") or 0
        if not isinstance(priority, int) or isinstance(priority, bool) or priority < 0:
            raise DatapathError(f"{where}: Priority {priority!r} is not a number 0-65535")
        rule = cls(
            index,
            _enum(settings.get("Action"), _ACTIONS, "Action", where),
            _enum(settings.get("Direction"), _DIRECTIONS, "Direction", where),
            priority,
            parse_protocols(settings.get("Protocols"), where),
            _parse_addresses(settings.get("LocalAddresses"), f"{where}: LocalAddresses"),
            _parse_addresses(settings.get("RemoteAddresses"), f"{where}: RemoteAddresses"),
            parse_ports(settings.get("LocalPorts"), f"{where}: LocalPorts"),
            parse_ports(settings.get("RemotePorts"), f"{where}: RemotePorts"),
        )
        if rule.port_protocols is not None and not rule.port_protocols:
            raise DatapathError(f"{where}: ports are given but Protocols has neither 6 nor 17")
        return rule


def parse_acls(policies: list[dict[str, Any]], where: str) -> list[AclRule]:
    """Every ``ACL`` policy of an endpoint, in policy order."""
    rules = []
    for i, policy in enumerate(policies):
        if policy.get("Type") != "ACL":
            continue
        settings = policy.get("Settings")
        rules.append(
            AclRule.from_settings(
                i, settings if isinstance(settings, dict) else {}, f"{where}: Policies[{i}] ACL"
            )
        )
    return rules


def ordered(rules: list[AclRule], direction: str) -> list[AclRule]:
    """The rules of ``direction`` in the order HNS tries them."""
    return sorted(
        (r for r in rules if r.direction == direction),
        key=lambda r: (r.priority, r.allows, r.index),
    )


# -- the reference semantics -----------------------------------------------------------------
class Packet:
    """A packet as an endpoint's ACLs see it (``local`` is the endpoint's side)."""

    __slots__ = ("direction", "local", "local_port", "protocol", "remote", "remote_port")

    def __init__(
        self,
        direction: str,
        protocol: int,
        local: IPAddress,
        remote: IPAddress,
        local_port: int | None = None,
        remote_port: int | None = None,
    ) -> None:
        self.direction = direction
        self.protocol = protocol
        self.local = local
        self.remote = remote
        self.local_port = local_port
        self.remote_port = remote_port


def _in_ports(port: int | None, ranges: list[tuple[int, int]]) -> bool:
    return port is not None and any(low <= port <= high for low, high in ranges)


def _in_prefixes(address: IPAddress, prefixes: list[IPNetwork]) -> bool:
    return any(address.version == p.version and address in p for p in prefixes)


def matches(rule: AclRule, packet: Packet) -> bool:
    """True when ``rule`` applies to ``packet``."""
    if rule.direction != packet.direction:
        return False
    allowed = rule.port_protocols if rule.port_protocols is not None else rule.protocols
    if allowed is not None and packet.protocol not in allowed:
        return False
    if rule.local and not _in_prefixes(packet.local, rule.local):
        return False
    if rule.remote and not _in_prefixes(packet.remote, rule.remote):
        return False
    if rule.local_ports and not _in_ports(packet.local_port, rule.local_ports):
        return False
    return not rule.remote_ports or _in_ports(packet.remote_port, rule.remote_ports)


def decide(rules: list[AclRule], packet: Packet) -> bool:
    """Whether HNS lets ``packet`` (the first packet of a flow) through an endpoint's ACLs."""
    if not rules:
        return True
    for rule in ordered(rules, packet.direction):
        if matches(rule, packet):
            return rule.allows
    return False


# -- nftables ----------------------------------------------------------------------------------
def _set(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "{ " + ", ".join(items) + " }"


def _ports(ranges: list[tuple[int, int]]) -> str:
    return _set([str(low) if low == high else f"{low}-{high}" for low, high in ranges])


def rule_lines(rule: AclRule) -> list[str]:
    """The nftables rule(s) of one ACL (one per address family when it names addresses)."""
    inbound = rule.direction == "In"
    protocols = rule.port_protocols if rule.port_protocols is not None else rule.protocols
    common = f"meta l4proto {_set([str(p) for p in sorted(protocols)])} " if protocols else ""
    source_ports, dest_ports = (
        (rule.remote_ports, rule.local_ports) if inbound else (rule.local_ports, rule.remote_ports)
    )
    ports = ""
    if source_ports:
        ports += f"th sport {_ports(source_ports)} "
    if dest_ports:
        ports += f"th dport {_ports(dest_ports)} "
    verdict = "accept" if rule.allows else "drop"
    if not (rule.local or rule.remote):
        return [f"{common}{ports}{verdict}"]
    lines = []
    for family, keyword in ((4, "ip"), (6, "ip6")):
        local = [str(n) for n in rule.local if n.version == family]
        remote = [str(n) for n in rule.remote if n.version == family]
        if (rule.local and not local) or (rule.remote and not remote):
            continue  # names no address of this family: cannot match it
        source, dest = (remote, local) if inbound else (local, remote)
        where = ""
        if source:
            where += f"{keyword} saddr {_set(source)} "
        if dest:
            where += f"{keyword} daddr {_set(dest)} "
        lines.append(f"{common}{where}{ports}{verdict}")
    return lines


def _chain(name: str, hook: str, match: str, port: str, rules: list[AclRule]) -> list[str]:
    body = [
        f"type filter hook {hook} priority filter; policy accept;",
        f'{match} != "{port}" return',
        "ct state established,related accept",
        _NEIGHBOUR_DISCOVERY,
    ]
    for rule in rules:
        body += rule_lines(rule)
    body.append("drop")
    return [f"\tchain {name} {{", *(f"\t\t{line}" for line in body), "\t}"]


def table_script(endpoint_id: str, rules: list[AclRule]) -> str:
    """An nftables script creating the endpoint's ACL table (``""`` when it has no ACL)."""
    if not rules:
        return ""
    port = names.container_port(endpoint_id)
    lines = [f"table inet {names.acl_table(endpoint_id)} {{"]
    lines += _chain("inbound", "input", "iifname", port, ordered(rules, "In"))
    lines += _chain("outbound", "output", "oifname", port, ordered(rules, "Out"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def remove_script(endpoint_id: str) -> str:
    """An nftables script removing the endpoint's ACL table, whether or not it exists."""
    table = names.acl_table(endpoint_id)
    return f"add table inet {table}\ndelete table inet {table}\n"
