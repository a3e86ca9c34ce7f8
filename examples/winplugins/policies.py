"""HCN policy documents: builders for the ones the plugins generate, and V1 -> V2 conversion.

A policy is a plain dict in the HCN V2 shape ``{"Type": str, "Settings": {...}}`` (``Settings``
omitted when there are none), ready to be put in an endpoint's or network's ``Policies``.

Users pass extra policies in ``AdditionalArgs`` (WCN, Azure CNI) or ``policies``
(containernetworking's win-bridge/win-overlay). Values may be V2 objects or the older V1 "flat"
objects, which :func:`normalize` converts (``ExceptionList`` -> ``Exceptions``, ``ROUTE`` ->
``SDNRoute``, ``PA`` -> ``ProviderAddress``, …) instead of silently dropping their settings as
the reference plugin does.
"""

from __future__ import annotations

from collections.abc import Mapping

from hcnpy import cni, jsonkeys, jsontext

from .errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypeAlias

__all__ = [
    "ACL_PORT_MAPPING_PRIORITY",
    "PROTOCOL_NAMES",
    "Policy",
    "apply_loopback_dsr",
    "apply_outbound_nat_exception",
    "apply_provider_address",
    "canonical",
    "normalize",
    "policies_match",
    "port_mapping_acl",
    "protocol_number",
]

Policy: TypeAlias = "dict[str, Any]"

#: The priority of the inbound Allow ACL added per port mapping with ``allowAclPortMapping``.
ACL_PORT_MAPPING_PRIORITY = 1000

# Canonical spelling of every V2 policy type HCN knows (endpoint, network and subnet types).
_V2_TYPES = {
    name.lower(): name
    for name in (
        "PortMapping", "ACL", "QOS", "L2Driver", "OutBoundNAT", "SDNRoute", "L4Proxy",
        "L4WFPPROXY", "PortName", "EncapOverhead", "Iov", "ProviderAddress",
        "InterfaceConstraint", "TierAcl", "Encryption", "VLAN", "InterfaceParameters",
        "SourceMacAddress", "NetAdapterName", "VSwitchExtension", "DrMacAddress",
        "AutomaticDNS", "RemoteSubnetRoute", "VxlanPort", "HostRoute", "SetPolicy",
        "LayerConstraint", "NetworkACL", "VSID",
    )
}  # fmt: skip

# V1 type -> (V2 type, {V1 settings key (lower case) -> V2 settings key}).
_V1_CONVERSIONS: dict[str, tuple[str, dict[str, str]]] = {
    "outboundnat": (
        "OutBoundNAT",
        {"exceptionlist": "Exceptions", "vip": "VirtualIP", "destinations": "Destinations"},
    ),
    "route": ("SDNRoute", {"destinationprefix": "DestinationPrefix", "nexthop": "NextHop",
                           "needencap": "NeedEncap"}),
    "pa": ("ProviderAddress", {"pa": "ProviderAddress"}),
    "nat": ("PortMapping", {"internalport": "InternalPort", "externalport": "ExternalPort",
                            "protocol": "Protocol", "vip": "VIP", "flags": "Flags"}),
    "acl": ("ACL", {"protocols": "Protocols", "protocol": "Protocols", "action": "Action",
                    "direction": "Direction", "localaddresses": "LocalAddresses",
                    "remoteaddresses": "RemoteAddresses", "localports": "LocalPorts",
                    "localport": "LocalPorts", "remoteports": "RemotePorts",
                    "remoteport": "RemotePorts", "ruletype": "RuleType", "priority": "Priority",
                    "id": "Id"}),
    "qos": ("QOS", {"maximumoutgoingbandwidthinbytes": "MaximumOutgoingBandwidthInBytes"}),
}  # fmt: skip


#: Protocol names accepted in port mappings: the reference's (no ``sctp``; its number is).
PROTOCOL_NAMES = {name: number for name, number in cni.PROTOCOLS.items() if name != "sctp"}


def protocol_number(value: Any, path: str) -> int:
    """An IP protocol number from a name (``tcp``, ``udp``, ``icmpv4``, ``icmp``,
    ``icmpv6``, ``igmp``), a numeric string (``"6"``, ``"0x11"``) or a number; a missing
    protocol means TCP (:func:`hcnpy.cni.protocol_number`). :class:`ConfigError` names
    ``path`` otherwise."""
    try:
        return cni.protocol_number(value, PROTOCOL_NAMES)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _canonical_type(kind: str) -> str:
    return _V2_TYPES.get(kind.lower(), kind)


def normalize(value: Any, path: str) -> Policy:
    """Turn an ``AdditionalArgs``/``policies`` value into a V2 policy.

    * ``{"Type": T, "Settings": {...}}`` (V2) is kept, with ``T`` spelled canonically;
    * a flat V1 object ``{"Type": T, <fields>}`` becomes ``{"Type": T2, "Settings": {fields}}``
      with the known renames applied; unknown V1 types keep their fields unchanged.

    Anything that is not such an object raises :class:`ConfigError` (the reference panics).
    """
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{path}: a policy must be a JSON object with a Type, got {_short(value)}"
        )
    fields = {str(k): v for k, v in value.items()}
    kind = jsonkeys.get(fields, "Type")
    if not isinstance(kind, str) or not kind.strip():
        raise ConfigError(
            f"{path}.Type: a policy needs a non-empty string Type, got {_short(kind)}"
        )
    kind = kind.strip()
    if jsonkeys.has(fields, "Settings"):
        settings = jsonkeys.get(fields, "Settings", {})
        if not isinstance(settings, Mapping):
            raise ConfigError(f"{path}.Settings: expected a JSON object, got {_short(settings)}")
        policy: Policy = {"Type": _canonical_type(kind)}
        if settings:
            policy["Settings"] = dict(settings)
        return policy
    fields = jsonkeys.without(fields, ["Type"])
    return _from_v1(kind, fields, path)


