"""The one converter between models and HNS JSON, and ``to_dict``/``from_dict``/``to_json``/
``from_json``.

Wire rules (from the :class:`~hcnpy.models._base.Wire` record of every field):

* keys are spelled exactly as HNS spells them (``ID``, ``VIP``, ``PolicyType``, …) and are
  written in Go struct order; unknown keys kept in ``unknown_fields`` follow them;
* a key is omitted only where its field says so (``None``, an empty list, a zero flag set);
  always-sent fields such as ``SchemaVersion`` are never omitted;
* enums are sent as their wire values (flag sets as integers); policy ``Settings`` and the
  ``Settings`` of modify requests are nested objects, typed by the sibling ``Type``.

Reading is lenient: keys match case-insensitively, ``null`` counts as absent, an absent
always-sent field takes its zero value (a NAT network comes back without ``Type``), an unknown
enum value stays a plain ``str``/``int``, numbers are accepted where HNS uses number-strings,
and unknown keys are kept. Anything else raises :class:`hcnpy.ValidationError` naming the
path — never ``KeyError``/``TypeError``/``AttributeError``.

The cattrs converter is built on first use and cached; per-class hooks are made by hook
factories the first time a class is converted, so a process pays only for what it touches.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

import attrs

from .models._base import Model, Wire, csv_string, wire_of

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "converter",
    "from_dict",
    "from_json",
    "to_dict",
    "to_json",
    "wire_keys",
]

T = TypeVar("T")

_UNKNOWN: Final = "unknown_fields"


class _Invalid(Exception):
    """A decoding/encoding failure; carries the path (wire keys and attribute names)."""

    def __init__(self, reason: str, value: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value
        self.wire_parts: list[str] = []
        self.attr_parts: list[str] = []

    def push(self, wire_part: str, attr_part: str) -> None:
        self.wire_parts.insert(0, wire_part)
        self.attr_parts.insert(0, attr_part)


def join_path(parts: Sequence[str]) -> str:
    """``["Ipams", "[0]", "Subnets"]`` → ``"Ipams[0].Subnets"``."""
    out = ""
    for part in parts:
        out += part if part.startswith("[") or not out else "." + part
    return out


# --------------------------------------------------------------------------- JSON values


def _copy_json(value: Any) -> Any:
    """A deep copy of a JSON value; rejects what JSON cannot hold."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Invalid("NaN and infinity are not JSON", value)
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Invalid("JSON object keys must be strings", key)
            try:
                out[key] = _copy_json(item)
            except _Invalid as exc:
                exc.push(key, key)
                raise
        return out
    if isinstance(value, list | tuple):
        items = []
        for index, item in enumerate(value):
            try:
                items.append(_copy_json(item))
            except _Invalid as exc:
                exc.push(f"[{index}]", f"[{index}]")
                raise
        return items
    raise _Invalid(f"not a JSON value ({type(value).__name__})", value)


# --------------------------------------------------------------------------- decoders

Decoder = Callable[[Any], Any]


def _dec_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _Invalid("expected a string", value)


def _dec_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise _Invalid("expected an integer", value)


def _dec_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid("expected true or false", value)


