"""Outcomes: what one scenario expects and observes, as short deterministic strings.

An outcome is an ordered set of *parts*, ``{label: value}``: one per case the scenario tries
(``{"two overlapping subnets": "HCN_E_INVALID_SUBNET (0x803B0032)"}``). Values never carry
names, IDs, addresses or ports of the run, so outcomes recorded on two machines compare
equal when HNS behaved the same. Rendered, parts read ``label: value; label: value``.
"""

from __future__ import annotations

from ..errors import HcnUnavailable
from ..hresult import describe, to_unsigned

__all__ = [
    "NOT_APPLICABLE",
    "OK",
    "NotApplicable",
    "Parts",
    "ScenarioBroken",
    "code",
    "not_applicable",
    "parse_parts",
    "render_parts",
    "then",
    "unavailable",
]

#: A part's value when the call succeeded.
OK = "S_OK"
#: How an observed part that could not be checked here begins (it is left out of the verdict).
NOT_APPLICABLE = "not applicable"

#: One scenario's outcome: case label -> value, in the order the cases were tried.
Parts = dict[str, str]

_SEPARATOR = "; "


class NotApplicable(Exception):
    """The scenario cannot be checked here (the HNS version, a missing export).

    ``reason`` is stable across machines (it stands in the observed outcome); ``detail`` may
    carry more (a library path).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


def unavailable(exc: HcnUnavailable) -> NotApplicable:
    """The not-applicable of a missing export or library."""
    what = exc.operation or "the HCN library"
    return NotApplicable(f"this HNS has no {what}", str(exc))


class ScenarioBroken(Exception):
    """A scenario could not reach the call it checks (a set-up step failed).

    ``summary`` is stable across runs (the C function and HRESULT, never an ID), so it can
    stand as the observed outcome; ``detail`` is the full message.
    """

    def __init__(self, summary: str, detail: str = "") -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail or summary


def code(hresult: int) -> str:
    """``"S_OK"`` for success, else the HRESULT's name and hex (``HCN_E_... (0x803B....)``)."""
    value = to_unsigned(hresult)
    return OK if value == 0 else describe(value)


def not_applicable(reason: str) -> str:
    """An observed part that cannot be checked here, and why."""
    return f"{NOT_APPLICABLE} ({reason})"


def then(outcome: str, note: str) -> str:
    """``S_OK, <note>`` after a success, else the failure alone."""
    return f"{OK}, {note}" if outcome == OK else outcome


def render_parts(parts: Parts) -> str:
    """``label: value; label: value``."""
    return _SEPARATOR.join(f"{label}: {value}" for label, value in parts.items())


def parse_parts(text: str) -> Parts:
    """The parts of a rendered outcome (a text without ``label: `` is one unlabelled part)."""
    parts: Parts = {}
    for chunk in text.split(_SEPARATOR):
        label, sep, value = chunk.partition(": ")
        if sep:
            parts[label] = value
        else:
            parts[""] = chunk
    return parts
