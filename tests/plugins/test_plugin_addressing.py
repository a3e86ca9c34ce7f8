# ruff: noqa: E501  (tables of test data read best one case per line)
"""Gateway, prefix and DNS decisions (C-10, C-13) and the result builder (C-17 shape)."""

from __future__ import annotations

from typing import Any

import pytest
from winplugins import addressing, config, results

from cniskel.result import Result


def ipam(data: dict[str, Any], version: str = "1.1.0") -> Result:
    return Result.from_dict({"cniVersion": version, **data}, version)


def conf(**raw: Any) -> config.NetConf:
    return config.parse({"name": "net", **raw})


# --- C-10 gateway derivation ------------------------------------------------------------------


def test_routes_gw_beats_subnet_plus_one() -> None:
    plan = addressing.plan_gateways(
        conf(ipam={"subnet": "10.0.0.0/16", "routes": [{"dst": "0.0.0.0/0", "gw": "10.0.0.2"}]}),
        None,
    )
    assert plan.gw4 == "10.0.0.2"
    assert addressing.plan_gateways(conf(ipam={"subnet": "10.0.0.0/16"}), None).gw4 == "10.0.0.1"


def test_non_default_route_is_not_a_gateway() -> None:
    plan = addressing.plan_gateways(
        conf(ipam={"subnet": "10.0.0.0/16", "routes": [{"dst": "10.9.0.0/16", "gw": "10.0.0.9"}]}),
        None,
    )
    assert plan.gw4 == "10.0.0.1"


def test_ipv6_subnet_gateway() -> None:
    assert addressing.plan_gateways(conf(ipam={"subnet": "fd00::/64"}), None).gw6 == "fd00::1"


def test_no_gateway_information_means_no_default_route() -> None:
    plan = addressing.plan_gateways(conf(), None)
    assert (plan.gw4, plan.gw6) == ("", "")


def test_ipam_gateway_and_force_bridge_gateway() -> None:
    result = ipam({"ips": [{"address": "10.244.1.7/24", "gateway": "10.244.1.1"}]})
    plan = addressing.plan_gateways(conf(ipam={"type": "host-local"}), result)
    assert (plan.ip4, plan.prefix4, plan.gw4) == ("10.244.1.7", 24, "10.244.1.1")
    forced = addressing.plan_gateways(
        conf(ipam={"type": "host-local"}, optionalFlags={"forceBridgeGateway": True}), result
    )
    assert forced.gw4 == "10.244.1.2"


def test_legacy_ipam_result_shape() -> None:
    plan = addressing.plan_gateways(
        conf(ipam={"type": "host-local"}),
        ipam({"ip4": {"ip": "10.1.2.3/24", "gateway": "10.1.2.1"}}, "0.2.0"),
    )
    assert (plan.ip4, plan.prefix4, plan.gw4) == ("10.1.2.3", 24, "10.1.2.1")


def test_ipam_without_gateway_falls_back_to_config() -> None:
    plan = addressing.plan_gateways(
        conf(ipam={"type": "x", "subnet": "10.1.2.0/24"}), ipam({"ips": [{"address": "10.1.2.3/24"}]})
    )
    assert plan.gw4 == "10.1.2.1"


def test_gateway_from_additional_routes_only_when_unset() -> None:
    routes = [{"dst": "0.0.0.0/0", "gw": "10.0.0.2"}, {"dst": "::/0", "gw": "fd00::101"}]
    flags = {"gatewayFromAdditionalRoutes": True, "enableDualStack": True}
    plan = addressing.plan_gateways(conf(optionalFlags=flags, additionalRoutes=routes), None)
    assert (plan.gw4, plan.gw6) == ("10.0.0.2", "fd00::101")
    plan = addressing.plan_gateways(
        conf(optionalFlags=flags, additionalRoutes=routes, ipam={"subnet": "10.0.0.0/16"}), None
    )
    assert (plan.gw4, plan.gw6) == ("10.0.0.1", "fd00::101")
    # Without the flag additionalRoutes are ignored.
    plan = addressing.plan_gateways(conf(additionalRoutes=routes), None)
    assert (plan.gw4, plan.gw6) == ("", "")


