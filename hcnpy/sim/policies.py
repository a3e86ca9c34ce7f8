"""Endpoint, network and subnet policies: the type catalogue, validation and version gates.

Every check is a rule of :mod:`hcnpy.sim.rules`; the type lists and version ranges are that
table's parameters, not the client's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from .. import jsontext
from . import rules as R
from .addressing import parse_ip, parse_mac, parse_prefix
from .jsondoc import JsonObj, canon, opt_bool, opt_int, opt_list, opt_str
from .ports import PortClaim, any_vip, vip_family
from .rules import HnsFailure, violate
from .versions import SimVersion, gate

__all__ = [
    "POLICY_TYPES",
    "apply_request",
    "normalize_policies",
    "port_claims",
]

#: Every policy type the simulator knows, per scope (the canonical spelling is echoed back).
POLICY_TYPES: dict[str, tuple[str, ...]] = R.POLICY_TYPE.params
_BY_LOWER = {scope: {t.lower(): t for t in types} for scope, types in POLICY_TYPES.items()}
_GATES: dict[tuple[str, str], tuple[tuple[int, int, int | None, int | None], ...]] = (
    R.POLICY_GATES.params
)
_SETTINGS = R.POLICY_SETTINGS
_REQUIRED = R.REQUIRED_SETTINGS
_WIDTH = R.POLICY_INTEGER_WIDTHS
_U16 = 2**16 - 1
_U32 = 2**32 - 1
_U64 = 2**64 - 1

Validator = Callable[[JsonObj, str, SimVersion], JsonObj]


def _choice(doc: JsonObj, key: str, where: str, values: tuple[str, ...], required: bool) -> None:
    value = opt_str(doc, key, where, R.ACL_ENUMS)
    if value is None:
        if required:
            violate(R.ACL_ENUMS, f"{where}.{key} is required ({'|'.join(values)})")
        return
    for allowed in values:
        if allowed.lower() == value.lower():
            doc[key] = allowed
            return
    violate(R.ACL_ENUMS, f"{where}.{key}: {value!r} is not one of {values}")


def _port_mapping(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    s = canon(s, ["Protocol", "InternalPort", "ExternalPort", "VIP", "Flags"])
    protocol = s.get("Protocol", 6)
    if isinstance(protocol, str):
        protocol = {"tcp": 6, "udp": 17, "6": 6, "17": 17}.get(protocol.strip().lower(), protocol)
    if protocol not in (6, 17) or isinstance(protocol, bool):
        violate(R.PORT_MAPPING_PROTOCOL, f"{where}.Protocol: {protocol!r} is not 6 (TCP) or 17")
    s["Protocol"] = protocol
    if not opt_int(s, "InternalPort", where, 0, _U16, _WIDTH):
        violate(R.PORT_MAPPING_INTERNAL, f"{where}.InternalPort is missing or zero")
    if not opt_int(s, "ExternalPort", where, 0, _U16, _WIDTH):
        violate(R.PORT_MAPPING_EXTERNAL, f"{where}.ExternalPort (the host port) is missing")
    if s.get("VIP"):
        s["VIP"] = str(parse_ip(s["VIP"], f"{where}.VIP", _SETTINGS))
    opt_int(s, "Flags", where, 0, _U32, _WIDTH)
    return s


def _address_list(text: str, where: str) -> None:
    """ACL addresses: IP addresses and prefixes, comma-separated; nothing else."""
    for item in text.split(","):
        candidate = item.strip()
        try:
            if "/" in candidate:
                ipaddress.ip_network(candidate, strict=False)
            else:
                ipaddress.ip_address(candidate)
        except ValueError:
            violate(R.ACL_ADDRESSES, f"{where}: {candidate!r} is not an IP address or prefix")


def _acl(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    order: tuple[str, ...] = R.ACL_ECHO_ORDER.params["order"]
    s = canon(s, order)
    _choice(s, "Action", where, ("Allow", "Block", "Pass"), required=True)
    _choice(s, "Direction", where, ("In", "Out"), required=True)
    _choice(s, "RuleType", where, ("Host", "Switch"), required=False)
    opt_int(s, "Priority", where, 0, _U16, R.ACL_PRIORITY)
    for key in ("Id", "LocalPorts", "RemotePorts"):
        opt_str(s, key, where, _SETTINGS)
    for key in ("LocalAddresses", "RemoteAddresses"):
        addresses = opt_str(s, key, where, R.ACL_ADDRESSES)
        if addresses:
            _address_list(addresses, f"{where}.{key}")
    protocols = s.get("Protocols")
    if isinstance(protocols, int) and not isinstance(protocols, bool):
        protocols = str(protocols)
    elif protocols is not None and not isinstance(protocols, str):
        violate(_SETTINGS, f"{where}.Protocols: want a string")
    if protocols is not None:
        s["Protocols"] = protocols
        if "252" in (p.strip() for p in protocols.split(",")):
            gate(R.ACL_PROTOCOL_252, version, f"{where}: protocol 252")
    ordered = {key: s[key] for key in order if key in s}
    ordered.update((key, value) for key, value in s.items() if key not in ordered)
    return ordered


def _qos(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    s = canon(s, ["MaximumOutgoingBandwidthInBytes"])
    if opt_int(s, "MaximumOutgoingBandwidthInBytes", where, 0, _U64, _WIDTH) is None:
        violate(R.QOS_BANDWIDTH, f"{where}.MaximumOutgoingBandwidthInBytes is required")
    return s


def _outbound_nat(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    s = canon(s, ["VirtualIP", "Exceptions", "Destinations", "Flags", "MaxPortPoolUsage"])
    if s.get("VirtualIP"):
        s["VirtualIP"] = str(parse_ip(s["VirtualIP"], f"{where}.VirtualIP", _SETTINGS))
    for key in ("Exceptions", "Destinations"):
        if not all(isinstance(item, str) for item in opt_list(s, key, where, _SETTINGS)):
            violate(_SETTINGS, f"{where}.{key}: want strings")
    opt_int(s, "Flags", where, 0, _U32, _WIDTH)
    opt_int(s, "MaxPortPoolUsage", where, 0, _U16, _WIDTH)
    return s


def _sdn_route(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    s = canon(s, ["DestinationPrefix", "NextHop", "NeedEncap"])
    if s.get("DestinationPrefix"):
        parse_prefix(s["DestinationPrefix"], f"{where}.DestinationPrefix", _SETTINGS)
    if s.get("NextHop"):
        parse_ip(s["NextHop"], f"{where}.NextHop", _SETTINGS)
    opt_bool(s, "NeedEncap", where, _SETTINGS)
    return s


def _required_int(key: str, high: int, low: int = 0) -> Validator:
    def check(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
        s = canon(s, [key])
        if opt_int(s, key, where, low, high, _WIDTH) is None:
            violate(_REQUIRED, f"{where}.{key} is required")
        return s

    return check


def _optional_int(key: str, high: int) -> Validator:
    def check(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
        s = canon(s, [key])
        opt_int(s, key, where, 0, high, _WIDTH)
        return s

    return check


def _address(key: str, kind: str) -> Validator:
    def check(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
        s = canon(s, [key])
        if kind == "ip":
            s[key] = str(parse_ip(s.get(key), f"{where}.{key}", _REQUIRED))
        else:
            parse_mac(s.get(key), f"{where}.{key}", _REQUIRED)
        return s

    return check


def _remote_subnet_route(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    keys = ["DestinationPrefix", "IsolationId", "ProviderAddress", "DistributedRouterMacAddress"]
    s = canon(s, keys)
    parse_prefix(s.get("DestinationPrefix"), f"{where}.DestinationPrefix", _REQUIRED)
    if opt_int(s, "IsolationId", where, 0, _U16, _WIDTH) is None:
        violate(_REQUIRED, f"{where}.IsolationId is required")
    parse_ip(s.get("ProviderAddress"), f"{where}.ProviderAddress", _REQUIRED)
    parse_mac(
        s.get("DistributedRouterMacAddress"), f"{where}.DistributedRouterMacAddress", _REQUIRED
    )
    return s


def _set_policy(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    s = canon(s, ["Id", "Name", "PolicyType", "Values"])
    for key in ("Id", "Name"):
        if not opt_str(s, key, where, _REQUIRED):
            violate(_REQUIRED, f"{where}.{key} is required")
    opt_str(s, "Values", where, _REQUIRED)
    kind = opt_str(s, "PolicyType", where, _REQUIRED)
    picked = next((t for t in ("IPSET", "NESTEDIPSET") if kind and t == kind.upper()), None)
    if picked is None:
        violate(_REQUIRED, f"{where}.PolicyType: {kind!r} is not IPSET or NESTEDIPSET")
    s["PolicyType"] = picked
    if picked == "NESTEDIPSET":
        gate(R.SET_POLICY_NESTED, version, f"{where}: NESTEDIPSET")
    return s


def _automatic_dns(s: JsonObj, where: str, version: SimVersion) -> JsonObj:
    s = canon(s, ["Enable"])
    opt_bool(s, "Enable", where, _SETTINGS)
    return s


_VALIDATORS: dict[tuple[str, str], Validator] = {
    ("endpoint", "PortMapping"): _port_mapping,
    ("endpoint", "ACL"): _acl,
    ("network", "NetworkACL"): _acl,
    ("endpoint", "QOS"): _qos,
    ("endpoint", "OutBoundNAT"): _outbound_nat,
    ("endpoint", "SDNRoute"): _sdn_route,
    ("endpoint", "EncapOverhead"): _optional_int("Overhead", _U16),
    ("endpoint", "InterfaceParameters"): _optional_int("Mtu", _U16),
    ("endpoint", "VLAN"): _required_int("IsolationId", _U32),
    ("subnet", "VLAN"): _required_int("IsolationId", _U32),
    ("subnet", "VSID"): _required_int("IsolationId", _U32),
    ("endpoint", "ProviderAddress"): _address("ProviderAddress", "ip"),
    ("network", "ProviderAddress"): _address("ProviderAddress", "ip"),
    ("network", "SourceMacAddress"): _address("SourceMacAddress", "mac"),
    ("network", "DrMacAddress"): _address("Address", "mac"),
    ("network", "RemoteSubnetRoute"): _remote_subnet_route,
    ("network", "VxlanPort"): _required_int("Port", _U16, low=1),
    ("network", "SetPolicy"): _set_policy,
    ("network", "AutomaticDNS"): _automatic_dns,
}

_NAT_FLAG_IPV6 = 2

# Failures of the document-syntax rules inside a policy's settings that HNS reports as
# "invalid policy".
_AS_INVALID_POLICY = frozenset({R.DOC_FIELD_TYPE.id, R.IP_SYNTAX.id, R.ROUTE_PREFIX.id})


# -- policy lists --------------------------------------------------------------------------------
def _normalize_one(
    raw: object, scope: str, where: str, version: SimVersion, settings_optional: bool
) -> JsonObj:
    if not isinstance(raw, dict):
        violate(R.POLICY_SHAPE, f"{where}: a policy must be an object")
    policy = canon(raw, ["Type", "Settings"])
    given = policy.get("Type")
    if not isinstance(given, str) or given.lower() not in _BY_LOWER[scope]:
        violate(R.POLICY_TYPE, f"{where}.Type: {given!r} is not a known {scope} policy type")
    ptype = _BY_LOWER[scope][given.lower()]
    ranges = _GATES.get((scope, ptype))
    if ranges is not None:
        gate(R.POLICY_GATES, version, f"{where}.Type {ptype}", ranges)
    settings = policy.get("Settings")
    if settings is not None and not isinstance(settings, dict):
        violate(R.POLICY_SHAPE, f"{where}.Settings: want an object")
    out: JsonObj = {"Type": ptype}
    validator = _VALIDATORS.get((scope, ptype))
    if settings is None and settings_optional:
        return out
    if validator is not None:
        try:
            settings = validator(dict(settings or {}), f"{where}.Settings", version)
        except HnsFailure as exc:
            if exc.rule.id not in _AS_INVALID_POLICY:
                raise
            violate(_SETTINGS, exc.detail)
    if settings is not None:
        out["Settings"] = settings
    return out


def normalize_policies(
    raw: object, scope: str, where: str, version: SimVersion, settings_optional: bool = False
) -> list[JsonObj]:
    """Validate a policy list; returns ``[{"Type": canonical, "Settings": {...}}, ...]``."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an array of policies")
    return [
        _normalize_one(item, scope, f"{where}[{i}]", version, settings_optional)
        for i, item in enumerate(raw)
    ]


