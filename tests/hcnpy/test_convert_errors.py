"""Decoding bad input raises hcnpy.ValidationError naming the path, never anything else."""

import json
from typing import Any

import pytest

import hcnpy
from hcnpy import (
    EndpointPolicy,
    NamespaceResource,
    Network,
    NetworkFlags,
    Route,
    ValidationError,
    from_dict,
    from_json,
    to_dict,
    to_json,
)


@pytest.mark.parametrize(
    ("doc", "path", "reason"),
    [
        ([], "", "expected a JSON object"),
        ("x", "", "expected a JSON object"),
        ({"Name": 5}, "Name", "expected a string"),
        ({"Flags": -1}, "Flags", "non-negative integer"),
        ({"Flags": True}, "Flags", "non-negative integer"),
        ({"Ipams": {}}, "Ipams", "expected a list"),
        ({"Ipams": [None]}, "Ipams[0]", "null is not allowed"),
        (
            {"Ipams": [{"Subnets": [{"Routes": [{"Metric": "1"}]}]}]},
            "Ipams[0].Subnets[0].Routes[0].Metric",
            "expected an integer",
        ),
        (
            {"ipams": [{"subnets": [{"routes": [7]}]}]},
            "ipams[0].subnets[0].routes[0]",
            "expected a JSON object",
        ),
        ({"Policies": [{"Settings": {}}]}, "Policies[0].Type", "required key is missing"),
        (
            {"Policies": [{"Type": "VxlanPort", "Settings": "x"}]},
            "Policies[0].Settings",
            "expected a JSON object",
        ),
        (
            {"Policies": [{"Type": "VxlanPort", "Settings": {"Port": "x"}}]},
            "Policies[0].Settings.Port",
            "expected an integer",
        ),
        ({"Type": 0}, "Type", "expected a string"),
        ({"MacPool": []}, "MacPool", "expected a JSON object"),
        ({"Health": {"Extra": {"SwitchGuid": 1}}}, "Health.Extra.SwitchGuid", "expected a string"),
    ],
)
def test_decode_errors_name_the_path(doc: Any, path: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(Network, doc)
    assert info.value.path == path
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{path}: " if path else reason)


def test_validation_error_is_a_value_error_and_carries_the_value() -> None:
    with pytest.raises(ValueError) as info:
        from_dict(Route, {"Metric": [1]})
    error = info.value
    assert isinstance(error, hcnpy.ValidationError)
    assert error.value == [1]


def test_namespace_resource_needs_a_type() -> None:
    with pytest.raises(ValidationError, match="Type: required key is missing"):
        from_dict(NamespaceResource, {"Data": {}})


def test_invalid_json_text() -> None:
    with pytest.raises(ValidationError, match="invalid JSON"):
        from_json(Network, '{"Name": ')
    with pytest.raises(ValidationError, match="invalid JSON"):
        from_json(Network, "[" * 100_000)


def test_deeply_nested_unknown_field() -> None:
    doc: Any = {}
    for _ in range(50_000):
        doc = {"x": doc}
    with pytest.raises(ValidationError, match="nested too deeply"):
        from_dict(Network, {"Future": doc})


def test_deeply_nested_object_on_encode() -> None:
    doc: Any = {}
    for _ in range(50_000):
        doc = {"x": doc}
    with pytest.raises(ValidationError, match="nested too deeply"):
        to_dict(Network(unknown_fields={"Future": doc}))


def test_to_json_is_ascii_even_with_lone_surrogates() -> None:
    text = to_json(Network(name="r\u00e9seau \ud800"))
    assert text.isascii()
    assert json.loads(text)["Name"] == "r\u00e9seau \ud800"


def test_wrong_class_or_object_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        from_dict(dict, {})
    with pytest.raises(TypeError):
        to_dict({"Name": "x"})  # type: ignore[arg-type]


def test_encoding_rejects_what_json_cannot_hold() -> None:
    with pytest.raises(ValidationError) as info:
        to_dict(Network(unknown_fields={"Bad": {1, 2}}))
    assert info.value.path == "Bad"
    with pytest.raises(ValidationError):
        to_dict(EndpointPolicy(type="X", settings={"n": float("nan")}))


def test_flags_accept_plain_ints() -> None:
    network = Network(flags=NetworkFlags(8))
    assert to_dict(network)["Flags"] == 8
