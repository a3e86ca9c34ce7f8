"""The simulated host and the outside network: two namespaces joined by a veth pair.

Addresses come from the benchmarking ranges (198.18.0.0/15, RFC 2544; 2001:2::/48, RFC 5180),
so nothing here can clash with the real machine's networks.

================  ==========================  ==========================================
who               address                     where
================  ==========================  ==========================================
simulated host    198.18.0.2/24, 2001:2::2    ``hcsx-ext`` in ``hcnsim-<tag>-host``
outside network   198.18.0.1/24, 2001:2::1    ``hcsx-host`` in ``hcnsim-<tag>-ext``
a far address     198.19.0.1, 2001:2:0:1::1   loopback of the outside namespace
================  ==========================  ==========================================

The host's default route points at the outside network; the outside network routes the
subnets of non-NAT networks (L2Bridge, L2Tunnel, Overlay, ...) back to the host.
"""

from __future__ import annotations

import ipaddress
import os

from .names import HOST_UPLINK, UPLINK_PEER

__all__ = [
    "EXTERNAL4",
    "EXTERNAL6",
    "HOST4",
    "HOST6",
    "LINK_PREFIX4",
    "LINK_PREFIX6",
    "REMOTE4",
    "REMOTE6",
    "ROUTE_PROTOCOL",
    "external_lines",
    "has_ipv6",
    "host_lines",
    "host_sysctls",
    "no_dad",
]

HOST4 = ipaddress.IPv4Address("198.18.0.2")
EXTERNAL4 = ipaddress.IPv4Address("198.18.0.1")
REMOTE4 = ipaddress.IPv4Address("198.19.0.1")
HOST6 = ipaddress.IPv6Address("2001:2::2")
EXTERNAL6 = ipaddress.IPv6Address("2001:2::1")
REMOTE6 = ipaddress.IPv6Address("2001:2:0:1::1")
LINK_PREFIX4 = 24
LINK_PREFIX6 = 64
#: Routes the datapath adds in the outside namespace carry this ``proto`` (so they can be told
#: from the link's own routes).
ROUTE_PROTOCOL = 250


def has_ipv6() -> bool:
    """True when the kernel has IPv6 (the world then gets IPv6 addresses too)."""
    return os.path.isdir("/proc/sys/net/ipv6")


def host_lines(external_netns: str, ipv6: bool) -> list[str]:
    """``ip -batch`` lines, in the host namespace, for the host's side of the world."""
    lines = [
        "link set lo up",
        f"link add name {HOST_UPLINK} type veth peer name {UPLINK_PEER} netns {external_netns}",
        f"addr add {HOST4}/{LINK_PREFIX4} dev {HOST_UPLINK}",
        f"link set {HOST_UPLINK} up",
        f"route add default via {EXTERNAL4} dev {HOST_UPLINK}",
    ]
    if ipv6:
        lines[3:3] = [f"addr add {HOST6}/{LINK_PREFIX6} dev {HOST_UPLINK} nodad"]
        lines.append(f"route add default via {EXTERNAL6} dev {HOST_UPLINK}")
    return lines


def external_lines(ipv6: bool) -> list[str]:
    """``ip -batch`` lines, in the outside namespace, for its side of the world."""
    lines = [
        "link set lo up",
        f"addr add {EXTERNAL4}/{LINK_PREFIX4} dev {UPLINK_PEER}",
        f"addr add {REMOTE4}/32 dev lo",
        f"link set {UPLINK_PEER} up",
    ]
    if ipv6:
        lines[2:2] = [
            f"addr add {EXTERNAL6}/{LINK_PREFIX6} dev {UPLINK_PEER} nodad",
            f"addr add {REMOTE6}/128 dev lo",
        ]
    return lines


def host_sysctls(ipv6: bool) -> str:
    """The ``sh`` command that makes the host namespace a router (run before any link exists)."""
    command = "echo 1 > /proc/sys/net/ipv4/ip_forward"
    if ipv6:
        command += " && echo 1 > /proc/sys/net/ipv6/conf/all/forwarding && " + no_dad()
    return command


def no_dad() -> str:
    """The ``sh`` command that spares a namespace's future interfaces duplicate address
    detection: a tentative link-local address delays the first IPv6 packet by a second."""
    return " && ".join(
        f"echo 0 > /proc/sys/net/ipv6/conf/{which}/accept_dad" for which in ("all", "default")
    )


def external_route(subnet: str) -> str:
    """The ``ip -batch`` line routing ``subnet`` from the outside network to the host."""
    via = HOST6 if ":" in subnet else HOST4
    return f"route replace {subnet} via {via} dev {UPLINK_PEER} proto {ROUTE_PROTOCOL}"