def _key(policy: JsonObj) -> str:
    return jsontext.dumps(policy, sort_keys=True)


def apply_request(existing: list[JsonObj], request: str, change: list[JsonObj]) -> list[JsonObj]:
    """The policy list after an ``Add``/``Remove``/``Update`` request (see the policy rules)."""
    if request == "Add":
        keys = {_key(p) for p in existing}
        for policy in change:
            if _key(policy) in keys:
                violate(R.POLICY_ADD_DUPLICATE, f"{policy['Type']} policy already exists")
            keys.add(_key(policy))
        return existing + change
    if request == "Remove":
        result = list(existing)
        for policy in change:
            if "Settings" in policy:
                matches = [p for p in result if _key(p) == _key(policy)][:1]
            else:
                matches = [p for p in result if p["Type"] == policy["Type"]]
            if not matches:
                violate(R.POLICY_REMOVE_ABSENT, f"no such {policy['Type']} policy to remove")
            result = [p for p in result if not any(p is m for m in matches)]
        return result
    if request == "Update":
        replaced = {p["Type"] for p in change}
        return [p for p in existing if p["Type"] not in replaced] + change
    violate(R.POLICY_REQUEST_TYPE, f"RequestType {request!r} is unsupported for policies")


def port_claims(policies: list[JsonObj]) -> list[PortClaim]:
    """The host ports an endpoint's ``PortMapping`` policies take."""
    claims = []
    for policy in policies:
        if policy["Type"] == "PortMapping" and "Settings" in policy:
            s = policy["Settings"]
            vip = any_vip(s.get("VIP"))
            family = vip_family(vip, bool((s.get("Flags") or 0) & _NAT_FLAG_IPV6))
            claims.append(PortClaim(s["Protocol"], s["ExternalPort"], vip, family))
    return claims
