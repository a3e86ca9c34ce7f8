"""The kit's text output: the results table, the summary, and the comparison table."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

from ._compare import Comparison
from ._outcome import parse_parts
from ._report import VERDICTS, Report

__all__ = ["comparison_text", "report_text", "summary_line"]

_GAP = "  "
_DETAIL_LINES = 4


def _cell(text: str, width: int, against: str | None = None) -> list[str]:
    """A rendered outcome as wrapped lines, one part per line; parts that differ from the
    same part of ``against`` are marked with ``*``."""
    other = parse_parts(against) if against is not None else {}
    lines: list[str] = []
    for label, value in parse_parts(text).items():
        part = f"{label}: {value}" if label else value
        mark = "* " if label in other and other[label] != value else ""
        lines.extend(textwrap.wrap(mark + part, width, subsequent_indent="  ") or [""])
    return lines or [""]


def _table(headers: Sequence[str], rows: list[list[list[str]]], widths: Sequence[int]) -> str:
    out = [_GAP.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append(_GAP.join("-" * w for w in widths))
    for cells in rows:
        height = max(len(cell) for cell in cells)
        for index in range(height):
            line = _GAP.join(
                (cell[index] if index < len(cell) else "").ljust(width)
                for cell, width in zip(cells, widths, strict=True)
            )
            out.append(line.rstrip())
    return "\n".join(out)


def _widths(first: int, last: int, columns: int | None) -> tuple[int, int]:
    """Widths of the two outcome columns between a first and a last column."""
    total = columns or shutil.get_terminal_size((140, 24)).columns
    room = max(60, total - first - last - 3 * len(_GAP))
    return room // 2, room - room // 2


def summary_line(report: Report) -> str:
    """``107 rules: 105 pass, 2 not-applicable, 0 diverge, 0 error``."""
    counts = report.counts()
    shown = ", ".join(f"{counts[v]} {v}" for v in VERDICTS)
    return f"{len(report.results)} rules: {shown}"


def report_text(report: Report, columns: int | None = None) -> str:
    """The results table with a header, the details of what did not pass, and what is left."""
    version = report.hns_version or f"unknown ({report.hns_version_error})"
    head = [
        f"hcnpy conformance kit {report.kit_version} (hcnpy {report.hcnpy_version}): "
        f"backend {report.backend}, HNS {version}",
        f"library {report.library}; {report.platform}; objects named {report.prefix}-*; "
        f"addresses {', '.join(report.addresses.values())}",
        "",
    ]
    rule_width = max([len("RULE"), *(len(r.id) for r in report.results)])
    verdict_width = len("not-applicable")
    expected_width, observed_width = _widths(rule_width, verdict_width, columns)
    rows = []
    for result in report.results:
        verdict = [result.verdict] + (["cleanup failed"] if result.cleanup else [])
        rows.append(
            [
                [result.id],
                _cell(result.expected, expected_width),
                _cell(result.observed, observed_width, result.expected),
                verdict,
            ]
        )
    widths = (rule_width, expected_width, observed_width, verdict_width)
    body = _table(("RULE", "EXPECTED", "OBSERVED", "VERDICT"), rows, widths)
    tail = ["", summary_line(report) + f" in {report.seconds:.1f} s"]
    if any(r.verdict == "diverge" for r in report.results):
        tail.append("(* marks an observed case that differs from the expected one)")
    details = [r for r in report.results if r.verdict in ("diverge", "error") or r.cleanup]
    if details:
        tail += ["", "Details:"]
        for result in details:
            lines = result.detail.splitlines()[:_DETAIL_LINES] + result.cleanup
            tail += [f"  {result.id}:"] + [f"    {line}" for line in lines]
    if report.left_behind:
        tail += ["", "Left behind (cleanup failed; delete these by hand):"]
        tail += [f"  {o['kind']} {o['id']} (from {o['rule']})" for o in report.left_behind]
    return "\n".join(head) + body + "\n" + "\n".join(tail)


def comparison_text(comparison: Comparison, source: str, columns: int | None = None) -> str:
    """The rules where the recorded host and the simulator differ, both outcomes side by side."""
    recorded = comparison.recorded
    head = [
        f"{source}: backend {recorded.backend}, HNS {recorded.hns_version}, "
        f"OS {recorded.os_build or 'unknown'}, kit {recorded.kit_version}",
        f"simulator: HNS {comparison.simulator.hns_version}, "
        f"kit {comparison.simulator.kit_version}",
        "",
    ]
    lines = head
    if comparison.differences:
        rule_width = max(len("RULE"), *(len(d.id) for d in comparison.differences))
        left, right = _widths(rule_width, 0, columns)
        rows = [
            [
                [d.id, f"({d.evidence})"],
                [*_cell(d.recorded, left, d.simulator), f"[{d.recorded_verdict}]"],
                [*_cell(d.simulator, right, d.recorded), f"[{d.simulator_verdict}]"],
            ]
            for d in comparison.differences
        ]
        table = _table(("RULE", "RECORDED", "SIMULATOR"), rows, (rule_width, left, right))
        lines += [table, "", "(* marks the cases that differ)"]
    count = len(comparison.differences)
    lines.append(
        (f"{count} rules differ" if count != 1 else "1 rule differs")
        if count
        else "no rule differs: the simulator behaves as the recorded HNS did"
    )
    if comparison.missing_from_report:
        lines.append("not in the report: " + ", ".join(comparison.missing_from_report))
    if comparison.unknown_to_kit:
        lines.append("unknown to this kit: " + ", ".join(comparison.unknown_to_kit))
    if recorded.kit_version != comparison.simulator.kit_version:
        lines.append(
            f"note: the report was made by kit {recorded.kit_version}, this is kit "
            f"{comparison.simulator.kit_version}; outcome wording may differ"
        )
    return "\n".join(lines)
