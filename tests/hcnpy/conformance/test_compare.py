"""``--compare``: the rules where a recorded report and the simulator differ, exactly."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcnpy.bindings import Library
from hcnpy.conformance import Report, compare, pinned_simulator, run_kit
from hcnpy.sim.rules import RULES

from .conftest import Restart, Run, json_out

CHECKABLE = [rule.id for rule in RULES if rule.checkable]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """A report recorded on the simulator at 15.4 (as a Windows node would record one)."""
    from hcnpy import bindings

    with pinned_simulator("15.4"):
        return run_kit(bindings.load("sim"))


def _edited(report: Report, rule_ids: list[str]) -> Report:
    edited = copy.deepcopy(report)
    for result in edited.results:
        if result.id in rule_ids:
            result.observed = result.observed + " (edited on the node)"
            result.verdict = "diverge"
    return edited


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(CHECKABLE), unique=True, max_size=8))
def test_compare_lists_exactly_the_edited_rules(recorded: Report, edits: list[str]) -> None:
    comparison = compare(_edited(recorded, edits), recorded)
    assert sorted(d.id for d in comparison.differences) == sorted(edits)
    assert comparison.same == (not edits)
    for difference in comparison.differences:
        assert difference.recorded.endswith("(edited on the node)")
        assert difference.simulator == recorded.result(difference.id).observed  # type: ignore[union-attr]


def test_rules_missing_or_unknown_are_listed_apart(recorded: Report) -> None:
    edited = copy.deepcopy(recorded)
    dropped = edited.results.pop(3)
    extra = copy.deepcopy(edited.results[0])
    extra.id = "rule.from-a-newer-kit"
    edited.results.append(extra)
    comparison = compare(edited, recorded)
    assert comparison.same
    assert comparison.missing_from_report == [dropped.id]
    assert comparison.unknown_to_kit == ["rule.from-a-newer-kit"]


def test_a_report_of_another_version_differs_where_the_gates_do(
    library: Library, restart: Restart, recorded: Report
) -> None:
    restart(version="11.0")
    older = run_kit(library)
    gated = {r.id for r in older.results if r.expected != recorded.result(r.id).expected}  # type: ignore[union-attr]
    assert gated  # 11.0 and 15.4 differ in several gates
    assert {d.id for d in compare(older, recorded).differences} == gated


def _write(tmp_path: Path, report: Report) -> Path:
    path = tmp_path / "node-report.json"
    report.write(path)
    return path


def test_the_command_lists_the_edited_rules(
    hcnpy_cli: Run, tmp_path: Path, recorded: Report
) -> None:
    edits = ["subnet.overlap", "namespace.attach.twice", "load-balancer.modify"]
    path = _write(tmp_path, _edited(recorded, edits))
    text = hcnpy_cli("conformance", "--compare", str(path))
    assert text.returncode == 1, text.stderr
    listed = [
        line.split()[0]
        for line in text.stdout.splitlines()
        if line.split() and line.split()[0] in CHECKABLE
    ]
    assert listed == edits
    assert "3 rules differ" in text.stdout
    as_json = hcnpy_cli("conformance", "--compare", str(path), "--json")
    assert as_json.returncode == 1
    data = json_out(as_json)
    assert [d["id"] for d in data["differences"]] == edits
    assert data["simulator"]["hns_version"] == "15.4"
    assert set(data["differences"][0]) == {"id", "evidence", "recorded", "simulator",
                                           "recorded_verdict", "simulator_verdict"}  # fmt: skip


def test_the_simulator_is_pinned_to_the_reports_version(
    hcnpy_cli: Run, tmp_path: Path, library: Library, restart: Restart
) -> None:
    restart(version="11.0")
    path = _write(tmp_path, run_kit(library))
    done = hcnpy_cli("conformance", "--compare", str(path), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    data = json_out(done)
    assert data["differences"] == [] and data["simulator"]["hns_version"] == "11.0"
    assert "no rule differs" in hcnpy_cli("conformance", "--compare", str(path)).stdout
    assert not (tmp_path / "cli-hns.sqlite3").exists(), "the user's simulator state was used"


def test_a_report_without_a_version_cannot_be_compared(
    hcnpy_cli: Run, tmp_path: Path, recorded: Report
) -> None:
    data = recorded.to_json()
    data["hns_version"] = None
    data["hns_version_error"] = "HNSCall failed"
    path = tmp_path / "no-version.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = hcnpy_cli("conformance", "--compare", str(path))
    assert done.returncode == 2
    assert "has no HNS version (HNSCall failed)" in done.stderr
