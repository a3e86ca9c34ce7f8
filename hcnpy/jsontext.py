"""JSON text in and out through CPython's C accelerator, without loading :mod:`json`.

Importing :mod:`json` loads :mod:`re` and its compiler, about 3.5 ms of every plugin process
that only needs ``_json``'s scanner and encoder. :func:`loads` and :func:`dumps` give exactly
what :func:`json.loads` and :func:`json.dumps` give for the options they take (the tests
compare both on generated documents), and raise the same :class:`json.JSONDecodeError`,
``TypeError`` and ``ValueError``; :mod:`json` is loaded only to report an error, or where
``_json`` is missing (another Python implementation).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_accelerator: Any
try:
    import _json as _accelerator
except ImportError:  # pragma: no cover - CPython always has _json
    _accelerator = None
_make_scanner = getattr(_accelerator, "make_scanner", None)

__all__ = ["dumps", "loads"]

_WHITESPACE = " \t\n\r"
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class _ScanOptions:
    """The attributes ``_json.make_scanner`` reads from a ``JSONDecoder``."""

    __slots__ = (
        "object_hook",
        "object_pairs_hook",
        "parse_constant",
        "parse_float",
        "parse_int",
        "strict",
    )

    def __init__(
        self,
        parse_float: Callable[[str], Any],
        parse_constant: Callable[[str], Any],
        object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None,
    ) -> None:
        self.strict = True
        self.object_hook = None
        self.object_pairs_hook = object_pairs_hook
        self.parse_float = parse_float
        self.parse_int = int
        self.parse_constant = parse_constant


_scanners: dict[tuple[object, object, object], Any] = {}


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _decode_error(message: str, text: str, index: int) -> ValueError:
    from json import JSONDecodeError

    return JSONDecodeError(message, text, index)


def loads(
    text: str | bytes | bytearray,
    *,
    parse_float: Callable[[str], Any] | None = None,
    parse_constant: Callable[[str], Any] | None = None,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
) -> Any:
    """:func:`json.loads` with these options (and ``strict``, as its default)."""
    if _make_scanner is None or (
        not isinstance(text, str) and (text[:3].startswith(_BOMS) or 0 in text[:4])
    ):
        import json

        return json.loads(
            text,
            parse_float=parse_float,
            parse_constant=parse_constant,
            object_pairs_hook=object_pairs_hook,
        )
    if not isinstance(text, str):
        text = bytes(text).decode("utf-8", "surrogatepass")
    elif text.startswith("\ufeff"):
        raise _decode_error("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    key = (parse_float, parse_constant, object_pairs_hook)
    scanner = _scanners.get(key)
    if scanner is None:
        options = _ScanOptions(
            parse_float or float, parse_constant or _CONSTANTS.__getitem__, object_pairs_hook
        )
        scanner = _scanners[key] = _make_scanner(options)
    start = _skip_space(text, 0)
    try:
        value, end = scanner(text, start)
    except StopIteration as stop:
        raise _decode_error("Expecting value", text, stop.value) from None
    except SystemError:
        # The C scanner reports a syntax error through json.decoder.JSONDecodeError, which
        # it finds only once json.decoder is loaded; load it and scan again to raise it.
        if "json.decoder" in sys.modules:
            raise
        import json.decoder

        return loads(
            text,
            parse_float=parse_float,
            parse_constant=parse_constant,
            object_pairs_hook=object_pairs_hook,
        )
    end = _skip_space(text, end)
    if end != len(text):
        raise _decode_error("Extra data", text, end)
    return value


def _not_serializable(value: object) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def dumps(
    value: object,
    *,
    ensure_ascii: bool = True,
    allow_nan: bool = True,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    """:func:`json.dumps` with these options."""
    if separators is None:
        separators = (", ", ": ") if indent is None else (",", ": ")
    item_separator, key_separator = separators
    if _make_scanner is None:
        import json

        return json.dumps(
            value,
            ensure_ascii=ensure_ascii,
            allow_nan=allow_nan,
            indent=indent,
            separators=separators,
            sort_keys=sort_keys,
        )
    encode_str = (
        _accelerator.encode_basestring_ascii if ensure_ascii else _accelerator.encode_basestring
    )
    if isinstance(value, str):
        return str(encode_str(value))
    if indent is None:
        encoder = _accelerator.make_encoder(
            {},
            _not_serializable,
            encode_str,
            None,
            key_separator,
            item_separator,
            sort_keys,
            False,
            allow_nan,
        )
        return "".join(encoder(value, 0))
    writer = _IndentedWriter(" " * indent, item_separator, key_separator, sort_keys, encode_str)
    writer.allow_nan = allow_nan
    writer.value(value, 0)
    return "".join(writer.out)


class _IndentedWriter:
    """The pure-Python half of :mod:`json.encoder`: what it writes when ``indent`` is set."""

    def __init__(
        self,
        indent: str,
        item_separator: str,
        key_separator: str,
        sort_keys: bool,
        encode_str: Callable[[str], str],
    ) -> None:
        self.indent = indent
        self.item_separator = item_separator
        self.key_separator = key_separator
        self.sort_keys = sort_keys
        self.encode_str = encode_str
        self.allow_nan = True
        self.out: list[str] = []
        self.markers: set[int] = set()

    def float_text(self, value: float) -> str:
        if value != value:
            text = "NaN"
        elif value == float("inf"):
            text = "Infinity"
        elif value == float("-inf"):
            text = "-Infinity"
        else:
            return float.__repr__(value)
        if not self.allow_nan:
            raise ValueError("Out of range float values are not JSON compliant: " + repr(value))
        return text

    def scalar(self, value: object) -> str | None:
        if isinstance(value, str):
            return self.encode_str(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return self.float_text(value)
        return None

    def value(self, value: object, level: int) -> None:
        text = self.scalar(value)
        if text is not None:
            self.out.append(text)
        elif isinstance(value, (list, tuple)):
            self.container(value, level, self.array)
        elif isinstance(value, dict):
            self.container(value, level, self.object)
        else:
            self.container(value, level, self.converted)

    def container(self, value: Any, level: int, write: Callable[[Any, int], None]) -> None:
        marker = id(value)
        if marker in self.markers:
            raise ValueError("Circular reference detected")
        self.markers.add(marker)
        write(value, level)
        self.markers.discard(marker)

    def converted(self, value: object, level: int) -> None:
        self.value(_not_serializable(value), level)

    def array(self, items: list[Any] | tuple[Any, ...], level: int) -> None:
        if not items:
            self.out.append("[]")
            return
        inner = "\n" + self.indent * (level + 1)
        self.out.append("[" + inner)
        for position, item in enumerate(items):
            if position:
                self.out.append(self.item_separator + inner)
            self.value(item, level + 1)
        self.out.append("\n" + self.indent * level + "]")

    def key_text(self, key: object) -> str:
        if isinstance(key, str):
            return key
        if isinstance(key, float):
            return self.float_text(key)
        if key is True or key is False or key is None:
            return str(self.scalar(key))
        if isinstance(key, int):
            return int.__repr__(key)
        raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")

    def object(self, mapping: dict[Any, Any], level: int) -> None:
        if not mapping:
            self.out.append("{}")
            return
        inner = "\n" + self.indent * (level + 1)
        self.out.append("{" + inner)
        items = sorted(mapping.items()) if self.sort_keys else mapping.items()
        for position, (key, item) in enumerate(items):
            if position:
                self.out.append(self.item_separator + inner)
            self.out.append(self.encode_str(self.key_text(key)) + self.key_separator)
            self.value(item, level + 1)
        self.out.append("\n" + self.indent * level + "}")
