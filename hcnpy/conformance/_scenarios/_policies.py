"""Scenarios of the policy rules: types, shapes, gates, requests, port mappings, ACLs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import jsonkeys
from ...sim import rules as R
from .._outcome import OK, Parts, then
from .._probe import ENDPOINT, NETWORK, Net, Probe
from .._registry import Expect, scenario
from ._common import (
    acl,
    endpoint,
    endpoint_outcome,
    nat,
    nat_doc,
    policy,
    policy_request,
    port_mapping,
    subnet_doc,
    try_endpoint,
)

_BOGUS = "NotAPolicyType"


def policies_of(props: Mapping[str, Any], kind: str | None = None) -> list[Mapping[str, Any]]:
    """The policies of an object's properties (of one type, case-insensitively)."""
    found = [item for item in jsonkeys.get(props, "Policies") or [] if isinstance(item, Mapping)]
    if kind is None:
        return found
    return [item for item in found if str(jsonkeys.get(item, "Type")).lower() == kind.lower()]


def settings_of(item: Mapping[str, Any]) -> Mapping[str, Any]:
    """A policy's Settings (empty when absent)."""
    settings = jsonkeys.get(item, "Settings")
    return settings if isinstance(settings, Mapping) else {}


def with_policies(p: Probe, net: Net, *policies: dict[str, Any]) -> str:
    """Try an endpoint with ``policies``; the outcome."""
    return try_endpoint(p, net, {"Name": p.name(), "Policies": list(policies)})


def _canonical_port_mapping(x: Expect) -> str:
    endpoint_types: tuple[str, ...] = x.rule.params["endpoint"]
    assert _BOGUS not in endpoint_types and "PortMapping" in endpoint_types
    return "S_OK, stored as PortMapping"


@scenario(
    "policy.type.unknown",
    lambda x: {
        f"endpoint policy {_BOGUS!r}": x.fails(),
        f"network policy {_BOGUS!r}": x.fails(),
        "endpoint policy 'portmapping' (lower case)": _canonical_port_mapping(x),
    },
)
def policy_type_unknown(p: Probe) -> Parts:
    """An unknown policy type on an endpoint and a network; a known one in lower case."""
    net = nat(p)
    bogus = policy(_BOGUS, {})
    network_doc = nat_doc(p.name(), [subnet_doc(p.subnet())], Policies=[bogus])
    lower = policy("portmapping", port_mapping(p.port())["Settings"])
    outcome, created = endpoint_outcome(p, net, Policies=[lower])
    stored = ""
    if created is not None:
        types = [
            str(jsonkeys.get(item, "Type")) for item in policies_of(p.props(ENDPOINT, created))
        ]
        stored = f"stored as {', '.join(types) or 'nothing'}"
    return {
        f"endpoint policy {_BOGUS!r}": with_policies(p, net, bogus),
        f"network policy {_BOGUS!r}": p.attempt_create(NETWORK, network_doc),
        "endpoint policy 'portmapping' (lower case)": then(outcome, stored),
    }


@scenario(
    "policy.shape",
    lambda x: {"a policy that is a string": x.fails(), "Settings that is a string": x.fails()},
)
def policy_shape(p: Probe) -> Parts:
    """Endpoint policies that are not objects, or whose Settings is not one."""
    net = nat(p)
    return {
        "a policy that is a string": try_endpoint(p, net, {"Policies": ["PortMapping"]}),
        "Settings that is a string": try_endpoint(
            p, net, {"Policies": [{"Type": "PortMapping", "Settings": "80:8080"}]}
        ),
    }


@scenario(
    "policy.settings.invalid",
    lambda x: {"PortMapping VIP that is a word": x.fails(),
               "SDNRoute DestinationPrefix that is a word": x.fails()},
)  # fmt: skip
def policy_settings_invalid(p: Probe) -> Parts:
    """Known endpoint policies with malformed settings."""
    net = nat(p)
    route = policy("SDNRoute", {"DestinationPrefix": "not-a-prefix", "NextHop": net.host(4)})
    return {
        "PortMapping VIP that is a word": with_policies(p, net, port_mapping(p.port(), VIP="x")),
        "SDNRoute DestinationPrefix that is a word": with_policies(p, net, route),
    }


