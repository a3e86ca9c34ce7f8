"""Hypothesis properties of the converter, with strategies derived from the models' wire records.

* ``from_dict(cls, to_dict(x)) == x`` for generated models (typed policy settings included);
* encoding emits only schema keys (plus the object's own ``unknown_fields``);
* decoding arbitrary JSON raises only ``hcnpy.ValidationError`` (a ``ValueError``).
"""

from __future__ import annotations

import contextlib
import enum
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hcnpy
from hcnpy import ValidationError, from_dict, to_dict
from hcnpy.convert import wire_keys
from hcnpy.models._base import StrWireEnum, wire_of
from hcnpy.models.policies.base import (
    SETTINGS_TABLE,
    EndpointPolicy,
    NetworkPolicy,
    PolicyKind,
    SubnetPolicy,
    settings_class,
)

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Every model class exported by hcnpy.
MODELS: list[type[Any]] = sorted(
    (obj for name in hcnpy.__all__ if attrs.has(obj := getattr(hcnpy, name))),
    key=lambda cls: cls.__name__,
)

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=4)


def _members(tp: Any) -> list[Any]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return list(typing.get_args(tp))
    return [tp]


def _unknown_text(enum_cls: type[enum.Enum]) -> st.SearchStrategy[str]:
    """Strings that are not (case-insensitively) a member value: they stay plain ``str``."""
    known = {str(m.value).casefold() for m in enum_cls}
    return st.text(max_size=10).filter(lambda s: s.casefold() not in known)


def _reserved_keys(cls: type[Any]) -> set[str]:
    keys: set[str] = set()
    for field in attrs.fields(cls):
        meta = wire_of(field)
        if meta is not None:
            keys.update(k.casefold() for k in (meta.key, *meta.aliases))
    return keys


def _unknown_fields(cls: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    reserved = _reserved_keys(cls)
    key = st.text(min_size=1, max_size=8).filter(lambda k: k.casefold() not in reserved)
    return st.dictionaries(key, json_values, max_size=2)


def _type_strategy(tp: Any, csv: bool) -> st.SearchStrategy[Any]:
    members = _members(tp)
    optional = type(None) in members
    members = [m for m in members if m is not type(None)]
    base: st.SearchStrategy[Any]
    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
    if csv and typing.get_origin(members[0]) is tuple:
        base = st.lists(st.text(max_size=6), max_size=3).map(tuple)
    elif csv:
        base = st.text(max_size=12)
    elif enums:
        cls = enums[0]
        if issubclass(cls, enum.IntFlag):
            base = st.integers(0, 2**32 - 1).map(cls)
        elif issubclass(cls, int):
            base = st.sampled_from(list(cls)) | st.integers(0, 2**32 - 1)
            if str in members:
                base = base | _unknown_text(cls)
        else:
            base = st.sampled_from(list(cls)) | _unknown_text(cls)
    elif len(members) == 1 and typing.get_origin(members[0]) is tuple:
        base = st.lists(_type_strategy(typing.get_args(members[0])[0], False), max_size=2).map(
            tuple
        )
    elif members == [str]:
        base = st.text(max_size=10)
    elif members == [int]:
        base = st.integers(0, 2**64 - 1)
    elif members == [bool]:
        base = st.booleans()
    elif members == [Any]:
        return json_values
    elif len(members) == 1 and typing.get_origin(members[0]) is Mapping:
        base = json_objects  # a JSON object kept as read (V1 policies)
    elif len(members) == 1 and attrs.has(members[0]):
        base = model(members[0])
    else:
        raise AssertionError(f"no strategy for {tp!r}")
    return st.none() | base if optional else base


def _policy(cls: type[Any], kind: PolicyKind) -> st.SearchStrategy[Any]:
    type_enum = attrs.fields(cls).type.type
    enum_cls = next(m for m in _members(type_enum) if isinstance(m, type))
    known = st.sampled_from(sorted(SETTINGS_TABLE[kind])).flatmap(
        lambda name: st.builds(
            cls,
            type=st.just(enum_cls(name)),
            settings=st.none() | model(settings_class(kind, name)),  # type: ignore[arg-type]
            unknown_fields=_unknown_fields(cls),
        )
    )
    unknown = st.builds(
        cls,
        type=_unknown_text(enum_cls),
        settings=st.none() | json_values,
        unknown_fields=_unknown_fields(cls),
    )
    return known | unknown


def _dispatched(cls: type[Any], on: str, data: str) -> st.SearchStrategy[Any]:
    """Classes whose ``data`` field is typed by the value of field ``on``."""
    fields = attrs.fields_dict(cls)
    meta = wire_of(fields[data])
    assert meta is not None and meta.dispatch is not None
    dispatch = meta.dispatch
    enum_cls = next(
        m for m in _members(fields[on].type) if isinstance(m, type) and issubclass(m, enum.Enum)
    )
    selector: st.SearchStrategy[Any] = st.sampled_from(list(enum_cls)) | _unknown_text(enum_cls)
    if type(None) in _members(fields[on].type):
        selector = st.none() | selector

    def build(value: Any) -> st.SearchStrategy[Any]:
        target = dispatch(value)
        payload = st.none() | (model(target) if target is not None else json_values)
        others = {
            f.name: _field_strategy(cls, f)
            for f in attrs.fields(cls)
            if f.name not in (on, data, "unknown_fields")
        }
        return st.builds(
            cls,
            **{on: st.just(value), data: payload},
            **others,
            unknown_fields=_unknown_fields(cls),
        )

    return selector.flatmap(build)


def _field_strategy(cls: type[Any], field: attrs.Attribute[Any]) -> st.SearchStrategy[Any]:
    meta = wire_of(field)
    assert meta is not None
    return _type_strategy(field.type, meta.csv)


_STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {}


def model(cls: type[Any]) -> st.SearchStrategy[Any]:
    """A strategy for instances of model class ``cls`` (cached)."""
    if cls not in _STRATEGIES:
        _STRATEGIES[cls] = _model(cls)
    return _STRATEGIES[cls]


def _model(cls: type[Any]) -> st.SearchStrategy[Any]:
    if cls is EndpointPolicy:
        return _policy(cls, "endpoint")
    if cls is NetworkPolicy:
        return _policy(cls, "network")
    if cls is SubnetPolicy:
        return _policy(cls, "subnet")
    fields = attrs.fields_dict(cls)
    if "settings" in fields and "resource_type" in fields:
        return _dispatched(cls, "resource_type", "settings")
    if cls is hcnpy.NamespaceResource:
        return _dispatched(cls, "type", "data")
    kwargs = {
        f.name: _field_strategy(cls, f) for f in attrs.fields(cls) if f.name != "unknown_fields"
    }
    return st.builds(cls, **kwargs, unknown_fields=_unknown_fields(cls))


any_model = st.sampled_from(MODELS).flatmap(model)


@SETTINGS
@given(any_model)
def test_round_trip(obj: Any) -> None:
    assert from_dict(type(obj), to_dict(obj)) == obj


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([hcnpy.Network, hcnpy.Endpoint, hcnpy.LoadBalancer, hcnpy.Namespace]).flatmap(
        model
    )
)
def test_round_trip_of_top_level_objects(obj: Any) -> None:
    assert from_dict(type(obj), to_dict(obj)) == obj


