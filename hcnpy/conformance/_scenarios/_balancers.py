"""Scenarios of load balancers, SDN routes and address syntax."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import jsonkeys
from ...guid import guid, new_guid
from ...sim import rules as R
from .._outcome import OK, Parts, then
from .._probe import LOAD_BALANCER, SDN_ROUTE, Net, Probe
from .._registry import Expect, scenario
from ._common import SCHEMA, endpoint, load_balancer, nat, port_mapping, try_endpoint
from ._queries import letter_case


def backend(p: Probe) -> tuple[Net, str]:
    """A network and one endpoint on it, to stand behind load balancers."""
    net = nat(p)
    return net, endpoint(p, net)


def with_mapping(p: Probe, ep: str, **mapping: Any) -> dict[str, Any]:
    """A load balancer on ``ep`` whose one port mapping is ``mapping``."""
    doc = load_balancer(p, [ep])
    doc["PortMappings"] = [{k: v for k, v in mapping.items() if v is not None}]
    return doc


def backends_of(props: Mapping[str, Any]) -> list[str]:
    """A load balancer's HostComputeEndpoints as text."""
    found = jsonkeys.get(props, "HostComputeEndpoints") or []
    return [str(item) for item in found] if isinstance(found, list) else []


@scenario(
    "load-balancer.endpoints.unknown",
    lambda x: {"HostComputeEndpoints naming no endpoint": x.fails()},
)
def lb_endpoints_unknown(p: Probe) -> Parts:
    """A load balancer whose backend does not exist."""
    doc = load_balancer(p, [new_guid()])
    return {"HostComputeEndpoints naming no endpoint": p.attempt_create(LOAD_BALANCER, doc)}


@scenario("load-balancer.endpoints.upper-case", lambda x: {"HostComputeEndpoints": "upper-case"})
def lb_endpoints_upper_case(p: Probe) -> Parts:
    """The backend IDs a load balancer's properties list."""
    _, ep = backend(p)
    lb = p.create(LOAD_BALANCER, load_balancer(p, [ep]))
    found = backends_of(p.props(LOAD_BALANCER, lb))
    return {"HostComputeEndpoints": letter_case("".join(found)) if found else "none listed"}


@scenario(
    "load-balancer.port-mapping",
    lambda x: {"Protocol 1": x.fails(), "no ExternalPort": x.fails(),
               "DistributionType 3": x.fails()},
)  # fmt: skip
def lb_port_mapping(p: Probe) -> Parts:
    """Load-balancer port mappings with a bad protocol, no host port, a bad distribution."""
    _, ep = backend(p)

    def attempt(**changes: Any) -> str:
        mapping = {"Protocol": 6, "InternalPort": 80, "ExternalPort": p.port(), **changes}
        return p.attempt_create(LOAD_BALANCER, with_mapping(p, ep, **mapping))

    return {
        "Protocol 1": attempt(Protocol=1),
        "no ExternalPort": attempt(ExternalPort=None),
        "DistributionType 3": attempt(DistributionType=3),
    }


@scenario(
    "load-balancer.internal-port",
    lambda x: {"InternalPort 0": x.fails(), "no InternalPort": x.fails()},
)
def lb_internal_port(p: Probe) -> Parts:
    """Load-balancer port mappings without a backend port."""
    _, ep = backend(p)

    def attempt(internal: int | None) -> str:
        doc = with_mapping(p, ep, Protocol=6, InternalPort=internal, ExternalPort=p.port())
        return p.attempt_create(LOAD_BALANCER, doc)

    return {"InternalPort 0": attempt(0), "no InternalPort": attempt(None)}


def _clash(p: Probe) -> tuple[dict[str, Any], str]:
    """A load balancer, and a second document with its frontend."""
    _, ep = backend(p)
    first = load_balancer(p, [ep])
    p.create(LOAD_BALANCER, first)
    second = dict(first)
    return second, ep


@scenario(
    "load-balancer.frontend-clash",
    lambda x: {"the same VIP, protocol and port": x.fails()},
)
def lb_frontend_clash(p: Probe) -> Parts:
    """Two load balancers with one frontend."""
    second, _ = _clash(p)
    return {"the same VIP, protocol and port": p.attempt_create(LOAD_BALANCER, second)}


@scenario(
    "load-balancer.partial-create",
    lambda x: {"the clashing create": x.fails(R.LB_FRONTEND_CLASH),
               "afterwards": "left behind, PortMappings empty"},
)  # fmt: skip
def lb_partial_create(p: Probe) -> Parts:
    """A load-balancer create that fails on a frontend clash: what is left under its ID."""
    second, _ = _clash(p)
    wanted = new_guid()
    outcome = p.attempt_create(LOAD_BALANCER, second, object_id=wanted)
    if p.attempt_open(LOAD_BALANCER, wanted) != OK:
        after = "nothing left"
    else:
        mappings = jsonkeys.get(p.props(LOAD_BALANCER, wanted), "PortMappings")
        after = "left behind, PortMappings " + ("empty" if not mappings else "kept")
    return {"the clashing create": outcome, "afterwards": after}


def _gates(x: Expect) -> Parts:
    gates = x.rule.params
    return {
        "Flags 1 (DSR)": x.gated(gates["dsr"], "load-balancer flag DSR"),
        "Flags 2 (IPv6) with an IPv6 VIP": x.gated(gates["ipv6"], "load-balancer flag IPv6"),
        "DistributionType 2 (SourceIP)": x.gated(gates["source-ip"], "SourceIP distribution"),
    }


