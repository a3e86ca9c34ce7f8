"""``hcnpy conformance`` as a process: the table, ``--json``, ``--record``, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from hcnpy.conformance import REPORT_FILE, TRACE_FILE, load_report
from hcnpy.sim.rules import RULES
from hcnpy.trace import read_trace

from .conftest import Run, json_out

CHECKABLE = [rule.id for rule in RULES if rule.checkable]


def test_the_table_on_the_simulator(hcnpy_cli: Run) -> None:
    done = hcnpy_cli("conformance", "--backend", "sim")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("RULE"))
    assert header.split() == ["RULE", "EXPECTED", "OBSERVED", "VERDICT"]
    rows = [line.split()[0] for line in lines if line.split() and line.split()[0] in CHECKABLE]
    assert rows == CHECKABLE
    assert (
        f"{len(CHECKABLE)} rules: {len(CHECKABLE)} pass, 0 not-applicable, 0 diverge, 0 error"
        in done.stdout
    )
    assert "backend sim, HNS 15.4" in lines[0]
    assert done.stderr == ""


def test_json_output_schema(hcnpy_cli: Run) -> None:
    done = hcnpy_cli("--backend", "sim", "conformance", "--json")
    assert done.returncode == 0, done.stderr
    data = json_out(done)
    assert data["kit"] == "hcnpy-conformance" and data["backend"] == "sim"
    assert data["hns_version"] == "15.4" and data["kit_version"] >= 1
    assert data["summary"] == {
        "pass": len(CHECKABLE),
        "not-applicable": 0,
        "diverge": 0,
        "error": 0,
    }
    assert [r["id"] for r in data["results"]] == CHECKABLE
    evidence = {rule.id: rule.evidence for rule in RULES}
    for result in data["results"]:
        assert result["evidence"] == evidence[result["id"]]
        assert result["verdict"] == "pass" and result["expected"] == result["observed"]
        assert result["calls"] and result["cleanup"] == []
    assert data["prefix"].startswith("hcnpy-conformance-") and data["left_behind"] == []
    assert set(data["addresses"]) == {"IPv4", "IPv6", "Ports"}


def test_record_writes_the_trace_and_the_report(hcnpy_cli: Run, tmp_path: Path) -> None:
    directory = tmp_path / "report-dir" / "nested"
    done = hcnpy_cli("conformance", "--backend", "sim", "--record", str(directory), "--json")
    assert done.returncode == 0, done.stderr
    report = load_report(directory / REPORT_FILE)
    assert report.to_json() == json_out(done)
    trace = read_trace(directory / TRACE_FILE)
    assert {record.backend for record in trace} == {"sim"}
    assert trace[0].function == "HNSCall"
    calls = [call for result in report.results for call in result.calls]
    assert [record.function for record in trace][-len(calls) :] == calls
    again = hcnpy_cli("conformance", "--backend", "sim", "--record", str(directory))
    assert again.returncode == 0
    assert len(read_trace(directory / TRACE_FILE)) == len(trace), "a new run replaces the trace"


def test_one_rule(hcnpy_cli: Run) -> None:
    done = hcnpy_cli("conformance", "--backend", "sim", "--rule", "subnet.overlap", "--rule",
                     "enumerate.order", "--json")  # fmt: skip
    assert done.returncode == 0
    assert [r["id"] for r in json_out(done)["results"]] == ["enumerate.order", "subnet.overlap"]


def test_a_divergence_exits_1(hcnpy_cli: Run) -> None:
    faults = {"HCNPY_SIM_FAULTS": "HcnCreateNetwork=HCN_E_INVALID_NETWORK@8"}
    done = hcnpy_cli("conformance", "--backend", "sim", env=faults)
    assert done.returncode == 1
    assert "Details:" in done.stdout


def test_a_leftover_exits_1_and_is_listed(hcnpy_cli: Run) -> None:
    faults = {"HCNPY_SIM_FAULTS": "HcnDeleteEndpoint=0x80004005@3"}
    done = hcnpy_cli("conformance", "--backend", "sim", env=faults)
    assert done.returncode == 1
    assert "Left behind (cleanup failed; delete these by hand):" in done.stdout
    assert "cleanup failed" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "nope"], "invalid choice: 'nope'"),
        (["--rule", "no.such-rule"], "no scenario checks a rule of that ID"),
        (["--compare", "missing.json"], "missing.json: No such file"),
        (["--compare", "report.json", "--backend", "hcn"], "--compare runs on the simulator"),
        (["--record", "a-file/inside"], "--record a-file/inside"),
        (["--unknown-flag"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2(hcnpy_cli: Run, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    done = hcnpy_cli("conformance", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_help_says_where_to_send_the_report(hcnpy_cli: Run) -> None:
    done = hcnpy_cli("conformance", "--help")
    assert done.returncode == 0
    assert "conformance report: <build>" in done.stdout
    assert "--compare REPORT" in done.stdout
