"""Declarative JSON-backed records: the base of :class:`cniskel.NetConf` and friends.

Annotate attributes on a :class:`Model` subclass; their JSON keys are the
lowerCamelCase of the attribute names unless :func:`field` gives ``key``.
Decoding checks types, keeps unknown keys in :attr:`Model.extra` and the
original object in :attr:`Model.raw`. Set ``case_insensitive_keys = True`` on
a class to match keys like Go's ``encoding/json`` does (:mod:`hcnpy.jsonkeys`: the
last matching key wins). A field declared ``lenient=True`` ignores a value of the
wrong type (keeps its default), as a Go plugin that never declared the key would.

Field types understood: ``str``, ``int``, ``float``, ``bool``, ``object`` /
``Any``, ``list[T]``, ``dict[str, T]``, ``T | None``, unions, other
:class:`Model` subclasses and ``ipaddress`` address/interface/network types.
Annotations are resolved on first use, so class definition costs nothing.
"""

from __future__ import annotations

import sys

from cniskel.errors import CniError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TypeVar

    M = TypeVar("M", bound="Model")

_MISSING = object()
_DECODING_FAILURE = 6
_INVALID_NETWORK_CONFIG = 7


class _Field:
    __slots__ = ("default", "factory", "key", "lenient")

    def __init__(
        self,
        key: str | None,
        default: object,
        factory: Callable[[], object] | None,
        lenient: bool = False,
    ):
        self.key = key
        self.default = default
        self.factory = factory
        self.lenient = lenient


def field(
    *,
    key: str | None = None,
    default: object = _MISSING,
    factory: Callable[[], object] | None = None,
    lenient: bool = False,
) -> Any:
    """Declare a field's JSON ``key`` and its ``default`` (or ``factory``).

    ``lenient``: a value of the wrong type leaves the default instead of failing.
    """
    return _Field(key, default, factory, lenient)


