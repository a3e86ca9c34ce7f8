"""Typed models of the HNS V2 schema, one module per object kind (loaded on first use).

Every name is also available at package level (``hcnpy.Network``); this package serves the
model names of the single export table in :mod:`hcnpy` lazily, like the package does.
"""

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "AclPolicySetting",
    "ActionType",
    "AutomaticDNSNetworkPolicySetting",
    "DirectionType",
    "Dns",
    "DrMacAddressNetworkPolicySetting",
    "EncapOverheadEndpointPolicySetting",
    "Endpoint",
    "EndpointFlags",
    "EndpointPolicy",
    "EndpointPolicyType",
    "ExtraParams",
    "FiveTuple",
    "Health",
    "HostComputeQuery",
    "HostComputeQueryFlags",
    "HostRoutePolicySetting",
    "InterfaceConstraintPolicySetting",
    "InterfaceParametersPolicySetting",
    "IovInterruptModeration",
    "IovPolicySetting",
    "IpConfig",
    "Ipam",
    "IpamType",
    "L2DriverPolicySetting",
    "L4ProxyPolicySetting",
    "L4WfpProxyPolicySetting",
    "LayerConstraintNetworkPolicySetting",
    "LoadBalancer",
    "LoadBalancerDistribution",
    "LoadBalancerFlags",
    "LoadBalancerPortMapping",
    "LoadBalancerPortMappingFlags",
    "MacPool",
    "MacRange",
    "Model",
    "ModifyEndpointSettingRequest",
    "ModifyNamespaceSettingRequest",
    "ModifyNetworkSettingRequest",
    "ModifyResourceType",
    "Namespace",
    "NamespaceContainerRequest",
    "NamespaceEndpointRequest",
    "NamespaceResource",
    "NamespaceResourceContainer",
    "NamespaceResourceEndpoint",
    "NamespaceResourceType",
    "NamespaceType",
    "NatFlags",
    "NetAdapterNameNetworkPolicySetting",
    "Network",
    "NetworkACLPolicySetting",
    "NetworkFlags",
    "NetworkPolicy",
    "NetworkPolicyType",
    "NetworkType",
    "OutboundNatPolicySetting",
    "PolicyEndpointRequest",
    "PolicyNetworkRequest",
    "PolicySetting",
    "PortMappingPolicySetting",
    "PortnameEndpointPolicySetting",
    "ProtocolType",
    "ProviderAddressEndpointPolicySetting",
    "ProviderAddressNetworkPolicySetting",
    "ProxyExceptions",
    "QosPolicySetting",
    "RemoteSubnetRoutePolicySetting",
    "RequestType",
    "Route",
    "RuleType",
    "SDNRoutePolicySetting",
    "SchemaVersion",
    "SdnRoute",
    "SetPolicySetting",
    "SetPolicyType",
    "SourceMacAddressNetworkPolicySetting",
    "Subnet",
    "SubnetFlags",
    "SubnetPolicy",
    "SubnetPolicyType",
    "TierAclPolicySetting",
    "TierAclRule",
    "V1AclPolicy",
    "V1Endpoint",
    "V1EndpointState",
    "V1IsolationPolicy",
    "V1L2DriverPolicy",
    "V1MacPool",
    "V1Namespace",
    "V1NamespaceResource",
    "V1NatPolicy",
    "V1Network",
    "V1OutboundNatPolicy",
    "V1PaPolicy",
    "V1Policy",
    "V1PolicyType",
    "V1ProxyPolicy",
    "V1QosPolicy",
    "V1Response",
    "V1RoutePolicy",
    "V1Subnet",
    "V1VlanPolicy",
    "V1VsidPolicy",
    "VSwitchExtensionNetworkPolicySetting",
    "VlanPolicySetting",
    "VmEndpointRequest",
    "VsidPolicySetting",
    "VxlanPortPolicySetting",
    "policy_feature",
    "required_features",
]


def _table() -> dict[str, str]:
    from .._exports import EXPORTS as _EXPORTS

    return {
        name: module
        for name, module in _EXPORTS.items()
        if module.startswith(__name__ + ".") or module == "hcnpy.query"
    }


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
    from ..query import HostComputeQuery, HostComputeQueryFlags
    from ._base import Model
    from .common import (
        Dns,
        ExtraParams,
        Health,
        MacPool,
        MacRange,
        ModifyResourceType,
        ProtocolType,
        RequestType,
        Route,
        SchemaVersion,
    )
    from .endpoint import (
        Endpoint,
        EndpointFlags,
        IpConfig,
        ModifyEndpointSettingRequest,
        PolicyEndpointRequest,
        VmEndpointRequest,
    )
    from .gates import policy_feature, required_features
    from .loadbalancer import (
        LoadBalancer,
        LoadBalancerDistribution,
        LoadBalancerFlags,
        LoadBalancerPortMapping,
        LoadBalancerPortMappingFlags,
    )
    from .namespace import (
        ModifyNamespaceSettingRequest,
        Namespace,
        NamespaceContainerRequest,
        NamespaceEndpointRequest,
        NamespaceResource,
        NamespaceResourceContainer,
        NamespaceResourceEndpoint,
        NamespaceResourceType,
        NamespaceType,
    )
    from .network import (
        Ipam,
        IpamType,
        ModifyNetworkSettingRequest,
        Network,
        NetworkFlags,
        NetworkType,
        PolicyNetworkRequest,
        Subnet,
        SubnetFlags,
    )
    from .policies.acl import (
        AclPolicySetting,
        ActionType,
        DirectionType,
        NetworkACLPolicySetting,
        RuleType,
        TierAclPolicySetting,
        TierAclRule,
    )
    from .policies.base import (
        EndpointPolicy,
        EndpointPolicyType,
        NetworkPolicy,
        NetworkPolicyType,
        PolicySetting,
        SubnetPolicy,
        SubnetPolicyType,
    )
    from .policies.endpoint import (
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
    from .policies.network import (
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
    from .policies.proxy import (
        FiveTuple,
        L4ProxyPolicySetting,
        L4WfpProxyPolicySetting,
        ProxyExceptions,
    )
    from .policies.shared import (
        InterfaceConstraintPolicySetting,
        SDNRoutePolicySetting,
        VlanPolicySetting,
        VsidPolicySetting,
    )
    from .route import SdnRoute
    from .v1 import (
        V1Endpoint,
        V1EndpointState,
        V1MacPool,
        V1Namespace,
        V1NamespaceResource,
        V1Network,
        V1Response,
        V1Subnet,
    )
    from .v1_policies import (
        V1AclPolicy,
        V1IsolationPolicy,
        V1L2DriverPolicy,
        V1NatPolicy,
        V1OutboundNatPolicy,
        V1PaPolicy,
        V1Policy,
        V1PolicyType,
        V1ProxyPolicy,
        V1QosPolicy,
        V1RoutePolicy,
        V1VlanPolicy,
        V1VsidPolicy,
    )
