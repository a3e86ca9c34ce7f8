"""The report document: its schema, a round trip through JSON, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcnpy.conformance import VERDICTS, Report, ReportError, RuleResult, load_report
from hcnpy.conformance._outcome import parse_parts, render_parts

TOP_KEYS = {"kit", "kit_version", "hcnpy_version", "backend", "library", "hns_version",
            "hns_version_error", "os_build", "platform", "python", "started", "seconds",
            "prefix", "addresses", "left_behind", "summary", "results"}  # fmt: skip
RESULT_KEYS = {"id", "evidence", "expected", "observed", "verdict", "detail", "calls",
               "cleanup", "seconds"}  # fmt: skip

_text = st.text(st.characters(codec="utf-8"), max_size=40)
_label = _text.filter(lambda t: ": " not in t and "; " not in t and t != "" and not t.endswith(":"))
_value = _text.filter(lambda t: "; " not in t and not t.startswith(" ") and not t.endswith(";"))


def _report(results: list[RuleResult]) -> Report:
    return Report(backend="sim", hns_version="15.4", results=results, prefix="hcnpy-conformance-x")


_results = st.lists(
    st.builds(
        RuleResult,
        id=_text,
        evidence=st.sampled_from(["observed", "chosen"]),
        expected=_text,
        observed=_text,
        verdict=st.sampled_from(VERDICTS),
        detail=_text,
        calls=st.lists(st.sampled_from(["HcnCreateNetwork", "HNSCall"]), max_size=4),
        cleanup=st.lists(_text, max_size=2),
        seconds=st.floats(min_value=0, max_value=100),
    ),
    max_size=5,
)


@given(_results)
def test_a_report_survives_json(results: list[RuleResult]) -> None:
    report = _report(results)
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == TOP_KEYS
    assert all(set(item) == RESULT_KEYS for item in data["results"])
    assert sum(data["summary"].values()) == len(results)
    assert Report.from_json(data) == report


@given(st.dictionaries(_label, _value, min_size=1, max_size=5))
def test_rendered_parts_read_back(parts: dict[str, str]) -> None:
    assert parse_parts(render_parts(parts)) == parts


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


GOOD = _report([RuleResult("subnet.overlap", "chosen", "x: S_OK", "x: S_OK", "pass")]).to_json()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not JSON"),
        ([], "not an hcnpy conformance report"),
        ({**GOOD, "kit": "something else"}, "not an hcnpy conformance report"),
        ({**GOOD, "hns_version": "fifteen"}, "hns_version must be"),
        ({**GOOD, "results": {}}, '"results" must be a list'),
        (
            {**GOOD, "results": [{"id": "a", "observed": "b", "verdict": "maybe"}]},
            "verdict 'maybe'",
        ),
        ({**GOOD, "results": [{"id": "a", "verdict": "pass"}]}, '"observed" must be a string'),
        ({**GOOD, "results": [{"id": "a", "observed": "b", "verdict": "pass"}]}, "results\\[0\\]"),
        ({k: v for k, v in GOOD.items() if k != "backend"}, "backend"),
    ],
)
def test_a_bad_report_is_refused_with_the_reason(
    tmp_path: Path, data: object, message: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ReportError, match=message) as caught:
        load_report(path)
    assert str(path) in str(caught.value)


def test_a_missing_report_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="No such file"):
        load_report(tmp_path / "nope.json")


def test_a_report_loads(tmp_path: Path) -> None:
    report = load_report(_write(tmp_path, GOOD))
    assert report.results[0].id == "subnet.overlap" and report.passed