def camel_key(name: str) -> str:
    """``is_gateway`` -> ``isGateway`` (the default JSON key of an attribute)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class _Spec:
    __slots__ = ("attr", "default", "factory", "key", "lenient", "type")

    def __init__(
        self,
        attr: str,
        key: str,
        tp: object,
        default: object,
        factory: object,
        lenient: bool = False,
    ) -> None:
        self.attr = attr
        self.key = key
        self.type = tp
        self.default = default
        self.factory = factory
        self.lenient = lenient

    def make_default(self) -> object:
        if self.factory is not None:
            return self.factory()  # type: ignore[operator]
        default = self.default
        if default is _MISSING or default is None or isinstance(default, (str, int, float, bool)):
            return default
        import copy

        return copy.deepcopy(self.default)


class Model:
    """Base class for typed JSON objects (network configuration and its parts)."""

    #: Match JSON keys case-insensitively (like Go) instead of exactly.
    case_insensitive_keys: bool = False

    extra: dict[str, Any]
    raw: dict[str, Any]

    def __init__(self, **values: Any) -> None:
        specs = _specs(type(self))
        by_attr = {spec.attr: spec for spec in specs}
        for name in values:
            if name not in by_attr and name not in ("extra", "raw"):
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
        for spec in specs:
            value = values[spec.attr] if spec.attr in values else spec.make_default()
            if value is _MISSING:
                raise TypeError(f"{type(self).__name__} needs a value for {spec.attr!r}")
            setattr(self, spec.attr, value)
        self.extra = dict(values.get("extra", {}))
        self.raw = dict(values.get("raw", {}))

    @classmethod
    def from_dict(cls: type[M], data: object, where: str = "") -> M:
        """Decode and type-check ``data``; raises :class:`CniError` (code 6 or 7)."""
        if not isinstance(data, dict):
            raise _type_error(data, where or cls.__name__, "object")
        self = cls.__new__(cls)
        specs = _specs(cls)
        matched: set[str] = set()
        for spec in specs:
            keys = _matching_keys(data, spec.key, cls.case_insensitive_keys)
            matched.update(keys)
            path = f"{where}.{spec.key}" if where else spec.key
            present = [data[key] for key in keys if data[key] is not None]
            value: object = _MISSING
            if present:
                try:
                    value = _convert(present[-1], spec.type, path)
                except CniError:
                    if not spec.lenient:
                        raise
            if value is _MISSING:
                value = spec.make_default()
                if value is _MISSING:
                    raise CniError(
                        _INVALID_NETWORK_CONFIG,
                        f"invalid network config: missing required key {path!r}",
                    )
            setattr(self, spec.attr, value)
        self.extra = {k: v for k, v in data.items() if k not in matched}
        self.raw = data
        self._post_decode()
        return self

    def _post_decode(self) -> None:
        """Hook for subclasses: validate after decoding (raise :class:`CniError`)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: declared fields (``None`` omitted), then :attr:`extra`."""
        out: dict[str, Any] = {}
        for spec in _specs(type(self)):
            value = getattr(self, spec.attr)
            if value is not None:
                out[spec.key] = _encode(value)
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"{s.attr}={getattr(self, s.attr)!r}" for s in _specs(type(self))]
        if self.extra:
            parts.append(f"extra={self.extra!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


    @classmethod
    def known_keys(cls) -> list[str]:
        """The JSON keys this class declares, in declaration order."""
        return [spec.key for spec in _specs(cls)]


def _matching_keys(data: Mapping[str, object], key: str, fold: bool) -> list[str]:
    # Go's rule (hcnpy.jsonkeys): every key equal ignoring case, in document order.
    if not fold:
        return [key] if key in data else []
    from hcnpy.jsonkeys import matching

    return matching(data, key)


def _specs(cls: type[Model]) -> list[_Spec]:
    cached = cls.__dict__.get("_cniskel_specs")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # A subclass that declares an attribute again replaces the base's declaration (its
    # type, default and leniency); the field keeps its first position.
    by_attr: dict[str, _Spec] = {}
    for klass in reversed(cls.__mro__):
        for attr, annotation in getattr(klass, "__annotations__", {}).items():
            if attr.startswith("_") or attr in _NOT_FIELDS:
                continue
            tp = _resolve(klass, annotation)
            if _is_typing(tp, "ClassVar"):
                continue
            declared = getattr(cls, attr, _MISSING)
            if isinstance(declared, _Field):
                key = declared.key or camel_key(attr)
                spec = _Spec(attr, key, tp, declared.default, declared.factory, declared.lenient)
            else:
                spec = _Spec(attr, camel_key(attr), tp, declared, None)
            by_attr[attr] = spec
    specs = list(by_attr.values())
    type.__setattr__(cls, "_cniskel_specs", specs)
    return specs


_NOT_FIELDS = frozenset(("extra", "raw", "case_insensitive_keys", "unknown_keys"))


def _resolve(klass: type, annotation: object) -> Any:
    # Annotations are strings (PEP 563); evaluate them in the defining module.
    if not isinstance(annotation, str):
        return annotation
    module = sys.modules.get(klass.__module__)
    namespace = dict(vars(module)) if module is not None else {}
    try:
        return eval(annotation, namespace, dict(vars(klass)))
    except Exception as exc:
        raise TypeError(
            f"cannot resolve annotation {annotation!r} of {klass.__qualname__}: {exc}"
        ) from None


def _is_typing(tp: object, name: str) -> bool:
    """``tp`` is ``typing.<name>`` or ``typing.<name>[...]`` (``Any``, ``ClassVar``)."""
    typing = sys.modules.get("typing")  # such an annotation exists only if typing was imported
    if typing is None:
        return False
    form = getattr(typing, name)
    return tp is form or typing.get_origin(tp) is form


def _origin_args(tp: object) -> tuple[object, tuple[Any, ...]]:
    """``typing.get_origin`` and ``get_args``, with ``X | Y`` and ``Optional[X]`` both
    reported as ``types.UnionType``; typing itself is consulted only if already imported."""
    import types

    if isinstance(tp, types.UnionType):
        return types.UnionType, tp.__args__
    if isinstance(tp, types.GenericAlias):
        return tp.__origin__, tp.__args__
    typing = sys.modules.get("typing")
    if typing is None:
        return None, ()
    origin = typing.get_origin(tp)
    return (types.UnionType if origin is typing.Union else origin), typing.get_args(tp)


def _type_error(value: object, where: str, expected: str) -> CniError:
    from cniskel._gojson import json_kind

    return CniError(
        _DECODING_FAILURE,
        f"error decoding network config: {where}: cannot use {json_kind(value)} as {expected}",
    )


_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


def _range_error(value: int | float, where: str) -> CniError:
    from cniskel._gojson import number_literal

    literal = number_literal(value)
    shown = literal if len(literal) <= 40 else f"{literal[:20]}...({len(literal)} digits)"
    return CniError(
        _DECODING_FAILURE, f"error decoding network config: {where}: {shown} is out of range"
    )


def _convert(value: object, tp: Any, where: str) -> Any:
    import types

    if tp is object or _is_typing(tp, "Any"):
        return value
    origin, args = _origin_args(tp)
    if origin is types.UnionType:
        options = [arg for arg in args if arg is not type(None)]
        if value is None:
            return None
        errors: list[CniError] = []
        for option in options:
            try:
                return _convert(value, option, where)
            except CniError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is list:
        if not isinstance(value, list):
            raise _type_error(value, where, "array")
        (item_type,) = args or (object,)
        return [_convert(item, item_type, f"{where}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise _type_error(value, where, "object")
        value_type = args[1] if len(args) == 2 else object
        return {k: _convert(v, value_type, f"{where}.{k}") for k, v in value.items()}
    if isinstance(tp, type):
        return _convert_plain(value, tp, where)
    raise TypeError(f"cniskel.Model cannot decode fields of type {tp!r} ({where})")


def _convert_plain(value: object, tp: type, where: str) -> Any:
    if issubclass(tp, Model):
        return tp.from_dict(value, where)
    if tp is bool:
        if not isinstance(value, bool):
            raise _type_error(value, where, "bool")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _type_error(value, where, "int")
        if isinstance(value, float):
            if not value.is_integer():  # also inf (1e400)
                raise _type_error(value, where, "int")
            value = int(value)
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise _range_error(value, where)
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _type_error(value, where, "float")
        from cniskel._godecode import float64

        result = float64(value)
        if result is None:
            raise _range_error(value, where)
        return result
    if tp is str:
        if not isinstance(value, str):
            raise _type_error(value, where, "string")
        return value
    if tp is list or tp is dict:
        return _convert(value, tp[object] if tp is list else dict[str, object], where)
    if tp.__module__ == "ipaddress":
        if not isinstance(value, str):
            raise _type_error(value, where, "string")
        try:
            return tp(value)  # type: ignore[call-arg]
        except ValueError as exc:
            raise CniError(
                _INVALID_NETWORK_CONFIG, f"invalid network config: {where}: {exc}"
            ) from None
    raise TypeError(f"cniskel.Model cannot decode fields of type {tp!r} ({where})")


def _encode(value: object) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
