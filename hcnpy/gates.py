"""Which version-gated HNS features a raw V2 JSON document needs.

The wire-level operations (:mod:`hcnpy.ops`) check these before sending, without importing
the typed models (``hcnpy.models.gates`` answers the same question for models but imports
attrs). The rules mirror that module's; keys are matched as Go's decoder matches them
(:mod:`hcnpy.jsonkeys`). ``API_V2`` is implied and never reported. Stdlib-only.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import jsonkeys
from .features import Feature

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = [
    "ENDPOINT_POLICY_FEATURES",
    "NETWORK_POLICY_FEATURES",
    "document_features",
    "policy_feature",
    "policy_features",
]

#: Endpoint policy ``Type`` -> the feature HNS needs to accept it.
ENDPOINT_POLICY_FEATURES: Mapping[str, Feature] = {
    "L4Proxy": Feature.L4_PROXY,
    "L4WFPPROXY": Feature.L4_WFP_PROXY,
    "TierAcl": Feature.TIER_ACL,
}

#: Network policy ``Type`` -> the feature HNS needs to accept it.
NETWORK_POLICY_FEATURES: Mapping[str, Feature] = {
    "RemoteSubnetRoute": Feature.REMOTE_SUBNET,
    "HostRoute": Feature.HOST_ROUTE,
    "VxlanPort": Feature.VXLAN_PORT,
    "SetPolicy": Feature.SET_POLICY,
    "L4Proxy": Feature.L4_PROXY,
    "NetworkACL": Feature.NETWORK_ACL,
}

_BY_KIND: Mapping[str, Mapping[str, Feature]] = {
    "endpoint": {k.lower(): v for k, v in ENDPOINT_POLICY_FEATURES.items()},
    "network": {k.lower(): v for k, v in NETWORK_POLICY_FEATURES.items()},
    "subnet": {},
}

_NETWORK_FLAG_DISABLE_HOST_PORT = 1024
_LB_FLAG_DSR = 1
_LB_FLAG_IPV6 = 2
_LB_SESSION_AFFINITY = (1, 2)  # SourceIPProtocol, SourceIP
_NAT_FLAG_IPV6 = 2


def _get(doc: Mapping[str, Any], key: str) -> Any:
    """``doc[key]`` matched as Go's decoder matches it (:mod:`hcnpy.jsonkeys`)."""
    return jsonkeys.get(doc, key)


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def policy_feature(kind: str, policy_type: str) -> Feature | None:
    """The feature a policy of ``policy_type`` needs on a ``kind`` object, or ``None``.

    ``kind`` is ``"Endpoint"``, ``"Network"`` or ``"Subnet"`` (case-insensitive).
    """
    return _BY_KIND.get(kind.lower(), {}).get(policy_type.lower())


def policy_features(kind: str, policies: Iterable[Mapping[str, Any]]) -> set[Feature]:
    """Every feature the ``{"Type": …, "Settings": …}`` policies need on a ``kind`` object."""
    needed: set[Feature] = set()
    for policy in policies:
        policy_type = _get(policy, "Type")
        if not isinstance(policy_type, str):
            continue
        feature = policy_feature(kind, policy_type)
        if feature is not None:
            needed.add(feature)
        settings = _get(policy, "Settings")
        if not isinstance(settings, Mapping):
            continue
        if feature is Feature.SET_POLICY:
            set_type = _get(settings, "PolicyType")
            if isinstance(set_type, str) and set_type.upper() == "NESTEDIPSET":
                needed.add(Feature.NESTED_IP_SET)
        needed |= _settings_features(policy_type.lower(), settings)
    return needed


