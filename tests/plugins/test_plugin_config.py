# ruff: noqa: E501  (tables of test data read best one case per line)
"""The configuration parser: every reference field, case-insensitive keys, clean errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from winplugins import config
from winplugins.errors import ERR_DECODE, ERR_INVALID_CONFIG, ConfigError, PluginError


def test_minimal() -> None:
    conf = config.parse(b'{"cniVersion":"1.0.0","name":"natNet","type":"nat"}')
    assert conf.name == "natNet"
    assert conf.type == "nat"
    assert conf.cni_version == "1.0.0"
    assert conf.ipam.type == ""
    assert conf.port_mappings == []
    assert conf.endpoint_policies == []


def test_every_reference_field() -> None:
    raw = {
        "cniVersion": "0.3.1",
        "name": "bridgeNet",
        "type": "sdnbridge",
        "master": "Ethernet",
        "capabilities": {"portMappings": True, "dns": True},
        "ipam": {
            "type": "",
            "environment": "mas",
            "addressSpace": "as",
            "subnet": "10.0.0.0/16",
            "ipAddress": "10.0.0.9",
            "queryInterval": "10",
            "routes": [{"dst": "0.0.0.0/0", "gw": "10.0.0.2"}],
        },
        "dns": {
            "nameservers": ["10.50.10.50", "8.8.8.8"],
            "domain": "corp",
            "search": ["svc.cluster.local"],
            "options": ["ndots:5"],
        },
        "optionalFlags": {
            "localRoutedPortMapping": True,
            "allowAclPortMapping": True,
            "forceBridgeGateway": True,
            "enableDualStack": True,
            "loopbackDSR": True,
            "gatewayFromAdditionalRoutes": True,
            "autoCreateNetwork": True,
        },
        "runtimeConfig": {
            "portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp",
                              "hostIP": "192.168.1.5"}],
            "dns": {"servers": ["1.1.1.1"], "searches": ["a.b"], "options": ["x"]},
        },
        "additionalRoutes": [{"dst": "::/0", "gw": "fd00::101"}],
        "AdditionalArgs": [
            {"Name": "EndpointPolicy",
             "Value": {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/16"]}}},
            {"Name": "NetworkPolicy",
             "Value": {"Type": "NetAdapterName", "Settings": {"NetworkAdapterName": "Ethernet"}}},
        ],
    }  # fmt: skip
    conf = config.parse(json.dumps(raw).encode())
    assert conf.ipam.subnet == "10.0.0.0/16"
    assert conf.ipam.routes == [config.Route("0.0.0.0/0", "10.0.0.2")]
    assert (conf.ipam.environment, conf.ipam.address_space) == ("mas", "as")
    assert (conf.ipam.ip_address, conf.ipam.query_interval) == ("10.0.0.9", "10")
    assert conf.dns == config.DNS(
        ["10.50.10.50", "8.8.8.8"], "corp", ["svc.cluster.local"], ["ndots:5"]
    )
    flags = conf.flags
    assert flags.local_routed_port_mapping and flags.allow_acl_port_mapping
    assert flags.force_bridge_gateway and flags.enable_dual_stack and flags.loopback_dsr
    assert flags.gateway_from_additional_routes and flags.auto_create_network
    (pm,) = conf.port_mappings
    assert (pm.host_port, pm.container_port, pm.protocol, pm.host_ip) == (
        8080,
        80,
        6,
        "192.168.1.5",
    )
    assert conf.runtime_dns == config.DNS(["1.1.1.1"], "", ["a.b"], ["x"])
    assert conf.additional_routes == [config.Route("::/0", "fd00::101")]
    assert conf.endpoint_policies == [
        {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/16"]}}
    ]
    assert conf.network_policies == [
        {"Type": "NetAdapterName", "Settings": {"NetworkAdapterName": "Ethernet"}}
    ]
    assert conf.wants_loopback_dsr


def test_keys_are_case_insensitive() -> None:
    raw = {
        "CNIVERSION": "0.2.0",
        "Name": "n",
        "TYPE": "nat",
        "IPAM": {"Subnet": "192.168.1.0/24", "Routes": [{"GW": "192.168.1.2"}]},
        "DNS": {"Nameservers": ["11.0.0.10"], "Search": ["svc.cluster.local"]},
        "OptionalFlags": {"LOOPBACKDSR": True},
        "additionalargs": [
            {
                "name": "endpointpolicy",
                "value": {"type": "outboundnat", "settings": {"Exceptions": []}},
            }
        ],
        "RuntimeConfig": {"PortMappings": [{"HostPort": 1, "ContainerPort": 2, "Protocol": "UDP"}]},
    }
    conf = config.parse(raw)
    assert (conf.name, conf.type, conf.cni_version) == ("n", "nat", "0.2.0")
    assert conf.ipam.subnet == "192.168.1.0/24"
    assert conf.ipam.routes[0].gw == "192.168.1.2"
    assert conf.dns.nameservers == ["11.0.0.10"]
    assert conf.flags.loopback_dsr
    assert conf.endpoint_policies == [{"Type": "OutBoundNAT", "Settings": {"Exceptions": []}}]
    assert conf.port_mappings[0].protocol == 17


def test_keys_match_as_go_decodes_them_the_last_match_wins() -> None:
    # Go assigns every case-insensitively matching key in document order (hcnpy.jsonkeys).
    assert config.parse({"name": "a", "NAME": "b"}).name == "b"
    assert config.parse({"NAME": "a", "name": "b"}).name == "b"
    assert config.parse({"name": "a", "IPAM": {"TYPE": "x", "Type": "y"}}).ipam.type == "y"


def test_route_gateway_key_alias() -> None:
    # example/nat.conf writes "gateway"; the reference ignored it (quirk 2).
    conf = config.parse(
        b'{"name":"natNetwork","type":"nat","ipam":{"subnet":"192.168.100.0/24",'
        b'"routes":[{"gateway":"192.168.100.1"}]}}'
    )
    assert conf.ipam.routes == [config.Route("", "192.168.100.1")]


def test_null_is_absent() -> None:
    conf = config.parse(
        b'{"name":"n","ipam":null,"dns":null,"AdditionalArgs":null,"additionalRoutes":null,'
        b'"optionalFlags":{"loopbackDSR":null},"runtimeConfig":{"portMappings":null}}'
    )
    assert conf.ipam.type == "" and not conf.flags.loopback_dsr and conf.port_mappings == []


def test_policies_key_from_win_bridge() -> None:
    conf = config.parse(
        {
            "name": "cbr0",
            "policies": [
                {"name": "EndpointPolicy", "value": {"Type": "OutBoundNAT", "ExceptionList": ["1.0.0.0/8"]}},
                {"name": "EndpointPolicy", "value": {"Type": "ROUTE", "DestinationPrefix": "11.0.0.0/8", "NeedEncap": True}},
                {"name": "SomethingElse", "value": {"Type": "QOS"}},
            ],
        }
    )  # fmt: skip
    assert conf.endpoint_policies == [
        {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["1.0.0.0/8"]}},
        {"Type": "SDNRoute", "Settings": {"DestinationPrefix": "11.0.0.0/8", "NeedEncap": True}},
    ]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"name": "n", "AdditionalArgs": {"Name": "EndpointPolicy"}}, "AdditionalArgs: expected a JSON array"),
        ({"name": "n", "AdditionalArgs": ["x"]}, "AdditionalArgs[0]: expected a JSON object"),
        ({"name": "n", "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": "OutBoundNAT"}]},
         "AdditionalArgs[0].Value: a policy must be a JSON object"),
        ({"name": "n", "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": {"Settings": {}}}]},
         "AdditionalArgs[0].Value.Type"),
        ({"name": "n", "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": {"Type": "ACL", "Settings": []}}]},
         "AdditionalArgs[0].Value.Settings: expected a JSON object"),
        ({"name": "n", "runtimeConfig": {"portMappings": [{"hostPort": 1, "containerPort": 2, "protocol": "sctp"}]}},
         "runtimeConfig.portMappings[0].protocol: unknown protocol 'sctp'"),
        ({"name": "n", "runtimeConfig": {"portMappings": [{"hostPort": 0, "containerPort": 2}]}},
         "runtimeConfig.portMappings[0].hostPort: port 0"),
        ({"name": "n", "runtimeConfig": {"portMappings": [{"hostPort": "80", "containerPort": 2}]}},
         "runtimeConfig.portMappings[0].hostPort: expected a port number"),
        ({"name": "n", "runtimeConfig": {"portMappings": [{"hostPort": 8, "containerPort": 2, "hostIP": "x"}]}},
         "runtimeConfig.portMappings[0].hostIP: not an IP address"),
        ({"name": "n", "ipam": {"subnet": "10.0.0.0/33"}}, "ipam.subnet: not an address prefix"),
        ({"name": "n", "ipam": {"routes": [{"gw": "nope"}]}}, "ipam.routes[0].gw: not an IP address"),
        ({"name": "n", "dns": {"nameservers": "8.8.8.8"}}, "dns.nameservers: expected a JSON array"),
        ({"name": "n", "optionalFlags": {"loopbackDSR": "yes"}}, "optionalFlags.loopbackDSR: expected true or false"),
        ({"name": ""}, "name: the network name is missing"),
        ({"name": 5}, "name: expected a string"),
    ],
)  # fmt: skip
def test_bad_config_is_a_clear_code_7(raw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        config.parse(json.dumps(raw).encode())
    assert info.value.code == ERR_INVALID_CONFIG
    assert fragment in info.value.msg


def test_bad_json_is_code_6() -> None:
    with pytest.raises(PluginError) as info:
        config.parse(b"{not json")
    assert info.value.code == ERR_DECODE


def test_delete_parse_ignores_irrelevant_parts() -> None:
    raw = {
        "name": "natNet",
        "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.0.0.0/24"}]]},
        "runtimeConfig": {"portMappings": [{"hostPort": "bad", "protocol": "sctp"}]},
        "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": 17}],
        "optionalFlags": {"loopbackDSR": "not-a-bool", "enableDualStack": True},
    }
    with pytest.raises(ConfigError):
        config.parse(raw)
    conf = config.parse_for_delete(raw)
    assert conf.name == "natNet" and conf.ipam.type == "host-local"
    assert conf.flags.enable_dual_stack


@pytest.mark.parametrize(
    ("cni_args", "namespace"),
    [
        ("IgnoreUnknown=1;K8S_POD_NAMESPACE=prod;K8S_POD_NAME=x", "prod"),
        ("K8S_POD_NAMESPACE=prod", "prod"),
        ("", ""),
        ('{"K8S_POD_NAMESPACE":"x"}', ""),  # the reference's own test: not K=V, ignored
        ("K8S_POD_NAMESPACE=prod;OTHER=1", ""),  # unknown key without IgnoreUnknown: as Go
    ],
)
def test_k8s_namespace_as_the_reference_reads_it(cni_args: str, namespace: str) -> None:
    from winplugins.flows import Operation
    from winplugins.nat import NatPlugin

    from cniskel.context import Context
    from cniskel.netconf import NetConf

    ctx = Context(command="ADD", args=cni_args, config=NetConf())
    assert Operation(NatPlugin().declarations(), ctx).k8s_namespace() == namespace


# --- properties ----------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=25,
)  # fmt: skip

KEYS = ["name", "type", "cniVersion", "ipam", "dns", "optionalFlags", "runtimeConfig",
        "AdditionalArgs", "policies", "additionalRoutes", "capabilities", "loopbackDSR"]  # fmt: skip


def _case_variants(key: str) -> st.SearchStrategy[str]:
    return st.sampled_from([key, key.lower(), key.upper(), key[:1].upper() + key[1:]])


config_like = st.dictionaries(
    st.sampled_from(KEYS).flatmap(_case_variants), json_values, max_size=8
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_values, config_like))
def test_arbitrary_json_never_tracebacks(value: Any) -> None:
    data = json.dumps(value).encode()
    for parse in (config.parse, config.parse_for_delete):
        try:
            parse(data)
        except PluginError as err:
            assert err.code in (ERR_DECODE, ERR_INVALID_CONFIG)
            assert err.msg


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64))
def test_arbitrary_bytes_never_traceback(data: bytes) -> None:
    try:
        config.parse(data)
    except PluginError as err:
        assert err.code in (ERR_DECODE, ERR_INVALID_CONFIG)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_key_case_does_not_change_the_result(data: st.DataObject) -> None:
    base = {
        "name": "net",
        "ipam": {"subnet": "10.1.0.0/16", "routes": [{"gw": "10.1.0.2"}]},
        "dns": {"nameservers": ["10.0.0.10"], "search": ["svc.cluster.local"]},
        "optionalFlags": {"forceBridgeGateway": True},
        "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": {"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 5}}}],
    }  # fmt: skip

    def recase(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {
                data.draw(_case_variants(k)): v if k == "Settings" else recase(v)
                for k, v in obj.items()
            }
        if isinstance(obj, list):
            return [recase(v) for v in obj]
        return obj

    a, b = config.parse(base), config.parse(recase(base))
    assert (a.name, a.ipam.subnet, a.ipam.routes, a.dns) == (
        b.name,
        b.ipam.subnet,
        b.ipam.routes,
        b.dns,
    )
    assert a.flags.force_bridge_gateway == b.flags.force_bridge_gateway
    assert a.endpoint_policies == b.endpoint_policies