def test_dual_stack_ipam() -> None:
    result = ipam({"ips": [{"address": "192.168.1.10/24", "gateway": "192.168.1.2"},
                           {"address": "fd00::102/120", "gateway": "fd00::101"}]})  # fmt: skip
    plan = addressing.plan_gateways(
        conf(ipam={"type": "host-local"}, optionalFlags={"enableDualStack": True}), result
    )
    assert plan.ips() == ["192.168.1.10", "fd00::102"]
    assert (plan.gw4, plan.gw6, plan.prefix6) == ("192.168.1.2", "fd00::101", 120)
    single = addressing.plan_gateways(conf(ipam={"type": "host-local"}), result)
    assert single.ips() == ["192.168.1.10"] and single.gw6 == ""


def test_empty_ipam_result_is_an_error() -> None:
    from winplugins.errors import ConfigError

    with pytest.raises(ConfigError):
        addressing.plan_gateways(conf(ipam={"type": "x"}), ipam({"ips": []}))


# --- prefix lengths ---------------------------------------------------------------------------

NETWORK = {
    "Ipams": [{"Type": "Static", "Subnets": [
        {"IpAddressPrefix": "10.0.0.0/16", "Routes": [{"NextHop": "10.0.0.1", "DestinationPrefix": "0.0.0.0/0"}]},
        {"IpAddressPrefix": "fd00::/64", "Routes": [{"NextHop": "fd00::1", "DestinationPrefix": "::/0"}]},
    ]}]
}  # fmt: skip


def test_prefix_from_the_subnet_that_holds_the_ip() -> None:
    assert addressing.prefix_length("10.0.3.4", NETWORK) == 16
    assert addressing.prefix_length("fd00::5", NETWORK) == 64
    assert addressing.prefix_length("172.16.0.1", NETWORK, 0, 24) == 24
    assert addressing.prefix_length("172.16.0.1", {}) == 32
    assert addressing.default_gateways_of(NETWORK, "fd00::9") == "fd00::1"


# --- C-13 DNS ------------------------------------------------------------------------------------


def test_dns_namespace_rewrite_and_runtime_override() -> None:
    c = conf(dns={"nameservers": ["10.50.10.50"], "search": ["svc.cluster.local", "svc.cluster.local"],
                  "options": ["ndots:5"]})  # fmt: skip
    dns = addressing.endpoint_dns(c, "test-default")
    assert dns.search == ["test-default.svc.cluster.local", "svc.cluster.local"]
    assert addressing.endpoint_dns(c).search == ["svc.cluster.local", "svc.cluster.local"]
    c = conf(
        dns={"nameservers": ["10.50.10.50"], "search": ["a"], "options": ["o"]},
        runtimeConfig={"dns": {"servers": ["1.1.1.1"], "searches": ["rt.local"]}},
    )
    dns = addressing.endpoint_dns(c, "ns")
    assert (dns.nameservers, dns.search, dns.options) == (["1.1.1.1"], ["rt.local"], ["o"])


# --- C-17 result ----------------------------------------------------------------------------------


ENDPOINT = {
    "ID": "1d2b9a7e-0000-4000-8000-000000000001",
    "MacAddress": "00-15-5D-1A-2B-3C",
    "IpConfigurations": [{"IpAddress": "10.0.0.5", "PrefixLength": 16}, {"IpAddress": "fd00::5"}],
    "Routes": [{"NextHop": "10.0.0.1", "DestinationPrefix": "0.0.0.0/0"},
               {"NextHop": "fd00::1", "DestinationPrefix": "::/0"}],
    "Dns": {"ServerList": ["10.50.10.50"], "Search": ["svc.cluster.local"]},
}  # fmt: skip


def test_result_shape() -> None:
    out = results.build(NETWORK, ENDPOINT, "eth0", "ns-guid").to_dict("1.1.0")
    assert out["interfaces"] == [{"name": "eth0", "mac": "00:15:5d:1a:2b:3c", "sandbox": "ns-guid"}]
    assert out["ips"] == [
        {"address": "10.0.0.5/16", "interface": 0, "gateway": "10.0.0.1"},
        {"address": "fd00::5/64", "interface": 0, "gateway": "fd00::1"},
    ]
    assert out["routes"] == [
        {"dst": "0.0.0.0/0", "gw": "10.0.0.1"},
        {"dst": "::/0", "gw": "fd00::1"},
    ]
    assert out["dns"] == {"nameservers": ["10.50.10.50"], "search": ["svc.cluster.local"]}