def _settings_features(policy_type: str, settings: Mapping[str, Any]) -> set[Feature]:
    needed: set[Feature] = set()
    if policy_type in ("acl", "networkacl"):
        protocols = _get(settings, "Protocols")
        if isinstance(protocols, int):
            protocols = str(protocols)
        if isinstance(protocols, str) and "252" in protocols.replace(" ", "").split(","):
            needed.add(Feature.ACL_SUPPORT_FOR_PROTOCOL_252)
    elif policy_type in ("portmapping", "outboundnat"):
        address = _get(settings, "VIP" if policy_type == "portmapping" else "VirtualIP")
        if _int(_get(settings, "Flags")) & _NAT_FLAG_IPV6 or _is_ipv6(address):
            needed.add(Feature.IPV6_DUAL_STACK)
    elif policy_type == "sdnroute" and _route_is_ipv6(settings):
        needed.add(Feature.IPV6_DUAL_STACK)
    return needed


def _is_ipv6(text: Any) -> bool:
    return isinstance(text, str) and ":" in text


def _route_is_ipv6(route: Mapping[str, Any]) -> bool:
    return _is_ipv6(_get(route, "DestinationPrefix")) or _is_ipv6(_get(route, "NextHop"))


def _routes_features(routes: Any) -> set[Feature]:
    if any(_route_is_ipv6(r) for r in _mappings(routes)):
        return {Feature.IPV6_DUAL_STACK}
    return set()


def _network_features(doc: Mapping[str, Any]) -> set[Feature]:
    needed = policy_features("Network", _mappings(_get(doc, "Policies")))
    if _int(_get(doc, "Flags")) & _NETWORK_FLAG_DISABLE_HOST_PORT:
        needed.add(Feature.DISABLE_HOST_PORT)
    for ipam in _mappings(_get(doc, "Ipams")):
        for subnet in _mappings(_get(ipam, "Subnets")):
            if _is_ipv6(_get(subnet, "IpAddressPrefix")):
                needed.add(Feature.IPV6_DUAL_STACK)
            needed |= _routes_features(_get(subnet, "Routes"))
            needed |= policy_features("Subnet", _mappings(_get(subnet, "Policies")))
    return needed


def _endpoint_features(doc: Mapping[str, Any]) -> set[Feature]:
    needed = policy_features("Endpoint", _mappings(_get(doc, "Policies")))
    for config in _mappings(_get(doc, "IpConfigurations")):
        if _is_ipv6(_get(config, "IpAddress")):
            needed.add(Feature.IPV6_DUAL_STACK)
        elif _int(_get(config, "PrefixLength")) == 32:
            needed.add(Feature.SLASH32_ENDPOINT_PREFIXES)
    needed |= _routes_features(_get(doc, "Routes"))
    return needed


def _load_balancer_features(doc: Mapping[str, Any]) -> set[Feature]:
    needed: set[Feature] = set()
    flags = _int(_get(doc, "Flags"))
    if flags & _LB_FLAG_DSR:
        needed.add(Feature.DSR)
    vips = _get(doc, "FrontendVIPs")
    if (
        flags & _LB_FLAG_IPV6
        or _is_ipv6(_get(doc, "SourceVIP"))
        or any(_is_ipv6(v) for v in (vips if isinstance(vips, list) else []))
    ):
        needed.add(Feature.IPV6_DUAL_STACK)
    for mapping in _mappings(_get(doc, "PortMappings")):
        if _int(_get(mapping, "DistributionType")) in _LB_SESSION_AFFINITY:
            needed.add(Feature.SESSION_AFFINITY)
    return needed


def document_features(kind: str, doc: Mapping[str, Any]) -> set[Feature]:
    """Every feature a V2 document of ``kind`` needs.

    ``kind`` is an object kind name: ``"Network"``, ``"Endpoint"``, ``"LoadBalancer"``,
    ``"Namespace"`` or ``"SdnRoute"``.
    """
    lowered = kind.lower()
    if lowered == "sdnroute":
        routes = _get(doc, "Routes") or _get(doc, "Setting")
        return _routes_features(routes)
    if lowered == "network":
        return _network_features(doc)
    if lowered == "endpoint":
        return _endpoint_features(doc)
    if lowered == "loadbalancer":
        return _load_balancer_features(doc)
    return set()
