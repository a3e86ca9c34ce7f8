"""The address space of one run: subnets, VIPs and host ports that are unlikely to clash.

IPv4 comes from 198.18.0.0/15 (RFC 2544, benchmarking: never routed, rarely configured):
each run takes one /20 of it that no existing network overlaps, picked at random so that two
runs on one host stay apart. IPv6 comes from a random unique-local /48 (``fdxx:xxxx:xxxx::``).
Host ports (port mappings, load-balancer frontends) are a random run of 1000 ports between
42000 and 59999, below the Windows dynamic port range.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterable

__all__ = ["POOL", "AddressPlan", "Exhausted"]

#: Where every IPv4 subnet and VIP of a run comes from.
POOL = ipaddress.IPv4Network("198.18.0.0/15")
_BLOCK_PREFIX = 20
_VIP_PREFIX = 27
_PORTS = 1000
_FIRST_PORT, _LAST_PORT = 42000, 59999

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Exhausted(Exception):
    """The run used up its block (a scenario asked for too many subnets, VIPs or ports)."""


class AddressPlan:
    """Hands out aligned IPv4 subnets, IPv6 /64s, VIPs and host ports, each only once."""

    def __init__(self, block: ipaddress.IPv4Network, block6: ipaddress.IPv6Network, port: int):
        self.block = block
        self.block6 = block6
        self.first_port = port
        vips, *_ = block.subnets(new_prefix=_VIP_PREFIX)
        self._vips = vips.hosts()
        self._next = int(block.network_address) + vips.num_addresses
        self._subnets6 = block6.subnets(new_prefix=64)
        self._port = port

    @classmethod
    def choose(cls, taken: Iterable[IPNetwork], rng: random.Random | None = None) -> AddressPlan:
        """A plan whose IPv4 block overlaps none of ``taken`` (the host's existing subnets)."""
        rng = rng or random.SystemRandom()
        used = [net for net in taken if net.version == 4]
        free = [
            block
            for block in POOL.subnets(new_prefix=_BLOCK_PREFIX)
            if not any(block.overlaps(net) for net in used)
        ]
        if not free:
            raise Exhausted(f"every /{_BLOCK_PREFIX} of {POOL} is used by a network on this host")
        global_id = rng.getrandbits(40)
        block6 = ipaddress.IPv6Network(((0xFD << 120) | (global_id << 80), 48))
        port = _FIRST_PORT + rng.randrange((_LAST_PORT - _FIRST_PORT + 1) // _PORTS) * _PORTS
        return cls(rng.choice(free), block6, port)

    def subnet(self, prefix: int = 27) -> ipaddress.IPv4Network:
        """The next free IPv4 subnet of length ``prefix``."""
        size = 2 ** (32 - prefix)
        start = -(-self._next // size) * size
        if start + size > int(self.block.broadcast_address) + 1:
            raise Exhausted(f"no /{prefix} left in {self.block}")
        self._next = start + size
        return ipaddress.IPv4Network((start, prefix))

    def subnet6(self) -> ipaddress.IPv6Network:
        """The next IPv6 /64."""
        return next(self._subnets6)

    def vip(self) -> str:
        """A fresh IPv4 address for a load-balancer frontend (never inside a network's subnet)."""
        try:
            return str(next(self._vips))
        except StopIteration:
            raise Exhausted(f"no VIP left in the first /{_VIP_PREFIX} of {self.block}") from None

    def port(self) -> int:
        """A fresh host port."""
        if self._port >= self.first_port + _PORTS:
            raise Exhausted(f"all {_PORTS} host ports from {self.first_port} are used")
        self._port += 1
        return self._port - 1

    def describe(self) -> dict[str, str]:
        """The run's ranges, for the report."""
        last = self.first_port + _PORTS - 1
        return {
            "IPv4": str(self.block),
            "IPv6": str(self.block6),
            "Ports": f"{self.first_port}-{last}",
        }
