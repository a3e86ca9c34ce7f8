"""Decoding a JSON value into a described Go type, with Go 1.19 ``encoding/json`` semantics.

The CNI reference decodes results, plugin information and ``prevResult`` with
``json.Unmarshal`` into Go structs; what it accepts and which error it reports depend on
that decoder's rules, reproduced here:

* keys match struct fields exactly or else case-insensitively (:mod:`hcnpy.jsonkeys`
  folding), in document order, so the last matching key wins; unknown keys are skipped
  unchecked;
* ``null`` leaves a string, number, boolean or struct as it was and resets a slice,
  map, pointer or interface;
* a value of the wrong kind is a *saved* error: decoding goes on and the first one is
  reported at the end, worded ``cannot unmarshal KIND into Go struct field S.PATH of
  type T``;
* an error returned by a type's own ``UnmarshalJSON``/``UnmarshalText`` (an IP address
  that does not parse) *aborts* at once and wins over any saved error; a type error
  coming out of such a nested decode is re-labelled with the outer field.

Types are described by small node objects (:class:`Struct`, :class:`Slice`, ...). Values
come from :func:`cniskel._gojson.loads`. Decoded structs are dicts keyed by JSON name.
"""

from __future__ import annotations

from cniskel._gojson import json_kind, number_literal, pairs_of
from hcnpy.jsonkeys import fold

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


class GoJSONError(ValueError):
    """What ``json.Unmarshal`` returned, in Go's words."""


class TypeMismatch(Exception):
    """Go's ``*json.UnmarshalTypeError`` (its context is filled in as Go does)."""

    def __init__(self, value: str, gotype: str) -> None:
        super().__init__(value, gotype)
        self.value = value
        self.gotype = gotype
        self.struct: str | None = None
        self.field = ""

    def __str__(self) -> str:
        if self.struct is not None or self.field:
            return (
                f"json: cannot unmarshal {self.value} into Go struct field "
                f"{self.struct or ''}.{self.field} of type {self.gotype}"
            )
        return f"json: cannot unmarshal {self.value} into Go value of type {self.gotype}"


class _Abort(Exception):
    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class Node:
    """A Go type: how to decode into it and what its zero value is."""

    gotype = ""

    def zero(self) -> Any:
        return None

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        raise NotImplementedError


class _Scalar(Node):
    def __init__(self, gotype: str, zero: Any) -> None:
        self.gotype = gotype
        self._zero = zero

    def zero(self) -> Any:
        return self._zero

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return current
        converted = self.convert(value)
        if converted is _WRONG:
            kind = json_kind(value)
            if kind == "number" and self.gotype != "string" and self.gotype != "bool":
                kind = "number " + number_literal(value)
            dec.save(TypeMismatch(kind, self.gotype))
            return current
        return converted

    def convert(self, value: Any) -> Any:
        raise NotImplementedError


_WRONG = object()


class _String(_Scalar):
    def convert(self, value: Any) -> Any:
        return value if isinstance(value, str) else _WRONG


class _Bool(_Scalar):
    def convert(self, value: Any) -> Any:
        return value if isinstance(value, bool) else _WRONG


