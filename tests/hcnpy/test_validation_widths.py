"""Integer widths: every integer field of every model has one, validation enforces it, and the
table in docs/hcnpy/schema.md states it.

The walk covers every model class in hcnpy (not only the exported ones), so an integer field
added later without a width, or without a row in the table, fails here.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hcnpy
import hcnpy.models.v1
import hcnpy.models.v1_policies
import hcnpy.query
from hcnpy import (
    Endpoint,
    EndpointPolicy,
    IovPolicySetting,
    LoadBalancer,
    LoadBalancerPortMapping,
    Network,
    NetworkPolicy,
    OutboundNatPolicySetting,
    PortMappingPolicySetting,
    RemoteSubnetRoutePolicySetting,
    Subnet,
    ValidationError,
    from_dict,
    validate,
)
from hcnpy.models._base import Model, Wire, wire_of
from hcnpy.validation import check, int_bounds

SCHEMA_PAGE = Path(__file__).resolve().parents[2] / "docs" / "hcnpy" / "schema.md"

# Importing every model module registers every Model subclass.
for _name in hcnpy.__all__:
    getattr(hcnpy, _name)


def _model_classes() -> list[type[Model]]:
    found: set[type[Model]] = set()
    pending: list[type[Model]] = [Model]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return sorted(
        (c for c in found if c.__module__.startswith("hcnpy.") and not c.__name__.startswith("_")),
        key=lambda c: (c.__module__, c.__name__),
    )


def _is_int_type(tp: Any) -> bool:
    members = (
        typing.get_args(tp)
        if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union
        else (tp,)
    )
    return any(
        isinstance(m, type) and issubclass(m, int) and not issubclass(m, bool) for m in members
    )


def _int_fields() -> list[tuple[type[Model], attrs.Attribute[Any], Wire]]:
    out = []
    for cls in _model_classes():
        attrs.resolve_types(cls)
        for field in attrs.fields(cls):
            meta = wire_of(field)
            if meta is not None and _is_int_type(field.type):
                out.append((cls, field, meta))
    return out


INT_FIELDS = _int_fields()
IDS = [f"{cls.__name__}.{meta.key}" for cls, _, meta in INT_FIELDS]


def _documented_widths() -> dict[str, int]:
    """``Class.Key`` → enforced width, from the table in docs/hcnpy/schema.md."""
    rows = re.findall(
        r"^\| `(\w+\.\w+)` \|[^|\n]*\|[^|\n]*\| `uint(\d+)`", SCHEMA_PAGE.read_text(), re.M
    )
    table: dict[str, int] = {}
    for name, bits in rows:
        assert name not in table, f"{name} is in the table twice"
        table[name] = int(bits)
    return table


def _base(cls: type[Model]) -> Model:
    """The emptiest instance of ``cls`` (what an empty JSON object reads as)."""
    obj: Model = from_dict(cls, {})
    return obj


def _set(obj: Model, name: str, value: Any) -> Model:
    """``obj`` with attribute ``name`` set to ``value``."""
    changes: dict[str, Any] = {name: value}
    changed: Model = attrs.evolve(obj, **changes)
    return changed


def _problems_at(obj: Model, path: str) -> list[ValidationError]:
    return [p for p in check(obj) if p.path == path]


def test_the_walk_finds_the_known_fields() -> None:
    assert {"Network.Flags", "HostComputeQuery.Flags", "RemoteSubnetRoutePolicySetting.IsolationId",
            "IovPolicySetting.InterruptModeration", "V1Endpoint.PrefixLength",
            "V1VlanPolicy.VLAN"} <= set(IDS)  # fmt: skip
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize(("cls", "field", "meta"), INT_FIELDS, ids=IDS)
def test_every_integer_field_has_a_documented_width(
    cls: type[Model], field: attrs.Attribute[Any], meta: Wire
) -> None:
    assert meta.uint is not None, f"{cls.__name__}.{field.name} has no width (Wire uint=)"
    documented = _documented_widths()
    name = f"{cls.__name__}.{meta.key}"
    assert name in documented, f"{name} is missing from the width table in schema.md"
    assert documented[name] == meta.uint


def test_the_table_has_no_stale_rows() -> None:
    assert set(_documented_widths()) == set(IDS)


@pytest.mark.parametrize(("cls", "field", "meta"), INT_FIELDS, ids=IDS)
def test_bounds_accepted_and_one_past_them_rejected(
    cls: type[Model], field: attrs.Attribute[Any], meta: Wire
) -> None:
    bounds = int_bounds(meta)
    assert bounds is not None
    low, high = bounds
    base = _base(cls)
    for good in (low, high):
        assert not _problems_at(_set(base, field.name, good), field.name), good
    for bad in (low - 1, high + 1):
        problems = _problems_at(_set(base, field.name, bad), field.name)
        assert problems, f"{cls.__name__}.{field.name}={bad} was accepted"
        with pytest.raises(ValidationError):
            validate(_set(base, field.name, bad))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(INT_FIELDS).flatmap(
        lambda entry: st.tuples(
            st.just(entry),
            st.integers(-(2**70), 2**70)
            | st.sampled_from([-1, 0, 255, 256, 4095, 4096, 65535, 65536, 2**24 - 1, 2**24])
            | st.sampled_from([2**32 - 1, 2**32, 2**64 - 1, 2**64]),
        )
    )
)
def test_any_integer_is_accepted_exactly_within_the_bounds(
    case: tuple[tuple[type[Model], attrs.Attribute[Any], Wire], int],
) -> None:
    (cls, field, meta), value = case
    bounds = int_bounds(meta)
    assert bounds is not None
    inside = bounds[0] <= value <= bounds[1]
    problems = _problems_at(_set(_base(cls), field.name, value), field.name)
    assert (not problems) == inside, (value, problems)


# --------------------------------------------------------------------------- the cases

FLAG_FIELDS = [
    (cls, field, meta)
    for cls, field, meta in INT_FIELDS
    if any(
        isinstance(m, type) and issubclass(m, enum.IntFlag)
        for m in typing.get_args(field.type) or (field.type,)
    )
]


def test_there_are_flag_fields_in_every_kind() -> None:
    names = {f"{cls.__name__}.{meta.key}" for cls, _, meta in FLAG_FIELDS}
    assert {"Network.Flags", "Subnet.Flags", "Endpoint.Flags", "LoadBalancer.Flags",
            "LoadBalancerPortMapping.Flags", "PortMappingPolicySetting.Flags",
            "OutboundNatPolicySetting.Flags", "HostComputeQuery.Flags"} <= names  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "field", "meta"), FLAG_FIELDS, ids=[f"{c.__name__}.{m.key}" for c, _, m in FLAG_FIELDS]
)
def test_flags_2_to_the_32_rejected_on_every_flags_field(
    cls: type[Model], field: attrs.Attribute[Any], meta: Wire
) -> None:
    assert meta.uint == 32
    with pytest.raises(ValidationError, match=r"out of range for a uint32"):
        validate(_set(_base(cls), field.name, 2**32))
    validate(_set(_base(cls), field.name, 2**32 - 1))


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        (Network(flags=2**32), "flags"),  # type: ignore[arg-type]
        (Network(ipams=(hcnpy.Ipam(subnets=(Subnet(flags=2**32),)),)),  # type: ignore[arg-type]
         "ipams[0].subnets[0].flags"),
        (Endpoint(flags=2**32), "flags"),  # type: ignore[arg-type]
        (LoadBalancer(flags=2**32), "flags"),  # type: ignore[arg-type]
        (LoadBalancer(port_mappings=(LoadBalancerPortMapping(flags=2**32),)),  # type: ignore[arg-type]
         "port_mappings[0].flags"),
        (EndpointPolicy.of(PortMappingPolicySetting(flags=2**32)),  # type: ignore[arg-type]
         "settings.flags"),
        (EndpointPolicy.of(OutboundNatPolicySetting(flags=2**32)),  # type: ignore[arg-type]
         "settings.flags"),
        (EndpointPolicy(type="OutBoundNAT", settings={"Flags": 2**32}), "settings.flags"),
        (hcnpy.HostComputeQuery(flags=2**32), "flags"),  # type: ignore[arg-type]
    ],
)  # fmt: skip
def test_flags_2_to_the_32_rejected_inside_objects(obj: Model, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate(obj)
    assert info.value.path == path
    assert "uint32" in info.value.reason


def _remote_subnet(isolation_id: int) -> RemoteSubnetRoutePolicySetting:
    return RemoteSubnetRoutePolicySetting(
        destination_prefix="10.244.1.0/24",
        isolation_id=isolation_id,
        provider_address="10.0.0.5",
        distributed_router_mac_address="00-15-5D-00-00-01",
    )


def test_isolation_id_of_a_remote_subnet_route_is_16_bit() -> None:
    with pytest.raises(ValidationError, match=r"uint16 \(0-65535\)") as info:
        validate(NetworkPolicy.of(_remote_subnet(70000)))
    assert info.value.path == "settings.isolation_id"
    validate(NetworkPolicy.of(_remote_subnet(65535)))
    raw = NetworkPolicy(type="RemoteSubnetRoute", settings=hcnpy.to_dict(_remote_subnet(4096)))
    validate(raw)
    too_big = NetworkPolicy(
        type="RemoteSubnetRoute",
        settings={**hcnpy.to_dict(_remote_subnet(1)), "IsolationId": 70000},
    )
    with pytest.raises(ValidationError, match="uint16"):
        validate(too_big)


def test_isolation_ids_of_subnet_policies_keep_their_own_limits() -> None:
    validate(hcnpy.SubnetPolicy.of(hcnpy.VsidPolicySetting(isolation_id=70000)))
    with pytest.raises(ValidationError, match="VLAN"):
        validate(hcnpy.SubnetPolicy.of(hcnpy.VlanPolicySetting(isolation_id=70000)))


def test_interrupt_moderation_must_be_a_number() -> None:
    with pytest.raises(ValidationError) as info:
        validate(IovPolicySetting(interrupt_moderation="IovInterruptModerationHigh"))  # type: ignore[arg-type]
    assert info.value.path == "interrupt_moderation"
    with pytest.raises(ValidationError, match="expected an integer") as info:
        validate(EndpointPolicy(type="Iov", settings={"InterruptModeration": "High"}))
    assert info.value.path == "settings.interrupt_moderation"
    with pytest.raises(ValidationError, match="expected an integer"):
        from_dict(IovPolicySetting, {"InterruptModeration": "IovInterruptModerationOff"})
    validate(IovPolicySetting(interrupt_moderation=hcnpy.IovInterruptModeration.HIGH))
    validate(IovPolicySetting(interrupt_moderation=2**32 - 1))
    with pytest.raises(ValidationError, match="uint32"):
        validate(IovPolicySetting(interrupt_moderation=2**32))


def test_schema_version_rejects_negative_numbers() -> None:
    with pytest.raises(ValidationError, match="uint32") as info:
        validate(Network(schema_version=hcnpy.SchemaVersion(major=-1)))
    assert info.value.path == "schema_version.major"
