"""CNI_ARGS, validators, configuration models and versions (pkg/types, pkg/utils, pkg/version)."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

import cniskel
from cniskel._version import (
    ALL_VERSIONS,
    VersionError,
    greater_than,
    greater_than_or_equal,
    parse_version,
    versions_starting_from,
)
from cniskel.args import ArgsError, ArgsSpec, CniArgs, CommonArgs, K8sArgs, parse_bool, split_pairs
from cniskel.errors import CniError
from cniskel.netconf import NetConf
from cniskel.validate import (
    validate_container_id,
    validate_interface_name,
    validate_network_name,
)

# --- CNI_ARGS ---------------------------------------------------------------


class IPArgs(CommonArgs):
    IP: ipaddress.IPv4Address | None = None
    FLAG: bool = False
    NAME: str = ""


class StrictArgs(ArgsSpec):
    IP: str = ""


ARGS_CASES: list[tuple[type[ArgsSpec], str, dict[str, Any] | str]] = [
    (IPArgs, "", {"IP": None, "IgnoreUnknown": False}),
    (IPArgs, "IP=10.0.0.7", {"IP": ipaddress.IPv4Address("10.0.0.7")}),
    (IPArgs, "IP=10.0.0.7;FLAG=True;NAME=x", {"FLAG": True, "NAME": "x"}),
    (IPArgs, "FLAG=0", {"FLAG": False}),
    (IPArgs, "FLAG=FALSE", {"FLAG": False}),
    (IPArgs, "FOO=bar;IgnoreUnknown=1", {"IgnoreUnknown": True}),
    (IPArgs, "IgnoreUnknown=true;FOO=bar", {"IgnoreUnknown": True}),
    (IPArgs, "NAME=a;NAME=b", {"NAME": "b"}),
    (IPArgs, "FOO=bar", 'ARGS: unknown args ["FOO=bar"]'),
    (IPArgs, "FOO=bar;BAZ=1;IgnoreUnknown=0", 'ARGS: unknown args ["FOO=bar" "BAZ=1"]'),
    (IPArgs, "IP=1.2.3.4;", 'ARGS: invalid pair ""'),
    (IPArgs, "IP", 'ARGS: invalid pair "IP"'),
    (IPArgs, "NAME=a=b", 'ARGS: invalid pair "NAME=a=b"'),
    (IPArgs, "ip=1.2.3.4", 'ARGS: unknown args ["ip=1.2.3.4"]'),
    (IPArgs, "IP=bad", 'ARGS: error parsing value of pair "IP=bad": invalid IP address: bad'),
    (
        IPArgs,
        "FLAG=yes",
        'ARGS: error parsing value of pair "FLAG=yes": boolean unmarshal error: invalid input yes',
    ),
    (StrictArgs, "IgnoreUnknown=1", 'ARGS: unknown args ["IgnoreUnknown=1"]'),
]


@pytest.mark.parametrize(("spec", "raw", "expected"), ARGS_CASES)
def test_load_args_semantics(
    spec: type[ArgsSpec], raw: str, expected: dict[str, Any] | str
) -> None:
    if isinstance(expected, str):
        with pytest.raises(ArgsError) as info:
            spec.load(raw)
        assert str(info.value) == expected
    else:
        loaded = spec.load(raw)
        for key, value in expected.items():
            assert getattr(loaded, key) == value


def test_k8s_args_from_a_real_runtime_string() -> None:
    raw = (
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=virtualmachines;K8S_POD_NAME=samplepod;"
        "K8S_POD_INFRA_CONTAINER_ID=3a6a;K8S_POD_UID=8304"
    )
    args = CniArgs(raw)
    loaded = args.load(K8sArgs)
    assert (loaded.K8S_POD_NAMESPACE, loaded.K8S_POD_NAME) == ("virtualmachines", "samplepod")
    assert (loaded.K8S_POD_INFRA_CONTAINER_ID, loaded.K8S_POD_UID) == ("3a6a", "8304")
    assert args.get("K8S_POD_UID") == "8304"
    assert args.get("k8s_pod_uid") is None  # keys are exact-case
    assert args.k8s.K8S_POD_NAMESPACE == "virtualmachines"
    assert args.pairs[0] == ("IgnoreUnknown", "1")


def test_k8s_args_without_ignore_unknown_reject_other_keys() -> None:
    with pytest.raises(ArgsError, match=r'unknown args \["IP=1.2.3.4"\]'):
        K8sArgs.load("K8S_POD_NAME=p;IP=1.2.3.4")


def test_split_pairs_and_bools() -> None:
    assert split_pairs("") == []
    assert split_pairs("A=1;B=") == [("A", "1"), ("B", "")]
    assert [parse_bool(v) for v in ("1", "true", "True", "0", "false", "False")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


# --- validators -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", (3, "missing containerID", "")),
        ("1234%%%", (4, "invalid characters in containerID", "1234%%%")),
        ("_abc", (4, "invalid characters in containerID", "_abc")),
        ("Abc-1.2_3", None),
        ("0", None),
    ],
)
def test_validate_container_id(value: str, expected: tuple[int, str, str] | None) -> None:
    error = validate_container_id(value)
    if expected is None:
        assert error is None
    else:
        assert error is not None
        assert (error.code, error.msg, error.details) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", (7, "missing network name:", "")),
        ("1234%%%", (7, "invalid characters found in network name", "1234%%%")),
        ("my-net.1_x", None),
    ],
)
def test_validate_network_name(value: str, expected: tuple[int, str, str] | None) -> None:
    error = validate_network_name(value)
    if expected is None:
        assert error is None
    else:
        assert error is not None
        assert (error.code, error.msg, error.details) == expected


@pytest.mark.parametrize(
    ("value", "msg"),
    [
        ("", "interface name is empty"),
        ("a" * 15, None),
        ("a" * 16, "interface name is too long"),
        ("é" * 8, "interface name is too long"),  # 16 bytes in UTF-8
        (".", "interface name is . or .."),
        ("..", "interface name is . or .."),
        ("eth:0", "interface name contains / or : or whitespace characters"),
        ("eth\t0", "interface name contains / or : or whitespace characters"),
        ("eth\u00a00", "interface name contains / or : or whitespace characters"),
        ("eth\x1c0", None),  # not a space for Go's unicode.IsSpace
        ("eth0.100", None),
    ],
)
def test_validate_interface_name(value: str, msg: str | None) -> None:
    error = validate_interface_name(value)
    if msg is None:
        assert error is None
    else:
        assert error is not None
        assert (error.code, error.msg) == (4, msg)


# --- versions ---------------------------------------------------------------------


def test_version_arithmetic() -> None:
    assert parse_version("") == (0, 1, 0)
    assert parse_version("1") == (1, 0, 0)
    assert parse_version("1.2") == (1, 2, 0)
    assert parse_version("0.-42.0") == (0, -42, 0)
    assert greater_than_or_equal("1.1.0", "1.1.0")
    assert greater_than("1.10.0", "1.9.0")
    assert not greater_than("0.4.0", "1.0.0")
    assert versions_starting_from("0.3.1") == ("0.3.1", "0.4.0", "1.0.0", "1.1.0")
    assert ALL_VERSIONS[-1] == "1.1.0"
    for bad in ("1.2.3-rc1", "a", "1.2.3.4", "1..2"):
        with pytest.raises(VersionError):
            parse_version(bad)


# --- configuration models -----------------------------------------------------------


class BridgeConf(cniskel.NetConf):
    bridge: str = "cni0"
    mtu: int = 1500
    is_gateway: bool = cniskel.field(key="isGateway", default=False)
    vlans: list[int] = cniskel.field(factory=list)
    subnet: ipaddress.IPv4Network | None = None


class FoldedConf(BridgeConf):
    case_insensitive_keys = True


class RequiredConf(cniskel.NetConf):
    master: str


def test_plugin_config_fields_defaults_and_unknown_keys() -> None:
    conf = BridgeConf.from_dict(
        {
            "cniVersion": "1.0.0",
            "name": "n",
            "type": "bridge",
            "isGateway": True,
            "vlans": [1, 2.0],
            "subnet": "10.0.0.0/16",
            "capabilities": {"portMappings": True},
            "ipam": {"type": "host-local", "subnet": "10.1.0.0/16"},
            "somethingElse": {"kept": 1},
            "mtu": None,
        }
    )
    assert (conf.bridge, conf.mtu, conf.is_gateway, conf.vlans) == ("cni0", 1500, True, [1, 2])
    assert conf.subnet == ipaddress.IPv4Network("10.0.0.0/16")
    assert conf.capabilities == {"portMappings": True}
    assert conf.ipam is not None
    assert conf.ipam.type == "host-local"
    assert conf.ipam.extra == {"subnet": "10.1.0.0/16"}
    assert conf.extra == {"somethingElse": {"kept": 1}}
    assert conf.to_dict()["somethingElse"] == {"kept": 1}
    assert conf.to_dict()["isGateway"] is True


def test_keys_are_exact_unless_case_insensitive() -> None:
    data = {"name": "n", "Bridge": "br1", "ISGATEWAY": True}
    exact = BridgeConf.from_dict(data)
    assert (exact.bridge, exact.is_gateway) == ("cni0", False)
    assert set(exact.extra) == {"Bridge", "ISGATEWAY"}
    folded = FoldedConf.from_dict(data)
    assert (folded.bridge, folded.is_gateway, folded.extra) == ("br1", True, {})


@pytest.mark.parametrize(
    ("data", "code", "fragment"),
    [
        ({"mtu": "1500"}, 6, "mtu: cannot use string as int"),
        ({"mtu": 1.5}, 6, "mtu: cannot use number as int"),
        ({"isGateway": 1}, 6, "isGateway: cannot use number as bool"),
        ({"vlans": [1, "x"]}, 6, "vlans[1]: cannot use string as int"),
        ({"ipam": []}, 6, "ipam: cannot use array as object"),
        ({"subnet": "10.0.0.1/16"}, 7, "subnet"),
    ],
)
def test_config_type_errors(data: dict[str, Any], code: int, fragment: str) -> None:
    with pytest.raises(CniError) as info:
        BridgeConf.from_dict({"name": "n", **data})
    assert info.value.code == code
    assert fragment in info.value.msg


def test_required_fields() -> None:
    with pytest.raises(CniError) as info:
        RequiredConf.from_dict({"name": "n"})
    assert (info.value.code, info.value.msg) == (
        7,
        "invalid network config: missing required key 'master'",
    )
    assert RequiredConf.from_dict({"name": "n", "master": "eth0"}).master == "eth0"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, []),
        ({"cni.dev/valid-attachments": None}, []),
        ({"cni.dev/attachments": None}, []),
        ({"cni.dev/valid-attachments": [{"containerID": "a", "ifname": "eth0"}]}, [("a", "eth0")]),
        ({"cni.dev/attachments": [{"containerID": "b", "ifname": "net1"}]}, [("b", "net1")]),
        (
            {
                "cni.dev/valid-attachments": [{"containerID": "a", "ifname": "eth0"}],
                "cni.dev/attachments": [{"containerID": "b", "ifname": "eth0"}],
            },
            [("a", "eth0")],
        ),
    ],
)
def test_gc_attachments_under_both_keys(
    data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    conf = NetConf.from_dict({"name": "n", "cniVersion": "1.1.0", **data})
    assert [(a.container_id, a.ifname) for a in conf.valid_attachments] == expected


def test_args_and_runtime_config_capabilities() -> None:
    conf = NetConf.from_dict(
        {
            "name": "n",
            "args": {"cni": {"ips": ["10.0.0.9/24"], "labels": [{"key": "app", "value": "web"}]}},
            "runtimeConfig": {
                "ipRanges": [[{"subnet": "10.2.0.0/16", "rangeStart": "10.2.0.10"}]],
                "bandwidth": {"ingressRate": 1000, "egressBurst": 50},
                "dns": {"servers": ["1.1.1.1"], "searches": ["svc"], "options": ["ndots:5"]},
                "ips": ["10.0.0.9/24"],
                "infinibandGUID": "c2:11:22:33:44:55:66:77",
                "deviceID": "0000:04:00.5",
                "aliases": ["a"],
                "cgroupPath": "/kubepods/pod1",
                "custom": {"x": 1},
            },
        }
    )
    assert conf.args is not None and conf.args.cni is not None
    assert conf.args.cni.ips == ["10.0.0.9/24"]
    assert (conf.args.cni.labels[0].key, conf.args.cni.labels[0].value) == ("app", "web")
    rc = conf.runtime_config
    assert rc.ip_ranges is not None and rc.ip_ranges[0][0].range_start == "10.2.0.10"
    assert rc.bandwidth is not None and rc.bandwidth.ingress_rate == 1000
    assert rc.dns is not None and rc.dns.servers == ["1.1.1.1"]
    assert rc.device_id == "0000:04:00.5"
    assert rc.infiniband_guid == "c2:11:22:33:44:55:66:77"
    assert rc.cgroup_path == "/kubepods/pod1"
    assert rc.extra == {"custom": {"x": 1}}


def test_models_can_be_built_in_code() -> None:
    conf = BridgeConf(name="n", bridge="br0")
    assert conf.to_dict()["bridge"] == "br0"
    assert conf == BridgeConf(name="n", bridge="br0")
    with pytest.raises(TypeError):
        BridgeConf(nonsense=1)
    assert "bridge='br0'" in repr(conf)
