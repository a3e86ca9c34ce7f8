"""IP subnets, address allocation and MAC addresses for the simulated HNS (pure functions)."""

from __future__ import annotations

import ipaddress

from . import rules as R
from .rules import Rule, violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection

__all__ = [
    "DEFAULT_MAC_BASE",
    "MAC_BLOCK",
    "IPAddress",
    "IPNetwork",
    "SubnetPlan",
    "address_key",
    "format_mac",
    "parse_ip",
    "parse_mac",
    "parse_prefix",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Default per-network MAC pools are 4096-address blocks counted up from 00-15-5D-10-00-00.
DEFAULT_MAC_BASE: int = R.NETWORK_MAC_POOL_DEFAULT.params["base"]
MAC_BLOCK: int = R.NETWORK_MAC_POOL_DEFAULT.params["block"]
_MAC_MAX = 2**48 - 1


def parse_ip(text: object, where: str, rule: Rule = R.IP_SYNTAX) -> IPAddress:
    """An IPv4/IPv6 address; anything else breaks ``rule`` (by default: HCN_E_INVALID_IP)."""
    if isinstance(text, str):
        try:
            return ipaddress.ip_address(text.strip())
        except ValueError:
            pass
    violate(rule, f"{where}: {text!r} is not an IP address")


def parse_prefix(
    text: object, where: str, rule: Rule = R.ROUTE_PREFIX, host_bits: Rule | None = None
) -> IPNetwork:
    """A ``10.0.0.0/24`` prefix.

    Unparsable text or a bad length breaks ``rule``; with ``host_bits``, a prefix with host
    bits set (``10.0.0.1/24``) breaks that rule (otherwise it is read as its network).
    """
    if not isinstance(text, str) or "/" not in text:
        violate(rule, f"{where}: {text!r} is not an address prefix")
    try:
        loose = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        violate(rule, f"{where}: {text!r} is not an address prefix")
    if host_bits is not None and loose.network_address != ipaddress.ip_interface(text.strip()).ip:
        violate(host_bits, f"{where}: {text!r} has host bits set (the subnet is {loose})")
    return loose


def parse_mac(text: object, where: str, rule: Rule) -> int:
    """``00-15-5D-AA-BB-CC`` (or with colons) as a 48-bit integer; otherwise break ``rule``."""
    if isinstance(text, str):
        parts = text.strip().replace(":", "-").split("-")
        if len(parts) == 6 and all(len(p) == 2 for p in parts):
            try:
                return int("".join(parts), 16)
            except ValueError:
                pass
    violate(rule, f"{where}: {text!r} is not a MAC address (want 00-15-5D-AA-BB-CC)")


def address_key(address: IPAddress) -> bytes:
    """A sortable storage key: the family byte, then the address as 16 big-endian bytes."""
    return bytes([address.version]) + int(address).to_bytes(16, "big")


def format_mac(value: int) -> str:
    """A MAC in HNS form: ``00-15-5D-AA-BB-CC``."""
    if not 0 <= value <= _MAC_MAX:
        raise ValueError(f"not a 48-bit MAC: {value}")
    raw = f"{value:012X}"
    return "-".join(raw[i : i + 2] for i in range(0, 12, 2))


class SubnetPlan:
    """One IPAM subnet as the allocator sees it."""

    __slots__ = ("gateway", "network", "reserve_gateway")

    def __init__(
        self, network: IPNetwork, gateway: IPAddress | None = None, reserve_gateway: bool = True
    ) -> None:
        self.network = network
        self.gateway = gateway
        self.reserve_gateway = reserve_gateway

    def __repr__(self) -> str:
        return (
            f"SubnetPlan(network={self.network!r}, gateway={self.gateway!r}, "
            f"reserve_gateway={self.reserve_gateway!r})"
        )

    def reserved_reason(self, address: IPAddress) -> str | None:
        """Why ``address`` may never be handed out, or ``None`` when it may."""
        if address == self.network.network_address and self._has_network_address():
            return "the subnet's network address"
        if (
            isinstance(self.network, ipaddress.IPv4Network)
            and self.network.prefixlen <= 30
            and address == self.network.broadcast_address
        ):
            return "the subnet's broadcast address"
        if self.reserve_gateway and self.gateway is not None and address == self.gateway:
            return "the subnet's gateway"
        return None

    def _has_network_address(self) -> bool:
        if isinstance(self.network, ipaddress.IPv4Network):
            return self.network.prefixlen <= 30
        return self.network.prefixlen <= 126

    def key_range(self) -> tuple[bytes, bytes]:
        """The storage keys of the subnet's first and last address."""
        return address_key(self.network.network_address), address_key(
            self.network.broadcast_address
        )

    def first_free(self, used: Collection[int]) -> IPAddress | None:
        """The lowest address neither reserved nor in ``used`` (integers); ``None`` when full."""
        first = int(self.network.network_address)
        last = int(self.network.broadcast_address)
        family = type(self.network.network_address)
        # Only the first few addresses and the last one can be reserved: test those exactly.
        reserved = {
            value
            for value in (first, last, int(self.gateway) if self.gateway is not None else first)
            if self.reserved_reason(family(value)) is not None
        }
        candidate = first
        while candidate <= last:
            if candidate not in used and candidate not in reserved:
                return family(candidate)
            candidate += 1
        return None
