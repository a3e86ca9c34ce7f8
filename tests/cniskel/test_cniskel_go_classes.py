"""The classes of divergence from the Go library listed in issue 11, pinned with Go's answers.

Each expected value is what Debian's libcni 1.1.2 (the oracle in tests/go) returns; the
differential tests (tests/cniskel/differential) check the same areas on generated input.
"""

from __future__ import annotations

import json

import pytest

from cniskel._version import VersionError, parse_version
from cniskel.args import ArgsError, CommonArgs, NetIP
from cniskel.context import parse_prev_result
from cniskel.errors import CniError
from cniskel.invoke import decode_plugin_info
from cniskel.netconf import NetConf
from cniskel.result import Result, ResultError
from cniskel.testing import cni_env, run_in_process


def printed(data: str, version: str, target: str | None = None) -> str:
    return Result.from_json(data.encode(), version).to_json(target).decode()


def test_ipv4_mapped_cidr_below_96_is_ipv4_slash_0() -> None:
    data = '{"cniVersion": "0.3.1", "ips": [{"version": "4", "address": "::ffff:10.1.2.3/64"}]}'
    assert json.loads(printed(data, "0.3.1"))["ips"] == [{"version": "4", "address": "10.1.2.3/0"}]
    assert json.loads(printed(data, "0.3.1", "0.2.0"))["ip4"] == {"ip": "10.1.2.3/0"}
    assert json.loads(printed(data, "0.3.1", "1.0.0"))["ips"] == [{"address": "10.1.2.3/0"}]


def test_empty_gateway_and_gw_are_absent() -> None:
    data = (
        '{"cniVersion": "1.0.0", "ips": [{"address": "10.0.0.2/24", "gateway": ""}],'
        ' "routes": [{"dst": "0.0.0.0/0", "gw": ""}]}'
    )
    assert printed(data, "1.0.0") == (
        '{\n    "cniVersion": "1.0.0",\n    "ips": [\n        {\n'
        '            "address": "10.0.0.2/24"\n        }\n    ],\n'
        '    "routes": [\n        {\n            "dst": "0.0.0.0/0"\n        }\n    ],\n'
        '    "dns": {}\n}'
    )


def test_integral_floats_and_big_integers_in_results() -> None:
    with pytest.raises(ResultError) as info:
        Result.from_json(
            '{"cniVersion": "1.0.0", "ips": [{"address": "10.0.0.2/24", "interface": 1.0}]}'
        )
    assert str(info.value) == (
        "json: cannot unmarshal number 1.0 into Go struct field Result.ips of type int"
    )
    big = (
        '{"cniVersion": "1.0.0", "ips": [{"address": "10.0.0.2/24", '
        '"interface": 9007199254740993}]}'
    )
    assert '"interface": 9007199254740993,' in printed(big, "1.0.0")
    # 1.0.0 has no interface mtu in Debian's libcni: 1500.0 there is ignored, not an error.
    mtu = '{"cniVersion": "1.0.0", "interfaces": [{"name": "eth0", "mtu": 1500.0}]}'
    assert json.loads(printed(mtu, "1.0.0"))["interfaces"] == [{"name": "eth0"}]


def test_prev_result_numbers_go_through_float64() -> None:
    conf = {"cniVersion": "1.0.0", "name": "n", "prevResult": {}}
    conf["prevResult"] = {"ips": [{"address": "10.0.0.2/24", "interface": 1.0}]}
    parsed = parse_prev_result(json.loads(json.dumps(conf)), "1.0.0")
    assert parsed is not None and parsed.ips[0].interface == 1
    from cniskel._gojson import loads

    raw = loads(
        b'{"cniVersion": "1.0.0", "name": "n", "prevResult": {"ips": [{"address": "10.0.0.2/24",'
        b' "interface": 12345678901234567890}]}}'
    )
    with pytest.raises(CniError) as info:
        parse_prev_result(raw, "1.0.0")
    assert info.value.msg == (
        "could not parse prevResult: json: cannot unmarshal number 12345678901234567000 "
        "into Go struct field Result.ips of type int"
    )


def test_the_first_aborting_error_wins_over_later_problems() -> None:
    data = (
        '{"cniVersion": "0.4.0", "ips": [{"version": "4", "address": "10.0.0.2/24", '
        '"interface": "0"}], "dns": {"nameservers": "x"}, "routes": [{"dst": "bad"}]}'
    )
    with pytest.raises(ResultError) as info:
        Result.from_json(data)
    assert str(info.value) == (
        "json: cannot unmarshal string into Go struct field Result.ips of type int"
    )


class Custom(CommonArgs):
    IP: NetIP = NetIP()
    Flag: bool = False


def test_cni_args_error_texts() -> None:
    with pytest.raises(ArgsError) as info:
        Custom.load("IgnoreUnknown=YES\x01")
    assert str(info.value) == (
        'ARGS: error parsing value of pair "IgnoreUnknown=YES\\x01": '
        "boolean unmarshal error: invalid input yes\x01"
    )
    with pytest.raises(ArgsError) as info:
        CommonArgs.load("A=\tb;C=d")
    assert str(info.value) == 'ARGS: unknown args ["A=\\tb" "C=d"]'


@pytest.mark.parametrize(
    ("raw", "shown"), [("IP=10.1.2.3", "10.1.2.3"), ("IP=::1", "::1"), ("IP=", "<nil>")]
)
def test_net_ip_argument_accepts_ipv4_ipv6_and_empty(raw: str, shown: str) -> None:
    assert str(Custom.load(raw).IP) == shown


def test_out_of_range_version_numbers() -> None:
    with pytest.raises(VersionError) as info:
        parse_version("1.99999999999999999999")
    assert str(info.value) == (
        'failed to convert minor version part "99999999999999999999": '
        'strconv.Atoi: parsing "99999999999999999999": value out of range'
    )


def test_plugin_info_keys_in_another_case() -> None:
    info = decode_plugin_info(b'{"CNIVERSION": "1.0.0", "SupportedVersions": ["0.4.0"]}')
    assert (info.cni_version, info.supported_versions) == ("1.0.0", ["0.4.0"])


def test_undeclared_fields_are_not_type_checked_and_a_bom_is_go_worded() -> None:
    conf = NetConf.from_dict({"name": "n", "ipMasq": "yes", "runtimeConfig": []})
    assert conf.ip_masq is False and conf.runtime_config.port_mappings is None

    from cniskel import Plugin

    class Typed(Plugin):
        config_class = NetConf

        def add(self, ctx: object) -> None:
            return None

    good = run_in_process(
        Typed, cni_env("ADD"), b'{"name": "n", "ipMasq": "yes", "runtimeConfig": []}'
    )
    assert good.exit_code == 0, good.stdout
    bom = run_in_process(Typed, cni_env("ADD"), b'\xef\xbb\xbf{"name": "n"}')
    assert bom.error == {
        "code": 6,
        "msg": "error unmarshall network config: invalid character '\u00ef' "
        "looking for beginning of value",
    }