def _gated_settings(p: Probe, net: Net) -> dict[tuple[str, str], dict[str, Any] | None]:
    """Valid settings of each version-gated policy type."""
    name = p.name()
    proxy = {"Port": str(p.port()), "Protocol": 6}
    return {
        ("endpoint", "L4Proxy"): proxy,
        ("network", "L4Proxy"): proxy,
        ("endpoint", "L4WFPPROXY"): {
            "InboundProxyPort": str(p.port()),
            "OutboundProxyPort": str(p.port()),
        },
        ("endpoint", "TierAcl"): {
            "Name": name,
            "Direction": "In",
            "Order": 1001,
            "TierAclRules": [
                {"Id": "allow", "Protocols": "6", "TierAclRuleAction": "Pass", "Priority": 100}
            ],
        },
        ("network", "RemoteSubnetRoute"): {
            "DestinationPrefix": str(p.subnet(28)),
            "IsolationId": 4096,
            "ProviderAddress": net.host(5),
            "DistributedRouterMacAddress": "00-15-5D-F0-00-01",
        },
        ("network", "HostRoute"): {},
        ("network", "VxlanPort"): {"Port": 4789},
        ("network", "SetPolicy"): {
            "Id": name,
            "Name": name,
            "PolicyType": "IPSET",
            "Values": net.host(6),
        },
        ("network", "NetworkACL"): {
            "Action": "Allow",
            "Direction": "In",
            "Priority": 1000,
            "RemoteAddresses": str(net.prefix),
        },
    }


@scenario(
    "policy.version-gates",
    lambda x: {
        f"{scope} {kind}": x.gated(ranges, f"the {kind} policy")
        for (scope, kind), ranges in x.rule.params.items()
    },
)
def policy_version_gates(p: Probe) -> Parts:
    """Each version-gated policy type added to an endpoint or a network."""
    net = nat(p)
    ep = endpoint(p, net)
    settings = _gated_settings(p, net)
    parts: Parts = {}
    gates: dict[tuple[str, str], Any] = R.POLICY_GATES.params
    for scope, kind in gates:
        target, object_id = (ENDPOINT, ep) if scope == "endpoint" else (NETWORK, net.id)
        request = policy_request("Add", policy(kind, settings[(scope, kind)]))
        parts[f"{scope} {kind}"] = p.attempt_modify(target, object_id, request)
    return parts


@scenario("policy.add.duplicate", lambda x: {"the same PortMapping again": x.fails()})
def policy_add_duplicate(p: Probe) -> Parts:
    """Add a PortMapping identical to one the endpoint has."""
    mapping = port_mapping(p.port())
    ep = endpoint(p, nat(p), Policies=[mapping])
    return {
        "the same PortMapping again": p.attempt_modify(ENDPOINT, ep, policy_request("Add", mapping))
    }


def _mapped_ports(p: Probe, ep: str) -> list[Any]:
    return [
        jsonkeys.get(settings_of(item), "ExternalPort")
        for item in policies_of(p.props(ENDPOINT, ep), "PortMapping")
    ]


@scenario(
    "policy.remove.absent",
    lambda x: {"a PortMapping the endpoint lacks": x.fails(),
               "PortMapping without Settings": "S_OK, every PortMapping removed"},
)  # fmt: skip
def policy_remove_absent(p: Probe) -> Parts:
    """Remove a policy an endpoint lacks; remove a type without settings."""
    net = nat(p)
    bare = endpoint(p, net)
    absent = p.attempt_modify(ENDPOINT, bare, policy_request("Remove", port_mapping(p.port())))
    two = endpoint(p, net, Policies=[port_mapping(p.port()), port_mapping(p.port(), 81)])
    by_type = p.attempt_modify(ENDPOINT, two, policy_request("Remove", policy("PortMapping")))
    left = len(_mapped_ports(p, two))
    return {
        "a PortMapping the endpoint lacks": absent,
        "PortMapping without Settings": then(
            by_type, "every PortMapping removed" if not left else f"{left} PortMapping left"
        ),
    }


@scenario(
    "policy.update.replaces",
    lambda x: {"Update with one PortMapping": "S_OK, only that PortMapping left"},
)
def policy_update_replaces(p: Probe) -> Parts:
    """Update an endpoint holding two PortMappings with a third one."""
    ep = endpoint(p, nat(p), Policies=[port_mapping(p.port()), port_mapping(p.port(), 81)])
    port = p.port()
    outcome = p.attempt_modify(ENDPOINT, ep, policy_request("Update", port_mapping(port, 82)))
    ports = _mapped_ports(p, ep)
    note = "only that PortMapping left" if ports == [port] else f"{len(ports)} PortMappings left"
    return {"Update with one PortMapping": then(outcome, note)}


@scenario(
    "policy.request-type",
    lambda x: {"RequestType Refresh": x.fails(), "RequestType Reset": x.fails()},
)
def policy_request_type(p: Probe) -> Parts:
    """Policy requests with RequestType Refresh and Reset."""
    mapping = port_mapping(p.port())
    ep = endpoint(p, nat(p), Policies=[mapping])
    return {
        f"RequestType {kind}": p.attempt_modify(ENDPOINT, ep, policy_request(kind, mapping))
        for kind in ("Refresh", "Reset")
    }


