"""JSON the way Go's ``encoding/json`` writes and reports it.

The reference prints with ``json.MarshalIndent(v, "", "    ")`` (no trailing
newline), escapes ``<``, ``>``, ``&``, U+2028 and U+2029, and reports decode
errors in its own words. Matching those keeps our output byte-compatible.
"""

from __future__ import annotations

import json

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


def _escape(text: str) -> str:
    # These characters can only occur inside JSON strings, so a global
    # replacement is safe.
    for raw, escaped in _GO_ESCAPES:
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def marshal_indent(value: object) -> bytes:
    """``json.MarshalIndent(value, "", "    ")`` in Go's style (no trailing newline)."""
    text = json.dumps(value, indent=4, ensure_ascii=False, separators=(",", ": "))
    return _escape(text).encode("utf-8", "replace")


def marshal(value: object, *, sort_keys: bool = False) -> bytes:
    """Compact ``json.Marshal`` output; ``sort_keys`` mimics marshalling a Go map."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    return _escape(text).encode("utf-8", "replace")


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` for printable text (``%q``)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def go_quote_list(items: list[str] | tuple[str, ...]) -> str:
    """Go's ``%q`` of a ``[]string``: ``["a" "b"]``."""
    return "[" + " ".join(go_quote(item) for item in items) + "]"


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


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


def loads(data: bytes | str) -> Any:
    """Decode JSON strictly (no NaN/Infinity), raising :class:`GoDecodeError`."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except _BadConstant as exc:
        pos = text.find(str(exc))
        raise GoDecodeError(
            _invalid_char(text, max(pos, 0), "looking for beginning of value")
        ) from None
    except json.JSONDecodeError as exc:
        raise GoDecodeError(_translate(text, exc)) from None
    except RecursionError:
        raise GoDecodeError("exceeded max depth") from None


def _quote_char(ch: str) -> str:
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    return "'" + go_quote(ch)[1:-1] + "'"


def _invalid_char(text: str, pos: int, context: str) -> str:
    if pos >= len(text):
        return "unexpected end of JSON input"
    return f"invalid character {_quote_char(text[pos])} {context}"


def _innermost_container(text: str, pos: int) -> str:
    stack: list[str] = []
    in_string = escaped = False
    for ch in text[:pos]:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            stack.append(ch)
        elif ch in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _translate(text: str, exc: json.JSONDecodeError) -> str:
    msg, pos = exc.msg, exc.pos
    if not text.strip() or pos >= len(text.rstrip()):
        return "unexpected end of JSON input"
    if msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    if msg.startswith("Invalid control character"):
        return _invalid_char(text, pos, "in string literal")
    if msg.startswith("Invalid \\escape") or msg.startswith("Invalid \\uXXXX"):
        return _invalid_char(text, pos + 1, "in string escape code")
    if msg.startswith("Expecting property name"):
        return _invalid_char(text, pos, "looking for beginning of object key string")
    if msg.startswith("Expecting ':'"):
        return _invalid_char(text, pos, "after object key")
    if msg.startswith("Expecting ','"):
        if _innermost_container(text, pos) == "{":
            return _invalid_char(text, pos, "after object key:value pair")
        return _invalid_char(text, pos, "after array element")
    if msg.startswith("Extra data"):
        return _invalid_char(text, pos, "after top-level value")
    if msg.startswith("Expecting value"):
        return _invalid_char(text, pos, "looking for beginning of value")
    return msg
