"""Scenarios of what enumerate, query and HNSCall answer."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ... import jsonkeys
from ...guid import guid, new_guid
from .._outcome import Parts
from .._probe import ENDPOINT, NAMESPACE, NETWORK, Probe, query_text
from .._registry import scenario
from ._common import SCHEMA, attach, endpoint, namespace, nat

#: The V1 ``EndpointStats`` counters (hcn.md section 7).
COUNTERS = (
    "BytesReceived",
    "BytesSent",
    "DroppedPacketsIncoming",
    "DroppedPacketsOutgoing",
    "PacketsReceived",
    "PacketsSent",
)
_NOT_FOUND = "Success false, Error 'Element not found.'"


def letter_case(text: str) -> str:
    """``upper-case``, ``lower-case`` or ``mixed case`` (of the letters in ``text``)."""
    if text == text.upper():
        return "upper-case"
    return "lower-case" if text == text.lower() else "mixed case"


def which(listed: Sequence[str], ours: Mapping[str, str]) -> str:
    """Which of ``ours`` (label -> ID) an answer lists, and whether it lists others."""
    wanted = {guid(object_id): label for label, object_id in ours.items()}
    found, others = [], 0
    for item in listed:
        try:
            key = guid(item)
        except ValueError:
            others += 1
            continue
        if key in wanted:
            found.append(wanted[key])
        else:
            others += 1
    text = ", ".join(label for label in ours if label in found) or "none of ours"
    return text + (" and other objects" if others else "")


def envelope(answer: Mapping[str, Any]) -> str:
    """``Success <bool>, Error '<text>'`` of a failed V1 answer."""
    success = json.dumps(jsonkeys.get(answer, "Success"))
    error = jsonkeys.get(answer, "Error")
    return f"Success {success}, Error {error!r}" if error else f"Success {success}"


def counters(stats: Mapping[str, Any]) -> str:
    """Whether every counter is there as an integer."""
    missing = [name for name in COUNTERS if not isinstance(jsonkeys.get(stats, name), int)]
    return "every counter" if not missing else "missing " + ", ".join(missing)


@scenario(
    "enumerate.order",
    lambda x: {"our three namespaces": "listed once each", "ID case": "lower-case",
               "order": "oldest first"},
)  # fmt: skip
def enumerate_order(p: Probe) -> Parts:
    """Three namespaces created in turn, then an unfiltered enumerate."""
    created = [guid(namespace(p)) for _ in range(3)]
    listed = p.enumerate(NAMESPACE)
    ours = [item for item in listed if _is(item, created)]
    keys = [guid(item) for item in ours]
    if keys == created:
        order = "oldest first"
    elif keys == created[::-1]:
        order = "newest first"
    else:
        order = "another order"
    return {
        "our three namespaces": "listed once each" if sorted(keys) == sorted(created) else
        f"listed {len(keys)} times",
        "ID case": letter_case("".join(ours)),
        "order": order,
    }  # fmt: skip


def _is(item: str, ids: Sequence[str]) -> bool:
    try:
        return guid(item) in ids
    except ValueError:
        return False


@scenario(
    "query.filter",
    lambda x: {
        "VirtualNetwork (the ID upper-cased)": "endpoint A, endpoint B",
        "name (another case)": "endpoint A",
        "a key naming no property": "none of ours",
    },
)
def query_filter(p: Probe) -> Parts:
    """Enumerate endpoints filtered by network, by name in another case, by an unknown key."""
    net = nat(p)
    name_a = p.name()
    ours = {"endpoint A": endpoint(p, net, Name=name_a), "endpoint B": endpoint(p, net)}

    def listed(flt: dict[str, Any]) -> str:
        query = json.dumps({"SchemaVersion": SCHEMA, "Filter": json.dumps(flt)})
        return which(p.enumerate(ENDPOINT, query), ours)

    return {
        "VirtualNetwork (the ID upper-cased)": listed({"VirtualNetwork": net.id.upper()}),
        "name (another case)": listed({"name": name_a.upper()}),
        "a key naming no property": listed({"NoSuchProperty": "conformance"}),
    }


def _present(doc: Mapping[str, Any], *path: str) -> str:
    value: Any = doc
    for key in path:
        value = jsonkeys.get(value, key) if isinstance(value, Mapping) else None
    return "present" if value is not None else "absent"


@scenario(
    "query.detailed",
    lambda x: {"network SwitchGuid": "present", "network LayeredOn": "present",
               "attached endpoint SharedContainers": "present"},
)  # fmt: skip
def query_detailed(p: Probe) -> Parts:
    """Detailed queries (Flags 1) of a network and of an endpoint in a namespace."""
    net = nat(p)
    ep = endpoint(p, net)
    attach(p, namespace(p), ep)
    detailed = query_text(flags=1)
    network = p.props(NETWORK, net.id, detailed)
    attached = p.props(ENDPOINT, ep, detailed)
    return {
        "network SwitchGuid": _present(network, "Health", "Extra", "SwitchGuid"),
        "network LayeredOn": _present(network, "Health", "Extra", "LayeredOn"),
        "attached endpoint SharedContainers": _present(
            attached, "Health", "Extra", "SharedContainers"
        ),
    }


@scenario(
    "query.schema-v1",
    lambda x: {"network shape": "V1 (Subnets, no Ipams)", "network ID": "upper-case",
               "endpoint shape": "V1 (VirtualNetwork)", "endpoint ID": "lower-case"},
)  # fmt: skip
def query_schema_v1(p: Probe) -> Parts:
    """A network and an endpoint queried with SchemaVersion 1.0."""
    net = nat(p)
    ep = endpoint(p, net)
    v1 = query_text(1, 0)
    network = p.props(NETWORK, net.id, v1)
    found = p.props(ENDPOINT, ep, v1)
    v1_network = jsonkeys.has(network, "Subnets") and not jsonkeys.has(network, "Ipams")
    return {
        "network shape": "V1 (Subnets, no Ipams)" if v1_network else "V2",
        "network ID": letter_case(str(jsonkeys.get(network, "ID") or "")),
        "endpoint shape": "V1 (VirtualNetwork)" if jsonkeys.has(found, "VirtualNetwork") else "V2",
        "endpoint ID": letter_case(str(jsonkeys.get(found, "ID") or "")),
    }


def _schema(doc: Mapping[str, Any]) -> str:
    version = jsonkeys.get(doc, "SchemaVersion")
    if not isinstance(version, Mapping):
        return "absent"
    return f"{jsonkeys.get(version, 'Major')}.{jsonkeys.get(version, 'Minor')}"


@scenario(
    "schema-version.echo",
    lambda x: {"namespace created with 2.2": "2.2", "namespace created without": "2.0"},
)
def schema_version_echo(p: Probe) -> Parts:
    """The SchemaVersion of namespaces created with 2.2 and with none, queried with 2.0."""
    with_22 = p.create(NAMESPACE, {"SchemaVersion": {"Major": 2, "Minor": 2}})
    without = p.create(NAMESPACE, {})
    return {
        "namespace created with 2.2": _schema(p.props(NAMESPACE, with_22)),
        "namespace created without": _schema(p.props(NAMESPACE, without)),
    }


@scenario(
    "hnscall.globals-version",
    lambda x: {"Success": "true", "Output": "Major and Minor integers"},
)
def hnscall_globals_version(p: Probe) -> Parts:
    """HNSCall GET /globals/version."""
    answer = p.hns_call("GET", "/globals/version")
    output = jsonkeys.get(answer, "Output")
    ints = isinstance(output, Mapping) and all(
        isinstance(jsonkeys.get(output, key), int)
        and not isinstance(jsonkeys.get(output, key), bool)
        for key in ("Major", "Minor")
    )
    return {
        "Success": json.dumps(jsonkeys.get(answer, "Success")),
        "Output": "Major and Minor integers" if ints else f"{json.dumps(output)[:80]}",
    }


@scenario(
    "hnscall.endpointstats",
    lambda x: {"known endpoint": "Success true, every counter", "unknown endpoint": _NOT_FOUND},
)
def hnscall_endpointstats(p: Probe) -> Parts:
    """HNSCall GET /endpointstats/<id> for an endpoint and for an unknown ID."""
    ep = endpoint(p, nat(p))
    known = p.hns_call("GET", f"/endpointstats/{ep}")
    output = jsonkeys.get(known, "Output")
    stats = counters(output) if isinstance(output, Mapping) else "no Output object"
    unknown = p.hns_call("GET", f"/endpointstats/{new_guid()}")
    return {
        "known endpoint": f"Success {json.dumps(jsonkeys.get(known, 'Success'))}, {stats}",
        "unknown endpoint": envelope(unknown),
    }


def _one(answer: Mapping[str, Any], object_id: str, name: str) -> str:
    output = jsonkeys.get(answer, "Output")
    head = f"Success {json.dumps(jsonkeys.get(answer, 'Success'))}"
    if not isinstance(output, Mapping):
        return f"{head}, no Output object"
    same = _is(str(jsonkeys.get(output, "ID") or ""), [guid(object_id)])
    named = jsonkeys.get(output, "Name") == name
    return f"{head}, " + ("the object" if same and named else "another object")


@scenario(
    "hnscall.networks-endpoints",
    lambda x: {
        "GET /networks/<id>": "Success true, the object",
        "GET /endpoints/<id>": "Success true, the object",
        "GET /networks": "Success true, a list holding the network",
        "GET /networks/<unknown id>": _NOT_FOUND,
    },
)
def hnscall_networks_endpoints(p: Probe) -> Parts:
    """The V1 network and endpoint paths of HNSCall."""
    net = nat(p)
    network_name = str(jsonkeys.get(p.props(NETWORK, net.id), "Name"))
    endpoint_name = p.name()
    ep = endpoint(p, net, Name=endpoint_name)
    everything = p.hns_call("GET", "/networks")
    output = jsonkeys.get(everything, "Output")
    head = f"Success {json.dumps(jsonkeys.get(everything, 'Success'))}"
    if isinstance(output, list):
        ids = [str(jsonkeys.get(item, "ID") or "") for item in output if isinstance(item, Mapping)]
        holds = "holding the network" if _is_any(ids, net.id) else "without the network"
        listing = f"{head}, a list {holds}"
    else:
        listing = f"{head}, no list"
    return {
        "GET /networks/<id>": _one(p.hns_call("GET", f"/networks/{net.id}"), net.id, network_name),
        "GET /endpoints/<id>": _one(p.hns_call("GET", f"/endpoints/{ep}"), ep, endpoint_name),
        "GET /networks": listing,
        "GET /networks/<unknown id>": envelope(p.hns_call("GET", f"/networks/{new_guid()}")),
    }


def _is_any(items: Sequence[str], object_id: str) -> bool:
    return any(_is(item, [guid(object_id)]) for item in items)


@scenario("endpoint.stats", lambda x: {"HcnQueryEndpointStats": "every counter"})
def endpoint_stats(p: Probe) -> Parts:
    """HcnQueryEndpointStats of an endpoint."""
    ep = endpoint(p, nat(p))
    return {"HcnQueryEndpointStats": counters(p.endpoint_query("HcnQueryEndpointStats", ep))}


@scenario(
    "endpoint.addresses",
    lambda x: {"HcnQueryEndpointAddresses keys": "ID, IpConfigurations, MacAddress"},
)
def endpoint_addresses(p: Probe) -> Parts:
    """HcnQueryEndpointAddresses of an endpoint: the keys it answers."""
    ep = endpoint(p, nat(p))
    answer = p.endpoint_query("HcnQueryEndpointAddresses", ep)
    return {"HcnQueryEndpointAddresses keys": ", ".join(sorted(answer)) or "none"}
