"""The conformance kit: check the simulated HNS against a real one, rule by rule.

The simulator's behaviour table (:mod:`hcnpy.sim.rules`) says what HNS does; for every rule
that can be observed through the API (``checkable``) the kit has one *scenario* that makes
the objects it needs under unique names, tries the behaviour, records the outcome and
cleans up. :func:`run_kit` runs them on any backend and returns a :class:`Report`;
:func:`compare` sets a report recorded on a Windows node against a simulator run. The
``hcnpy conformance`` command drives both (see ``docs/hcnpy/conformance.md``).
"""

from __future__ import annotations

from ._compare import Comparison, Difference, compare
from ._outcome import NotApplicable, ScenarioBroken
from ._probe import Probe
from ._registry import REGISTRY, Expect, Registry, Scenario
from ._report import KIT_VERSION, VERDICTS, Report, ReportError, RuleResult, load_report
from ._runner import PREFIX, REPORT_FILE, TRACE_FILE, read_version, run_kit
from ._simulator import pinned_simulator
from ._table import comparison_text, report_text, summary_line

__all__ = [
    "KIT_VERSION",
    "PREFIX",
    "REGISTRY",
    "REPORT_FILE",
    "TRACE_FILE",
    "VERDICTS",
    "Comparison",
    "Difference",
    "Expect",
    "NotApplicable",
    "Probe",
    "Registry",
    "Report",
    "ReportError",
    "RuleResult",
    "Scenario",
    "ScenarioBroken",
    "compare",
    "comparison_text",
    "load_report",
    "pinned_simulator",
    "read_version",
    "report_text",
    "run_kit",
    "scenarios",
    "summary_line",
]


def scenarios() -> Registry:
    """The kit's scenarios (imported on first use)."""
    from . import _scenarios  # noqa: F401  (registers them)

    return REGISTRY
