"""Network rules of the simulated HNS engine."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hcnpy.hresult import HResult
from hcnpy.sim.engine import Engine
from hcnpy.sim.versions import SimVersion as HnsVersion

from .sim_engine_support import (
    create,
    create_hr,
    delete_hr,
    get,
    ids,
    modify_hr,
    nat_network,
    new_engine,
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = new_engine(tmp_path)
    yield eng
    assert eng.open_handle_count() == 0
    eng.shutdown()


def test_nat_network_properties_look_like_hns(engine: Engine) -> None:
    oid = nat_network(engine, "n1")
    props = get(engine, "Network", oid)
    assert str(uuid.UUID(props["ID"])) == props["ID"] == oid
    assert props["Name"] == "n1"
    assert "Type" not in props  # NAT is the zero-valued enum; HNS omits it
    assert props["SchemaVersion"] == {"Major": 2, "Minor": 0}
    assert props["Health"] == {"Extra": {}}
    assert props["Dns"] == {}
    assert props["MacPool"]["Ranges"] == [
        {"StartMacAddress": "00-15-5D-10-00-00", "EndMacAddress": "00-15-5D-10-0F-FF"}
    ]
    subnet = props["Ipams"][0]["Subnets"][0]
    assert subnet["IpAddressPrefix"] == "10.0.0.0/24"


def test_type_flags_and_schema_version_are_echoed(engine: Engine) -> None:
    doc = {"Name": "ov", "Type": "overlay", "Flags": 8, "SchemaVersion": {"Major": 2, "Minor": 2}}
    props = get(engine, "Network", create(engine, "Network", doc))
    assert props["Type"] == "Overlay"
    assert props["Flags"] == 8
    assert props["SchemaVersion"] == {"Major": 2, "Minor": 2}


def test_keys_are_read_case_insensitively(engine: Engine) -> None:
    doc = {
        "name": "lower",
        "TYPE": "L2Bridge",
        "ipams": [{"subnets": [{"ipaddressprefix": "10.9.0.0/16"}]}],
    }
    props = get(engine, "Network", create(engine, "Network", doc))
    assert props["Name"] == "lower" and props["Type"] == "L2Bridge"
    assert props["Ipams"][0]["Subnets"][0]["IpAddressPrefix"] == "10.9.0.0/16"


def test_unknown_fields_are_echoed(engine: Engine) -> None:
    props = get(engine, "Network", create(engine, "Network", {"Name": "x", "Owner": "me"}))
    assert props["Owner"] == "me"


def test_name_is_required(engine: Engine) -> None:
    assert create_hr(engine, "Network", {"Type": "NAT"}) == HResult.HCN_E_INVALID_NETWORK
    assert create_hr(engine, "Network", {"Name": "  "}) == HResult.HCN_E_INVALID_NETWORK


def test_duplicate_name_is_rejected(engine: Engine) -> None:
    nat_network(engine, "dup")
    assert create_hr(engine, "Network", {"Name": "dup"}) == HResult.HCN_E_NETWORK_ALREADY_EXISTS
    assert create_hr(engine, "Network", {"Name": "DUP"}) == HResult.HCN_E_NETWORK_ALREADY_EXISTS
    assert len(ids(engine, "Network")) == 1


def test_unknown_network_type(engine: Engine) -> None:
    doc = {"Name": "x", "Type": "Bogus"}
    assert create_hr(engine, "Network", doc) == HResult.HCN_E_INVALID_NETWORK_TYPE


@pytest.mark.parametrize(
    ("prefix", "code"),
    [
        ("10.0.0.0/33", HResult.HCN_E_INVALID_PREFIX),
        ("garbage", HResult.HCN_E_INVALID_PREFIX),
        ("10.0.0.0", HResult.HCN_E_INVALID_PREFIX),
        # rule subnet.prefix.host-bits (containers-toolkit#24: 0x803B000A)
        ("10.0.0.1/24", HResult.HCN_E_INVALID_NETWORK),
    ],
)
def test_bad_subnet_prefixes(engine: Engine, prefix: str, code: int) -> None:
    doc = {"Name": "x", "Ipams": [{"Subnets": [{"IpAddressPrefix": prefix}]}]}
    assert create_hr(engine, "Network", doc) == code
    assert ids(engine, "Network") == []


def test_overlapping_subnets_in_one_network(engine: Engine) -> None:
    subnets = [{"IpAddressPrefix": "10.0.0.0/16"}, {"IpAddressPrefix": "10.0.1.0/24"}]
    doc = {"Name": "x", "Type": "L2Bridge", "Ipams": [{"Subnets": subnets}]}
    assert create_hr(engine, "Network", doc) == HResult.HCN_E_INVALID_SUBNET


def test_bad_gateway_is_invalid_ip(engine: Engine) -> None:
    subnet = {"IpAddressPrefix": "10.0.0.0/24", "Routes": [{"NextHop": "nope"}]}
    doc = {"Name": "x", "Ipams": [{"Subnets": [subnet]}]}
    assert create_hr(engine, "Network", doc) == HResult.HCN_E_INVALID_IP


def test_nat_without_ipam_gets_a_default_subnet(engine: Engine) -> None:
    first = get(engine, "Network", create(engine, "Network", {"Name": "a", "Type": "NAT"}))
    second = get(engine, "Network", create(engine, "Network", {"Name": "b"}))
    for props, prefix, gateway in ((first, "172.16.0.0/20", "172.16.0.1"),
                                   (second, "172.16.16.0/20", "172.16.16.1")):  # fmt: skip
        subnet = props["Ipams"][0]["Subnets"][0]
        assert subnet["IpAddressPrefix"] == prefix
        assert subnet["Routes"] == [{"NextHop": gateway, "DestinationPrefix": "0.0.0.0/0"}]


def test_non_nat_without_ipam_has_no_subnet(engine: Engine) -> None:
    props = get(engine, "Network", create(engine, "Network", {"Name": "t", "Type": "Transparent"}))
    assert "Ipams" not in props


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '"x"', '{"Name": 5}', '{"Name": NaN}'])
def test_bad_json(engine: Engine, text: str) -> None:
    assert create_hr(engine, "Network", text) == HResult.HCN_E_INVALID_JSON


def test_delete_with_endpoints_is_refused(engine: Engine) -> None:
    net = nat_network(engine)
    ep = create(engine, "Endpoint", {}, network=net)
    assert delete_hr(engine, "Network", net) == HResult.HCN_E_ENTITY_HAS_REFERENCES
    assert delete_hr(engine, "Endpoint", ep) == 0
    assert delete_hr(engine, "Network", net) == 0
    assert ids(engine, "Network") == []


def test_unknown_guid_on_open_and_delete(engine: Engine) -> None:
    missing = uuid.uuid4()
    hr, handle, record = engine.open("Network", missing)
    assert (hr, handle) == (HResult.ERROR_NOT_FOUND, None)
    assert record is not None and json.loads(record)["ErrorCode"] == 0x80070490
    assert engine.delete("Network", missing)[0] == HResult.ERROR_NOT_FOUND


def test_explicit_id_and_duplicate_id(engine: Engine) -> None:
    wanted = uuid.UUID("5f0b1190-63be-4e0c-b974-bd0f55675a42")
    hr, handle, _ = engine.create("Network", wanted, json.dumps({"Name": "a"}))
    assert hr == 0 and handle is not None
    assert engine.close("Network", handle) == 0
    assert ids(engine, "Network") == [str(wanted)]
    hr, handle, _ = engine.create("Network", wanted, json.dumps({"Name": "b"}))
    assert (hr, handle) == (HResult.ERROR_ALREADY_EXISTS, None)
    nil = uuid.UUID(int=0)
    hr, handle, _ = engine.create("Network", nil, json.dumps({"Name": "c"}))
    assert hr == 0 and handle is not None
    assert engine.close("Network", handle) == 0
    assert str(nil) not in ids(engine, "Network")


def _policy_request(request: str, *policies: dict[str, Any]) -> dict[str, Any]:
    return {
        "ResourceType": "Policy",
        "RequestType": request,
        "Settings": {"Policies": list(policies)},
    }


REMOTE_SUBNET = {
    "Type": "RemoteSubnetRoute",
    "Settings": {
        "DestinationPrefix": "192.168.2.0/24",
        "IsolationId": 5000,
        "ProviderAddress": "10.1.1.2",
        "DistributedRouterMacAddress": "00-01-02-03-04-05",
    },
}


def test_network_policy_add_and_remove(engine: Engine) -> None:
    net = create(engine, "Network", {"Name": "ov", "Type": "Overlay"})
    host_route = {"Type": "HostRoute", "Settings": {}}
    assert modify_hr(engine, "Network", net, _policy_request("Add", REMOTE_SUBNET, host_route)) == 0
    types = [p["Type"] for p in get(engine, "Network", net)["Policies"]]
    assert types == ["RemoteSubnetRoute", "HostRoute"]
    again = _policy_request("Add", REMOTE_SUBNET)
    assert modify_hr(engine, "Network", net, again) == HResult.HCN_E_POLICY_ALREADY_EXISTS
    assert modify_hr(engine, "Network", net, _policy_request("Remove", REMOTE_SUBNET)) == 0
    assert [p["Type"] for p in get(engine, "Network", net)["Policies"]] == ["HostRoute"]
    gone = _policy_request("Remove", REMOTE_SUBNET)
    assert modify_hr(engine, "Network", net, gone) == HResult.HCN_E_POLICY_NOT_FOUND
    assert modify_hr(engine, "Network", net, _policy_request("Remove", {"Type": "HostRoute"})) == 0
    assert "Policies" not in get(engine, "Network", net)


def test_network_policy_validation(engine: Engine) -> None:
    net = create(engine, "Network", {"Name": "ov", "Type": "Overlay"})
    unknown = _policy_request("Add", {"Type": "NoSuchPolicy"})
    assert modify_hr(engine, "Network", net, unknown) == HResult.HCN_E_INVALID_POLICY_TYPE
    broken = _policy_request("Add", {"Type": "VxlanPort", "Settings": {"Port": "x"}})
    assert modify_hr(engine, "Network", net, broken) == HResult.HCN_E_INVALID_POLICY
    doc = {"Name": "bad", "Policies": [{"Type": "VxlanPort", "Settings": {}}]}
    assert create_hr(engine, "Network", doc) == HResult.HCN_E_INVALID_POLICY


def test_policy_needing_a_newer_hns_is_rejected(tmp_path: Path) -> None:
    acl = {"Type": "NetworkACL", "Settings": {"Action": "Block", "Direction": "In"}}
    old = new_engine(tmp_path / "old", version=HnsVersion(14, 0))
    doc = {"Name": "n", "Type": "Overlay", "Policies": [acl]}
    assert create_hr(old, "Network", doc) == HResult.HCN_E_INVALID_POLICY_TYPE
    current = new_engine(tmp_path / "new")
    assert create_hr(current, "Network", doc) == 0


def test_dns_extension_and_unsupported_modify(engine: Engine) -> None:
    net = nat_network(engine)
    dns = {"ResourceType": "DNS", "RequestType": "Update",
           "Settings": {"Domain": "corp", "ServerList": ["10.0.0.10"]}}  # fmt: skip
    assert modify_hr(engine, "Network", net, dns) == 0
    assert get(engine, "Network", net)["Dns"] == {"Domain": "corp", "ServerList": ["10.0.0.10"]}
    ext = {"ResourceType": "Extension", "RequestType": "Update",
           "Settings": {"Id": str(uuid.uuid4()), "IsEnabled": True}}  # fmt: skip
    assert modify_hr(engine, "Network", net, ext) == 0
    subnet = {"ResourceType": "Subnet", "RequestType": "Add", "Settings": {}}
    assert modify_hr(engine, "Network", net, subnet) == HResult.HCN_E_REQUEST_UNSUPPORTED
    bogus = {"ResourceType": "Bogus", "RequestType": "Add"}
    assert modify_hr(engine, "Network", net, bogus) == HResult.HCN_E_INVALID_JSON
    assert modify_hr(engine, "Network", net, "{") == HResult.HCN_E_INVALID_JSON


def test_ipv6_subnet_needs_dual_stack(tmp_path: Path) -> None:
    subnets = [
        {
            "IpAddressPrefix": "2001:db8:abcd:12::/64",
            "Routes": [{"NextHop": "2001:db8:abcd:12::1", "DestinationPrefix": "::/0"}],
        }
    ]
    doc = {"Name": "v6", "Type": "L2Bridge", "Ipams": [{"Subnets": subnets}]}  # fmt: skip
    old = new_engine(tmp_path / "old", version=HnsVersion(11, 0))
    assert create_hr(old, "Network", doc) == HResult.HCN_E_REQUEST_UNSUPPORTED
    assert create_hr(new_engine(tmp_path / "new"), "Network", doc) == 0


def test_disable_host_port_flag_needs_15_1(tmp_path: Path) -> None:
    doc = {"Name": "n", "Flags": 1024}
    old = new_engine(tmp_path / "old", version=HnsVersion(15, 0))
    assert create_hr(old, "Network", doc) == HResult.HCN_E_REQUEST_UNSUPPORTED


def test_mac_pool_validation(engine: Engine) -> None:
    bad = {"Name": "x", "MacPool": {"Ranges": [{"StartMacAddress": "zz", "EndMacAddress": "00"}]}}
    assert create_hr(engine, "Network", bad) == HResult.HCN_E_INVALID_NETWORK
    backwards = {"Ranges": [{"StartMacAddress": "00-15-5D-00-00-09",
                             "EndMacAddress": "00-15-5D-00-00-01"}]}  # fmt: skip
    assert create_hr(engine, "Network", {"Name": "y", "MacPool": backwards}) == (
        HResult.HCN_E_INVALID_NETWORK
    )


def test_default_mac_pools_do_not_overlap(engine: Engine) -> None:
    first = get(engine, "Network", nat_network(engine, "a", "10.0.0.0/24"))
    second = get(engine, "Network", nat_network(engine, "b", "10.0.1.0/24"))
    assert first["MacPool"] != second["MacPool"]
    assert second["MacPool"]["Ranges"][0]["StartMacAddress"] == "00-15-5D-10-10-00"


def test_v1_network_document_is_accepted(engine: Engine) -> None:
    subnet = {"AddressPrefix": "192.168.77.0/24", "GatewayAddress": "192.168.77.1"}
    v1 = {"Name": "v1net", "Type": "nat", "Subnets": [subnet]}
    oid = create(engine, "Network", v1)
    props = get(engine, "Network", oid)
    assert props["Ipams"][0]["Subnets"][0]["IpAddressPrefix"] == "192.168.77.0/24"
    legacy = get(engine, "Network", oid, {"SchemaVersion": {"Major": 1, "Minor": 0}})
    assert [{k: s[k] for k in subnet} for s in legacy["Subnets"]] == [subnet]
    assert legacy["Type"] == "NAT" and legacy["ID"] == oid.upper()


def test_detailed_query_adds_health_data(engine: Engine) -> None:
    net = nat_network(engine)
    detailed = get(engine, "Network", net, {"SchemaVersion": {"Major": 2, "Minor": 0}, "Flags": 1})
    assert uuid.UUID(detailed["Health"]["Extra"]["SwitchGuid"])
