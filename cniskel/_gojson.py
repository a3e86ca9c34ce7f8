"""JSON the way Go's ``encoding/json`` reads, writes and reports it.

The reference prints with ``json.MarshalIndent(v, "", "    ")`` (no trailing
newline), escapes ``<``, ``>``, ``&``, U+2028 and U+2029, spells backspace and
form feed ``\\u0008``/``\\u000c``, and reports decode errors in its own words.
Decoding keeps what Go's decoder needs later: the literal text of every
non-integer number (:class:`GoFloat`), integers of any length, and strings
with invalid UTF-8 or unpaired surrogates replaced by U+FFFD as Go does.
"""

from __future__ import annotations

import sys

from cniskel._goquote import go_quote, go_quote_list
from hcnpy import jsontext

__all__ = [
    "GoDecodeError",
    "GoFloat",
    "GoObject",
    "go_float_text",
    "go_quote",
    "go_quote_list",
    "json_kind",
    "loads",
    "marshal",
    "marshal_indent",
    "number_literal",
    "pairs_of",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_GO_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


class GoFloat(float):
    """A JSON number written with a fraction or an exponent, remembering its ``literal``.

    Go's error messages quote a number as written (``number 1500.0``); the value may be
    infinite (``1e400``) since Go only rejects it where it decodes it into a number.
    """

    literal: str

    def __new__(cls, literal: str) -> GoFloat:
        self = super().__new__(cls, literal)
        self.literal = literal
        return self


def number_literal(value: int | float) -> str:
    """The JSON text of a decoded number (the literal for a :class:`GoFloat`)."""
    if isinstance(value, GoFloat):
        return value.literal
    if isinstance(value, int):
        return _int_text(value)
    return go_float_text(value)


def _int_text(value: int) -> str:
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return str(value)
    finally:
        sys.set_int_max_str_digits(limit)


def go_float_text(value: float) -> str:
    """A float64 as Go's encoder writes it (``1500``, ``1.5``, ``1e+21``, ``1e-7``)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"json: unsupported value: {value}")
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    magnitude = abs(value)
    if 1e-6 <= magnitude < 1e21:
        text = repr(value)
        if "e" in text:  # repr uses exponents below 1e-4 and from 1e16 on
            text = _expand_exponent(text)
        elif text.endswith(".0"):
            text = text[:-2]
        return text
    mantissa, _, exponent = repr(value).partition("e")
    if not exponent:
        mantissa, _, exponent = format(value, "e").partition("e")
        mantissa = repr(float(mantissa))
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    sign = "-" if exponent.startswith("-") else "+"
    digits = exponent.lstrip("+-").lstrip("0") or "0"
    return f"{mantissa}e{sign}{digits}"


def _expand_exponent(text: str) -> str:
    # "1.2345e+19" -> "12345000000000000000": the shortest digits in positional form.
    sign = "-" if text.startswith("-") else ""
    mantissa, _, exponent = text.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0") or "0"
    point = len(whole) + int(exponent) - (len(whole + fraction) - len(digits))
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _escape(text: str) -> str:
    # These characters can only occur inside JSON strings, so a global
    # replacement is safe.
    for raw, escaped in _GO_ESCAPES:
        if raw in text:
            text = text.replace(raw, escaped)
    if "\\b" in text or "\\f" in text:
        text = _respell_short_escapes(text)
    return text


def _respell_short_escapes(text: str) -> str:
    out: list[str] = []
    index = 0
    while True:
        found = text.find("\\", index)
        if found < 0:
            out.append(text[index:])
            return "".join(out)
        out.append(text[index:found])
        pair = text[found : found + 2]
        out.append({"\\b": "\\u0008", "\\f": "\\u000c"}.get(pair, pair))
        index = found + 2


def _dumps(value: object, **options: Any) -> str:
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return jsontext.dumps(value, ensure_ascii=False, allow_nan=False, **options)
    finally:
        sys.set_int_max_str_digits(limit)


def _encode(text: str) -> bytes:
    # Go writes an invalid byte of a string (kept here as a surrogate) as the escape \ufffd.
    if _needs_repair(text):
        text = "".join("\\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    return text.encode("utf-8")


def marshal_indent(value: object) -> bytes:
    """``json.MarshalIndent(value, "", "    ")`` in Go's style (no trailing newline).

    Raises ValueError for a non-finite float, as Go's encoder does.
    """
    return _encode(_escape(_dumps(value, indent=4, separators=(",", ": "))))


def marshal(value: object, *, sort_keys: bool = False) -> bytes:
    """Compact ``json.Marshal`` output; ``sort_keys`` mimics marshalling a Go map."""
    return _encode(_escape(_dumps(value, separators=(",", ":"), sort_keys=sort_keys)))


def json_kind(value: object) -> str:
    """The word Go's decoder uses for a JSON value's kind in type errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"


class GoDecodeError(ValueError):
    """A JSON syntax error, worded like Go's ``encoding/json``."""


class GoObject(dict):  # type: ignore[type-arg]
    """A decoded JSON object that repeats a key; :attr:`pairs` keeps them all, in order.

    As a dict it holds the last value of each key. Go's decoder sees every occurrence
    (an early wrongly-typed one is still an error), so decoders that follow Go iterate
    :func:`pairs_of` instead.
    """

    pairs: list[tuple[str, Any]]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    repeated = GoObject(obj)
    repeated.pairs = pairs
    return repeated


def pairs_of(obj: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every key/value of a decoded object in document order, repeated keys included."""
    return obj.pairs if isinstance(obj, GoObject) else list(obj.items())


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


def _needs_repair(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def _repair(value: Any) -> Any:
    # Go decodes invalid UTF-8 and unpaired surrogate escapes to U+FFFD, one per byte/escape.
    if isinstance(value, str):
        if _needs_repair(value):
            return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in value)
        return value
    if isinstance(value, list):
        return [_repair(item) for item in value]
    if isinstance(value, dict):
        return _object([(_repair(key), _repair(item)) for key, item in pairs_of(value)])
    return value


def loads(data: bytes | str) -> Any:
    """Decode JSON like Go (no NaN/Infinity, no BOM), raising :class:`GoDecodeError`.

    Numbers with a fraction or exponent become :class:`GoFloat`; integers keep every
    digit, however many; an object that repeats a key is a :class:`GoObject`.
    """
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "surrogateescape")
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        value = jsontext.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=GoFloat,
            object_pairs_hook=_object,
        )
    except (ValueError, RecursionError) as exc:
        from cniskel._goscan import syntax_error

        raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
        message = syntax_error(raw)
        if message is None:  # valid for Go, too deep for Python's parser
            message = "exceeded max depth" if isinstance(exc, RecursionError) else str(exc)
        raise GoDecodeError(message) from None
    finally:
        sys.set_int_max_str_digits(limit)
    if _needs_repair(text) or "\\ud" in text or "\\uD" in text:
        value = _repair(value)
    return value
