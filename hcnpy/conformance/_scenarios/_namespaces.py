"""Scenarios of namespace rules: types, compartments, attaching endpoints and containers."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from ... import jsonkeys
from ...guid import guid, new_guid
from ...sim import rules as R
from .._outcome import OK, Parts, ScenarioBroken, then
from .._probe import ENDPOINT, NAMESPACE, Probe
from .._registry import Expect, scenario
from ._common import SCHEMA, attach, container_request, endpoint, endpoint_request, namespace, nat

_BOGUS = "NotANamespaceType"


def take_out_later(p: Probe, ns: str, container: str) -> None:
    """Take ``container`` out of ``ns`` at cleanup (a namespace holding one cannot be
    deleted); nothing to do once the namespace is gone."""

    def take_out() -> None:
        if not p.exists(NAMESPACE, ns):
            return
        outcome = p.attempt_modify(NAMESPACE, ns, container_request(container, "Remove"))
        if outcome != OK:
            raise ScenarioBroken(f"taking container {container} out of namespace {ns}: {outcome}")

    p.undo(f"take container {container} out of namespace {ns}", take_out)


def add_container(p: Probe, ns: str) -> str:
    """Put a (made-up) container ID into a namespace; it is taken out again at cleanup."""
    container = secrets.token_hex(32)
    p.modify(NAMESPACE, ns, container_request(container))
    take_out_later(p, ns, container)
    return container


def _lower_host(x: Expect) -> str:
    types: tuple[str, ...] = x.rule.params["types"]
    assert types[0] == "Host" and _BOGUS not in types
    return "S_OK, Type left out"


@scenario(
    "namespace.type.enum",
    lambda x: {f"Type {_BOGUS!r}": x.fails(), "Type 'host' (lower case)": _lower_host(x),
               "no Type": "S_OK, Type left out"},
)  # fmt: skip
def namespace_type_enum(p: Probe) -> Parts:
    """Namespaces with an unknown type, type Host in lower case, and no type."""

    def attempt(**fields: Any) -> str:
        outcome, created = p.create_outcome(NAMESPACE, {"SchemaVersion": SCHEMA, **fields})
        if created is None:
            return outcome
        kind = jsonkeys.get(p.props(NAMESPACE, created), "Type")
        return then(outcome, "Type left out" if kind is None else f"Type {kind!r}")

    return {
        f"Type {_BOGUS!r}": attempt(Type=_BOGUS),
        "Type 'host' (lower case)": attempt(Type="host"),
        "no Type": attempt(),
    }


@scenario(
    "namespace.compartment",
    lambda x: {"a new namespace": f"a compartment from {x.rule.params['first']} up",
               "another new namespace": "another compartment"},
)  # fmt: skip
def namespace_compartment(p: Probe) -> Parts:
    """The NamespaceId (compartment) of two Host namespaces."""
    first = jsonkeys.get(p.props(NAMESPACE, namespace(p)), "NamespaceId")
    second = jsonkeys.get(p.props(NAMESPACE, namespace(p)), "NamespaceId")
    lowest: int = R.NAMESPACE_COMPARTMENT.params["first"]
    if not isinstance(first, int):
        where = f"NamespaceId {first!r}"
    else:
        where = f"a compartment from {lowest} up" if first >= lowest else "a compartment below"
    return {
        "a new namespace": where,
        "another new namespace": "another compartment" if second != first else "the same one",
    }


@scenario(
    "namespace.attach.endpoint-missing",
    lambda x: {"Add an unknown endpoint": x.fails(), "Remove an unknown endpoint": x.fails(),
               "create with an unknown endpoint in Resources": x.fails()},
)  # fmt: skip
def namespace_attach_missing(p: Probe) -> Parts:
    """Attach and detach an endpoint that does not exist; create a namespace holding one."""
    ns = namespace(p)
    resources = [{"Type": "Endpoint", "Data": {"ID": new_guid()}}]
    return {
        "Add an unknown endpoint": p.attempt_modify(NAMESPACE, ns, endpoint_request(new_guid())),
        "Remove an unknown endpoint": p.attempt_modify(
            NAMESPACE, ns, endpoint_request(new_guid(), "Remove")
        ),
        "create with an unknown endpoint in Resources": p.attempt_create(
            NAMESPACE, {"SchemaVersion": SCHEMA, "Resources": resources}
        ),
    }


@scenario("namespace.attach.twice", lambda x: {"attach the same endpoint again": x.fails()})
def namespace_attach_twice(p: Probe) -> Parts:
    """Attach an endpoint to the namespace it is in."""
    ep = endpoint(p, nat(p))
    ns = namespace(p)
    attach(p, ns, ep)
    return {"attach the same endpoint again": p.attempt_modify(NAMESPACE, ns, endpoint_request(ep))}


@scenario(
    "namespace.attach.other-namespace",
    lambda x: {"attach an endpoint that is in another namespace": x.fails()},
)
def namespace_attach_other(p: Probe) -> Parts:
    """Attach an endpoint to a second namespace."""
    ep = endpoint(p, nat(p))
    attach(p, namespace(p), ep)
    other = namespace(p)
    return {
        "attach an endpoint that is in another namespace": p.attempt_modify(
            NAMESPACE, other, endpoint_request(ep)
        )
    }


@scenario(
    "namespace.detach.not-attached",
    lambda x: {"Remove an endpoint that is not attached": x.fails()},
)
def namespace_detach_not_attached(p: Probe) -> Parts:
    """Detach an existing endpoint from a namespace it is not in."""
    ep = endpoint(p, nat(p))
    ns = namespace(p)
    return {
        "Remove an endpoint that is not attached": p.attempt_modify(
            NAMESPACE, ns, endpoint_request(ep, "Remove")
        )
    }


@scenario(
    "namespace.container.add-twice",
    lambda x: {"Add a container": OK, "Add it again": x.fails(),
               "Add a container without ContainerId": x.fails(R.DOC_FIELD_TYPE)},
)  # fmt: skip
def namespace_container_add_twice(p: Probe) -> Parts:
    """Add a container to a namespace twice, and one without an ID."""
    ns = namespace(p)
    container = secrets.token_hex(32)
    added = p.attempt_modify(NAMESPACE, ns, container_request(container))
    if added == OK:
        take_out_later(p, ns, container)
    return {
        "Add a container": added,
        "Add it again": p.attempt_modify(NAMESPACE, ns, container_request(container)),
        "Add a container without ContainerId": p.attempt_modify(
            NAMESPACE, ns, container_request(None)
        ),
    }


@scenario(
    "namespace.container.remove-absent",
    lambda x: {"Remove a container that is not there": x.fails()},
)
def namespace_container_remove_absent(p: Probe) -> Parts:
    """Remove a container a namespace does not hold."""
    ns = namespace(p)
    request = container_request(secrets.token_hex(32), "Remove")
    return {"Remove a container that is not there": p.attempt_modify(NAMESPACE, ns, request)}


def _resource_list(resources: object, roles: Mapping[str, str]) -> tuple[str, str]:
    """The resources as ``Type (role)`` in order, and the keys their Data objects use."""
    items: list[str] = []
    keys: set[str] = set()
    for entry in resources if isinstance(resources, list) else []:
        if not isinstance(entry, Mapping):
            continue
        data = jsonkeys.get(entry, "Data")
        data = data if isinstance(data, Mapping) else {}
        keys.update(data)
        rid = str(jsonkeys.get(data, "ID") or "").lower()
        items.append(f"{jsonkeys.get(entry, 'Type')} ({roles.get(rid, 'unknown')})")
    return ", ".join(items) or "none", ", ".join(sorted(keys)) or "none"


@scenario(
    "namespace.resources",
    lambda x: {"Resources": "Endpoint (endpoint 1), Container (container), Endpoint (endpoint 2)",
               "Data keys": "ID"},
)  # fmt: skip
def namespace_resources(p: Probe) -> Parts:
    """A namespace given an endpoint, a container and another endpoint, in that order."""
    net = nat(p)
    first, second = endpoint(p, net), endpoint(p, net)
    ns = namespace(p)
    attach(p, ns, first)
    container = add_container(p, ns)
    attach(p, ns, second)
    roles = {guid(first): "endpoint 1", container.lower(): "container", guid(second): "endpoint 2"}
    listed, keys = _resource_list(jsonkeys.get(p.props(NAMESPACE, ns), "Resources"), roles)
    return {"Resources": listed, "Data keys": keys}


@scenario(
    "namespace.delete.has-container",
    lambda x: {"delete": x.fails(), "the namespace afterwards": "still there"},
)
def namespace_delete_has_container(p: Probe) -> Parts:
    """Delete a namespace that holds a container."""
    ns = namespace(p)
    add_container(p, ns)
    outcome = p.attempt_delete(NAMESPACE, ns)
    still = p.attempt_open(NAMESPACE, ns)
    return {
        "delete": outcome,
        "the namespace afterwards": "still there" if still == OK else f"gone ({still})",
    }


@scenario(
    "namespace.delete.detaches-endpoints",
    lambda x: {"delete": OK, "the endpoint afterwards": "still there, in no namespace"},
)
def namespace_delete_detaches(p: Probe) -> Parts:
    """Delete a namespace that holds an endpoint."""
    ep = endpoint(p, nat(p))
    ns = namespace(p)
    attach(p, ns, ep)
    outcome = p.attempt_delete(NAMESPACE, ns)
    if p.attempt_open(ENDPOINT, ep) != OK:
        after = "gone"
    else:
        named = jsonkeys.get(p.props(ENDPOINT, ep), "HostComputeNamespace")
        after = "still there, in no namespace" if not named else "still there, in a namespace"
    return {"delete": outcome, "the endpoint afterwards": after}
