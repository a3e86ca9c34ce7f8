"""Every real HNS document in tests/data/real-hns/ read through hcnpy (issue #9, item 6).

* V2 documents go through the V2 models, V1 documents through :mod:`hcnpy.v1` (envelopes
  included), error records through :class:`hcnpy.errors.ErrorRecord`;
* nothing raises, every key of the input is kept (known to the model or in
  ``unknown_fields``), and writing back gives the same JSON. Whether the key order survives
  too is pinned per document in ``SAME_KEY_ORDER``;
* the truncated excerpts and the malformed request are read where their source notes say
  they can be: their complete parts;
* ``keys.json`` (the keys each kind of real document shows) matches the documents.

Run this file as a script to rewrite ``keys.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import hcnpy
from hcnpy import (
    AclPolicySetting,
    ActionType,
    DirectionType,
    EncapOverheadEndpointPolicySetting,
    EndpointFlags,
    EndpointPolicy,
    IpConfig,
    NetworkFlags,
    NetworkType,
    ProviderAddressEndpointPolicySetting,
    V1AclPolicy,
    V1EndpointState,
    V1OutboundNatPolicy,
    ValidationError,
    from_dict,
    to_dict,
    validate,
)
from hcnpy.convert import wire_keys
from hcnpy.errors import ErrorRecord, InvalidConfigurationError, NotFoundError, error_for
from hcnpy.hresult import normalize
from hcnpy.models._base import Model, wire_of
from hcnpy.v1 import (
    endpoint_to_v2,
    network_to_v2,
    policy_to_v2,
    read_endpoint,
    read_namespace,
    read_network,
    read_policy,
    read_response,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "real-hns"
KEYS_FILE = DATA / "keys.json"

V1_NETWORKS_IN_ENVELOPE = [
    "network-v1__docker-netrestore-default_network.json",
    "network-v1__docker-netrestore-nat.json",
    "network-v1-create-response__pjh-sdn-mtu-transcript.json",
]
V1_NETWORKS = [
    "network-v1-create-request__moby-30280-rejected.json",
    "network-v1-create-request__pjh-sdn-mtu-transcript.json",
]
V1_ENDPOINTS = [
    "endpoint-v1-remote__flannel-vxlan-windows-test.json",
    "endpoint-v1__nanabox-default-switch.json",
]
V2_ACL_SETTINGS = ["endpoint-v2-acl-policy-settings-echo__acn-3550.json"]
ERROR_RECORDS = sorted(p.name for p in DATA.glob("error-record__*.json"))
MALFORMED_POLICY = "outboundnat-v1-policy-request__hcsshim-1951.json"
NAMESPACE_EXCERPT = "namespace-detailed__windows-containers-485.excerpt.txt"
ENDPOINT_LIST_EXCERPT = "endpoint-v1-list-tail__ovn-kubernetes-580.excerpt.txt"

WHOLE = [*V1_NETWORKS_IN_ENVELOPE, *V1_NETWORKS, *V1_ENDPOINTS, *V2_ACL_SETTINGS]

#: Documents whose key order survives a read and write at every level. The others come back
#: with the keys the model knows first, in hcsshim's struct order, then the unknown ones in
#: the order read (HNS itself writes V1 output sorted by key, and V2 policy settings in
#: Microsoft's schema order).
SAME_KEY_ORDER = {"network-v1-create-request__moby-30280-rejected.json", *ERROR_RECORDS}


def _text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _source_note(name: str) -> str:
    stem = name.removesuffix(".json").removesuffix(".txt")
    return _text(f"{stem}.source.txt")


# --------------------------------------------------------------------------- helpers


def _documents() -> list[str]:
    return sorted(
        p.name
        for p in DATA.iterdir()
        if p.name not in ("README.md", "keys.json") and not p.name.endswith(".source.txt")
    )


def _key_paths(value: Any, path: str = "$") -> set[str]:
    """Every key of ``value`` as a path (``$.Subnets[].ID``)."""
    out: set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            out.add(f"{path}.{key}")
            out |= _key_paths(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            out |= _key_paths(item, f"{path}[]")
    return out


def _same_order(a: Any, b: Any) -> bool:
    """The same keys in the same order in every object of ``a`` and ``b`` (equal JSON)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return list(a) == list(b) and all(_same_order(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_order(x, y) for x, y in zip(a, b, strict=True))
    return True


def _accounted(obj: Any, doc: Any, path: str = "$") -> None:
    """Every key of ``doc`` is a field of model ``obj`` or one of its unknown fields."""
    if isinstance(obj, tuple) and isinstance(doc, list):
        for index, (item, sub) in enumerate(zip(obj, doc, strict=True)):
            _accounted(item, sub, f"{path}[{index}]")
        return
    if not isinstance(obj, Model):
        return  # raw JSON (V1 policies, Data, Output): kept as read
    fields = {}
    for field in attrs.fields(type(obj)):
        meta = wire_of(field)
        if meta is not None:
            for key in (meta.key, *meta.aliases):
                fields[key.casefold()] = field.name
    for key, value in doc.items():
        if key in obj.unknown_fields:
            assert obj.unknown_fields[key] == value, f"{path}.{key}"
            continue
        assert key.casefold() in fields, f"{path}.{key} is neither a field nor kept"
        _accounted(getattr(obj, fields[key.casefold()]), value, f"{path}.{key}")


def _round_trip(name: str, doc: Any, written: Any, obj: Any) -> None:
    assert written == doc
    assert _key_paths(written) == _key_paths(doc)
    _accounted(obj, doc)
    assert _same_order(doc, written) == (name in SAME_KEY_ORDER), name


_WS = re.compile(r"\s*")


def _leading_members(text: str) -> dict[str, Any]:
    """The complete members of a JSON object whose text is cut off, in order."""
    decoder = json.JSONDecoder()
    i = _WS.match(text, text.index("{") + 1).end()  # type: ignore[union-attr]
    out: dict[str, Any] = {}
    while not text.startswith("}", i):
        try:
            key, i = decoder.raw_decode(text, i)
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            if not text.startswith(":", i):
                break
            value, i = decoder.raw_decode(text, _WS.match(text, i + 1).end())  # type: ignore[union-attr]
        except json.JSONDecodeError:
            break
        out[key] = value
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        if text.startswith(",", i):
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
    return out


def _repaired_policy() -> str:
    """The OutBoundNAT request with the opening quote the issue text lost put back."""
    text = _text(MALFORMED_POLICY)
    assert text.startswith('{ExceptionList"')
    return '{"' + text[1:]


class _ListTail:
    """The readable parts of the tail of a V1 ``GET /endpoints`` answer (ovn-kubernetes#580).

    The excerpt is the end of a Go-quoted string: outer quotes, ``\\"`` escapes and a console
    line break inside ``VirtualNetworkName``. Undone, it is the end of a list of endpoints:
    the last members of the endpoint's ``Resources`` (its last allocator, an ``ACL Policy``
    holding HNS's two default rules, and the object's own members), then the endpoint's last
    members.
    """

    def __init__(self, text: str) -> None:
        body = text.strip()
        assert body.startswith('"') and body.endswith('"')
        self.body = body[1:-1].replace("\n", "").replace('\\"', '"')
        decoder = json.JSONDecoder()
        start = self.body.index('{"AllocationOrder":1,"Health"')
        self.allocator, end = decoder.raw_decode(self.body, start)
        assert self.body.startswith("],", end)
        resources_end = self.body.index(',"SharedContainers"')
        self.resources_tail = json.loads("{" + self.body[end + 2 : resources_end - 1] + "}")
        assert self.body.endswith("}]")
        self.endpoint_tail = json.loads("{" + self.body[resources_end + 1 : -2] + "}")
        self.rules: list[dict[str, Any]] = self.allocator["Rules"]


# --------------------------------------------------------------------------- the set


def test_every_document_has_its_source_note_and_a_reader() -> None:
    documents = _documents()
    notes = sorted(p.name for p in DATA.glob("*.source.txt"))
    assert [n.removesuffix(".source.txt") for n in notes] == sorted(
        d.removesuffix(".json").removesuffix(".txt") for d in documents
    )
    covered = [*WHOLE, *ERROR_RECORDS, MALFORMED_POLICY, NAMESPACE_EXCERPT, ENDPOINT_LIST_EXCERPT]
    assert sorted(covered) == documents
    assert len(documents) == 19


@pytest.mark.parametrize("name", WHOLE)
def test_complete_documents_are_complete_json(name: str) -> None:
    note = _source_note(name)
    assert "complete document: yes" in note
    assert "parses as JSON: yes" in note
    json.loads(_text(name))


# --------------------------------------------------------------------------- V1 networks


@pytest.mark.parametrize("name", V1_NETWORKS_IN_ENVELOPE)
def test_v1_networks_in_their_envelope(name: str) -> None:
    text = _text(name)
    doc = json.loads(text)
    response = read_response(text)
    assert response.success is True
    network = read_network(text)
    assert network == read_network(doc)
    written = to_dict(attrs.evolve(response, output=to_dict(network)))
    _round_trip(name, doc, written, response)
    _accounted(network, doc["Output"], "$.Output")
    validate(network)


@pytest.mark.parametrize("name", V1_NETWORKS)
def test_v1_network_requests(name: str) -> None:
    text = _text(name)
    doc = json.loads(text)
    network = read_network(text)
    _round_trip(name, doc, to_dict(network), network)
    validate(network)


def test_docker_nat_network_as_v2() -> None:
    v1 = read_network(_text("network-v1__docker-netrestore-nat.json"))
    assert v1.type == "nat"  # echoed as Docker spelled it, and written back so
    assert v1.flags == NetworkFlags.ENABLE_NON_PERSISTENT
    assert v1.state == 1
    assert v1.version is not None and v1.version >> 32 == 13  # written by HNS 13.x
    assert v1.policies == ({"Type": "VLAN", "VLAN": 1},)
    net = network_to_v2(v1)
    assert net.id == "404947AC-FC8F-4229-A4B5-595B9161F3A8"
    assert net.type is NetworkType.NAT
    assert net.flags == NetworkFlags.ENABLE_NON_PERSISTENT
    (subnet,) = net.ipams[0].subnets
    assert subnet.ip_address_prefix == "172.21.16.0/20"
    assert [(r.next_hop, r.destination_prefix) for r in subnet.routes] == [
        ("172.21.16.1", "0.0.0.0/0")
    ]
    assert subnet.unknown_fields["ID"] == "96C9F144-2A30-414A-87C3-C39F43E4211E"
    (mac_range,) = net.mac_pool.ranges
    assert (mac_range.start_mac_address, mac_range.end_mac_address) == (
        "00-15-5D-51-80-00",
        "00-15-5D-51-8F-FF",
    )
    assert net.health.extra.layered_on == "6252BE31-13AF-492C-B0CE-4FED3E16B231"
    assert net.health.extra.resources["ID"] == ("F7289430-273B-4B29-BF97-5DAC479AE3DC")
    assert net.health.unknown_fields == {"LastErrorCode": 0, "LastUpdateTime": 133928875495496471}
    assert net.unknown_fields["NatName"] == "NAT8177E9BF-266D-4BBD-8B97-0340A82921E2"
    # A V1 VLAN policy on a whole network has no V2 network policy: not converted.
    assert net.policies == ()
    assert "Policies" not in net.unknown_fields


def _v1_network_documents() -> Iterator[tuple[str, Any]]:
    for name in [*V1_NETWORKS_IN_ENVELOPE, *V1_NETWORKS]:
        yield name, json.loads(_text(name))


#: V1 network keys the conversion turns into V2 fields (the rest must be kept).
NETWORK_MAPPED = {"ID", "Name", "Type", "MacPools", "Subnets", "Flags", "LayeredOn", "Health",
                  "Resources", "DNSSuffix", "DNSServerList"}  # fmt: skip


@pytest.mark.parametrize(("name", "doc"), list(_v1_network_documents()))
def test_every_v1_network_converts_to_a_valid_v2_network(name: str, doc: Any) -> None:
    v1 = read_network(doc)
    net = network_to_v2(v1)
    validate(net)
    assert from_dict(hcnpy.Network, to_dict(net)) == net
    members = doc.get("Output", doc)
    for key, value in members.items():
        if key in NETWORK_MAPPED:
            continue
        if key == "Policies":
            assert all(policy_to_v2(p, "network") is None for p in value)
            continue
        assert net.unknown_fields[key] == value, key
    for subnet, v1_subnet in zip(net.ipams[0].subnets, members["Subnets"], strict=True):
        assert subnet.ip_address_prefix == v1_subnet["AddressPrefix"]
        for key in set(v1_subnet) - {"AddressPrefix", "GatewayAddress", "Flags", "Policies"}:
            assert subnet.unknown_fields[key] == v1_subnet[key]


# --------------------------------------------------------------------------- V1 endpoints


@pytest.mark.parametrize("name", V1_ENDPOINTS)
def test_v1_endpoints(name: str) -> None:
    text = _text(name)
    doc = json.loads(text)
    endpoint = read_endpoint(text)
    _round_trip(name, doc, to_dict(endpoint), endpoint)
    validate(endpoint)
    v2 = endpoint_to_v2(endpoint)
    validate(v2)
    assert from_dict(hcnpy.Endpoint, to_dict(v2)) == v2
    assert v2.health.extra.resources == doc["Resources"]
    assert v2.health.extra.shared_containers == doc["SharedContainers"]
    for key in ("State", "Version", "VirtualNetworkName"):
        assert v2.unknown_fields[key] == doc[key]


def test_flannel_remote_endpoint_as_v2() -> None:
    v1 = read_endpoint(_text("endpoint-v1-remote__flannel-vxlan-windows-test.json"))
    assert v1.is_remote_endpoint is True
    assert v1.state == V1EndpointState.CREATED
    assert v1.mac_address == "0E-2A-0a-f4-02-8d"
    ep = endpoint_to_v2(v1)
    assert ep.flags == EndpointFlags.REMOTE_ENDPOINT
    assert ep.host_compute_network == "9d59c0df-b1e2-4eee-9fde-b7ea829fc6a1"
    assert ep.ip_configurations == (IpConfig(ip_address="10.244.2.141", prefix_length=16),)
    assert ep.policies == (
        EndpointPolicy.of(ProviderAddressEndpointPolicySetting(provider_address="10.123.74.74")),
        EndpointPolicy.of(EncapOverheadEndpointPolicySetting(overhead=50)),
    )
    assert ep.unknown_fields["Type"] == "Overlay"
    assert ep.unknown_fields["ActivityId"] == "193b6f8d-b760-4940-9abb-66a91e5af49a"


def test_default_switch_endpoint_as_v2() -> None:
    v1 = read_endpoint(_text("endpoint-v1__nanabox-default-switch.json"))
    assert v1.flags == EndpointFlags.ENABLE_DHCP
    ep = endpoint_to_v2(v1)
    assert ep.flags == EndpointFlags.ENABLE_DHCP
    assert ep.mac_address == "00-15-5D-64-2F-8B"
    assert ep.host_compute_network == "c08cb7b8-9b3c-408e-8e30-5e16a3aeb444"
    assert ep.ip_configurations == ()


# --------------------------------------------------------------------------- V2 settings


@pytest.mark.parametrize("name", V2_ACL_SETTINGS)
def test_v2_acl_settings_echoed_by_hns(name: str) -> None:
    doc = json.loads(_text(name))
    policies = [from_dict(EndpointPolicy, {"Type": "ACL", "Settings": s}) for s in doc]
    written = [to_dict(p)["Settings"] for p in policies]
    for policy in policies:
        assert isinstance(policy.settings, AclPolicySetting)
        validate(policy)
    settings = [p.settings for p in policies]
    _round_trip(name, doc, written, tuple(settings))
    first = settings[0]
    assert isinstance(first, AclPolicySetting)
    assert (first.protocols, first.action, first.direction, first.priority) == (
        "1",
        ActionType.BLOCK,
        DirectionType.OUT,
        2000,
    )


# --------------------------------------------------------------------------- error records

_EXPECTED_CLASS = {
    0x490: NotFoundError,
    0x57: InvalidConfigurationError,
    0x803B0007: NotFoundError,
    0x803B000A: InvalidConfigurationError,
    0x803B001B: InvalidConfigurationError,
    0x803B001C: InvalidConfigurationError,
    0x803B002F: InvalidConfigurationError,
}


@pytest.mark.parametrize("name", ERROR_RECORDS)
def test_error_records(name: str) -> None:
    text = _text(name)
    doc = json.loads(text)
    record = ErrorRecord.parse(text)
    assert record is not None
    assert record.raw == text  # written back unchanged: the record keeps its text
    assert set(doc) == {"Success", "Error", "ErrorCode"}  # every key known
    assert (record.success, record.error, record.error_code) == (
        doc["Success"],
        doc["Error"],
        doc["ErrorCode"],
    )
    assert record.success is False
    assert record.error_code is not None
    code = int(re.search(r"_0x([0-9a-fA-F]+)", name).group(1), 16)  # type: ignore[union-attr]
    assert normalize(record.error_code) == code  # the code the issue shows
    error = error_for(record.error_code, "HcnCall", text)
    assert isinstance(error, _EXPECTED_CLASS[code])
    assert error.error_record == record


# --------------------------------------------------------------------------- the rest


def test_malformed_outbound_nat_request() -> None:
    note = _source_note(MALFORMED_POLICY)
    assert "parses as JSON: no" in note
    with pytest.raises(ValidationError, match="invalid JSON"):
        read_policy(_text(MALFORMED_POLICY))
    repaired = _repaired_policy()
    doc = json.loads(repaired)
    policy = read_policy(repaired)
    assert isinstance(policy, V1OutboundNatPolicy)
    assert policy.exception_list == ("172.17.0.1/16", "6.0.0.0/8")
    assert to_dict(policy) == doc
    assert not _same_order(doc, to_dict(policy))  # Type is written first, as hcsshim does
    v2 = policy_to_v2(policy, "endpoint")
    assert v2 is not None
    assert to_dict(v2) == {
        "Type": "OutBoundNAT",
        "Settings": {"Exceptions": ["172.17.0.1/16", "6.0.0.0/8"]},
    }


def test_namespace_excerpt() -> None:
    text = _text(NAMESPACE_EXCERPT)
    assert "complete document: NO" in _source_note(NAMESPACE_EXCERPT)
    with pytest.raises(ValidationError, match="invalid JSON"):
        read_namespace(text)
    members = _leading_members(text)
    assert list(members)[-1] == "Version"  # "Resources" is the member cut off
    namespace = read_namespace(members)
    assert to_dict(namespace) == members
    _accounted(namespace, members)
    assert namespace.endpoint_ids() == ("7CC03AF7-2978-449F-9968-595862B80F8B",)
    assert namespace.resource_list is not None
    assert namespace.resource_list[0].data == {"Id": "7CC03AF7-2978-449F-9968-595862B80F8B"}
    assert namespace.compartment_id == 6
    assert namespace.is_default is False
    assert namespace.unknown_fields["Containers"] == [
        "291cd4892b99",
        "291cd4892b99",
        "0f70f0bcccaf",
    ]
    validate(namespace)


def test_endpoint_list_excerpt() -> None:
    text = _text(ENDPOINT_LIST_EXCERPT)
    assert "complete document: NO" in _source_note(ENDPOINT_LIST_EXCERPT)
    tail = _ListTail(text)
    assert tail.allocator["Tag"] == "ACL Policy"
    rules = [read_policy(rule) for rule in tail.rules]
    for rule, doc in zip(rules, tail.rules, strict=True):
        assert isinstance(rule, V1AclPolicy)
        assert to_dict(rule) == doc
        assert rule.priority == 65500
        assert rule.action == "Allow"
        v2 = policy_to_v2(rule, "endpoint")
        assert v2 is not None and isinstance(v2.settings, AclPolicySetting)
        assert v2.settings.priority == 65500
    assert [r.direction for r in rules] == ["In", "Out"]  # type: ignore[attr-defined]
    endpoint = read_endpoint(tail.endpoint_tail)
    assert to_dict(endpoint) == tail.endpoint_tail
    _accounted(endpoint, tail.endpoint_tail)
    assert endpoint.state == V1EndpointState.ATTACHED
    assert endpoint.type == "Transparent"
    assert endpoint.virtual_network_name == "external"
    assert endpoint.shared_containers == (
        "6b690105cb898f7dabc64739831009c015e3fdd49b418fec50c0aa06b004e1a1",
    )
    converted = endpoint_to_v2(endpoint)
    assert converted.host_compute_network == "5D88A6C8-C7EC-41E7-AE51-B494682AEA1F"
    assert converted.unknown_fields["StartTime"] == 131922084407442144


# --------------------------------------------------------------------------- keys.json


def _kind(name: str) -> str:
    return name.split("__")[0]


def _readable_parts(name: str) -> list[tuple[str, Any]]:
    """(path, JSON value) of every readable part of document ``name``."""
    if name == MALFORMED_POLICY:
        return [("$", json.loads(_repaired_policy()))]
    if name == NAMESPACE_EXCERPT:
        return [("$", _leading_members(_text(name)))]
    if name == ENDPOINT_LIST_EXCERPT:
        tail = _ListTail(_text(name))
        return [
            ("$[]", tail.endpoint_tail),
            ("$[].Resources", tail.resources_tail),
            ("$[].Resources.Allocators[]", tail.allocator),
        ]
    return [("$", json.loads(_text(name)))]


def _keys_by_path(value: Any, path: str, out: dict[str, set[str]]) -> None:
    if isinstance(value, Mapping):
        out.setdefault(path, set()).update(value)
        for key, item in value.items():
            _keys_by_path(item, f"{path}.{key}", out)
    elif isinstance(value, list):
        for item in value:
            _keys_by_path(item, f"{path}[]", out)


_NOTES = {
    MALFORMED_POLICY: "as posted the text does not parse (a quote is missing); keys from the "
    "text with that quote put back",
    NAMESPACE_EXCERPT: "truncated: only the members before the cut-off Resources",
    ENDPOINT_LIST_EXCERPT: "truncated: only the last members of the last endpoint, of its "
    "Resources and its last allocator (an ACL Policy); the Allocators key itself is cut off",
    V2_ACL_SETTINGS[0]: "the Settings of three ACL policies, collected into a list",
}


def key_summary() -> dict[str, Any]:
    """The content of keys.json, computed from the documents."""
    kinds: dict[str, dict[str, Any]] = {}
    for name in _documents():
        entry = kinds.setdefault(
            _kind(name), {"documents": [], "complete": True, "notes": [], "per_doc": []}
        )
        entry["documents"].append(name)
        if name in _NOTES:
            entry["complete"] = False
            entry["notes"].append(f"{name}: {_NOTES[name]}")
        found: dict[str, set[str]] = {}
        for path, value in _readable_parts(name):
            _keys_by_path(value, path, found)
        entry["per_doc"].append(found)
    out: dict[str, Any] = {}
    for kind in sorted(kinds):
        entry = kinds[kind]
        paths = sorted({p for found in entry["per_doc"] for p in found})
        union = {
            p: sorted(set().union(*(f.get(p, set()) for f in entry["per_doc"]))) for p in paths
        }
        common = {
            p: sorted(set.intersection(*(f[p] for f in entry["per_doc"] if p in f))) for p in paths
        }
        out[kind] = {
            "documents": entry["documents"],
            "complete": entry["complete"],
            **({"notes": entry["notes"]} if entry["notes"] else {}),
            "keys": union,
            "common": common,
        }
    return {
        "about": "Keys each kind of real HNS document shows, per nesting level ($ is the "
        "document, [] every element of a list). keys: union over the documents of the kind; "
        "common: the keys every document that has the level shows. Generated by "
        "tests/hcnpy/test_real_documents.py from the documents in this directory.",
        "kinds": out,
    }


def _render(summary: Any, indent: str = "") -> str:
    """JSON with objects one member a line and lists of keys on one line."""
    if isinstance(summary, Mapping) and summary:
        inner = indent + "  "
        members = [f"{inner}{json.dumps(k)}: {_render(v, inner)}" for k, v in summary.items()]
        text = "{\n" + ",\n".join(members) + f"\n{indent}}}"
    else:
        text = json.dumps(summary)
    return text if indent else text + "\n"


def test_keys_json_is_current() -> None:
    assert KEYS_FILE.read_text(encoding="utf-8") == _render(key_summary()), (
        "keys.json is stale: run python tests/hcnpy/test_real_documents.py"
    )


def test_keys_json_names_the_kinds_the_simulator_will_be_compared_on() -> None:
    kinds = json.loads(KEYS_FILE.read_text(encoding="utf-8"))["kinds"]
    assert "Subnets" in kinds["network-v1"]["common"]["$.Output"]
    assert kinds["network-v1"]["keys"]["$"] == ["Output", "Success"]
    assert kinds["error-record"]["common"]["$"] == ["Error", "ErrorCode", "Success"]
    assert set(wire_keys(hcnpy.V1MacPool)) == set(
        kinds["network-v1"]["keys"]["$.Output.MacPools[]"]
    )


if __name__ == "__main__":
    KEYS_FILE.write_text(_render(key_summary()), encoding="utf-8")
    print(f"wrote {KEYS_FILE}")
