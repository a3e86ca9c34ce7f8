"""Endpoint, network and subnet policies: the type catalogue, validation and version gates."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..features import Feature, HnsVersion, is_supported, minimum_version
from ..gates import policy_feature
from ..hresult import HResult
from .addressing import parse_ip, parse_mac, parse_prefix
from .jsondoc import HnsFailure, JsonObj, canon, fail, opt_bool, opt_int, opt_list, opt_str
from .ports import PortClaim, any_vip, vip_family

__all__ = [
    "POLICY_TYPES",
    "apply_request",
    "normalize_policies",
    "port_claims",
    "required_feature",
]

#: Every policy type the simulator knows, per scope (the canonical spelling is echoed back).
POLICY_TYPES: dict[str, tuple[str, ...]] = {
    "endpoint": (
        "PortMapping", "ACL", "QOS", "L2Driver", "OutBoundNAT", "SDNRoute", "L4Proxy",
        "L4WFPPROXY", "PortName", "EncapOverhead", "Iov", "ProviderAddress",
        "InterfaceConstraint", "TierAcl", "Encryption", "VLAN", "InterfaceParameters",
    ),
    "network": (
        "SourceMacAddress", "NetAdapterName", "VSwitchExtension", "DrMacAddress", "AutomaticDNS",
        "InterfaceConstraint", "ProviderAddress", "RemoteSubnetRoute", "VxlanPort", "HostRoute",
        "SetPolicy", "L4Proxy", "LayerConstraint", "NetworkACL",
    ),
    "subnet": ("VLAN", "VSID"),
}  # fmt: skip
_BY_LOWER = {scope: {t.lower(): t for t in types} for scope, types in POLICY_TYPES.items()}

def required_feature(scope: str, policy_type: str) -> Feature | None:
    """The feature a policy type needs: the project's one table, :mod:`hcnpy.gates`.

    That module is stdlib-only, so the engine (loaded into every plugin process) stays light.
    """
    return policy_feature(scope, policy_type)


# -- settings validators -------------------------------------------------------------------------
Validator = Callable[[JsonObj, str, HnsVersion], JsonObj]


def _choice(doc: JsonObj, key: str, where: str, values: tuple[str, ...], required: bool) -> None:
    value = opt_str(doc, key, where)
    if value is None:
        if required:
            fail(HResult.HCN_E_INVALID_POLICY, f"{where}.{key} is required ({'|'.join(values)})")
        return
    for allowed in values:
        if allowed.lower() == value.lower():
            doc[key] = allowed
            return
    fail(HResult.HCN_E_INVALID_POLICY, f"{where}.{key}: {value!r} is not one of {values}")


def _port_mapping(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, ["Protocol", "InternalPort", "ExternalPort", "VIP", "Flags"])
    protocol = s.get("Protocol", 6)
    if isinstance(protocol, str):
        protocol = {"tcp": 6, "udp": 17, "6": 6, "17": 17}.get(protocol.strip().lower(), protocol)
    if protocol not in (6, 17) or isinstance(protocol, bool):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.Protocol: {protocol!r} is not 6 (TCP) or 17")
    s["Protocol"] = protocol
    internal = opt_int(s, "InternalPort", where, 0, 65535)
    if not internal:
        fail(HResult.HCN_E_INVALID_INTERNAL_PORT, f"{where}.InternalPort is missing or zero")
    if not opt_int(s, "ExternalPort", where, 0, 65535):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.ExternalPort (the host port) is missing")
    if s.get("VIP"):
        s["VIP"] = str(parse_ip(s["VIP"], f"{where}.VIP"))
    opt_int(s, "Flags", where)
    return s


_ACL_KEYS = (
    "Id", "Protocols", "Action", "Direction", "LocalAddresses", "RemoteAddresses",
    "LocalPorts", "RemotePorts", "RuleType", "Priority",
)  # fmt: skip


def _acl(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, _ACL_KEYS)
    _choice(s, "Action", where, ("Allow", "Block", "Pass"), required=True)
    _choice(s, "Direction", where, ("In", "Out"), required=True)
    _choice(s, "RuleType", where, ("Host", "Switch"), required=False)
    opt_int(s, "Priority", where, 0, 65535)
    for key in ("Id", "LocalAddresses", "RemoteAddresses", "LocalPorts", "RemotePorts"):
        opt_str(s, key, where)
    protocols = opt_str(s, "Protocols", where) or ""
    if "252" in (p.strip() for p in protocols.split(",")) and not is_supported(
        Feature.ACL_SUPPORT_FOR_PROTOCOL_252, version
    ):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}: protocol 252 needs HNS 11.0 or newer")
    return s


def _qos(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, ["MaximumOutgoingBandwidthInBytes"])
    if opt_int(s, "MaximumOutgoingBandwidthInBytes", where, 0, 2**64 - 1) is None:
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.MaximumOutgoingBandwidthInBytes is required")
    return s


def _outbound_nat(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, ["VirtualIP", "Exceptions", "Destinations", "Flags", "MaxPortPoolUsage"])
    if s.get("VirtualIP"):
        s["VirtualIP"] = str(parse_ip(s["VirtualIP"], f"{where}.VirtualIP"))
    for key in ("Exceptions", "Destinations"):
        if not all(isinstance(item, str) for item in opt_list(s, key, where)):
            fail(HResult.HCN_E_INVALID_POLICY, f"{where}.{key}: want strings")
    opt_int(s, "Flags", where)
    opt_int(s, "MaxPortPoolUsage", where, 0, 65535)
    return s


def _sdn_route(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, ["DestinationPrefix", "NextHop", "NeedEncap"])
    if s.get("DestinationPrefix"):
        parse_prefix(s["DestinationPrefix"], f"{where}.DestinationPrefix", strict=False)
    if s.get("NextHop"):
        parse_ip(s["NextHop"], f"{where}.NextHop")
    opt_bool(s, "NeedEncap", where)
    return s


def _required_int(key: str, high: int, low: int = 0) -> Validator:
    def check(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
        s = canon(s, [key])
        if opt_int(s, key, where, low, high) is None:
            fail(HResult.HCN_E_INVALID_POLICY, f"{where}.{key} is required")
        return s

    return check


def _optional_int(key: str, high: int) -> Validator:
    def check(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
        s = canon(s, [key])
        opt_int(s, key, where, 0, high)
        return s

    return check


def _address(key: str, kind: str) -> Validator:
    def check(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
        s = canon(s, [key])
        if kind == "ip":
            s[key] = str(parse_ip(s.get(key), f"{where}.{key}"))
        else:
            parse_mac(s.get(key), f"{where}.{key}", HResult.HCN_E_INVALID_POLICY)
        return s

    return check


def _remote_subnet_route(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    keys = ["DestinationPrefix", "IsolationId", "ProviderAddress", "DistributedRouterMacAddress"]
    s = canon(s, keys)
    parse_prefix(s.get("DestinationPrefix"), f"{where}.DestinationPrefix", strict=False)
    if opt_int(s, "IsolationId", where) is None:
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.IsolationId is required")
    parse_ip(s.get("ProviderAddress"), f"{where}.ProviderAddress")
    parse_mac(
        s.get("DistributedRouterMacAddress"),
        f"{where}.DistributedRouterMacAddress",
        HResult.HCN_E_INVALID_POLICY,
    )
    return s


def _set_policy(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, ["Id", "Name", "PolicyType", "Values"])
    for key in ("Id", "Name"):
        if not opt_str(s, key, where):
            fail(HResult.HCN_E_INVALID_POLICY, f"{where}.{key} is required")
    opt_str(s, "Values", where)
    _choice(s, "PolicyType", where, ("IPSET", "NESTEDIPSET"), required=True)
    if s["PolicyType"] == "NESTEDIPSET" and not is_supported(Feature.NESTED_IP_SET, version):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}: NESTEDIPSET needs HNS 15.0 or newer")
    return s


def _automatic_dns(s: JsonObj, where: str, version: HnsVersion) -> JsonObj:
    s = canon(s, ["Enable"])
    opt_bool(s, "Enable", where)
    return s


_VALIDATORS: dict[tuple[str, str], Validator] = {
    ("endpoint", "PortMapping"): _port_mapping,
    ("endpoint", "ACL"): _acl,
    ("network", "NetworkACL"): _acl,
    ("endpoint", "QOS"): _qos,
    ("endpoint", "OutBoundNAT"): _outbound_nat,
    ("endpoint", "SDNRoute"): _sdn_route,
    ("endpoint", "EncapOverhead"): _optional_int("Overhead", 65535),
    ("endpoint", "InterfaceParameters"): _optional_int("Mtu", 65535),
    ("endpoint", "VLAN"): _required_int("IsolationId", 2**32 - 1),
    ("subnet", "VLAN"): _required_int("IsolationId", 2**32 - 1),
    ("subnet", "VSID"): _required_int("IsolationId", 2**32 - 1),
    ("endpoint", "ProviderAddress"): _address("ProviderAddress", "ip"),
    ("network", "ProviderAddress"): _address("ProviderAddress", "ip"),
    ("network", "SourceMacAddress"): _address("SourceMacAddress", "mac"),
    ("network", "DrMacAddress"): _address("Address", "mac"),
    ("network", "RemoteSubnetRoute"): _remote_subnet_route,
    ("network", "VxlanPort"): _required_int("Port", 65535, low=1),
    ("network", "SetPolicy"): _set_policy,
    ("network", "AutomaticDNS"): _automatic_dns,
}


_NAT_FLAG_IPV6 = 2

# Failures inside a policy's settings that HNS reports as "invalid policy".
_MALFORMED = frozenset(
    [HResult.HCN_E_INVALID_JSON, HResult.HCN_E_INVALID_IP, HResult.HCN_E_INVALID_PREFIX,
     HResult.HCN_E_INVALID_SUBNET, HResult.HCN_E_GUID_CONVERSION_FAILURE]
)  # fmt: skip


# -- policy lists --------------------------------------------------------------------------------
def _normalize_one(
    raw: object, scope: str, where: str, version: HnsVersion, settings_optional: bool
) -> JsonObj:
    if not isinstance(raw, dict):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}: a policy must be an object")
    policy = canon(raw, ["Type", "Settings"])
    given = policy.get("Type")
    if not isinstance(given, str) or given.lower() not in _BY_LOWER[scope]:
        fail(HResult.HCN_E_INVALID_POLICY_TYPE, f"{where}.Type: {given!r} is not a {scope} policy")
    ptype = _BY_LOWER[scope][given.lower()]
    feature = required_feature(scope, ptype)
    if feature is not None and not is_supported(feature, version):
        fail(
            HResult.HCN_E_INVALID_POLICY_TYPE,
            f"{where}.Type: {ptype} needs HNS {minimum_version(feature)} or newer "
            f"(feature {feature.value}); the simulated HNS is {version}",
        )
    settings = policy.get("Settings")
    if settings is not None and not isinstance(settings, dict):
        fail(HResult.HCN_E_INVALID_POLICY, f"{where}.Settings: want an object")
    out: JsonObj = {"Type": ptype}
    validator = _VALIDATORS.get((scope, ptype))
    if settings is None and settings_optional:
        return out
    if validator is not None:
        try:
            settings = validator(dict(settings or {}), f"{where}.Settings", version)
        except HnsFailure as exc:
            if exc.hresult not in _MALFORMED:
                raise
            fail(HResult.HCN_E_INVALID_POLICY, exc.message)
    if settings is not None:
        out["Settings"] = settings
    return out


def normalize_policies(
    raw: object, scope: str, where: str, version: HnsVersion, settings_optional: bool = False
) -> list[JsonObj]:
    """Validate a policy list; returns ``[{"Type": canonical, "Settings": {...}}, ...]``.

    Unknown types (and types the simulated version lacks) -> ``HCN_E_INVALID_POLICY_TYPE``;
    malformed settings -> ``HCN_E_INVALID_POLICY`` (or a more specific code).
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: want an array of policies")
    return [
        _normalize_one(item, scope, f"{where}[{i}]", version, settings_optional)
        for i, item in enumerate(raw)
    ]


