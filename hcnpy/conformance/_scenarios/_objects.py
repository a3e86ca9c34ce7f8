"""Scenarios of the rules every kind shares: documents, IDs, open/delete, handles, modify."""

from __future__ import annotations

import json

from ...guid import guid, new_guid
from .._outcome import OK, NotApplicable, Parts, code, not_applicable
from .._probe import ENDPOINT, LOAD_BALANCER, NAMESPACE, NETWORK, SDN_ROUTE, Probe
from .._registry import scenario
from ._common import (
    SCHEMA,
    endpoint,
    endpoint_request,
    load_balancer,
    namespace,
    nat,
    nat_doc,
    subnet_doc,
)

_RECORD_KEYS = ("Success", "Error", "ErrorCode")


@scenario(
    "error-record.shape",
    lambda x: {
        "key order": ", ".join(_RECORD_KEYS),
        "Success": "false",
        "ErrorCode": "the call's HRESULT",
        "Error": "ends with a space, names no sent value",
    },
)
def error_record_shape(p: Probe) -> Parts:
    """The error record of a namespace create whose ID is not a GUID (as in hcsshim#1049)."""
    token = p.name()
    doc = {"SchemaVersion": SCHEMA, "ID": token}
    outcome = p.attempt_create(NAMESPACE, doc, object_id=None)
    failure = p.last_failure
    record = failure.error_record if failure is not None else None
    if outcome == OK or failure is None or record is None:
        missing = "no error record" if outcome != OK else "no error record (the create succeeded)"
        return dict.fromkeys(("key order", "Success", "ErrorCode", "Error"), missing)
    try:
        data = json.loads(record.raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return dict.fromkeys(("key order", "Success", "ErrorCode", "Error"), "not a JSON object")
    keys = [key for key in data if key != "Simulator"]  # the simulator's one extra key
    error_code = data.get("ErrorCode")
    if error_code == failure.hresult:
        code_seen = "the call's HRESULT"
    elif isinstance(error_code, int):
        code_seen = f"{code(error_code)}, not the call's {code(failure.hresult)}"
    else:
        code_seen = f"not a number: {json.dumps(error_code)}"
    text = data.get("Error")
    if isinstance(text, str):
        ending = "ends with a space" if text.endswith(" ") else "ends without a space"
        names = "names the sent ID" if token.lower() in text.lower() else "names no sent value"
        error_seen = f"{ending}, {names}"
    else:
        error_seen = f"not a string: {json.dumps(text)}"
    return {
        "key order": ", ".join(keys),
        "Success": json.dumps(data.get("Success")),
        "ErrorCode": code_seen,
        "Error": error_seen,
    }


@scenario(
    "document.not-json",
    lambda x: {"HcnCreateNetwork settings": x.fails(), "HcnEnumerateNetworks query": x.fails()},
)
def document_not_json(p: Probe) -> Parts:
    """Settings and a query that are not JSON."""
    return {
        "HcnCreateNetwork settings": p.attempt_create(NETWORK, '{"Name": '),
        "HcnEnumerateNetworks query": p.attempt_enumerate(NETWORK, "{not json"),
    }


@scenario("document.not-object", lambda x: {"namespace settings []": x.fails()})
def document_not_object(p: Probe) -> Parts:
    """A namespace create whose settings are a JSON array."""
    return {"namespace settings []": p.attempt_create(NAMESPACE, "[]")}


@scenario(
    "document.field-type",
    lambda x: {"network Ipams holding a string": x.fails(), "network Flags 2^32": x.fails()},
)
def document_field_type(p: Probe) -> Parts:
    """Network fields of the wrong JSON type or out of their integer range."""
    text = nat_doc(p.name(), Ipams="198.18.0.0/24")
    wide = nat_doc(p.name(), [subnet_doc(p.subnet())], Flags=2**32)
    return {
        "network Ipams holding a string": p.attempt_create(NETWORK, text),
        "network Flags 2^32": p.attempt_create(NETWORK, wide),
    }


@scenario("document.id-not-guid", lambda x: {"namespace ID that is not a GUID": x.fails()})
def document_id_not_guid(p: Probe) -> Parts:
    """A namespace create document whose ID is a name."""
    doc = {"SchemaVersion": SCHEMA, "ID": p.name()}
    return {"namespace ID that is not a GUID": p.attempt_create(NAMESPACE, doc, object_id=None)}


@scenario(
    "document.guid-field-not-guid",
    lambda x: {
        "load balancer HostComputeEndpoints entry": x.fails(),
        "namespace request EndpointId": x.fails(),
    },
)
def document_guid_field(p: Probe) -> Parts:
    """GUID fields other than ID that hold a word."""
    balancer = load_balancer(p, ["not-a-guid"])
    ns = namespace(p)
    return {
        "load balancer HostComputeEndpoints entry": p.attempt_create(LOAD_BALANCER, balancer),
        "namespace request EndpointId": p.attempt_modify(
            NAMESPACE, ns, endpoint_request("not-a-guid")
        ),
    }


@scenario(
    "create.id-taken",
    lambda x: {"second create with the same ID": x.fails(), "first namespace": "still there"},
)
def create_id_taken(p: Probe) -> Parts:
    """Two namespaces created with one ID."""
    first = namespace(p)
    again = p.attempt_create(NAMESPACE, {"SchemaVersion": SCHEMA}, object_id=guid(first))
    still = p.attempt_open(NAMESPACE, first)
    return {
        "second create with the same ID": again,
        "first namespace": "still there" if still == OK else f"cannot be opened: {still}",
    }


@scenario(
    "create.id-honoured",
    lambda x: {
        "ID in the document": "kept",
        "ID as the GUID argument": "kept",
        "no ID": "a new GUID",
    },
)
def create_id_honoured(p: Probe) -> Parts:
    """Namespaces created with an ID in the document, as the argument, and with none."""
    in_doc, in_arg = new_guid(), new_guid()
    by_doc = p.create(NAMESPACE, {"SchemaVersion": SCHEMA, "ID": in_doc}, object_id=None)
    by_arg = p.create(NAMESPACE, {"SchemaVersion": SCHEMA}, object_id=in_arg)
    fresh = p.create(NAMESPACE, {"SchemaVersion": SCHEMA}, object_id=None)
    return {
        "ID in the document": "kept" if guid(by_doc) == in_doc else "replaced by another",
        "ID as the GUID argument": "kept" if guid(by_arg) == in_arg else "replaced by another",
        "no ID": "a new GUID" if fresh not in (by_doc, by_arg) else "a reused GUID",
    }


@scenario("open.namespace-unknown", lambda x: {"unknown namespace GUID": x.fails()})
def open_namespace_unknown(p: Probe) -> Parts:
    """HcnOpenNamespace with a GUID no namespace has."""
    return {"unknown namespace GUID": p.attempt_open(NAMESPACE, new_guid())}


_OPENED = (NETWORK, ENDPOINT, LOAD_BALANCER, SDN_ROUTE)


@scenario("open.unknown", lambda x: {f"unknown {k.value}": x.fails() for k in _OPENED})
def open_unknown(p: Probe) -> Parts:
    """HcnOpen* of every other kind with a GUID no object has."""
    parts: Parts = {}
    for kind in _OPENED:
        try:
            parts[f"unknown {kind.value}"] = p.attempt_open(kind, new_guid())
        except NotApplicable as exc:
            parts[f"unknown {kind.value}"] = not_applicable(exc.reason)
    return parts


_DELETED = (NETWORK, ENDPOINT, NAMESPACE, LOAD_BALANCER, SDN_ROUTE)


@scenario("delete.unknown", lambda x: {f"unknown {k.value}": x.fails() for k in _DELETED})
def delete_unknown(p: Probe) -> Parts:
    """HcnDelete* of every kind with a GUID no object has."""
    parts: Parts = {}
    for kind in _DELETED:
        try:
            parts[f"unknown {kind.value}"] = p.attempt_delete(kind, new_guid())
        except NotApplicable as exc:
            parts[f"unknown {kind.value}"] = not_applicable(exc.reason)
    return parts


@scenario(
    "handle.object-deleted",
    lambda x: {f"query a deleted {k}": code(v) for k, v in x.rule.params.items()},
)
def handle_object_deleted(p: Probe) -> Parts:
    """Query an open handle of each kind after its object was deleted."""
    net = nat(p)
    ep = endpoint(p, net)
    ns = namespace(p)
    lb = p.create(LOAD_BALANCER, load_balancer(p, [ep]))
    route_doc = {
        "SchemaVersion": SCHEMA,
        "HostComputeEndpoints": [ep],
        "Routes": [{"DestinationPrefix": str(p.subnet(28)), "NextHop": net.host(4)}],
    }
    parts: Parts = {}
    try:
        route: str | None = p.create(SDN_ROUTE, route_doc)
    except NotApplicable as exc:
        route, parts["query a deleted SdnRoute"] = None, not_applicable(exc.reason)
    order = [(LOAD_BALANCER, lb), (SDN_ROUTE, route), (ENDPOINT, ep), (NAMESPACE, ns)]
    for kind, object_id in [*order, (NETWORK, net.id)]:
        if object_id is None:
            continue
        handle = p.open(kind, object_id)
        p.delete(kind, object_id)
        parts[f"query a deleted {kind.value}"] = p.attempt_query(handle)
    return {label: parts[label] for label in sorted(parts, key=_kind_order)}


def _kind_order(label: str) -> int:
    names = [k.value for k in (NETWORK, ENDPOINT, NAMESPACE, LOAD_BALANCER, SDN_ROUTE)]
    return next(i for i, name in enumerate(names) if label.endswith(f" {name}"))


@scenario(
    "modify.request",
    lambda x: {"no RequestType": x.fails(), "unknown ResourceType": x.fails()},
)
def modify_request(p: Probe) -> Parts:
    """Namespace modify requests missing a RequestType or naming an unknown resource."""
    ns = namespace(p)
    no_request = {"ResourceType": "Endpoint", "Settings": {"EndpointId": new_guid()}}
    unknown = {"ResourceType": "NoSuchResource", "RequestType": "Add", "Settings": {}}
    return {
        "no RequestType": p.attempt_modify(NAMESPACE, ns, no_request),
        "unknown ResourceType": p.attempt_modify(NAMESPACE, ns, unknown),
    }


@scenario(
    "modify.unsupported",
    lambda x: {"network Subnet Add": x.fails(), "namespace Endpoint Update": x.fails()},
)
def modify_unsupported(p: Probe) -> Parts:
    """A network Subnet request and a namespace request other than Add/Remove."""
    net = nat(p)
    ns = namespace(p)
    subnet = {"ResourceType": "Subnet", "RequestType": "Add", "Settings": subnet_doc(p.subnet())}
    return {
        "network Subnet Add": p.attempt_modify(NETWORK, net.id, subnet),
        "namespace Endpoint Update": p.attempt_modify(
            NAMESPACE, ns, endpoint_request(new_guid(), "Update")
        ),
    }