@scenario(
    "port-mapping.protocol",
    lambda x: {"Protocol 1": x.fails(), "Protocol 'UDP'": OK, "Protocol '17'": OK,
               "no Protocol": "S_OK, stored as 6"},
)  # fmt: skip
def port_mapping_protocol(p: Probe) -> Parts:
    """PortMapping protocols: a number that is not TCP/UDP, names, strings, none."""
    net = nat(p)

    def attempt(**protocol: Any) -> str:
        settings = {"InternalPort": 80, "ExternalPort": p.port(), **protocol}
        return with_policies(p, net, policy("PortMapping", settings))

    settings = {"InternalPort": 80, "ExternalPort": p.port()}
    outcome, created = endpoint_outcome(p, net, Policies=[policy("PortMapping", settings)])
    stored = ""
    if created is not None:
        found = [
            jsonkeys.get(settings_of(i), "Protocol")
            for i in policies_of(p.props(ENDPOINT, created))
        ]
        stored = (
            f"stored as {found[0]}"
            if len(found) == 1 and found[0] is not None
            else "Protocol left out"
        )
    return {
        "Protocol 1": attempt(Protocol=1),
        "Protocol 'UDP'": attempt(Protocol="UDP"),
        "Protocol '17'": attempt(Protocol="17"),
        "no Protocol": then(outcome, stored),
    }  # fmt: skip


@scenario(
    "port-mapping.internal-port",
    lambda x: {"no InternalPort": x.fails(), "InternalPort 0": x.fails()},
)
def port_mapping_internal_port(p: Probe) -> Parts:
    """PortMappings without an internal port and with 0."""
    net = nat(p)
    return {
        "no InternalPort": with_policies(p, net, port_mapping(p.port(), None)),
        "InternalPort 0": with_policies(p, net, port_mapping(p.port(), 0)),
    }


@scenario("port-mapping.external-port", lambda x: {"no ExternalPort": x.fails()})
def port_mapping_external_port(p: Probe) -> Parts:
    """A PortMapping without a host port."""
    return {"no ExternalPort": with_policies(p, nat(p), port_mapping(None))}


@scenario(
    "port-mapping.clash",
    lambda x: {"another endpoint, the same TCP port": x.fails(),
               "another endpoint, the same port over UDP": OK},
)  # fmt: skip
def port_mapping_clash(p: Probe) -> Parts:
    """Two endpoints mapping one host port."""
    net = nat(p)
    port = p.port()
    endpoint(p, net, Policies=[port_mapping(port)])
    return {
        "another endpoint, the same TCP port": with_policies(p, net, port_mapping(port, 81)),
        "another endpoint, the same port over UDP": with_policies(
            p, net, port_mapping(port, 81, Protocol=17)
        ),
    }


@scenario(
    "acl.enums",
    lambda x: {"Action 'Maybe'": x.fails(), "no Direction": x.fails(),
               "RuleType 'Router'": x.fails(), "'allow', 'out', 'switch' in lower case": OK},
)  # fmt: skip
def acl_enums(p: Probe) -> Parts:
    """ACLs with an unknown Action, no Direction, an unknown RuleType; known ones in lower case."""
    net = nat(p)
    return {
        "Action 'Maybe'": with_policies(p, net, acl(Action="Maybe")),
        "no Direction": with_policies(p, net, acl(Direction=None)),
        "RuleType 'Router'": with_policies(p, net, acl(RuleType="Router")),
        "'allow', 'out', 'switch' in lower case": with_policies(
            p, net, acl(Action="allow", Direction="out", RuleType="switch")
        ),
    }


@scenario(
    "acl.addresses.ip-only",
    lambda x: {"RemoteAddresses 'Any'": x.fails(), "a prefix and an address, comma-separated": OK},
)
def acl_addresses_ip_only(p: Probe) -> Parts:
    """ACL addresses that are a word, and a list of a prefix and an address."""
    net = nat(p)
    listed = f"{net.prefix},{net.host(9)}"
    return {
        "RemoteAddresses 'Any'": with_policies(p, net, acl(RemoteAddresses="Any")),
        "a prefix and an address, comma-separated": with_policies(
            p, net, acl(RemoteAddresses=listed)
        ),
    }


@scenario(
    "acl.priority",
    lambda x: {"Priority 65536": x.fails(), "Priority -1": x.fails(), "Priority 65535": OK},
)
def acl_priority(p: Probe) -> Parts:
    """ACL priorities just outside and at the edge of 16 bits."""
    net = nat(p)
    return {
        f"Priority {value}": with_policies(p, net, acl(Priority=value))
        for value in (65536, -1, 65535)
    }