def _from_v1(kind: str, fields: dict[str, Any], path: str) -> Policy:
    v2_type, renames = _V1_CONVERSIONS.get(kind.lower(), (_canonical_type(kind), {}))
    settings: dict[str, Any] = {}
    for key, val in fields.items():
        if val is None:
            continue
        settings[renames.get(key.lower(), key)] = val
    if v2_type == "PortMapping" and "Protocol" in settings:
        settings["Protocol"] = protocol_number(settings["Protocol"], f"{path}.Protocol")
    if v2_type == "ACL":
        for key in ("Protocols", "LocalPorts", "RemotePorts"):
            if key in settings and isinstance(settings[key], int):
                settings[key] = str(settings[key])
    policy: Policy = {"Type": v2_type}
    if settings:
        policy["Settings"] = settings
    return policy


def _short(value: Any) -> str:
    try:
        text = jsontext.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def port_mapping_acl(container_port: int, protocol: int) -> Policy:
    """The inbound Allow ACL added for a port mapping when ``allowAclPortMapping`` is set."""
    return {
        "Type": "ACL",
        "Settings": {
            "Protocols": str(protocol),
            "Action": "Allow",
            "Direction": "In",
            "LocalPorts": str(container_port),
            "Priority": ACL_PORT_MAPPING_PRIORITY,
        },
    }


def _settings_list(policy: Mapping[str, Any], key: str) -> list[Any]:
    settings = policy.get("Settings")
    if not isinstance(settings, Mapping):
        return []
    value = settings.get(key)
    return value if isinstance(value, list) else []


def _is(policy: Mapping[str, Any], kind: str) -> bool:
    value = policy.get("Type")
    return isinstance(value, str) and value.lower() == kind.lower()


def apply_outbound_nat_exception(existing: list[Policy], cidr: str) -> list[Policy]:
    """Ensure some OutBoundNAT policy excepts ``cidr``; otherwise append a new one.

    Existing policies are never merged into (two CIDRs give two policies); an OutBoundNAT
    without an exception list does not count; an empty ``cidr`` changes nothing.
    """
    if not cidr:
        return list(existing)
    for policy in existing:
        if _is(policy, "OutBoundNAT") and cidr in _settings_list(policy, "Exceptions"):
            return list(existing)
    return [*existing, {"Type": "OutBoundNAT", "Settings": {"Exceptions": [cidr]}}]


def apply_loopback_dsr(existing: list[Policy], ip: str) -> list[Policy]:
    """Ensure an OutBoundNAT ``Destinations: [ip]`` policy (loopback DSR) for a real address.

    An empty ``ip`` changes nothing: the reference wrote the string ``"<nil>"`` there.
    """
    if not ip:
        return list(existing)
    for policy in existing:
        if _is(policy, "OutBoundNAT") and ip in _settings_list(policy, "Destinations"):
            return list(existing)
    return [*existing, {"Type": "OutBoundNAT", "Settings": {"Destinations": [ip]}}]


def apply_provider_address(existing: list[Policy], address: str) -> list[Policy]:
    """Ensure a ``ProviderAddress`` policy for ``address`` (no duplicate if already present)."""
    if not address:
        return list(existing)
    for policy in existing:
        settings = policy.get("Settings")
        if (
            _is(policy, "ProviderAddress")
            and isinstance(settings, Mapping)
            and settings.get("ProviderAddress") == address
        ):
            return list(existing)
    return [*existing, {"Type": "ProviderAddress", "Settings": {"ProviderAddress": address}}]


def _canon_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        out = {}
        for key, val in value.items():
            canon = _canon_value(val)
            if canon in (None, "", [], {}, "0", "false"):
                continue  # HCN omits zero values (omitempty); absent and zero are the same
            out[str(key).lower()] = canon
        return out
    if isinstance(value, list):
        items = [_canon_value(v) for v in value]
        return sorted(items, key=lambda v: jsontext.dumps(v, sort_keys=True))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return None
    return str(value).lower()


def canonical(policy: Mapping[str, Any]) -> str:
    """A comparison key for a policy: type and settings compared by meaning, not bytes.

    Key case, key order, list order, number-vs-numeric-string and omitted-vs-zero do not
    matter; every value does.
    """
    fields = {str(k).lower(): v for k, v in policy.items()}
    kind = fields.get("type")
    settings = fields.get("settings")
    return jsontext.dumps(
        {"type": str(kind).lower(), "settings": _canon_value(settings or {})}, sort_keys=True
    )


def policies_match(
    expected: Iterable[Mapping[str, Any]], actual: Iterable[Mapping[str, Any]]
) -> bool:
    """True when ``actual`` holds exactly the ``expected`` policies (as a multiset, by meaning)."""
    return sorted(map(canonical, expected)) == sorted(map(canonical, actual))
