"""The kit's report: what ran where, and per rule the expected and observed outcomes.

Written as ``report.json`` (``--record``) and printed by ``--json``; read back by
``--compare``. Keys are snake_case (the report is the kit's document, not HNS's).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "FORMAT",
    "KIT_VERSION",
    "VERDICTS",
    "Report",
    "ReportError",
    "RuleResult",
    "load_report",
]

#: Bumped whenever a scenario's cases or outcome wording change (reports compare per version).
KIT_VERSION = 1
#: The ``kit`` value every report carries.
FORMAT = "hcnpy-conformance"
#: Every verdict, best first.
VERDICTS = ("pass", "not-applicable", "diverge", "error")
_VERSION = re.compile(r"^\d+\.\d+$")


class ReportError(ValueError):
    """A report file that cannot be read; the message names the file and the problem."""


@dataclass
class RuleResult:
    """The outcome of one rule's scenario."""

    id: str
    evidence: str
    expected: str
    observed: str
    verdict: str
    detail: str = ""
    calls: list[str] = field(default_factory=list)
    cleanup: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Report:
    """One run of the kit."""

    backend: str
    hns_version: str | None
    results: list[RuleResult]
    kit_version: int = KIT_VERSION
    hcnpy_version: str = ""
    library: str = ""
    hns_version_error: str = ""
    os_build: str = ""
    platform: str = ""
    python: str = ""
    started: str = ""
    seconds: float = 0.0
    prefix: str = ""
    addresses: dict[str, str] = field(default_factory=dict)
    left_behind: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many rules got each verdict."""
        counts = dict.fromkeys(VERDICTS, 0)
        for result in self.results:
            counts[result.verdict] = counts.get(result.verdict, 0) + 1
        return counts

    @property
    def passed(self) -> bool:
        """No divergence, no error, no failed cleanup."""
        counts = self.counts()
        cleaned = not self.left_behind and not any(r.cleanup for r in self.results)
        return not counts["diverge"] and not counts["error"] and cleaned

    def result(self, rule_id: str) -> RuleResult | None:
        """The result of ``rule_id``, if it ran."""
        return next((r for r in self.results if r.id == rule_id), None)

    def to_json(self) -> dict[str, Any]:
        """The report document."""
        data = asdict(self)
        results = data.pop("results")
        return {"kit": FORMAT, **data, "summary": self.counts(), "results": results}

    @classmethod
    def from_json(cls, data: object, source: str = "the report") -> Report:
        """Read a report document; :class:`ReportError` names what is wrong."""
        if not isinstance(data, dict) or data.get("kit") != FORMAT:
            raise ReportError(f'{source}: not an hcnpy conformance report (no "kit": {FORMAT!r})')
        version = data.get("hns_version")
        if version is not None and not (isinstance(version, str) and _VERSION.match(version)):
            raise ReportError(
                f'{source}: hns_version must be "MAJOR.MINOR" or null, not {version!r}'
            )
        raw_results = data.get("results")
        if not isinstance(raw_results, list):
            raise ReportError(f'{source}: "results" must be a list')
        results = [_result(item, f"{source}: results[{i}]") for i, item in enumerate(raw_results)]
        known = {name for name in cls.__dataclass_fields__ if name != "results"}
        fields = {key: value for key, value in data.items() if key in known}
        try:
            report = cls(**{**fields, "hns_version": version, "results": results})
        except TypeError as exc:
            raise ReportError(f"{source}: {exc}") from None
        if not isinstance(report.backend, str):
            raise ReportError(f'{source}: "backend" must be a string')
        return report

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the report as indented JSON."""
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.to_json(), handle, indent=2)
            handle.write("\n")


def _result(item: object, where: str) -> RuleResult:
    if not isinstance(item, dict):
        raise ReportError(f"{where}: want an object")
    for key in ("id", "observed", "verdict"):
        if not isinstance(item.get(key), str):
            raise ReportError(f'{where}: "{key}" must be a string')
    if item["verdict"] not in VERDICTS:
        raise ReportError(
            f"{where}: verdict {item['verdict']!r} is not one of {', '.join(VERDICTS)}"
        )
    known = RuleResult.__dataclass_fields__
    try:
        return RuleResult(**{k: v for k, v in item.items() if k in known})
    except TypeError as exc:
        raise ReportError(f"{where}: {exc}") from None


def load_report(path: str | os.PathLike[str]) -> Report:
    """Read a ``report.json``; :class:`ReportError` when it is missing or malformed."""
    source = os.fspath(path)
    try:
        with open(source, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ReportError(f"{source}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ReportError(f"{source}: not JSON: {exc}") from None
    return Report.from_json(data, source)
