# ruff: noqa: E501  (tables of test data read best one case per line)
"""Policy builders and V1 -> V2 conversion (cases from the reference's pkg/hns tests, §2.6)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from winplugins import policies
from winplugins.errors import ConfigError

# --- V1 -> V2 conversion ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("v1", "v2"),
    [
        ({"Type": "OutBoundNAT", "ExceptionList": ["192.168.0.0/16", "11.0.0.0/8"]},
         {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["192.168.0.0/16", "11.0.0.0/8"]}}),
        ({"Type": "OutBoundNAT", "VIP": "10.0.0.4", "Destinations": ["10.0.0.9"]},
         {"Type": "OutBoundNAT", "Settings": {"VirtualIP": "10.0.0.4", "Destinations": ["10.0.0.9"]}}),
        ({"Type": "ROUTE", "DestinationPrefix": "11.0.0.0/8", "NeedEncap": True},
         {"Type": "SDNRoute", "Settings": {"DestinationPrefix": "11.0.0.0/8", "NeedEncap": True}}),
        ({"Type": "PA", "PA": "10.127.132.204"},
         {"Type": "ProviderAddress", "Settings": {"ProviderAddress": "10.127.132.204"}}),
        ({"Type": "NAT", "InternalPort": 80, "ExternalPort": 8080, "Protocol": "TCP"},
         {"Type": "PortMapping", "Settings": {"InternalPort": 80, "ExternalPort": 8080, "Protocol": 6}}),
        ({"Type": "ACL", "Protocol": 6, "Action": "Block", "Direction": "In", "LocalPort": 80, "Priority": 200},
         {"Type": "ACL", "Settings": {"Protocols": "6", "Action": "Block", "Direction": "In",
                                      "LocalPorts": "80", "Priority": 200}}),
        ({"Type": "QOS", "MaximumOutgoingBandwidthInBytes": 1000},
         {"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 1000}}),
        ({"Type": "outboundnat", "exceptionlist": ["1.0.0.0/8"]},
         {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["1.0.0.0/8"]}}),
        ({"Type": "SomethingNew", "Knob": 1}, {"Type": "SomethingNew", "Settings": {"Knob": 1}}),
        ({"Type": "OutBoundNAT"}, {"Type": "OutBoundNAT"}),
    ],
)  # fmt: skip
def test_v1_flat_values_are_converted(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    assert policies.normalize(v1, "x") == v2


def test_v2_values_are_kept() -> None:
    value = {"Type": "SDNRoute", "Settings": {"DestinationPrefix": "11.0.0.0/8", "NeedEncap": True}}
    assert policies.normalize(value, "x") == value
    assert policies.normalize({"type": "sdnroute", "settings": None}, "x") == {"Type": "SDNRoute"}


@pytest.mark.parametrize("value", [None, "OutBoundNAT", 5, [], {"Settings": {}}, {"Type": ""},
                                   {"Type": 5}, {"Type": "ACL", "Settings": "x"}])  # fmt: skip
def test_malformed_values_are_config_errors(value: Any) -> None:
    with pytest.raises(ConfigError):
        policies.normalize(value, "AdditionalArgs[0].Value")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["Type", "type", "Settings", "ExceptionList", "PA", "Protocol", "x"]),
        st.none() | st.text(max_size=8) | st.integers() | st.lists(st.text(max_size=5), max_size=2)
        | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    )
)  # fmt: skip
def test_normalize_never_tracebacks(value: dict[str, Any]) -> None:
    try:
        out = policies.normalize(value, "v")
    except ConfigError:
        return
    assert isinstance(out["Type"], str) and out["Type"]
    assert set(out) <= {"Type", "Settings"}


# --- protocols --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_", "number"),
    [("tcp", 6), ("TCP", 6), ("udp", 17), ("icmpv4", 1), ("ICMPv6", 58), ("igmp", 2),
     ("6", 6), ("0x11", 17), (17, 17), (None, 6), ("", 6), ("132", 132)],
)  # fmt: skip
def test_protocols(given_: Any, number: int) -> None:
    assert policies.protocol_number(given_, "p") == number


@pytest.mark.parametrize("bad", ["sctp", "tcp6", "0", "256", -1, 300, True, 1.5, "x1"])
def test_unknown_protocols(bad: Any) -> None:
    with pytest.raises(ConfigError, match="unknown protocol"):
        policies.protocol_number(bad, "runtimeConfig.portMappings[0].protocol")


# --- builders -----------------------------------------------------------------------------


def test_port_mapping_shapes() -> None:
    assert policies.port_mapping_acl(80, 6) == {
        "Type": "ACL",
        "Settings": {"Protocols": "6", "Action": "Allow", "Direction": "In", "LocalPorts": "80",
                     "Priority": 1000},
    }  # fmt: skip


def test_outbound_nat_exception_dedup() -> None:
    once = policies.apply_outbound_nat_exception([], "10.0.0.0/8")
    assert once == [{"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/8"]}}]
    assert policies.apply_outbound_nat_exception(once, "10.0.0.0/8") == once
    two = policies.apply_outbound_nat_exception(once, "192.168.0.0/16")
    assert len(two) == 2  # not merged into the existing policy
    plain = [{"Type": "OutBoundNAT"}]
    assert len(policies.apply_outbound_nat_exception(plain, "10.0.0.0/8")) == 2
    assert policies.apply_outbound_nat_exception(once, "") == once


def test_loopback_dsr_dedup_and_no_nil() -> None:
    one = policies.apply_loopback_dsr([], "10.0.0.5")
    assert one == [{"Type": "OutBoundNAT", "Settings": {"Destinations": ["10.0.0.5"]}}]
    assert policies.apply_loopback_dsr(one, "10.0.0.5") == one
    two = policies.apply_loopback_dsr(one, "10.0.0.6")
    assert [p["Settings"]["Destinations"] for p in two] == [["10.0.0.5"], ["10.0.0.6"]]
    # Quirk 6: no address, no policy (the reference wrote "<nil>").
    assert policies.apply_loopback_dsr([], "") == []


def test_provider_address_dedup() -> None:
    one = policies.apply_provider_address([], "10.1.1.1")
    assert one == [{"Type": "ProviderAddress", "Settings": {"ProviderAddress": "10.1.1.1"}}]
    assert policies.apply_provider_address(one, "10.1.1.1") == one
    assert len(policies.apply_provider_address(one, "10.1.1.2")) == 2
    assert policies.apply_provider_address(one, "") == one


# --- semantic matching --------------------------------------------------------------------


def test_semantic_match_is_strict_but_not_bytewise() -> None:
    a = [{"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/16", "1.2.3.4/32"]}},
         {"Type": "ACL", "Settings": {"Protocols": "6", "Priority": 1000, "Action": "Allow"}}]  # fmt: skip
    b = [{"type": "ACL", "settings": {"priority": "1000", "protocols": 6, "action": "Allow", "RemotePorts": ""}},
         {"Type": "OUTBOUNDNAT", "Settings": {"Exceptions": ["1.2.3.4/32", "10.0.0.0/16"]}}]  # fmt: skip
    assert policies.policies_match(a, b)
    assert not policies.policies_match(a, b[:1])  # a missing policy fails
    assert not policies.policies_match(a[:1], b)  # an extra policy fails
    changed = [b[0], {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/16"]}}]
    assert not policies.policies_match(a, changed)
    assert policies.policies_match([], [])


cidrs = st.ip_addresses(v=4).map(lambda a: f"{a}/32") | st.ip_addresses(v=6).map(
    lambda a: f"{a}/128"
)


@settings(max_examples=200, deadline=None)
@given(
    exceptions=st.lists(cidrs, max_size=4),
    prefix=cidrs,
    encap=st.booleans(),
    address=st.ip_addresses().map(str),
    type_case=st.sampled_from([str.lower, str.upper, lambda s: s]),
)
def test_v1_conversion_properties(
    exceptions: list[str], prefix: str, encap: bool, address: str, type_case: Any
) -> None:
    """V1 values keep every setting under its V2 name; V2 output converts to itself."""
    converted = [
        policies.normalize({"Type": type_case("OutBoundNAT"), "ExceptionList": exceptions}, "v"),
        policies.normalize(
            {"Type": type_case("ROUTE"), "DestinationPrefix": prefix, "NeedEncap": encap}, "v"
        ),
        policies.normalize({"Type": type_case("PA"), "PA": address}, "v"),
    ]
    assert converted[0] == {"Type": "OutBoundNAT", "Settings": {"Exceptions": exceptions}}
    assert converted[1] == {
        "Type": "SDNRoute",
        "Settings": {"DestinationPrefix": prefix, "NeedEncap": encap},
    }
    assert converted[2] == {"Type": "ProviderAddress", "Settings": {"ProviderAddress": address}}
    for policy in converted:
        assert policies.normalize(policy, "again") == policy
        assert policies.policies_match([policy], [policies.normalize(policy, "again")])