def _key(policy: JsonObj) -> str:
    return json.dumps(policy, sort_keys=True)


def apply_request(existing: list[JsonObj], request: str, change: list[JsonObj]) -> list[JsonObj]:
    """The policy list after an ``Add``/``Remove``/``Update`` request.

    ``Add`` of an identical policy -> ``HCN_E_POLICY_ALREADY_EXISTS``; ``Remove`` of one that is
    not there -> ``HCN_E_POLICY_NOT_FOUND`` (a policy without ``Settings`` removes every policy
    of its type); ``Update`` replaces every policy of each type it names.
    """
    if request == "Add":
        keys = {_key(p) for p in existing}
        for policy in change:
            if _key(policy) in keys:
                fail(HResult.HCN_E_POLICY_ALREADY_EXISTS, f"{policy['Type']} policy already exists")
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
                fail(HResult.HCN_E_POLICY_NOT_FOUND, f"no such {policy['Type']} policy to remove")
            result = [p for p in result if not any(p is m for m in matches)]
        return result
    if request == "Update":
        replaced = {p["Type"] for p in change}
        return [p for p in existing if p["Type"] not in replaced] + change
    fail(HResult.HCN_E_REQUEST_UNSUPPORTED, f"RequestType {request!r} is unsupported for policies")


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
