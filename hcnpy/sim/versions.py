"""The simulated HNS service version (``MAJOR.MINOR``, 7.2 … 16.x) and the simulator's gates.

Independent of the client's feature table (:mod:`hcnpy.features`): which behaviour a version
has is a rule of the simulator's own table (:mod:`hcnpy.sim.rules`).
"""

from __future__ import annotations

from ..hnsversion import HnsVersion
from .rules import Rule, describe_ranges, in_ranges, violate

__all__ = ["DEFAULT_VERSION", "SimVersion", "gate"]


#: The simulated service version: the same value type as the client's, not its table.
SimVersion = HnsVersion


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