def _dec_numstr(value: Any) -> str:
    """A string HNS may also send as a number (ports, protocols)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    raise _Invalid("expected a string or a number", value)


def _dec_csv(value: Any) -> str:
    """A comma-separated string; a number or a list of strings/numbers is joined."""
    if isinstance(value, list):
        parts = []
        for index, item in enumerate(value):
            try:
                parts.append(_dec_numstr(item))
            except _Invalid as exc:
                exc.push(f"[{index}]", f"[{index}]")
                raise
        return ",".join(parts)
    return _dec_numstr(value)


def _dec_raw(value: Any) -> Any:
    return _copy_json(value)


def _dec_flag(cls: type[enum.IntFlag]) -> Decoder:
    def decode(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return cls(value)
        raise _Invalid(f"expected a non-negative integer ({cls.__name__})", value)

    return decode


def _dec_str_enum(cls: type[enum.Enum]) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, str):
            raise _Invalid(f"expected a string ({cls.__name__})", value)
        try:
            return cls(value)
        except ValueError:
            return value  # a value this library does not know yet: keep it

    return decode


def _dec_int_enum(cls: type[enum.Enum], allow_str: bool) -> Decoder:
    def decode(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                return int(value)
        if allow_str and isinstance(value, str):
            return value
        raise _Invalid(f"expected an integer ({cls.__name__})", value)

    return decode


def _dec_tuple(item: Decoder) -> Decoder:
    def decode(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _Invalid("expected a list", value)
        out = []
        for index, element in enumerate(value):
            if element is None:
                exc = _Invalid("null is not allowed in this list", element)
                exc.push(f"[{index}]", f"[{index}]")
                raise exc
            try:
                out.append(item(element))
            except _Invalid as exc:
                exc.push(f"[{index}]", f"[{index}]")
                raise
        return tuple(out)

    return decode


def _union_members(tp: Any) -> list[Any]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _is_mapping_type(tp: Any) -> bool:
    origin = typing.get_origin(tp) or tp
    return isinstance(origin, type) and issubclass(origin, Mapping)


def _decoder_for(tp: Any, meta: Wire, conv: cattrs.BaseConverter) -> Decoder:
    """The decoder of one field type (``None`` already stripped by the caller)."""
    members = _union_members(tp)
    if meta.csv:
        if typing.get_origin(members[0]) is tuple:
            return _dec_tuple(_dec_numstr)
        return _dec_csv
    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
    if enums:
        cls = enums[0]
        if issubclass(cls, enum.IntFlag):
            return _dec_flag(cls)
        if issubclass(cls, int):
            return _dec_int_enum(cls, allow_str=str in members)
        return _dec_str_enum(cls)
    if len(members) != 1:
        if any(_is_mapping_type(m) for m in members) or Any in members:
            return _dec_raw
        raise TypeError(f"hcnpy.convert: unsupported field type {tp!r}")
    (only,) = members
    if only is Any or _is_mapping_type(only):
        return _dec_raw
    if typing.get_origin(only) is tuple:
        return _dec_tuple(_decoder_for(typing.get_args(only)[0], Wire(meta.key), conv))
    if only is str:
        return _dec_str
    if only is bool:
        return _dec_bool
    if only is int:
        return _dec_int
    if attrs.has(only):
        return _dec_model(only, conv)
    raise TypeError(f"hcnpy.convert: unsupported field type {tp!r}")


def _dec_model(cls: type[Any], conv: cattrs.BaseConverter) -> Decoder:
    hook: list[Callable[[Any, Any], Any]] = []

    def decode(value: Any) -> Any:
        if not hook:
            hook.append(conv.get_structure_hook(cls))
        return hook[0](value, cls)

    return decode


# --------------------------------------------------------------------------- class plans


class _FieldPlan:
    __slots__ = (
        "aliases",
        "attr",
        "decode",
        "dispatch",
        "dispatch_on",
        "empty",
        "key",
        "missing",
        "required",
    )

    def __init__(self, field: attrs.Attribute[Any], meta: Wire, conv: cattrs.BaseConverter):
        self.attr = field.name
        self.key = meta.key
        self.aliases = meta.aliases
        self.missing = meta.missing
        self.required = field.default is attrs.NOTHING
        self.dispatch = meta.dispatch
        self.dispatch_on = meta.dispatch_on
        members = _union_members(field.type)
        self.decode: Decoder = (
            _dec_raw if meta.dispatch is not None else _decoder_for(field.type, meta, conv)
        )
        is_flag = any(isinstance(m, type) and issubclass(m, enum.IntFlag) for m in members)
        is_seq = any(typing.get_origin(m) is tuple for m in members)
        #: Is ``value`` "empty" for omission (only consulted when ``meta.omit``)?
        self.empty: Callable[[Any], bool]
        if not meta.omit:
            self.empty = _never
        elif is_flag:
            self.empty = _zero_or_none
        elif is_seq:
            self.empty = _empty_seq
        else:
            self.empty = _is_none


def _never(value: Any) -> bool:
    return False


def _is_none(value: Any) -> bool:
    return value is None


def _zero_or_none(value: Any) -> bool:
    return value is None or value == 0


def _empty_seq(value: Any) -> bool:
    return value is None or (isinstance(value, list | tuple) and not value)


_PLANS: dict[type[Any], list[_FieldPlan]] = {}


def _plan(cls: type[Any], conv: cattrs.BaseConverter) -> list[_FieldPlan]:
    plan = _PLANS.get(cls)
    if plan is None:
        fields = attrs.fields(cls)
        if any(isinstance(f.type, str) for f in fields if f.name != _UNKNOWN):
            attrs.resolve_types(cls)
            fields = attrs.fields(cls)
        plan = []
        for field in fields:
            meta = wire_of(field)
            if meta is not None:
                plan.append(_FieldPlan(field, meta, conv))
        _PLANS[cls] = plan
    return plan


def wire_keys(cls: type[Any]) -> tuple[str, ...]:
    """The JSON keys of model class ``cls`` in wire order (aliases accepted on read excluded)."""
    return tuple(meta.key for f in attrs.fields(cls) if (meta := wire_of(f)) is not None)


def _make_structure(cls: type[Any], conv: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
    plan = _plan(cls, conv)
    canonical = {fp.key: fp for fp in plan}
    aliases = {alias: fp for fp in plan for alias in fp.aliases}
    folded: dict[str, _FieldPlan] = {}
    for fp in plan:
        for name in (fp.key, *fp.aliases):
            folded.setdefault(name.casefold(), fp)
    has_unknown = any(f.name == _UNKNOWN for f in attrs.fields(cls))

    def structure(data: Any, _: Any = None) -> Any:
        if not isinstance(data, Mapping):
            raise _Invalid(f"expected a JSON object ({cls.__name__})", data)
        # Pick, per field, the best key: exact canonical, then exact alias, then any case.
        chosen: dict[str, tuple[int, str, _FieldPlan]] = {}
        for key in data:
            if not isinstance(key, str):
                raise _Invalid("JSON object keys must be strings", key)
            fp = canonical.get(key)
            rank = 0
            if fp is None:
                fp, rank = aliases.get(key), 1
            if fp is None:
                fp, rank = folded.get(key.casefold()), 2
            if fp is None:
                continue
            best = chosen.get(fp.attr)
            if best is None or rank < best[0]:
                chosen[fp.attr] = (rank, key, fp)
        used = {key for _, key, _ in chosen.values()}
        values: dict[str, Any] = {}
        later: list[tuple[str, _FieldPlan]] = []
        for fp in plan:
            pick = chosen.get(fp.attr)
            raw = None if pick is None else data[pick[1]]
            if raw is None:
                if fp.required:
                    if fp.missing is attrs.NOTHING:
                        exc = _Invalid("required key is missing", None)
                        exc.push(fp.key, fp.attr)
                        raise exc
                    values[fp.attr] = fp.missing
                continue
            assert pick is not None
            if fp.dispatch is not None:
                later.append((pick[1], fp))
                continue
            try:
                values[fp.attr] = fp.decode(raw)
            except _Invalid as exc:
                exc.push(pick[1], fp.attr)
                raise
        for key, fp in later:
            raw = data[key]
            try:
                target = fp.dispatch(values.get(fp.dispatch_on)) if fp.dispatch else None
                if target is None:
                    values[fp.attr] = _copy_json(raw)
                else:
                    values[fp.attr] = conv.get_structure_hook(target)(raw, target)
            except _Invalid as exc:
                exc.push(key, fp.attr)
                raise
        if has_unknown:
            unknown = {k: _copy_json(v) for k, v in data.items() if k not in used}
            if unknown:
                values[_UNKNOWN] = unknown
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:  # a constructor that rejects the values
            raise _Invalid(str(exc), dict(data)) from None

    return structure


# --------------------------------------------------------------------------- encoders


def _encode(value: Any, conv: cattrs.BaseConverter) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return int(value) if isinstance(value, int) else value.value
    if isinstance(value, str | int | float):
        return _copy_json(value)
    if attrs.has(type(value)):
        return conv.unstructure(value)
    if isinstance(value, list | tuple):
        out = []
        for index, item in enumerate(value):
            try:
                out.append(_encode(item, conv))
            except _Invalid as exc:
                exc.push(f"[{index}]", f"[{index}]")
                raise
        return out
    if isinstance(value, Mapping):
        return _copy_json(value)
    raise _Invalid(f"cannot encode {type(value).__name__}", value)


def _make_unstructure(cls: type[Any], conv: cattrs.BaseConverter) -> Callable[[Any], Any]:
    plan = _plan(cls, conv)
    csv_fields = {
        f.name for f in attrs.fields(cls) if (meta := wire_of(f)) is not None and meta.csv
    }

    def unstructure(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fp in plan:
            value = getattr(obj, fp.attr)
            if fp.empty(value):
                continue
            if value is None and fp.dispatch is None:
                continue  # never send null for a typed field
            if fp.attr in csv_fields:
                value = (
                    [csv_string(v) for v in value]
                    if isinstance(value, tuple | list)
                    else csv_string(value)
                )
            try:
                out[fp.key] = _encode(value, conv)
            except _Invalid as exc:
                exc.push(fp.key, fp.attr)
                raise
        extra = getattr(obj, _UNKNOWN, None)
        if extra:
            if not isinstance(extra, Mapping):
                raise _Invalid("unknown_fields must be a mapping", extra)
            for key, value in extra.items():
                if not isinstance(key, str):
                    raise _Invalid("unknown_fields keys must be strings", key)
                if key not in out:
                    try:
                        out[key] = _copy_json(value)
                    except _Invalid as exc:
                        exc.push(key, _UNKNOWN)
                        raise
        return out

    return unstructure


# --------------------------------------------------------------------------- the converter

_CONVERTER: cattrs.BaseConverter | None = None


def converter() -> cattrs.BaseConverter:
    """The cattrs converter with hcnpy's wire rules (built on first use, then cached)."""
    global _CONVERTER
    if _CONVERTER is None:
        import cattrs

        conv = cattrs.BaseConverter()
        conv.register_structure_hook_factory(attrs.has, lambda cls: _make_structure(cls, conv))
        conv.register_unstructure_hook_factory(attrs.has, lambda cls: _make_unstructure(cls, conv))
        _CONVERTER = conv
    return _CONVERTER


