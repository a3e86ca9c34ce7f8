# ruff: noqa: E501  (conformance tables keep one case per line)
"""Result model and version conversion (pkg/types/{020,040,100}, §2.2)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cniskel.context import parse_prev_result
from cniskel.errors import CniError
from cniskel.result import (
    DNS,
    Interface,
    IPConfig,
    Result,
    ResultError,
    Route,
    parse_cidr,
    parse_ip,
)

VERSIONS = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]


def full_result() -> Result:
    """A 1.1.0 result using every field."""
    return Result(
        interfaces=[
            Interface(
                "eth0",
                "00:11:22:33:44:55",
                1500,
                "/var/run/netns/blue",
                "/tmp/sock",
                "0000:00:1f.6",
            ),
            Interface("veth0", "66:77:88:99:aa:bb"),
        ],
        ips=[
            IPConfig("10.1.2.30/24", "10.1.2.1", 0),
            IPConfig("3ffe:ffff:0:01ff::1/64", "3ffe:ffff:0::1", 0),
            IPConfig("10.1.3.4/24"),
        ],
        routes=[
            Route("0.0.0.0/0", "10.1.2.1", mtu=1400, advmss=1300, priority=10, table=0, scope=253),
            Route("192.168.0.30/16"),
            Route("::/0", "3ffe:ffff::1"),
        ],
        dns=DNS(["8.8.8.8"], "example.com", ["a.example.com"], ["ndots:2"]),
    )


EXPECTED: dict[str, dict[str, Any]] = {
    "0.2.0": {
        "cniVersion": "0.2.0",
        "ip4": {
            "ip": "10.1.2.30/24",
            "gateway": "10.1.2.1",
            "routes": [{"dst": "0.0.0.0/0", "gw": "10.1.2.1"}, {"dst": "192.168.0.30/16"}],
        },
        "ip6": {
            "ip": "3ffe:ffff:0:1ff::1/64",
            "gateway": "3ffe:ffff::1",
            "routes": [{"dst": "::/0", "gw": "3ffe:ffff::1"}],
        },
        "dns": {
            "nameservers": ["8.8.8.8"],
            "domain": "example.com",
            "search": ["a.example.com"],
            "options": ["ndots:2"],
        },
    },
    "0.4.0": {
        "cniVersion": "0.4.0",
        "interfaces": [
            {"name": "eth0", "mac": "00:11:22:33:44:55", "sandbox": "/var/run/netns/blue"},
            {"name": "veth0", "mac": "66:77:88:99:aa:bb"},
        ],
        "ips": [
            {"version": "4", "interface": 0, "address": "10.1.2.30/24", "gateway": "10.1.2.1"},
            {
                "version": "6",
                "interface": 0,
                "address": "3ffe:ffff:0:1ff::1/64",
                "gateway": "3ffe:ffff::1",
            },
            {"version": "4", "address": "10.1.3.4/24"},
        ],
        "routes": [
            {"dst": "0.0.0.0/0", "gw": "10.1.2.1"},
            {"dst": "192.168.0.30/16"},
            {"dst": "::/0", "gw": "3ffe:ffff::1"},
        ],
        "dns": {
            "nameservers": ["8.8.8.8"],
            "domain": "example.com",
            "search": ["a.example.com"],
            "options": ["ndots:2"],
        },
    },
    # Debian's libcni 1.1.2: struct order, no 1.1.0 fields, dns always printed.
    "1.0.0": {
        "cniVersion": "1.0.0",
        "interfaces": [
            {"name": "eth0", "mac": "00:11:22:33:44:55", "sandbox": "/var/run/netns/blue"},
            {"name": "veth0", "mac": "66:77:88:99:aa:bb"},
        ],
        "ips": [
            {"interface": 0, "address": "10.1.2.30/24", "gateway": "10.1.2.1"},
            {"interface": 0, "address": "3ffe:ffff:0:1ff::1/64", "gateway": "3ffe:ffff::1"},
            {"address": "10.1.3.4/24"},
        ],
        "routes": [
            {"dst": "0.0.0.0/0", "gw": "10.1.2.1"},
            {"dst": "192.168.0.30/16"},
            {"dst": "::/0", "gw": "3ffe:ffff::1"},
        ],
        "dns": {
            "nameservers": ["8.8.8.8"],
            "domain": "example.com",
            "search": ["a.example.com"],
            "options": ["ndots:2"],
        },
    },
    # libcni >= 1.2 (the only libraries with spec 1.1.0): sorted keys through a Go map.
    "1.1.0": {
        "cniVersion": "1.1.0",
        "dns": {
            "domain": "example.com",
            "nameservers": ["8.8.8.8"],
            "options": ["ndots:2"],
            "search": ["a.example.com"],
        },
        "interfaces": [
            {
                "mac": "00:11:22:33:44:55",
                "mtu": 1500,
                "name": "eth0",
                "pciID": "0000:00:1f.6",
                "sandbox": "/var/run/netns/blue",
                "socketPath": "/tmp/sock",
            },
            {"mac": "66:77:88:99:aa:bb", "name": "veth0"},
        ],
        "ips": [
            {"address": "10.1.2.30/24", "gateway": "10.1.2.1", "interface": 0},
            {"address": "3ffe:ffff:0:1ff::1/64", "gateway": "3ffe:ffff::1", "interface": 0},
            {"address": "10.1.3.4/24"},
        ],
        "routes": [
            {
                "advmss": 1300,
                "dst": "0.0.0.0/0",
                "gw": "10.1.2.1",
                "mtu": 1400,
                "priority": 10,
                "scope": 253,
                "table": 0,
            },
            {"dst": "192.168.0.30/16"},
            {"dst": "::/0", "gw": "3ffe:ffff::1"},
        ],
    },
}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_110_result_prints_in_every_version(version: str) -> None:
    family = {"0.1.0": "0.2.0", "0.2.0": "0.2.0", "1.0.0": "1.0.0", "1.1.0": "1.1.0"}.get(
        version, "0.4.0"
    )
    expected = dict(EXPECTED[family], cniVersion=version)
    printed = full_result().to_json(version)
    assert json.loads(printed) == expected
    # key order is part of the contract (Go struct order up to 1.0.0, sorted for 1.1.0)
    assert list(json.loads(printed)) == list(expected)
    assert not printed.endswith(b"\n")


def test_empty_dns_is_emitted_up_to_100_and_omitted_for_110() -> None:
    result = Result(ips=[IPConfig("10.0.0.1/8")])
    assert json.loads(result.to_json("0.2.0"))["dns"] == {}
    assert json.loads(result.to_json("0.4.0"))["dns"] == {}
    assert json.loads(result.to_json("1.0.0"))["dns"] == {}
    assert "dns" not in json.loads(result.to_json("1.1.0"))


def test_down_conversion_without_ips_fails_like_the_reference() -> None:
    result = Result(interfaces=[Interface("eth0")])
    for version in ("0.1.0", "0.2.0"):
        with pytest.raises(ResultError, match=r"^cannot convert: no valid IP addresses$"):
            result.to_dict(version)


def test_a_legacy_result_without_ips_prints_in_its_own_family() -> None:
    result = Result.from_dict({"cniVersion": "0.2.0", "dns": {"nameservers": ["1.1.1.1"]}})
    assert result.to_dict("0.1.0") == {"cniVersion": "0.1.0", "dns": {"nameservers": ["1.1.1.1"]}}


def test_down_conversion_to_020_takes_the_first_ip_per_declared_version() -> None:
    result = Result.from_dict(
        {
            "cniVersion": "0.4.0",
            "ips": [
                {"address": "10.0.0.1/8"},  # no version: ignored by the 0.2.0 converter
                {"version": "4", "address": "10.0.0.2/8"},
                {"version": "4", "address": "10.0.0.3/8"},
                {"version": "6", "address": "fd00::3/64"},
            ],
            "routes": [{"dst": "fd01::/64"}],
        }
    )
    converted = result.to_dict("0.2.0")
    assert converted["ip4"] == {"ip": "10.0.0.2/8"}
    assert converted["ip6"] == {"ip": "fd00::3/64", "routes": [{"dst": "fd01::/64"}]}


def test_routes_without_a_matching_family_are_dropped_in_020() -> None:
    result = Result(ips=[IPConfig("10.0.0.2/8")], routes=[Route("::/0"), Route("0.0.0.0/0")])
    assert result.to_dict("0.2.0")["ip4"] == {"ip": "10.0.0.2/8", "routes": [{"dst": "0.0.0.0/0"}]}


def test_020_parse_up_converts_to_ips_then_routes() -> None:
    legacy = {
        "cniVersion": "0.2.0",
        "ip4": {
            "ip": "1.2.3.30/24",
            "gateway": "1.2.3.1",
            "routes": [{"dst": "15.5.6.0/24", "gw": "15.5.6.8"}],
        },
        "ip6": {"ip": "abcd:1234:ffff::cdde/64", "routes": [{"dst": "1111:dddd::aaaa/80"}]},
        "dns": {"nameservers": ["1.2.3.4"]},
    }
    result = Result.from_dict(legacy)
    assert result.to_dict("0.4.0") == {
        "cniVersion": "0.4.0",
        "ips": [
            {"version": "4", "address": "1.2.3.30/24", "gateway": "1.2.3.1"},
            {"version": "6", "address": "abcd:1234:ffff::cdde/64"},
        ],
        "routes": [{"dst": "15.5.6.0/24", "gw": "15.5.6.8"}, {"dst": "1111:dddd::aaaa/80"}],
        "dns": {"nameservers": ["1.2.3.4"]},
    }
    # and back: 0.2.0 -> 0.4.0 -> 0.2.0 is lossless
    assert Result.from_dict(result.to_dict("0.4.0")).to_dict("0.2.0") == legacy
    assert result.to_dict("0.1.0") == dict(legacy, cniVersion="0.1.0")


def test_interface_index_zero_survives_every_conversion() -> None:
    result = Result(interfaces=[Interface("eth0")], ips=[IPConfig("10.0.0.2/24", interface=0)])
    for version in ("0.3.0", "0.3.1", "0.4.0"):
        assert result.to_dict(version)["ips"] == [
            {"version": "4", "interface": 0, "address": "10.0.0.2/24"}
        ]
    assert result.to_dict("1.0.0")["ips"] == [{"address": "10.0.0.2/24", "interface": 0}]


def test_04_to_1x_drops_ip_versions_and_1x_to_04_derives_them() -> None:
    result = Result.from_dict(
        {"cniVersion": "0.4.0", "ips": [{"version": "6", "address": "fd00::1/64"}]}
    )
    assert result.to_dict("1.0.0")["ips"] == [{"address": "fd00::1/64"}]
    back = Result.from_dict(result.to_dict("1.0.0"))
    assert back.to_dict("0.3.1")["ips"] == [{"version": "6", "address": "fd00::1/64"}]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1.2.3.30/24", "1.2.3.30/24"),
        ("3ffe:ffff:0:01ff::1/64", "3ffe:ffff:0:1ff::1/64"),
        ("3ffe:ffff:0::1/128", "3ffe:ffff::1/128"),
        ("::ffff:1.2.3.4/120", "1.2.3.4/24"),
    ],
)
def test_cidrs_keep_host_bits_and_render_canonically(text: str, canonical: str) -> None:
    assert str(parse_cidr(text)) == canonical


@pytest.mark.parametrize(
    "text",
    ["1.2.3.4", "1.2.3.4/33", "1.2.3.4/255.255.255.0", "fe80::1%eth0/64", "x/8", "1.2.3.4/ 8"],
)
def test_invalid_cidrs_use_the_reference_message(text: str) -> None:
    with pytest.raises(ResultError, match=f"^invalid CIDR address: {text}$"):
        parse_cidr(text)


def test_ip_addresses_parse_like_go() -> None:
    assert str(parse_ip("3ffe:ffff:0::1")) == "3ffe:ffff::1"
    assert str(parse_ip("::ffff:10.0.0.1")) == "10.0.0.1"
    with pytest.raises(ResultError, match=r"^invalid IP address: 10.0.0.256$"):
        parse_ip("10.0.0.256")


CREATE_CASES: list[tuple[str | None, dict[str, Any], str]] = [
    (
        "1.0.0",
        {"cniVersion": "0.4.0"},
        'result type supports [1.0.0] but unmarshalled CNIVersion is "0.4.0"',
    ),
    (
        "0.4.0",
        {"cniVersion": "1.0.0"},
        'result type supports [0.3.0 0.3.1 0.4.0] but unmarshalled CNIVersion is "1.0.0"',
    ),
    ("0.4.0", {}, 'result type supports [0.3.0 0.3.1 0.4.0] but unmarshalled CNIVersion is ""'),
    (
        "0.2.0",
        {"cniVersion": "0.4.0"},
        'result type supports [ 0.1.0 0.2.0] but unmarshalled CNIVersion is "0.4.0"',
    ),
    ("0.5.0", {}, 'unsupported CNI result version "0.5.0"'),
    (None, {"cniVersion": "2.0.0"}, 'unsupported CNI result version "2.0.0"'),
]


@pytest.mark.parametrize(("version", "data", "msg"), CREATE_CASES)
def test_result_creation_checks_the_embedded_version(
    version: str | None, data: dict[str, Any], msg: str
) -> None:
    with pytest.raises(ResultError) as info:
        Result.from_dict(data, version)
    assert str(info.value) == msg


def test_missing_version_decodes_as_010() -> None:
    result = Result.from_dict({"ip4": {"ip": "10.0.0.2/8"}})
    assert result.cni_version == "0.1.0"
    assert result.to_dict() == {"cniVersion": "0.1.0", "ip4": {"ip": "10.0.0.2/8"}, "dns": {}}


def test_go_html_escaping_and_indentation() -> None:
    result = Result(ips=[IPConfig("10.0.0.2/8")], dns=DNS(domain="a<b>&c"))
    text = result.to_json("1.0.0")
    assert b'"domain": "a\\u003cb\\u003e\\u0026c"' in text
    assert text.startswith(b'{\n    "cniVersion": "1.0.0",\n')


def test_copy_and_equality() -> None:
    original = full_result()
    clone = original.copy()
    assert clone == original
    clone.ips[0].interface = 1
    assert clone != original
    assert repr(original).startswith("Result(")


PREV_CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("1.0.0", {"ips": [{"address": "10.0.0.2/8"}]}, None),
    ("0.4.0", {"ips": [{"version": "4", "address": "10.0.0.2/8"}]}, None),
    ("0.4.0", {"cniVersion": "0.3.1", "ips": [{"version": "4", "address": "10.0.0.2/8"}]}, None),
    (
        "1.0.0",
        {"cniVersion": "0.4.0", "ips": []},
        'could not parse prevResult: result type supports [1.0.0] but unmarshalled CNIVersion is "0.4.0"',
    ),
    (
        "1.0.0",
        {"ips": [{"address": "nonsense"}]},
        "could not parse prevResult: invalid CIDR address: nonsense",
    ),
]


@pytest.mark.parametrize(("config_version", "prev", "error"), PREV_CASES)
def test_prev_result_is_parsed_in_the_config_version(
    config_version: str, prev: dict[str, Any], error: str | None
) -> None:
    raw: dict[str, object] = {"cniVersion": config_version, "name": "n", "prevResult": prev}
    if error is None:
        parsed = parse_prev_result(raw, config_version)
        assert parsed is not None
        assert str(parsed.ips[0].address) == "10.0.0.2/8"
    else:
        with pytest.raises(CniError) as info:
            parse_prev_result(raw, config_version)
        assert (info.value.code, info.value.msg) == (6, error)


def test_absent_prev_result_is_none() -> None:
    assert parse_prev_result({"name": "n"}, "1.0.0") is None


def test_type_errors_in_results_are_reported() -> None:
    with pytest.raises(
        ResultError,
        match=r"^json: cannot unmarshal string into Go struct field Result.ips of type "
        r"\[\]\*types100.IPConfig$",
    ):
        Result.from_dict({"cniVersion": "1.0.0", "ips": "10.0.0.1/8"})