@scenario("load-balancer.version-gates", _gates)
def lb_version_gates(p: Probe) -> Parts:
    """Load balancers with DSR, IPv6 and source-IP affinity."""
    _, ep = backend(p)
    dsr = load_balancer(p, [ep], Flags=1)
    ipv6 = load_balancer(p, [ep], Flags=2, FrontendVIPs=[str(p.subnet6().network_address + 10)])
    source = with_mapping(p, ep, Protocol=6, InternalPort=80, ExternalPort=p.port(),
                          DistributionType=2)  # fmt: skip
    return {
        "Flags 1 (DSR)": p.attempt_create(LOAD_BALANCER, dsr),
        "Flags 2 (IPv6) with an IPv6 VIP": p.attempt_create(LOAD_BALANCER, ipv6),
        "DistributionType 2 (SourceIP)": p.attempt_create(LOAD_BALANCER, source),
    }


def _modify_expect(x: Expect) -> Parts:
    works, no_op = x.rule.params["works"], x.rule.params["no-op"]
    if x.supports(works, "an in-place load-balancer update"):
        seen = "S_OK, backends replaced"
    elif x.supports(no_op, "an in-place load-balancer update"):
        seen = "S_OK, nothing changed"
    else:
        seen = x.fails()
    return {"the full document with another backend": seen}


@scenario("load-balancer.modify", _modify_expect)
def lb_modify(p: Probe) -> Parts:
    """HcnModifyLoadBalancer with the full document, backends swapped."""
    net, first = backend(p)
    second = endpoint(p, net)
    doc = load_balancer(p, [first])
    lb = p.create(LOAD_BALANCER, doc)
    outcome = p.attempt_modify(
        LOAD_BALANCER, lb, {**doc, "ID": lb, "HostComputeEndpoints": [second]}
    )
    found = {guid(item) for item in backends_of(p.props(LOAD_BALANCER, lb))}
    if found == {guid(second)}:
        note = "backends replaced"
    elif found == {guid(first)}:
        note = "nothing changed"
    else:
        note = "other backends"
    return {"the full document with another backend": then(outcome, note)}


@scenario("load-balancer.network", lambda x: {"HostComputeNetwork naming no network": x.fails()})
def lb_network(p: Probe) -> Parts:
    """A load balancer naming a network that does not exist."""
    _, ep = backend(p)
    doc = load_balancer(p, [ep], HostComputeNetwork=new_guid())
    return {"HostComputeNetwork naming no network": p.attempt_create(LOAD_BALANCER, doc)}


def _same_entries(sent: list[dict[str, Any]], found: object) -> bool:
    if not isinstance(found, list) or len(found) != len(sent):
        return False
    for want, have in zip(sent, found, strict=True):
        if not isinstance(have, Mapping):
            return False
        if any(jsonkeys.get(have, key) != value for key, value in want.items()):
            return False
    return True


@scenario(
    "sdn-route.settings",
    lambda x: {"entries under Routes": "S_OK, kept as sent",
               "entries under Setting (hcsshim)": "S_OK, kept as sent",
               "DestinationPrefix that is a word": x.fails(R.ROUTE_PREFIX),
               "NextHop that is a word": x.fails(R.ROUTE_NEXT_HOP)},
)  # fmt: skip
def sdn_route_settings(p: Probe) -> Parts:
    """SDN routes with Microsoft's Routes key, hcsshim's Setting key, and bad entries."""
    net, ep = backend(p)
    parts: Parts = {}
    for key, label in (
        ("Routes", "entries under Routes"),
        ("Setting", "entries under Setting (hcsshim)"),
    ):
        entries = [
            {"DestinationPrefix": str(p.subnet(28)), "NextHop": net.host(4), "NeedEncap": False}
        ]
        doc = {"SchemaVersion": SCHEMA, "HostComputeEndpoints": [ep], key: entries}
        outcome, created = p.create_outcome(SDN_ROUTE, doc)
        kept = ""
        if created is not None:
            found = jsonkeys.get(p.props(SDN_ROUTE, created), key)
            kept = "kept as sent" if _same_entries(entries, found) else f"{key} not kept as sent"
        parts[label] = then(outcome, kept)
    for field, label in (("DestinationPrefix", "DestinationPrefix that is a word"),
                         ("NextHop", "NextHop that is a word")):  # fmt: skip
        entry = {"DestinationPrefix": str(p.subnet(28)), "NextHop": net.host(4), field: "x"}
        doc = {"SchemaVersion": SCHEMA, "HostComputeEndpoints": [ep], "Routes": [entry]}
        parts[label] = p.attempt_create(SDN_ROUTE, doc)
    return parts


@scenario(
    "syntax.ip-address",
    lambda x: {"load-balancer SourceVIP that is a word": x.fails(),
               "load-balancer FrontendVIPs entry that is a word": x.fails(),
               "inside a policy (PortMapping VIP)": x.fails(R.POLICY_SETTINGS)},
)  # fmt: skip
def syntax_ip_address(p: Probe) -> Parts:
    """Address fields that hold a word, in a load balancer and in a policy."""
    net, ep = backend(p)
    return {
        "load-balancer SourceVIP that is a word": p.attempt_create(
            LOAD_BALANCER, load_balancer(p, [ep], SourceVIP="x")
        ),
        "load-balancer FrontendVIPs entry that is a word": p.attempt_create(
            LOAD_BALANCER, load_balancer(p, [ep], FrontendVIPs=["x"])
        ),
        "inside a policy (PortMapping VIP)": try_endpoint(
            p, net, {"Policies": [port_mapping(p.port(), VIP="x")]}
        ),
    }
