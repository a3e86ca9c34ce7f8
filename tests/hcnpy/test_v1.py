"""hcnpy.v1: the V1 readers, the envelope, typed V1 policies and the V1 -> V2 conversion.

The real documents are in test_real_documents.py; these are the rules, the errors and
hypothesis properties over generated V1 objects and arbitrary JSON.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hcnpy
from hcnpy import (
    AclPolicySetting,
    ActionType,
    DirectionType,
    EndpointFlags,
    EndpointPolicy,
    HcnError,
    L2DriverPolicySetting,
    L4ProxyPolicySetting,
    NatFlags,
    OutboundNatPolicySetting,
    PortMappingPolicySetting,
    ProtocolType,
    QosPolicySetting,
    Route,
    SDNRoutePolicySetting,
    SubnetPolicy,
    V1CallError,
    V1Endpoint,
    V1Namespace,
    V1NamespaceResource,
    V1Network,
    V1Policy,
    V1Subnet,
    ValidationError,
    VlanPolicySetting,
    VsidPolicySetting,
    from_dict,
    to_dict,
    validate,
)
from hcnpy.convert import wire_keys
from hcnpy.hresult import HResult
from hcnpy.v1 import (
    endpoint_to_v2,
    is_envelope,
    network_to_v2,
    policy_to_v2,
    read_endpoint,
    read_endpoints,
    read_namespace,
    read_network,
    read_networks,
    read_policy,
    read_response,
    unwrap,
)

from .test_convert_properties import json_values, model

GUID = "C8026314-FC13-42CC-B41B-4DF9873B1D11"


# --------------------------------------------------------------------------- the envelope


def test_envelope_detection() -> None:
    assert is_envelope({"Success": True, "Output": {}})
    assert is_envelope({"success": False, "error": "x"})
    assert not is_envelope({"Success": True, "Output": {}, "Name": "x"})
    assert not is_envelope({"Output": {}})
    assert not is_envelope([{"Success": True}])


def test_a_failed_answer_raises_with_hns_text() -> None:
    text = '{"Success":false,"Error":"Element not found. "}'
    response = read_response(text)
    assert (response.success, response.error, response.output) == (
        False,
        "Element not found. ",
        None,
    )
    with pytest.raises(V1CallError) as info:
        read_network(text)
    assert isinstance(info.value, HcnError)
    assert info.value.error == "Element not found. "
    assert info.value.hresult == HResult.E_FAIL
    assert info.value.operation == "HNSCall"
    assert str(info.value) == "HNS failed with error : Element not found. "
    with pytest.raises(V1CallError, match="unknown error"):
        unwrap({"Success": False})


def test_bare_and_wrapped_documents_read_the_same() -> None:
    bare = {"ID": GUID, "Name": "nat", "Type": "nat"}
    assert read_network(bare) == read_network({"Success": True, "Output": bare})
    assert read_network(json.dumps(bare).encode()) == read_network(bare)
    assert unwrap(bare) == (bare, "")
    assert unwrap({"Output": bare, "Success": True}) == (bare, "Output")


def test_lists() -> None:
    answer = {"Success": True, "Output": [{"Name": "a"}, {"Name": "b"}]}
    assert [n.name for n in read_networks(answer)] == ["a", "b"]
    assert [e.name for e in read_endpoints([{"Name": "e"}])] == ["e"]
    with pytest.raises(ValidationError, match="expected a list of V1Network") as info:
        read_networks({"Success": True, "Output": {"Name": "a"}})
    assert info.value.path == "Output"


@pytest.mark.parametrize(
    ("call", "source", "path", "fragment"),
    [
        (read_network, "{nope", "", "invalid JSON"),
        (read_network, {"Success": True, "Output": {"Flags": "x"}}, "Output.Flags", "integer"),
        (read_network, {"Subnets": [{"Policies": 5}]}, "Subnets[0].Policies", "list"),
        (read_network, {"Success": True}, "Output", "JSON object"),
        (read_networks, {"Success": True, "Output": [{}, {"Name": 1}]}, "Output[1].Name",
         "string"),
        (read_endpoint, {"State": "Attached"}, "State", "integer"),
        (read_endpoint, {"Namespace": {"CompartmentId": "6"}}, "Namespace.CompartmentId",
         "integer"),
        (read_response, {"Error": "x"}, "Success", "missing"),
        (read_policy, [1], "", "JSON object"),
        (read_policy, {"VLAN": 1}, "Type", "needs a Type"),
        (read_policy, {"Type": "VLAN", "VLAN": "one"}, "VLAN", "integer"),
    ],
)  # fmt: skip
def test_bad_documents_name_the_path(call: Any, source: Any, path: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        call(source)
    assert info.value.path == path
    assert fragment in info.value.reason


def test_read_policy_picks_the_class_by_type_ignoring_case() -> None:
    assert type(read_policy({"Type": "outboundnat"})).__name__ == "V1OutboundNatPolicy"
    policy = read_policy({"type": "VNET", "VSID": 4096})
    assert type(policy) is V1Policy
    assert policy.type == "VNET"
    assert to_dict(policy) == {"Type": "VNET", "VSID": 4096}  # the key case is canonical


def test_v1_models_keep_empty_and_zero_values() -> None:
    doc = {"Name": "n", "Policies": [], "Flags": 0, "MacPools": [], "AutomaticDNS": False}
    assert to_dict(read_network(doc)) == doc
    assert to_dict(V1Network()) == {}


def test_namespace_endpoint_ids() -> None:
    namespace = read_namespace(
        {"ID": GUID, "ResourceList": [
            {"Type": "Endpoint", "Data": {"Id": "a"}},
            {"Type": "endpoint", "Data": {"ID": "b"}},
            {"Type": "Container", "Data": {"Id": "c"}},
            {"Type": "Endpoint", "Data": "junk"},
        ]}
    )  # fmt: skip
    assert namespace.endpoint_ids() == ("a", "b")


def test_validation_of_v1_objects() -> None:
    validate(V1Network(policies=({"Type": "VLAN", "VLAN": 4095},)))
    with pytest.raises(ValidationError, match="VLAN id") as info:
        validate(V1Network(subnets=(V1Subnet(policies=({"Type": "VLAN", "VLAN": 4096},)),)))
    assert info.value.path == "subnets[0].policies[0].vlan"
    with pytest.raises(ValidationError, match="needs a Type"):
        validate(V1Endpoint(policies=({"PA": "10.0.0.1"},)))
    with pytest.raises(ValidationError, match="uint8"):
        validate(V1Endpoint(prefix_length=256))
    with pytest.raises(ValidationError, match="not a MAC"):
        validate(V1Endpoint(mac_address="00:15:5d:00:00:01"))


# --------------------------------------------------------------------------- conversion


def test_network_conversion() -> None:
    v1 = read_network(
        {
            "ID": GUID,
            "Name": "overlay",
            "Type": "Overlay",
            "NetworkAdapterName": "Ethernet",
            "SourceMac": "00-15-5D-00-00-01",
            "AutomaticDNS": True,
            "DNSSuffix": "svc.cluster.local, cluster.local",
            "DNSServerList": "10.0.0.10,10.0.0.11",
            "DNSServerCompartment": 2,
            "ManagementIP": "10.0.0.4",
            "Subnets": [
                {"AddressPrefix": "10.244.0.0/16", "GatewayAddress": "10.244.0.1",
                 "Policies": [{"Type": "VSID", "VSID": 4096}]},
                {"AddressPrefix": "fd00::/64", "GatewayAddress": "fd00::1", "Flags": 1},
                {"AddressPrefix": "10.1.0.0/24", "GatewayAddress": ""},
            ],
            "Health": {"LastErrorCode": 0},
        }
    )  # fmt: skip
    net = network_to_v2(v1)
    # No gateway, so no default route is made up: hcsshim's subnet rule then fails, as it
    # would for the V2 document written by hand.
    with pytest.raises(ValidationError, match="no default route") as info:
        validate(net)
    assert info.value.path == "ipams[0].subnets[2].routes"
    assert net.type is hcnpy.NetworkType.OVERLAY
    assert [type(p.settings).__name__ for p in net.policies] == [
        "NetAdapterNameNetworkPolicySetting",
        "SourceMacAddressNetworkPolicySetting",
        "AutomaticDNSNetworkPolicySetting",
    ]
    assert net.dns.search == ("svc.cluster.local", "cluster.local")
    assert net.dns.server_list == ("10.0.0.10", "10.0.0.11")
    first, second, third = net.ipams[0].subnets
    assert first.routes == (Route(next_hop="10.244.0.1", destination_prefix="0.0.0.0/0"),)
    assert first.policies == (SubnetPolicy.of(VsidPolicySetting(isolation_id=4096)),)
    assert second.routes == (Route(next_hop="fd00::1", destination_prefix="::/0"),)
    assert second.flags == hcnpy.SubnetFlags.DO_NOT_RESERVE_GATEWAY_ADDRESS
    assert third.routes == () and third.unknown_fields == {"GatewayAddress": ""}
    assert net.unknown_fields == {"DNSServerCompartment": 2, "ManagementIP": "10.0.0.4"}
    assert net.health.unknown_fields == {"LastErrorCode": 0}


def test_network_type_spelling_and_unknown_types() -> None:
    assert network_to_v2(V1Network(type="l2bridge")).type is hcnpy.NetworkType.L2_BRIDGE
    assert network_to_v2(V1Network(type="Fancy")).type == "Fancy"
    assert network_to_v2(V1Network()).type is hcnpy.NetworkType.NAT


def test_endpoint_conversion() -> None:
    v1 = read_endpoint(
        {
            "ID": "0c9ce1d4-8a5e-4a2a-9d34-7b0d4f6a1e11",
            "Name": "c1_eth0",
            "VirtualNetwork": GUID,
            "Policies": [
                {"Type": "OutBoundNAT", "ExceptionList": ["10.0.0.0/8"]},
                {"Type": "ROUTE", "DestinationPrefix": "10.96.0.0/12", "NeedEncap": True},
                {"Type": "VNET", "Id": 1},
            ],
            "MacAddress": "00-15-5D-00-00-02",
            "IPAddress": "10.244.0.5",
            "PrefixLength": 24,
            "IPv6Address": "fd00::5",
            "IPv6PrefixLength": 64,
            "GatewayAddress": "10.244.0.1",
            "GatewayAddressV6": "fd00::1",
            "DNSSuffix": "svc.cluster.local",
            "DNSServerList": "10.96.0.10",
            "DNSDomain": "cluster.local",
            "DisableICC": True,
            "EnableLowMetric": True,
            "EnableInternalDNS": True,
            "Namespace": {"ID": GUID, "CompartmentId": 3},
        }
    )
    ep = endpoint_to_v2(v1)
    validate(ep)
    assert ep.flags == EndpointFlags.DISABLE_ICC | EndpointFlags.ENABLE_LOW_INTERFACE_METRIC
    assert ep.host_compute_namespace == GUID
    assert [(c.ip_address, c.prefix_length) for c in ep.ip_configurations] == [
        ("10.244.0.5", 24),
        ("fd00::5", 64),
    ]
    assert [r.destination_prefix for r in ep.routes] == ["0.0.0.0/0", "::/0"]
    assert (ep.dns.domain, ep.dns.search, ep.dns.server_list) == (
        "cluster.local",
        ("svc.cluster.local",),
        ("10.96.0.10",),
    )
    assert ep.policies == (
        EndpointPolicy.of(OutboundNatPolicySetting(exceptions=("10.0.0.0/8",))),
        EndpointPolicy.of(
            SDNRoutePolicySetting(destination_prefix="10.96.0.0/12", need_encap=True)
        ),
    )
    # The VNET policy has no V2 equivalent: it stays on the V1 object only.
    assert "Policies" not in ep.unknown_fields
    assert ep.unknown_fields == {
        "EnableInternalDNS": True,
        "Namespace": {"ID": GUID, "CompartmentId": 3},
    }


def test_a_namespace_holding_only_its_id_is_fully_converted() -> None:
    ep = endpoint_to_v2(V1Endpoint(namespace=V1Namespace(id=GUID)))
    assert ep.host_compute_namespace == GUID
    assert ep.unknown_fields == {}
    ep = endpoint_to_v2(V1Endpoint(namespace=V1Namespace(id=GUID, resource_list=(
        V1NamespaceResource(type="Endpoint", data={"Id": "x"}),))))  # fmt: skip
    assert "Namespace" in ep.unknown_fields


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ({"Type": "NAT", "Protocol": "TCP", "InternalPort": 80, "ExternalPort": 8080},
         "endpoint", PortMappingPolicySetting(protocol=ProtocolType.TCP, internal_port=80,
                                              external_port=8080)),
        ({"Type": "NAT", "Protocol": "udp", "ExternalPortReserved": True}, "endpoint",
         PortMappingPolicySetting(protocol=ProtocolType.UDP,
                                  flags=NatFlags.EXTERNAL_PORT_RESERVED)),
        ({"Type": "NAT", "Protocol": "132"}, "endpoint", PortMappingPolicySetting(protocol=132)),
        ({"Type": "ACL", "Action": "Block", "Direction": "Out", "Protocol": 6, "LocalPort": 80,
          "RemotePorts": "1-2", "Priority": 100, "RuleType": "Switch", "Id": "r1"}, "endpoint",
         AclPolicySetting(id="r1", protocols="6", action=ActionType.BLOCK,
                          direction=DirectionType.OUT, local_ports="80", remote_ports="1-2",
                          rule_type=hcnpy.RuleType.SWITCH, priority=100)),
        ({"Type": "ACL", "Protocols": "6,17", "Protocol": 6, "ServiceName": "s"}, "endpoint",
         AclPolicySetting(protocols="6,17", action=ActionType.ALLOW, direction=DirectionType.IN,
                          unknown_fields={"Protocol": 6, "ServiceName": "s"})),
        ({"Type": "QOS", "MaximumOutgoingBandwidthInBytes": 1000}, "endpoint",
         QosPolicySetting(maximum_outgoing_bandwidth_in_bytes=1000)),
        ({"Type": "PROXY", "IP": "10.0.0.1", "Port": "8080", "ExceptionList": ["10.0.0.2"],
          "Destination": "10.0.0.3:80", "OutboundNat": True}, "endpoint",
         L4ProxyPolicySetting(ip="10.0.0.1", port="8080", exception_list=("10.0.0.2",),
                              destination="10.0.0.3:80", outbound_nat=True)),
        ({"Type": "L2Driver", "Extra": 1}, "endpoint",
         L2DriverPolicySetting(unknown_fields={"Extra": 1})),
        ({"Type": "VLAN", "VLAN": 7}, "endpoint", VlanPolicySetting(isolation_id=7)),
        ({"Type": "VLAN", "VLAN": 7}, "subnet", VlanPolicySetting(isolation_id=7)),
        ({"Type": "VSID", "VSID": 4096}, "subnet", VsidPolicySetting(isolation_id=4096)),
    ],
)  # fmt: skip
def test_policy_conversions(raw: dict[str, Any], kind: Any, expected: Any) -> None:
    converted = policy_to_v2(raw, kind)
    assert converted is not None
    assert converted.settings == expected
    validate(converted)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ({"Type": "VLAN", "VLAN": 7}, "network"),
        ({"Type": "VSID", "VSID": 7}, "endpoint"),
        ({"Type": "VLAN"}, "subnet"),
        ({"Type": "QOS"}, "endpoint"),
        ({"Type": "Isolation", "VLAN": 1, "VSID": 2}, "endpoint"),
        ({"Type": "ELB", "VIPs": []}, "endpoint"),
        ({"Type": "Future"}, "endpoint"),
        ({"Type": "OutBoundNAT"}, "subnet"),
    ],
)
def test_policies_without_a_v2_equivalent(raw: dict[str, Any], kind: Any) -> None:
    assert policy_to_v2(raw, kind) is None


def test_a_nat_protocol_without_a_number_is_an_error_with_its_path() -> None:
    with pytest.raises(ValidationError, match="no IP protocol number") as info:
        endpoint_to_v2(V1Endpoint(policies=({"Type": "NAT"}, {"Type": "NAT", "Protocol": "SCTP"})))
    assert info.value.path == "Policies[1].Protocol"


# --------------------------------------------------------------------------- properties

#: V1 keys the conversion turns into V2 fields (case-folded).
NETWORK_CONVERTED = {k.casefold() for k in (
    "ID", "Name", "Type", "NetworkAdapterName", "SourceMac", "MacPools", "Subnets", "DNSSuffix",
    "DNSServerList", "AutomaticDNS", "Flags", "LayeredOn", "Resources", "Health")}  # fmt: skip
ENDPOINT_CONVERTED = {k.casefold() for k in (
    "ID", "Name", "VirtualNetwork", "MacAddress", "IPAddress", "IPv6Address", "PrefixLength",
    "IPv6PrefixLength", "DNSSuffix", "DNSServerList", "DNSDomain", "GatewayAddress",
    "GatewayAddressV6", "DisableICC", "IsRemoteEndpoint", "EnableLowMetric", "EncapOverhead",
    "SharedContainers", "Flags", "Resources", "Health", "Namespace")}  # fmt: skip


def _nothing_lost(v1: Any, v2: Any, converted: set[str]) -> None:
    """Every V1 member is converted or kept in the V2 unknown fields; only keys that name a
    V2 field of another meaning (and unconverted policies) cannot be kept."""
    reserved = {k.casefold() for k in wire_keys(type(v2))}
    for key, value in to_dict(v1).items():
        folded = key.casefold()
        if key in v2.unknown_fields:
            assert v2.unknown_fields[key] == value
        else:
            assert folded in converted or folded in reserved, key


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_policy_docs = st.fixed_dictionaries(
    {"Type": st.sampled_from(["NAT", "ACL", "PA", "VLAN", "VSID", "QOS", "OutBoundNAT", "ROUTE",
                              "PROXY", "L2Driver", "Isolation", "VNET", "ELB", "x"])},
    optional={"Protocol": st.sampled_from(["TCP", "udp", "6"]) | st.integers(0, 300),
              "VLAN": st.integers(0, 5000), "VSID": st.integers(0, 2**25),
              "InternalPort": st.integers(0, 70000), "ExceptionList": st.lists(st.text(max_size=5)),
              "PA": st.text(max_size=6), "Extra": json_values},
)  # fmt: skip


@SETTINGS
@given(st.sampled_from([read_network, read_endpoint, read_namespace, read_policy, read_response,
                        read_networks, read_endpoints]),
       json_values | st.text(max_size=20))  # fmt: skip
def test_reading_anything_raises_only_typed_errors(call: Any, doc: Any) -> None:
    with contextlib.suppress(ValidationError, V1CallError):
        call(doc)


@SETTINGS
@given(_policy_docs, st.sampled_from(["endpoint", "network", "subnet"]))
def test_converting_any_policy_raises_only_validation_errors(doc: Any, kind: Any) -> None:
    try:
        converted = policy_to_v2(doc, kind)
    except ValidationError:
        return
    if converted is not None:
        assert from_dict(type(converted), to_dict(converted)) == converted


@SETTINGS
@given(model(V1Network), st.lists(_policy_docs, max_size=3))
def test_any_v1_network_converts_or_names_its_problem(network: V1Network, policies: Any) -> None:
    for v1 in (network, from_dict(V1Network, {**to_dict(network), "Policies": policies})):
        try:
            net = network_to_v2(v1)
        except ValidationError as exc:
            assert exc.path.startswith(("Policies[", "Subnets[")), exc
            continue
        assert from_dict(hcnpy.Network, to_dict(net)) == net
        _nothing_lost(v1, net, NETWORK_CONVERTED)


@SETTINGS
@given(model(V1Endpoint), st.lists(_policy_docs, max_size=3))
def test_any_v1_endpoint_converts_or_names_its_problem(endpoint: V1Endpoint, policies: Any) -> None:
    for v1 in (endpoint, from_dict(V1Endpoint, {**to_dict(endpoint), "Policies": policies})):
        try:
            ep = endpoint_to_v2(v1)
        except ValidationError as exc:
            assert exc.path.startswith("Policies["), exc
            continue
        assert from_dict(hcnpy.Endpoint, to_dict(ep)) == ep
        _nothing_lost(v1, ep, ENDPOINT_CONVERTED)
        if v1.is_remote_endpoint:
            assert ep.flags & EndpointFlags.REMOTE_ENDPOINT
