"""hcnpy.jsontext gives what the json module gives, without loading it (issue 12)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hcnpy import jsontext

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["<&>", "\u2028", "é", "\ud800", "\x00\x1f", '"\\'])
)
_keys = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(_keys, inner, max_size=4)
    ),
    max_leaves=25,
)
_options = st.fixed_dictionaries(
    {},
    optional={
        "ensure_ascii": st.booleans(),
        "allow_nan": st.booleans(),
        "indent": st.none() | st.integers(0, 4),
        "separators": st.sampled_from([(",", ":"), (", ", ": "), (",", ": ")]),
        "sort_keys": st.booleans(),
    },
)


def _outcome(function: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    try:
        return "ok", function(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=400)
@given(values, _options)
def test_dumps_matches_json(value: Any, options: dict[str, Any]) -> None:
    assert _outcome(jsontext.dumps, value, **options) == _outcome(json.dumps, value, **options)


@settings(max_examples=400)
@given(values, st.sampled_from(["", " ", "\n\t ", "  x"]))
def test_loads_matches_json(value: Any, padding: str) -> None:
    text = padding + json.dumps(value) + padding
    expected = _outcome(json.loads, text)
    got = _outcome(jsontext.loads, text)
    if expected[0] == "ok" and got[0] == "ok":
        assert json.dumps(got[1]) == json.dumps(expected[1])
    else:
        assert got == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "{", '{"a" 1}', "[1,]", "nul", '"\\x"', "1 2", '{"a":1}}', "\ufeff{}", '"\x01"'],
)
def test_loads_reports_errors_as_json_does(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        jsontext.loads(text)
    assert (got.value.msg, got.value.pos) == (expected.value.msg, expected.value.pos)


@given(st.binary(max_size=12) | values.map(lambda v: json.dumps(v).encode("utf-16")))
def test_loads_bytes_matches_json(data: bytes) -> None:
    expected = _outcome(json.loads, data)
    got = _outcome(jsontext.loads, data)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert json.dumps(got[1]) == json.dumps(expected[1])


def test_hooks_are_passed_through() -> None:
    pairs = jsontext.loads('{"a": 1.50, "a": NaN}', object_pairs_hook=list, parse_float=str)
    assert pairs == [("a", "1.50"), ("a", pytest.approx(math.nan, nan_ok=True))]
    known: dict[str, float] = {}
    with pytest.raises(KeyError):
        jsontext.loads("[Infinity]", parse_constant=known.__getitem__)


def test_circular_and_unknown_values_fail_as_json_does() -> None:
    loop: list[Any] = []
    loop.append(loop)
    for options in ({}, {"indent": 2}):
        assert _outcome(jsontext.dumps, loop, **options) == _outcome(json.dumps, loop, **options)
        assert _outcome(jsontext.dumps, {1j}, **options) == _outcome(json.dumps, {1j}, **options)
        bad_key = {(1,): 2}
        assert _outcome(jsontext.dumps, bad_key, **options) == _outcome(
            json.dumps, bad_key, **options
        )


def test_neither_json_nor_re_is_loaded() -> None:
    code = (
        "import sys\n"
        "from hcnpy import jsontext\n"
        "jsontext.loads(jsontext.dumps({'a': [1, 2.5, None]}, indent=4))\n"
        "print(sorted(m for m in ('json', 're') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
