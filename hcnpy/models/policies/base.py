"""Policy envelopes (``{"Type", "Settings"}``), policy type enums and the type → settings table.

Settings classes live in per-kind modules that are imported only when a policy of that kind is
built or decoded, so reading a network does not pay for the endpoint policy classes.
"""

import importlib
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeVar

import attrs

from .._base import Model, StrWireEnum, wire

__all__ = [
    "EndpointPolicy",
    "EndpointPolicyType",
    "NetworkPolicy",
    "NetworkPolicyType",
    "PolicyKind",
    "PolicySetting",
    "SubnetPolicy",
    "SubnetPolicyType",
    "policy_type_for",
    "settings_class",
]

PolicyKind = Literal["endpoint", "network", "subnet"]


class EndpointPolicyType(StrWireEnum):
    """Endpoint policy types (hcsshim's list plus Microsoft's ``VLAN``/``InterfaceParameters``)."""

    PORT_MAPPING = "PortMapping"
    ACL = "ACL"
    QOS = "QOS"
    L2_DRIVER = "L2Driver"
    OUTBOUND_NAT = "OutBoundNAT"
    SDN_ROUTE = "SDNRoute"
    L4_PROXY = "L4Proxy"
    L4_WFP_PROXY = "L4WFPPROXY"
    PORT_NAME = "PortName"
    ENCAP_OVERHEAD = "EncapOverhead"
    IOV = "Iov"
    PROVIDER_ADDRESS = "ProviderAddress"
    INTERFACE_CONSTRAINT = "InterfaceConstraint"
    TIER_ACL = "TierAcl"
    VLAN = "VLAN"
    INTERFACE_PARAMETERS = "InterfaceParameters"


class NetworkPolicyType(StrWireEnum):
    """Network policy types."""

    SOURCE_MAC_ADDRESS = "SourceMacAddress"
    NET_ADAPTER_NAME = "NetAdapterName"
    VSWITCH_EXTENSION = "VSwitchExtension"
    DR_MAC_ADDRESS = "DrMacAddress"
    AUTOMATIC_DNS = "AutomaticDNS"
    INTERFACE_CONSTRAINT = "InterfaceConstraint"
    PROVIDER_ADDRESS = "ProviderAddress"
    REMOTE_SUBNET_ROUTE = "RemoteSubnetRoute"
    VXLAN_PORT = "VxlanPort"
    HOST_ROUTE = "HostRoute"
    SET_POLICY = "SetPolicy"
    L4_PROXY = "L4Proxy"
    LAYER_CONSTRAINT = "LayerConstraint"
    NETWORK_ACL = "NetworkACL"


class SubnetPolicyType(StrWireEnum):
    """Subnet policy types."""

    VLAN = "VLAN"
    VSID = "VSID"


_EP: Final = "hcnpy.models.policies.endpoint"
_NET: Final = "hcnpy.models.policies.network"
_ACL: Final = "hcnpy.models.policies.acl"
_PROXY: Final = "hcnpy.models.policies.proxy"
_SHARED: Final = "hcnpy.models.policies.shared"

#: (kind, policy type) → (module, settings class name). The one table of typed settings.
SETTINGS_TABLE: Final[Mapping[PolicyKind, Mapping[str, tuple[str, str]]]] = {
    "endpoint": {
        "PortMapping": (_EP, "PortMappingPolicySetting"),
        "ACL": (_ACL, "AclPolicySetting"),
        "QOS": (_EP, "QosPolicySetting"),
        "L2Driver": (_EP, "L2DriverPolicySetting"),
        "OutBoundNAT": (_EP, "OutboundNatPolicySetting"),
        "SDNRoute": (_SHARED, "SDNRoutePolicySetting"),
        "L4Proxy": (_PROXY, "L4ProxyPolicySetting"),
        "L4WFPPROXY": (_PROXY, "L4WfpProxyPolicySetting"),
        "PortName": (_EP, "PortnameEndpointPolicySetting"),
        "EncapOverhead": (_EP, "EncapOverheadEndpointPolicySetting"),
        "Iov": (_EP, "IovPolicySetting"),
        "ProviderAddress": (_EP, "ProviderAddressEndpointPolicySetting"),
        "InterfaceConstraint": (_SHARED, "InterfaceConstraintPolicySetting"),
        "TierAcl": (_ACL, "TierAclPolicySetting"),
        "VLAN": (_SHARED, "VlanPolicySetting"),
        "InterfaceParameters": (_EP, "InterfaceParametersPolicySetting"),
    },
    "network": {
        "SourceMacAddress": (_NET, "SourceMacAddressNetworkPolicySetting"),
        "NetAdapterName": (_NET, "NetAdapterNameNetworkPolicySetting"),
        "VSwitchExtension": (_NET, "VSwitchExtensionNetworkPolicySetting"),
        "DrMacAddress": (_NET, "DrMacAddressNetworkPolicySetting"),
        "AutomaticDNS": (_NET, "AutomaticDNSNetworkPolicySetting"),
        "InterfaceConstraint": (_SHARED, "InterfaceConstraintPolicySetting"),
        "ProviderAddress": (_NET, "ProviderAddressNetworkPolicySetting"),
        "RemoteSubnetRoute": (_NET, "RemoteSubnetRoutePolicySetting"),
        "VxlanPort": (_NET, "VxlanPortPolicySetting"),
        "HostRoute": (_NET, "HostRoutePolicySetting"),
        "SetPolicy": (_NET, "SetPolicySetting"),
        "L4Proxy": (_PROXY, "L4ProxyPolicySetting"),
        "LayerConstraint": (_NET, "LayerConstraintNetworkPolicySetting"),
        "NetworkACL": (_ACL, "NetworkACLPolicySetting"),
    },
    "subnet": {
        "VLAN": (_SHARED, "VlanPolicySetting"),
        "VSID": (_SHARED, "VsidPolicySetting"),
    },
}


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class PolicySetting(Model):
    """Base class of every typed policy settings class."""


