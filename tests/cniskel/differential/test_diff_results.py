"""Results: create, print and convert to every version, cniskel against the Go library."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from cniskel.result import Result, ResultError

from .conftest import PROFILE
from .goref import Oracle, b64, unb64
from .jsongen import dump
from .results_gen import result_document

# Debian's library has no 1.1.0 result type: converting to it is a documented divergence
# (docs/cniskel/divergences.md, pinned in test_diff_pinned.py), so it is not compared here.
TARGETS = ("", "0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0")


def printed(result: Result, version: str | None) -> dict[str, str]:
    try:
        return {"out": b64(result.to_json(version))}
    except ResultError as exc:
        return {"error": str(exc)}


def cniskel_answer(version: str, data: bytes) -> dict[str, Any]:
    try:
        result = Result.from_json(data, version)
    except ResultError as exc:
        return {"error": str(exc)}
    answer: dict[str, Any] = {"version": result.cni_version, "print": printed(result, None)}
    answer["as"] = {target: printed(result.copy(), target) for target in TARGETS}
    return answer


def readable(answer: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in answer.items():
        if isinstance(value, dict):
            out[key] = readable(value)
        elif key == "out":
            out[key] = unb64(value).decode("utf-8", "replace")
        else:
            out[key] = value
    return out


@settings(settings.get_profile(PROFILE))
@given(result_document())
def test_results_match_go(oracle: Oracle, case: tuple[str, Any]) -> None:
    version, document = case
    data = dump(document).encode("utf-8", "surrogatepass")
    expected = oracle.ask("result", version=version, data=b64(data))
    if "as" in expected:
        expected["as"] = {t: v for t, v in expected["as"].items() if t in TARGETS}
    assert readable(cniskel_answer(version, data)) == readable(expected), data
