"""HNS service versions and the feature gates that depend on them.

HNS *service* versions (7.2 … 16.x) are unrelated to the JSON ``SchemaVersion`` (2.x).
Ranges are inclusive at both ends; the table is data so a wrong range is a one-line fix.
"""

from __future__ import annotations

import enum

from .errors import NotSupportedError
from .hnsversion import HnsVersion

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~2 ms per process
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "FEATURE_RANGES",
    "Feature",
    "FeatureNotSupported",
    "HnsVersion",
    "is_supported",
    "minimum_version",
    "require",
    "require_all",
    "supported_features",
]

_UNBOUNDED = 2**31 - 1


class Feature(enum.Enum):
    """Every feature gated on the HNS version; the value is its ``SupportedFeatures`` key."""

    ACL = "Acl"
    API_V2 = "Api.V2"
    REMOTE_SUBNET = "RemoteSubnet"
    HOST_ROUTE = "HostRoute"
    DSR = "DSR"
    SLASH32_ENDPOINT_PREFIXES = "Slash32EndpointPrefixes"
    ACL_SUPPORT_FOR_PROTOCOL_252 = "AclSupportForProtocol252"
    SESSION_AFFINITY = "SessionAffinity"
    IPV6_DUAL_STACK = "IPv6DualStack"
    SET_POLICY = "SetPolicy"
    VXLAN_PORT = "VxlanPort"
    L4_PROXY = "L4Proxy"
    L4_WFP_PROXY = "L4WfpProxy"
    TIER_ACL = "TierAcl"
    NETWORK_ACL = "NetworkACL"
    NESTED_IP_SET = "NestedIpSet"
    DISABLE_HOST_PORT = "DisableHostPort"
    MODIFY_LOADBALANCER = "ModifyLoadbalancer"
    ACCELNET = "Accelnet"


def _from(major: int, minor: int) -> tuple[HnsVersion, HnsVersion]:
    return (HnsVersion(major, minor), HnsVersion(_UNBOUNDED, _UNBOUNDED))


def _within(major: int, minor: int) -> tuple[HnsVersion, HnsVersion]:
    """From ``major.minor`` to the end of that major version."""
    return (HnsVersion(major, minor), HnsVersion(major, _UNBOUNDED))


#: Inclusive version ranges per feature (hcsshim HEAD; ModifyLoadbalancer follows hnslib).
FEATURE_RANGES: dict[Feature, tuple[tuple[HnsVersion, HnsVersion], ...]] = {
    Feature.ACL: (_from(7, 2),),
    Feature.API_V2: (_from(9, 2),),
    Feature.REMOTE_SUBNET: (_from(9, 2),),
    Feature.HOST_ROUTE: (_from(9, 2),),
    Feature.DSR: (_within(9, 3), _from(10, 2)),
    Feature.SLASH32_ENDPOINT_PREFIXES: (_within(9, 3), _from(10, 4)),
    Feature.ACL_SUPPORT_FOR_PROTOCOL_252: (_from(11, 0),),
    Feature.SESSION_AFFINITY: (_from(12, 0),),
    Feature.IPV6_DUAL_STACK: (_from(11, 10),),
    Feature.SET_POLICY: (_from(13, 0),),
    Feature.VXLAN_PORT: (_from(10, 3),),
    Feature.L4_PROXY: (
        _within(9, 5),
        _within(10, 5),
        _within(11, 11),
        _within(12, 1),
        _from(13, 1),
    ),
    Feature.L4_WFP_PROXY: (_from(13, 2),),
    Feature.TIER_ACL: (_from(14, 0),),
    Feature.NETWORK_ACL: (_from(15, 0),),
    Feature.NESTED_IP_SET: (_from(15, 0),),
    Feature.DISABLE_HOST_PORT: (_from(15, 1),),
    # hcsshim gates this on >= 15.4; hnslib (what Kubernetes vendors) narrowed it to
    # 15.5-15.max and >= 16.0 after in-place updates misbehaved on 15.4.
    Feature.MODIFY_LOADBALANCER: (_within(15, 5), _from(16, 0)),
    Feature.ACCELNET: (_from(15, 4),),
}


def is_supported(feature: Feature, version: HnsVersion) -> bool:
    """True when ``version`` falls inside one of ``feature``'s ranges."""
    return any(low <= version <= high for low, high in FEATURE_RANGES[feature])


def supported_features(version: HnsVersion) -> frozenset[Feature]:
    """Every feature HNS ``version`` supports."""
    return frozenset(f for f in Feature if is_supported(f, version))


def minimum_version(feature: Feature) -> HnsVersion:
    """The oldest HNS version that supports ``feature``."""
    return FEATURE_RANGES[feature][0][0]


class FeatureNotSupported(NotSupportedError):
    """The HNS on this host is too old (or otherwise lacks) a feature the request needs."""

    def __init__(self, feature: Feature, version: HnsVersion) -> None:
        from .hresult import HResult

        self.feature = feature
        self.version = version
        self.minimum = minimum_version(feature)
        ranges = ", ".join(_describe_range(r) for r in FEATURE_RANGES[feature])
        super().__init__(
            HResult.HCN_E_REQUEST_UNSUPPORTED,
            message=(
                f"HNS {version} does not support feature {feature.value}: "
                f"needs HNS {self.minimum} or newer (supported: {ranges})"
            ),
        )


def _describe_range(bounds: tuple[HnsVersion, HnsVersion]) -> str:
    low, high = bounds
    if high.major == _UNBOUNDED:
        return f">= {low}"
    if high.minor == _UNBOUNDED:
        return f"{low}-{high.major}.x"
    return f"{low}-{high}"


def require(feature: Feature, version: HnsVersion) -> None:
    """Raise :class:`FeatureNotSupported` unless ``version`` supports ``feature``."""
    if not is_supported(feature, version):
        raise FeatureNotSupported(feature, version)


def require_all(features: Iterable[Feature], version: HnsVersion) -> None:
    """:func:`require` each feature, in a stable order (the first missing one is raised)."""
    for feature in sorted(features, key=lambda f: f.value):
        require(feature, version)
