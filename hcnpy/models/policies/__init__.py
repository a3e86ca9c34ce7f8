"""Policy envelopes and every typed settings class, grouped by kind (loaded on first use).

Names are served lazily from the export table in :mod:`hcnpy`.
"""

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "AclPolicySetting",
    "ActionType",
    "AutomaticDNSNetworkPolicySetting",
    "DirectionType",
    "DrMacAddressNetworkPolicySetting",
    "EncapOverheadEndpointPolicySetting",
    "EndpointPolicy",
    "EndpointPolicyType",
    "FiveTuple",
    "HostRoutePolicySetting",
    "InterfaceConstraintPolicySetting",
    "InterfaceParametersPolicySetting",
    "IovInterruptModeration",
    "IovPolicySetting",
    "L2DriverPolicySetting",
    "L4ProxyPolicySetting",
    "L4WfpProxyPolicySetting",
    "LayerConstraintNetworkPolicySetting",
    "NatFlags",
    "NetAdapterNameNetworkPolicySetting",
    "NetworkACLPolicySetting",
    "NetworkPolicy",
    "NetworkPolicyType",
    "OutboundNatPolicySetting",
    "PolicySetting",
    "PortMappingPolicySetting",
    "PortnameEndpointPolicySetting",
    "ProviderAddressEndpointPolicySetting",
    "ProviderAddressNetworkPolicySetting",
    "ProxyExceptions",
    "QosPolicySetting",
    "RemoteSubnetRoutePolicySetting",
    "RuleType",
    "SDNRoutePolicySetting",
    "SetPolicySetting",
    "SetPolicyType",
    "SourceMacAddressNetworkPolicySetting",
    "SubnetPolicy",
    "SubnetPolicyType",
    "TierAclPolicySetting",
    "TierAclRule",
    "VSwitchExtensionNetworkPolicySetting",
    "VlanPolicySetting",
    "VsidPolicySetting",
    "VxlanPortPolicySetting",
]


def _table() -> dict[str, str]:
    from ..._exports import EXPORTS as _EXPORTS

    return {n: m for n, m in _EXPORTS.items() if m.startswith(__name__ + ".")}


def __getattr__(name: str) -> Any:
    module = _table().get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_table()))


if TYPE_CHECKING:
    from .acl import (
        AclPolicySetting,
        ActionType,
        DirectionType,
        NetworkACLPolicySetting,
        RuleType,
        TierAclPolicySetting,
        TierAclRule,
    )
    from .base import (
        EndpointPolicy,
        EndpointPolicyType,
        NetworkPolicy,
        NetworkPolicyType,
        PolicySetting,
        SubnetPolicy,
        SubnetPolicyType,
    )
    from .endpoint import (
        EncapOverheadEndpointPolicySetting,
        InterfaceParametersPolicySetting,
        IovInterruptModeration,
        IovPolicySetting,
        L2DriverPolicySetting,
        NatFlags,
        OutboundNatPolicySetting,
        PortMappingPolicySetting,
        PortnameEndpointPolicySetting,
        ProviderAddressEndpointPolicySetting,
        QosPolicySetting,
    )
    from .network import (
        AutomaticDNSNetworkPolicySetting,
        DrMacAddressNetworkPolicySetting,
        HostRoutePolicySetting,
        LayerConstraintNetworkPolicySetting,
        NetAdapterNameNetworkPolicySetting,
        ProviderAddressNetworkPolicySetting,
        RemoteSubnetRoutePolicySetting,
        SetPolicySetting,
        SetPolicyType,
        SourceMacAddressNetworkPolicySetting,
        VSwitchExtensionNetworkPolicySetting,
        VxlanPortPolicySetting,
    )
    from .proxy import FiveTuple, L4ProxyPolicySetting, L4WfpProxyPolicySetting, ProxyExceptions
    from .shared import (
        InterfaceConstraintPolicySetting,
        SDNRoutePolicySetting,
        VlanPolicySetting,
        VsidPolicySetting,
    )