def settings_class(kind: PolicyKind, policy_type: object) -> type[PolicySetting] | None:
    """The typed settings class for ``policy_type`` of ``kind``, or ``None`` when unknown.

    Only exact type names (or enum members) match; unknown types keep raw settings.
    """
    if not isinstance(policy_type, str):
        return None
    entry = SETTINGS_TABLE[kind].get(str(policy_type))
    if entry is None:
        return None
    module, name = entry
    cls: type[PolicySetting] = getattr(importlib.import_module(module), name)
    return cls


def policy_type_for(kind: PolicyKind, settings: type[PolicySetting]) -> str | None:
    """The policy type whose settings class is ``settings`` (``None`` if not of ``kind``)."""
    enum_cls: type[StrWireEnum] = _TYPE_ENUMS[kind]
    for type_name, (module, name) in SETTINGS_TABLE[kind].items():
        if settings.__module__ == module and settings.__qualname__ == name:
            return str(enum_cls(type_name).value)
    return None


_TYPE_ENUMS: Final[Mapping[PolicyKind, type[StrWireEnum]]] = {
    "endpoint": EndpointPolicyType,
    "network": NetworkPolicyType,
    "subnet": SubnetPolicyType,
}

_P = TypeVar("_P", "EndpointPolicy", "NetworkPolicy", "SubnetPolicy")


def _dispatch(kind: PolicyKind) -> Any:
    def resolve(policy_type: object) -> type[PolicySetting] | None:
        return settings_class(kind, policy_type)

    return resolve


def _of(cls: type[_P], kind: PolicyKind, settings: PolicySetting) -> _P:
    name = policy_type_for(kind, type(settings))
    if name is None:
        raise TypeError(f"{type(settings).__name__} is not a {kind} policy setting")
    return cls(type=_TYPE_ENUMS[kind](name), settings=settings)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class EndpointPolicy(Model):
    """An endpoint policy: ``type`` plus ``settings``.

    ``settings`` is the typed settings class for a known type, or the raw JSON object for a
    type hcnpy does not know (kept and written back unchanged). Build one with
    :meth:`of` to avoid repeating the type: ``EndpointPolicy.of(PortMappingPolicySetting(...))``.
    """

    type: EndpointPolicyType | str = attrs.field(metadata=wire("Type", omit=False))
    settings: PolicySetting | Mapping[str, Any] | None = attrs.field(
        default=None, hash=False, metadata=wire("Settings", dispatch=_dispatch("endpoint"))
    )

    @classmethod
    def of(cls, settings: PolicySetting) -> "EndpointPolicy":
        """Wrap typed ``settings``, taking the policy type from its class."""
        return _of(cls, "endpoint", settings)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NetworkPolicy(Model):
    """A network policy: ``type`` plus ``settings`` (see :class:`EndpointPolicy`)."""

    type: NetworkPolicyType | str = attrs.field(metadata=wire("Type", omit=False))
    settings: PolicySetting | Mapping[str, Any] | None = attrs.field(
        default=None, hash=False, metadata=wire("Settings", dispatch=_dispatch("network"))
    )

    @classmethod
    def of(cls, settings: PolicySetting) -> "NetworkPolicy":
        """Wrap typed ``settings``, taking the policy type from its class."""
        return _of(cls, "network", settings)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class SubnetPolicy(Model):
    """A subnet policy (``VLAN`` or ``VSID``): ``type`` plus ``settings``."""

    type: SubnetPolicyType | str = attrs.field(metadata=wire("Type", omit=False))
    settings: PolicySetting | Mapping[str, Any] | None = attrs.field(
        default=None, hash=False, metadata=wire("Settings", dispatch=_dispatch("subnet"))
    )

    @classmethod
    def of(cls, settings: PolicySetting) -> "SubnetPolicy":
        """Wrap typed ``settings``, taking the policy type from its class."""
        return _of(cls, "subnet", settings)
