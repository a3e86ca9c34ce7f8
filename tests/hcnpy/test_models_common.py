"""Shared sub-objects and the model conventions every class follows."""

from typing import Any, cast

import attrs
import pytest

from hcnpy import (
    Dns,
    ExtraParams,
    Health,
    MacPool,
    MacRange,
    Model,
    ModifyResourceType,
    NetworkType,
    ProtocolType,
    RequestType,
    Route,
    SchemaVersion,
    from_dict,
    to_dict,
)
from hcnpy.models._base import csv_string


def test_schema_version_defaults_to_2_0_and_is_always_sent() -> None:
    assert SchemaVersion() == SchemaVersion(major=2, minor=0)
    assert to_dict(SchemaVersion(major=0, minor=0)) == {"Major": 0, "Minor": 0}
    assert from_dict(SchemaVersion, {}) == SchemaVersion()


def test_health_always_sends_extra() -> None:
    assert to_dict(Health()) == {"Extra": {}}
    health = Health(data={"x": [1]}, extra=ExtraParams(layered_on="L", utility_vm="U"))
    assert to_dict(health) == {"Data": {"x": [1]}, "Extra": {"LayeredOn": "L", "UtilityVM": "U"}}
    assert from_dict(Health, to_dict(health)) == health


def test_route_dns_mac_pool_wire_forms() -> None:
    assert to_dict(Route(metric=0)) == {"Metric": 0}  # an explicit zero is sent
    assert to_dict(Route()) == {}
    assert to_dict(Dns()) == {}
    assert to_dict(Dns(domain="d", search=("a",), server_list=("1.1.1.1",), options=("o",))) == {
        "Domain": "d",
        "Search": ["a"],
        "ServerList": ["1.1.1.1"],
        "Options": ["o"],
    }
    pool = MacPool(ranges=(MacRange(start_mac_address="00-15-5D-00-00-00"),))
    assert to_dict(pool) == {"Ranges": [{"StartMacAddress": "00-15-5D-00-00-00"}]}


def test_models_are_frozen_keyword_only_and_evolvable() -> None:
    route = Route(next_hop="10.0.0.1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        route.next_hop = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cast(Any, Route)("10.0.0.1")
    assert attrs.evolve(route, metric=5) == Route(next_hop="10.0.0.1", metric=5)


def test_unknown_fields_default_empty_and_count_for_equality_not_hash() -> None:
    plain = Route()
    extra = Route(unknown_fields={"X": 1})
    assert plain.unknown_fields == {}
    assert plain != extra
    assert isinstance(hash(extra), int)
    assert isinstance(plain, Model)


def test_repr_shows_only_what_differs_from_defaults() -> None:
    assert repr(Route(next_hop="10.0.0.1")) == "Route(next_hop='10.0.0.1')"
    assert repr(Dns()) == "Dns()"
    assert repr(Route(unknown_fields={"X": 1})) == "Route(unknown_fields={'X': 1})"


def test_string_enums_compare_as_strings_and_look_up_ignoring_case() -> None:
    assert NetworkType.NAT == "NAT"
    assert str(NetworkType.L2_BRIDGE) == "L2Bridge"
    assert NetworkType("l2bridge") is NetworkType.L2_BRIDGE
    with pytest.raises(ValueError):
        NetworkType("nope")
    assert [m.value for m in RequestType] == ["Add", "Remove", "Update", "Refresh", "Reset"]
    assert ModifyResourceType.IP_SUBNET.value == "IPSubnet"
    assert (int(ProtocolType.TCP), int(ProtocolType.ICMPV6)) == (6, 58)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("6,17", "6,17"),
        (6, "6"),
        ([80, "443", "1000-2000"], "80,443,1000-2000"),
        ((), ""),
        (ProtocolType.UDP, "17"),
    ],
)
def test_csv_string(value: object, expected: object) -> None:
    assert csv_string(value) == expected  # type: ignore[arg-type]


def test_csv_string_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        csv_string(1.5)  # type: ignore[arg-type]
