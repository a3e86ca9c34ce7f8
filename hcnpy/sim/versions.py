"""The simulated HNS service version (``MAJOR.MINOR``, 7.2 … 16.x) and the simulator's gates.

Independent of the client's feature table (:mod:`hcnpy.features`): which behaviour a version
has is a rule of the simulator's own table (:mod:`hcnpy.sim.rules`).
"""

from __future__ import annotations

from .rules import Rule, describe_ranges, in_ranges, violate

__all__ = ["DEFAULT_VERSION", "SimVersion", "gate"]


class SimVersion(tuple[int, int]):
    """An HNS service version, ordered as tuples are."""

    __slots__ = ()

    def __new__(cls, major: int, minor: int) -> SimVersion:
        return tuple.__new__(cls, (major, minor))

    def __getnewargs__(self) -> tuple[int, int]:
        return (self[0], self[1])

    @property
    def major(self) -> int:
        """The major version."""
        return self[0]

    @property
    def minor(self) -> int:
        """The minor version."""
        return self[1]

    @classmethod
    def parse(cls, text: str) -> SimVersion:
        """Read ``"15.4"`` (or ``"15"``); ``ValueError`` naming the text otherwise."""
        major, sep, minor = text.strip().partition(".")
        try:
            version = cls(int(major), int(minor) if sep else 0)
        except ValueError:
            raise ValueError(f"not an HNS version (want MAJOR.MINOR): {text!r}") from None
        if version.major < 0 or version.minor < 0:
            raise ValueError(f"not an HNS version (want MAJOR.MINOR): {text!r}")
        return version

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def __repr__(self) -> str:
        return f"SimVersion({self.major}, {self.minor})"


#: What the simulator reports unless told otherwise (a Windows Server 2022-era service).
DEFAULT_VERSION = SimVersion(15, 4)


def gate(
    rule: Rule,
    version: tuple[int, int],
    what: str,
    ranges: tuple[tuple[int, int, int | None, int | None], ...] | None = None,
) -> None:
    """Fail with ``rule`` unless ``version`` is in ``ranges`` (default: the rule's own)."""
    wanted = ranges if ranges is not None else rule.params["ranges"]
    if not in_ranges(wanted, version):
        shown = f"{version[0]}.{version[1]}"
        violate(rule, f"{what} needs HNS {describe_ranges(wanted)}; the simulated HNS is {shown}")
