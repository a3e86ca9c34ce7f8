"""Which HNS features a model needs: the one table of gated policies, flags and addresses.

HNS rejects (or silently ignores) policies and flags that are newer than the host's HNS
service. :func:`required_features` lists what an object needs so the client and the
simulated HNS can check it against :func:`hcnpy.features.require` before sending.
``API_V2`` is implied by every V2 object and is not reported.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from .. import gates as wire_gates
from .policies.base import EndpointPolicy, NetworkPolicy, PolicyKind, SubnetPolicy

if TYPE_CHECKING:
    from ..features import Feature

__all__ = ["POLICY_FEATURES", "policy_feature", "required_features"]

#: (policy kind, policy type) → name of the :class:`~hcnpy.features.Feature` it needs.
#: Derived from the stdlib-only table in :mod:`hcnpy.gates`, the one place gated types live.
POLICY_FEATURES: Final[Mapping[tuple[PolicyKind, str], str]] = {
    **{("endpoint", t): f.name for t, f in wire_gates.ENDPOINT_POLICY_FEATURES.items()},
    **{("network", t): f.name for t, f in wire_gates.NETWORK_POLICY_FEATURES.items()},
}

_KINDS: Final = ("endpoint", "network", "subnet")


def _feature(name: str) -> "Feature":
    from ..features import Feature

    return Feature[name]


def policy_feature(kind: str, policy_type: str) -> "Feature | None":
    """The feature a policy of ``kind`` (``endpoint``/``network``/``subnet``) and type needs.

    Works on raw wire data; ``policy_type`` is matched ignoring case. A ``SetPolicy`` of
    ``PolicyType`` ``NESTEDIPSET`` additionally needs ``NESTED_IP_SET``;
    :func:`required_features` reports that, this function cannot (it sees no settings).
    """
    if kind not in _KINDS:
        raise ValueError(f"policy kind must be one of {', '.join(_KINDS)}: {kind!r}")
    return wire_gates.policy_feature(kind, str(policy_type))


def _is_v6(address: object) -> bool:
    return isinstance(address, str) and ":" in address


def _any_v6(addresses: Iterable[object]) -> bool:
    return any(_is_v6(a) for a in addresses)


def _csv_items(value: object) -> list[str]:
    return [p.strip() for p in value.split(",")] if isinstance(value, str) else []


def _network(obj: Any, found: set[str]) -> None:
    from .network import NetworkFlags

    if obj.flags & NetworkFlags.DISABLE_HOST_PORT:
        found.add("DISABLE_HOST_PORT")


def _subnet(obj: Any, found: set[str]) -> None:
    if _is_v6(obj.ip_address_prefix):
        found.add("IPV6_DUAL_STACK")


def _route(obj: Any, found: set[str]) -> None:
    if _is_v6(obj.destination_prefix) or _is_v6(obj.next_hop):
        found.add("IPV6_DUAL_STACK")


def _ip_config(obj: Any, found: set[str]) -> None:
    if _is_v6(obj.ip_address):
        found.add("IPV6_DUAL_STACK")
    elif obj.prefix_length == 32:
        found.add("SLASH32_ENDPOINT_PREFIXES")


def _load_balancer(obj: Any, found: set[str]) -> None:
    from .loadbalancer import LoadBalancerFlags

    if obj.flags & LoadBalancerFlags.DSR:
        found.add("DSR")
    if obj.flags & LoadBalancerFlags.IPV6 or _is_v6(obj.source_vip) or _any_v6(obj.frontend_vips):
        found.add("IPV6_DUAL_STACK")


def _lb_port_mapping(obj: Any, found: set[str]) -> None:
    from .loadbalancer import LoadBalancerDistribution

    if obj.distribution_type in (
        LoadBalancerDistribution.SOURCE_IP,
        LoadBalancerDistribution.SOURCE_IP_PROTOCOL,
    ):
        found.add("SESSION_AFFINITY")


def _set_policy(obj: Any, found: set[str]) -> None:
    from .policies.network import SetPolicyType

    if obj.policy_type == SetPolicyType.NESTED_IPSET:
        found.add("NESTED_IP_SET")


def _acl(obj: Any, found: set[str]) -> None:
    if "252" in _csv_items(obj.protocols):
        found.add("ACL_SUPPORT_FOR_PROTOCOL_252")


def _nat(address_field: str) -> Any:
    def check(obj: Any, found: set[str]) -> None:
        from .policies.endpoint import NatFlags

        if obj.flags & NatFlags.IPV6 or _is_v6(getattr(obj, address_field)):
            found.add("IPV6_DUAL_STACK")

    return check


#: Model class name → check of the features that object itself needs (children are walked).
_CHECKS: Final[Mapping[str, Any]] = {
    "Network": _network,
    "Subnet": _subnet,
    "Route": _route,
    "SDNRoutePolicySetting": _route,
    "IpConfig": _ip_config,
    "LoadBalancer": _load_balancer,
    "LoadBalancerPortMapping": _lb_port_mapping,
    "SetPolicySetting": _set_policy,
    "AclPolicySetting": _acl,
    "NetworkACLPolicySetting": _acl,
    "PortMappingPolicySetting": _nat("vip"),
    "OutboundNatPolicySetting": _nat("virtual_ip"),
}


def _own_features(obj: Any, found: set[str]) -> None:
    """Features needed by ``obj`` itself (not its children)."""
    if isinstance(obj, EndpointPolicy | NetworkPolicy | SubnetPolicy):
        kind: PolicyKind = (
            "endpoint"
            if isinstance(obj, EndpointPolicy)
            else "network"
            if isinstance(obj, NetworkPolicy)
            else "subnet"
        )
        name = POLICY_FEATURES.get((kind, str(obj.type)))
        if name is not None:
            found.add(name)
        return
    check = _CHECKS.get(type(obj).__name__)
    if check is not None and type(obj).__module__.startswith("hcnpy."):
        check(obj, found)


def _walk(obj: object, found: set[str]) -> None:
    if isinstance(obj, tuple | list):
        for item in obj:
            _walk(item, found)
        return
    cls = type(obj)
    if not attrs.has(cls):
        return
    _own_features(obj, found)
    for field in attrs.fields(cls):
        if field.name != "unknown_fields":
            _walk(getattr(obj, field.name), found)


def required_features(obj: object) -> "set[Feature]":
    """Every HNS feature ``obj`` (a network, endpoint, load balancer, route, request, policy
    or settings object; nested contents included) needs beyond the V2 API itself."""
    found: set[str] = set()
    _walk(obj, found)
    return {_feature(name) for name in found}
