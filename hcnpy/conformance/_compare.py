"""``--compare``: the rules where a recorded report and the simulator disagree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ._report import Report

__all__ = ["Comparison", "Difference", "compare"]


@dataclass
class Difference:
    """One rule whose observed outcome differs between the recorded host and the simulator."""

    id: str
    evidence: str
    recorded: str
    simulator: str
    recorded_verdict: str
    simulator_verdict: str


@dataclass
class Comparison:
    """A recorded report set against a simulator run of the same scenarios."""

    recorded: Report
    simulator: Report
    differences: list[Difference] = field(default_factory=list)
    #: Rules the kit checks that the report does not hold (an older kit, or edited out).
    missing_from_report: list[str] = field(default_factory=list)
    #: Rules of the report this kit has no scenario for (a newer kit recorded it).
    unknown_to_kit: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        """True when no rule differs."""
        return not self.differences

    def to_json(self) -> dict[str, Any]:
        """The comparison as a document (``--compare --json``)."""
        return {
            "recorded": {
                "backend": self.recorded.backend,
                "hns_version": self.recorded.hns_version,
                "os_build": self.recorded.os_build,
                "kit_version": self.recorded.kit_version,
            },
            "simulator": {
                "backend": self.simulator.backend,
                "hns_version": self.simulator.hns_version,
                "kit_version": self.simulator.kit_version,
            },
            "differences": [asdict(d) for d in self.differences],
            "missing_from_report": self.missing_from_report,
            "unknown_to_kit": self.unknown_to_kit,
        }


def compare(recorded: Report, simulator: Report, known: Iterable[str] | None = None) -> Comparison:
    """Every rule whose ``observed`` outcome differs between ``recorded`` and ``simulator``.

    ``known`` is every rule ID the kit has a scenario for (default: those ``simulator`` ran);
    report rules outside it are listed as unknown to the kit, not as differences.
    """
    result = Comparison(recorded, simulator)
    theirs = {r.id: r for r in recorded.results}
    ours = {r.id: r for r in simulator.results}
    for rule_id, mine in ours.items():
        other = theirs.get(rule_id)
        if other is None:
            result.missing_from_report.append(rule_id)
        elif other.observed != mine.observed:
            result.differences.append(
                Difference(
                    id=rule_id,
                    evidence=mine.evidence,
                    recorded=other.observed,
                    simulator=mine.observed,
                    recorded_verdict=other.verdict,
                    simulator_verdict=mine.verdict,
                )
            )
    kit = set(ours if known is None else known)
    result.unknown_to_kit = [rule_id for rule_id in theirs if rule_id not in kit]
    return result