def _schema_keys_only(obj: Any, doc: Any, path: str = "") -> None:
    """Every key of ``doc`` is a wire key of ``obj``'s class or one of its unknown fields."""
    if isinstance(obj, tuple):
        for index, (item, sub) in enumerate(zip(obj, doc, strict=True)):
            _schema_keys_only(item, sub, f"{path}[{index}]")
        return
    if not attrs.has(type(obj)):
        return  # raw JSON: anything goes
    allowed = set(wire_keys(type(obj))) | set(obj.unknown_fields)
    assert set(doc) <= allowed, f"{path}: unexpected keys {set(doc) - allowed}"
    for field in attrs.fields(type(obj)):
        meta = wire_of(field)
        if meta is not None and meta.key in doc:
            _schema_keys_only(getattr(obj, field.name), doc[meta.key], f"{path}.{meta.key}")


@SETTINGS
@given(any_model)
def test_encoding_emits_only_schema_keys(obj: Any) -> None:
    _schema_keys_only(obj, to_dict(obj))


@SETTINGS
@given(st.sampled_from(MODELS), json_objects)
def test_decoding_arbitrary_json_raises_only_validation_error(cls: type[Any], doc: Any) -> None:
    with contextlib.suppress(ValidationError):
        from_dict(cls, doc)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            out += _paths(value, (*prefix, index))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(doc)]


@SETTINGS
@given(any_model, st.data())
def test_decoding_corrupted_documents_raises_only_validation_error(obj: Any, data: Any) -> None:
    doc = to_dict(obj)
    path = data.draw(st.sampled_from(_paths(doc)))
    corrupted = _replace(doc, path, data.draw(json_values))
    try:
        decoded = from_dict(type(obj), corrupted)
    except ValidationError:
        return
    assert isinstance(decoded, type(obj))


def test_every_model_has_a_strategy_and_every_enum_is_a_wire_enum() -> None:
    for cls in MODELS:
        model(cls)
        for field in attrs.fields(cls):
            for member in _members(field.type):
                if isinstance(member, type) and issubclass(member, enum.Enum):
                    assert issubclass(member, StrWireEnum | enum.IntEnum | enum.IntFlag)