class _Int(_Scalar):
    def convert(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _WRONG
        if isinstance(value, float):
            return _WRONG  # ParseInt rejects fractions and exponents
        return value if _INT64_MIN <= value <= _INT64_MAX else _WRONG

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return current
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            dec.save(TypeMismatch(json_kind(value), self.gotype))
            return current
        converted = self.convert(value)
        if converted is _WRONG:
            dec.save(TypeMismatch("number " + number_literal(value), self.gotype))
            return current
        return converted


def float64(value: int | float) -> float | None:
    """``strconv.ParseFloat(literal, 64)``: None when out of range."""
    try:
        result = float(value)
    except OverflowError:
        return None
    if result in (float("inf"), float("-inf")):
        return None
    return result


class _Float(_Scalar):
    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return current
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            dec.save(TypeMismatch(json_kind(value), self.gotype))
            return current
        result = float64(value)
        if result is None:
            dec.save(TypeMismatch("number " + number_literal(value), self.gotype))
            return current
        return result


STRING: Node = _String("string", "")
BOOL: Node = _Bool("bool", False)
INT: Node = _Int("int", 0)
FLOAT64: Node = _Float("float64", 0.0)


class _Any(Node):
    """``interface{}``: objects become dicts, numbers float64 (overflow is an error)."""

    gotype = "interface {}"

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if isinstance(value, dict):
            return {key: self.decode(dec, item, None) for key, item in pairs_of(value)}
        if isinstance(value, list):
            return [self.decode(dec, item, None) for item in value]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        result = float64(value)
        if result is None:
            dec.save(TypeMismatch("number " + number_literal(value), "float64"))
            return None
        return result


ANY: Node = _Any()


class Map(Node):
    """``map[string]T``; keys are kept as written."""

    def __init__(self, elem: Node, gotype: str) -> None:
        self.elem = elem
        self.gotype = gotype

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            dec.save(TypeMismatch(json_kind(value), self.gotype))
            return current
        out = dict(current) if isinstance(current, dict) else {}
        for key, item in pairs_of(value):
            out[key] = self.elem.decode(dec, item, self.elem.zero())
        return out


class Slice(Node):
    """``[]T``; ``None`` is the nil slice."""

    def __init__(self, elem: Node, gotype: str) -> None:
        self.elem = elem
        self.gotype = gotype

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            dec.save(TypeMismatch(json_kind(value), self.gotype))
            return current
        return [self.elem.decode(dec, item, self.elem.zero()) for item in value]


class Ptr(Node):
    """``*T``: ``null`` is nil (``None``); anything else decodes into a new ``T``."""

    def __init__(self, elem: Node) -> None:
        self.elem = elem
        self.gotype = "*" + elem.gotype

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return None
        base = current if current is not None else self.elem.zero()
        return self.elem.decode(dec, value, base)


class Field:
    """A struct field: its JSON ``name`` and type."""

    __slots__ = ("folded", "name", "node")

    def __init__(self, name: str, node: Node) -> None:
        self.name = name
        self.node = node
        self.folded = fold(name)


class Struct(Node):
    """A Go struct named ``name`` (``gotype`` is its package-qualified type)."""

    def __init__(self, name: str, gotype: str, fields: Sequence[Field]) -> None:
        self.name = name
        self.gotype = gotype
        self.fields = list(fields)
        self._exact = {f.name: f for f in self.fields}

    def zero(self) -> Any:
        return {f.name: f.node.zero() for f in self.fields}

    def field_for(self, key: str) -> Field | None:
        found = self._exact.get(key)
        if found is not None:
            return found
        folded = fold(key)
        for candidate in self.fields:
            if candidate.folded == folded:
                return candidate
        return None

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return current
        if not isinstance(value, dict):
            dec.save(TypeMismatch(json_kind(value), self.gotype))
            return current
        out = dict(current) if isinstance(current, dict) else self.zero()
        for key, item in pairs_of(value):
            spec = self.field_for(key)
            if spec is None:
                continue
            saved_struct, depth = dec.struct, len(dec.stack)
            dec.stack.append(spec.name)
            dec.struct = self.name
            out[spec.name] = spec.node.decode(dec, item, out[spec.name])
            del dec.stack[depth:]
            dec.struct = saved_struct
        return out


class Custom(Node):
    """A type with its own ``UnmarshalJSON``: ``parse(value)`` decodes or raises.

    ``parse`` runs a nested decode (use :func:`unmarshal`); whatever it raises aborts the
    outer decode, and a :class:`TypeMismatch` is re-labelled with the outer field.
    """

    def __init__(self, gotype: str, parse: Callable[[Any], Any], zero: Any = None) -> None:
        self.gotype = gotype
        self.parse = parse
        self._zero = zero

    def zero(self) -> Any:
        return self._zero

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        try:
            return self.parse(value)
        except (TypeMismatch, GoJSONError, ValueError) as exc:
            raise _Abort(exc) from None


class Text(Node):
    """A type with ``UnmarshalText`` (``net.IP``): strings go to ``parse``, which may raise."""

    def __init__(self, gotype: str, parse: Callable[[str], Any]) -> None:
        self.gotype = gotype
        self.parse = parse

    def decode(self, dec: _Decoder, value: Any, current: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            dec.save(TypeMismatch(json_kind(value), self.gotype))
            return current
        try:
            return self.parse(value)
        except ValueError as exc:
            raise _Abort(exc) from None


class _Decoder:
    def __init__(self) -> None:
        self.struct: str | None = None
        self.stack: list[str] = []
        self.saved: Exception | None = None

    def label(self, error: Exception) -> Exception:
        if isinstance(error, TypeMismatch) and (self.struct is not None or self.stack):
            error.struct = self.struct or ""
            error.field = ".".join(self.stack)
        return error

    def save(self, error: Exception) -> None:
        if self.saved is None:
            self.saved = self.label(error)


def unmarshal(value: Any, node: Node, current: Any = None) -> Any:
    """``json.Unmarshal`` of an already-parsed ``value`` into ``node``.

    Raises :class:`TypeMismatch` (a saved or re-labelled type error) or the error a
    custom decoder aborted with (:class:`GoJSONError`/ValueError).
    """
    dec = _Decoder()
    try:
        result = node.decode(dec, value, node.zero() if current is None else current)
    except _Abort as abort:
        raise dec.label(abort.error) from None
    if dec.saved is not None:
        raise dec.saved
    return result


def go_map_roundtrip(value: Any) -> Any:
    """``value`` as it comes back from Go's ``map[string]interface{}`` and ``json.Marshal``.

    Numbers become float64 re-written in Go's format (``1.0`` is ``1``, a 20-digit integer
    loses precision); object keys come out sorted.
    """
    from cniskel._gojson import GoFloat, go_float_text

    if isinstance(value, dict):
        return {key: go_map_roundtrip(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [go_map_roundtrip(item) for item in value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    text = go_float_text(float(value))
    if "." in text or "e" in text:
        return GoFloat(text)
    return int(text)
