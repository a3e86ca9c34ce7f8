"""Addresses in results, parsed as Go's ``net.ParseCIDR``/``net.ParseIP`` accept them."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipaddress import IPv4Address, IPv4Interface, IPv6Address, IPv6Interface
    from typing import TypeAlias

    IPAddress: TypeAlias = IPv4Address | IPv6Address
    IPCidr: TypeAlias = IPv4Interface | IPv6Interface


class ResultError(ValueError):
    """A result that cannot be decoded or converted (worded like the reference)."""


def parse_cidr(value: object) -> IPCidr:
    """Parse ``"addr/prefix"`` keeping host bits (Go ``types.ParseCIDR``)."""
    import ipaddress

    if not isinstance(value, str):
        raise ResultError(f"invalid CIDR address: {value}")
    address, sep, prefix = value.partition("/")
    if not sep or not (prefix.isascii() and prefix.isdigit()) or "%" in address:
        raise ResultError(f"invalid CIDR address: {value}")
    try:
        cidr: IPCidr = ipaddress.ip_interface(value)
    except ValueError:
        raise ResultError(f"invalid CIDR address: {value}") from None
    if isinstance(cidr, ipaddress.IPv6Interface):
        mapped = cidr.ip.ipv4_mapped
        if mapped is not None:
            # Go keeps an IPv4-mapped address as IPv4 with the last 32 bits of the mask:
            # ::ffff:10.1.2.3/120 is 10.1.2.3/24 and anything below /96 is /0.
            bits = max(cidr.network.prefixlen - 96, 0)
            return ipaddress.IPv4Interface(f"{mapped}/{bits}")
    return cidr


def parse_ip(value: object) -> IPAddress:
    """Parse a bare IP address (Go ``net.ParseIP``)."""
    import ipaddress

    if not isinstance(value, str) or "%" in value:
        raise ResultError(f"invalid IP address: {value}")
    try:
        address: IPAddress = ipaddress.ip_address(value)
    except ValueError:
        raise ResultError(f"invalid IP address: {value}") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
