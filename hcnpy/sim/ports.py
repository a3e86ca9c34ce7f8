"""Host-port claims of endpoint port mappings and load-balancer frontends."""

from __future__ import annotations

from .rules import Rule, violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .state import Tx

__all__ = ["PortClaim", "any_vip", "claim_ports", "protocol_name", "vip_family"]


class PortClaim:
    """A host port taken on ``vip`` (``""``: every host address of the ``family``, 4 or 6)."""

    __slots__ = ("family", "port", "protocol", "vip")

    def __init__(self, protocol: int, port: int, vip: str, family: int = 4) -> None:
        self.protocol = protocol
        self.port = port
        self.vip = vip
        self.family = family

    def __repr__(self) -> str:
        return (
            f"PortClaim(protocol={self.protocol!r}, port={self.port!r}, vip={self.vip!r}, "
            f"family={self.family!r})"
        )

    def overlaps(self, other: PortClaim) -> bool:
        """Same protocol, port and family, and the same VIP or either one is "any".

        IPv4 and IPv6 claims never clash: a dual-stack endpoint maps the port once per family.
        """
        return (
            self.protocol == other.protocol
            and self.port == other.port
            and self.family == other.family
            and (not self.vip or not other.vip or self.vip == other.vip)
        )

    def __str__(self) -> str:
        where = self.vip or ("[::]" if self.family == 6 else "*")
        return f"{protocol_name(self.protocol)} {where}:{self.port}"


def protocol_name(protocol: int) -> str:
    """``6`` -> ``"TCP"``."""
    return {6: "TCP", 17: "UDP"}.get(protocol, str(protocol))


def any_vip(vip: object) -> str:
    """``""`` for "every address" (absent, empty, ``0.0.0.0``, ``::``), else the VIP."""
    if not vip or vip in ("0.0.0.0", "::"):
        return ""
    return str(vip)


def vip_family(vip: object, ipv6_flag: bool) -> int:
    """4 or 6: a VIP's own family, else 6 when the object's IPv6 flag is set."""
    if isinstance(vip, str) and vip:
        return 6 if ":" in vip else 4
    return 6 if ipv6_flag else 4


def claim_ports(tx: Tx, scope: str, owner: str, claims: Iterable[PortClaim], rule: Rule) -> None:
    """Take every claim for ``owner`` (its old claims must be released first).

    A claim overlapping another owner's claim in ``scope``, or another claim in the same list,
    breaks ``rule`` (the scope's clash rule).
    """
    taken: list[PortClaim] = []
    for claim in claims:
        for mine in taken:
            if claim.overlaps(mine):
                violate(rule, f"port {claim} is given twice")
        for vip, holder in tx.port_holders(scope, claim.protocol, claim.port, claim.family):
            held = PortClaim(claim.protocol, claim.port, vip, claim.family)
            if holder != owner and claim.overlaps(held):
                violate(rule, f"port {claim} is already taken by {scope} {holder}")
        taken.append(claim)
    for claim in taken:
        tx.claim_port(scope, claim.protocol, claim.port, claim.family, claim.vip, owner)
