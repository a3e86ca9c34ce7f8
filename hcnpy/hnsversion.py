"""An HNS *service* version (``MAJOR.MINOR``, 7.2 … 16.x), unrelated to the JSON
``SchemaVersion`` (2.x).

A leaf value type: the client's feature gates (:mod:`hcnpy.features`) and the simulator's
own gates (:mod:`hcnpy.sim.versions`) both compare versions, each with its own table.
"""

from __future__ import annotations

__all__ = ["HnsVersion"]


class HnsVersion(tuple[int, int]):
    """An HNS service version, ordered as tuples are: ``HnsVersion(15, 4) > HnsVersion(9, 2)``."""

    __slots__ = ()

    def __new__(cls, major: int, minor: int) -> HnsVersion:
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
    def parse(cls, text: str) -> HnsVersion:
        """Read ``"15.4"``; raises ``ValueError`` naming the text otherwise."""
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
        return f"HnsVersion(major={self.major}, minor={self.minor})"