def _validation_error(exc: _Invalid) -> Exception:
    from .errors import ValidationError

    return ValidationError(join_path(exc.wire_parts), exc.value, exc.reason)


def to_dict(obj: Model) -> dict[str, Any]:
    """The HNS JSON object for model ``obj`` (plain dicts and lists, keys in wire order)."""
    if not attrs.has(type(obj)):
        raise TypeError(f"to_dict() expects an hcnpy model, not {type(obj).__name__}")
    try:
        result: dict[str, Any] = converter().unstructure(obj)
    except _Invalid as exc:
        raise _validation_error(exc) from None
    except RecursionError:
        from .errors import ValidationError

        raise ValidationError("", "…", "object is nested too deeply") from None
    return result


def from_dict(cls: type[T], data: Any) -> T:
    """Decode the HNS JSON object ``data`` into model class ``cls``.

    Raises :class:`hcnpy.ValidationError` (a ``ValueError``) naming the offending path.
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise TypeError(f"from_dict() expects an hcnpy model class, not {cls!r}")
    try:
        result: T = cast(T, converter().structure(data, cls))
    except _Invalid as exc:
        raise _validation_error(exc) from None
    except RecursionError:
        from .errors import ValidationError

        raise ValidationError("", "…", "document is nested too deeply") from None
    return result


def to_json(obj: Model) -> str:
    """Compact JSON text for ``obj``, keys in wire (Go struct) order.

    The text is ASCII (other characters are ``\\u`` escapes), so it always converts to the
    UTF-16 the C API takes, even if a string holds a lone surrogate.
    """
    return json.dumps(to_dict(obj), separators=(",", ":"), allow_nan=False)


def from_json(cls: type[T], text: str | bytes) -> T:
    """Decode JSON ``text`` into model class ``cls`` (see :func:`from_dict`)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        from .errors import ValidationError

        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not valid JSON"
        raise ValidationError("", _snippet(text), f"invalid JSON: {reason}") from None
    return from_dict(cls, data)


def _snippet(text: str | bytes) -> str | bytes:
    if len(text) <= 80:
        return text
    return text[:77] + b"..." if isinstance(text, bytes) else text[:77] + "..."
