"""HostComputeQuery: the builder and its exact JSON."""

import json
import uuid

from hcnpy import HostComputeQuery, HostComputeQueryFlags, SchemaVersion, from_dict, to_dict

NET = "6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10"


def test_default_query_is_exactly_the_schema_version() -> None:
    assert HostComputeQuery().to_json() == '{"SchemaVersion":{"Major":2,"Minor":0}}'


def test_filters_are_json_in_a_string() -> None:
    assert HostComputeQuery.by_id(NET).filter == '{"ID":"6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10"}'
    assert HostComputeQuery.by_name("nat").filter == '{"Name":"nat"}'
    assert HostComputeQuery.by_network(NET).filter_dict() == {"VirtualNetwork": NET}
    assert HostComputeQuery.by_id(uuid.UUID(NET)).filter_dict() == {"ID": NET.lower()}
    assert HostComputeQuery.where(Name="x", VirtualNetworkName="n").filter_dict() == {
        "Name": "x",
        "VirtualNetworkName": "n",
    }
    assert HostComputeQuery.where().filter is None
    assert HostComputeQuery().filter_dict() == {}


def test_detailed_flag_and_schema_version_chain() -> None:
    query = HostComputeQuery.by_name("nat").detailed()
    assert query.flags is HostComputeQueryFlags.DETAILED
    assert json.loads(query.to_json()) == {
        "SchemaVersion": {"Major": 2, "Minor": 0},
        "Flags": 1,
        "Filter": '{"Name":"nat"}',
    }
    assert query.detailed(False).flags == HostComputeQueryFlags.NONE
    assert "Flags" not in to_dict(query.detailed(False))
    v1 = query.with_schema_version(1)
    assert v1.schema_version == SchemaVersion(major=1, minor=0)
    assert v1.filter == query.filter


def test_query_round_trip_and_unicode_names() -> None:
    query = HostComputeQuery.by_name("réseau").detailed()
    assert query.filter == '{"Name":"réseau"}'
    assert query.to_json().isascii()
    assert json.loads(query.to_json())["Filter"] == '{"Name":"réseau"}'
    assert from_dict(HostComputeQuery, to_dict(query)) == query