@scenario(
    "acl.protocol-252-gate",
    lambda x: {"Protocols '252'": x.gated(x.rule.params["ranges"], "ACL protocol 252")},
)
def acl_protocol_252(p: Probe) -> Parts:
    """An ACL for protocol 252."""
    return {"Protocols '252'": with_policies(p, nat(p), acl(Protocols="252"))}


#: The ACL settings sent, in the reverse of the order HNS was seen to answer.
_ACL_SENT = {"RuleType": "Switch", "Direction": "Out", "Action": "Block", "Priority": 2000,
             "LocalAddresses": None, "Protocols": "1"}  # fmt: skip


@scenario(
    "acl.settings-order",
    lambda x: {
        "settings key order": ", ".join(k for k in x.rule.params["order"] if k in _ACL_SENT)
    },
)
def acl_settings_order(p: Probe) -> Parts:
    """An ACL sent with its keys in reverse order, read back."""
    net = nat(p)
    settings = {**_ACL_SENT, "LocalAddresses": net.host(6)}
    ep = endpoint(p, net, Policies=[policy("ACL", settings)])
    found = policies_of(p.props(ENDPOINT, ep), "ACL")
    if not found:
        return {"settings key order": "no ACL in the properties"}
    sent = {key.lower(): key for key in settings}
    order = [sent[key.lower()] for key in settings_of(found[0]) if key.lower() in sent]
    return {"settings key order": ", ".join(order)}


@scenario(
    "qos.bandwidth-required",
    lambda x: {"QOS without MaximumOutgoingBandwidthInBytes": x.fails()},
)
def qos_bandwidth_required(p: Probe) -> Parts:
    """A QOS policy with empty settings."""
    return {
        "QOS without MaximumOutgoingBandwidthInBytes": with_policies(p, nat(p), policy("QOS", {}))
    }


@scenario(
    "interface-parameters.once",
    lambda x: {"two at create": x.fails(), "a second one added": x.fails()},
)
def interface_parameters_once(p: Probe) -> Parts:
    """Two InterfaceParameters policies on one endpoint, at create and by a later Add."""
    net = nat(p)
    first = policy("InterfaceParameters", {"Mtu": 1400})
    second = policy("InterfaceParameters", {"Mtu": 1450})
    ep = endpoint(p, net, Policies=[first])
    return {
        "two at create": with_policies(p, net, first, second),
        "a second one added": p.attempt_modify(ENDPOINT, ep, policy_request("Add", second)),
    }


@scenario(
    "policy.required-settings",
    lambda x: {"endpoint VLAN without IsolationId": x.fails(),
               "endpoint ProviderAddress that is a word": x.fails(),
               "network SourceMacAddress that is a word": x.fails()},
)  # fmt: skip
def policy_required_settings(p: Probe) -> Parts:
    """Policies missing a required setting or holding a malformed one."""
    net = nat(p)
    source = policy("SourceMacAddress", {"SourceMacAddress": "not-a-mac"})
    network_doc = nat_doc(p.name(), [subnet_doc(p.subnet())], Policies=[source])
    return {
        "endpoint VLAN without IsolationId": with_policies(p, net, policy("VLAN", {})),
        "endpoint ProviderAddress that is a word": with_policies(
            p, net, policy("ProviderAddress", {"ProviderAddress": "not-an-ip"})
        ),
        "network SourceMacAddress that is a word": p.attempt_create(NETWORK, network_doc),
    }


def _nested_expect(x: Expect) -> Parts:
    set_policy = R.POLICY_GATES.params[("network", "SetPolicy")]
    x.only_on(set_policy, "SetPolicy (policy.version-gates)")
    return {"SetPolicy NESTEDIPSET": x.gated(x.rule.params["ranges"], "NESTEDIPSET")}


@scenario("set-policy.nested-gate", _nested_expect)
def set_policy_nested(p: Probe) -> Parts:
    """A NESTEDIPSET SetPolicy added to a network."""
    net = nat(p)
    name = p.name()
    nested = policy(
        "SetPolicy", {"Id": name, "Name": name, "PolicyType": "NESTEDIPSET", "Values": ""}
    )
    return {
        "SetPolicy NESTEDIPSET": p.attempt_modify(NETWORK, net.id, policy_request("Add", nested))
    }


@scenario(
    "policy.integer-widths",
    lambda x: {"PortMapping InternalPort 65536": x.fails(), "VLAN IsolationId 2^32": x.fails()},
)
def policy_integer_widths(p: Probe) -> Parts:
    """Integer settings one past their schema type."""
    net = nat(p)
    return {
        "PortMapping InternalPort 65536": with_policies(p, net, port_mapping(p.port(), 65536)),
        "VLAN IsolationId 2^32": with_policies(p, net, policy("VLAN", {"IsolationId": 2**32})),
    }
