"""hcnpy: typed Python SDK for the Windows Host Compute Network (HNS V2) API.

Every public name is exported lazily (PEP 562): ``import hcnpy`` loads nothing but this
module, and ``hcnpy.Network`` imports only the modules that class needs. A CNI plugin runs
as a new process per container, so start-up cost matters.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: importing typing costs ~2 ms

__version__ = "0.1.0"

__all__ = [
    "AccessDeniedError",
    "AclPolicySetting",
    "ActionType",
    "AlreadyExistsError",
    "AutomaticDNSNetworkPolicySetting",
    "Client",
    "DirectionType",
    "Dns",
    "DrMacAddressNetworkPolicySetting",
    "EncapOverheadEndpointPolicySetting",
    "Endpoint",
    "EndpointFlags",
    "EndpointPolicy",
    "EndpointPolicyType",
    "ErrorRecord",
    "ExtraParams",
    "Feature",
    "FeatureNotSupported",
    "FiveTuple",
    "HResult",
    "HcnError",
    "HcnTimeout",
    "HcnUnavailable",
    "Health",
    "HnsVersion",
    "HostComputeQuery",
    "HostComputeQueryFlags",
    "HostRoutePolicySetting",
    "InterfaceConstraintPolicySetting",
    "InterfaceParametersPolicySetting",
    "InvalidConfigurationError",
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
    "NotFoundError",
    "NotSupportedError",
    "OutboundNatPolicySetting",
    "PolicyEndpointRequest",
    "PolicyNetworkRequest",
    "PolicySetting",
    "PortAlreadyExistsError",
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
    "V1CallError",
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
    "ValidationError",
    "VlanPolicySetting",
    "VmEndpointRequest",
    "VsidPolicySetting",
    "VxlanPortPolicySetting",
    "connect",
    "from_dict",
    "from_json",
    "policy_feature",
    "required_features",
    "to_dict",
    "to_json",
    "validate",
]


def __getattr__(name: str) -> Any:
    # The export table is read on the first look-up of an exported name, not on import, nor
    # when ``from hcnpy import jsonkeys`` asks for a submodule: a plugin that imports only
    # hcnpy's submodules never loads it.
    module = None
    if name in __all__:
        from ._exports import EXPORTS

        module = EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    __import__(module)  # not importlib.import_module: importing importlib costs start-up time
    value = getattr(sys.modules[module], name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    from ._exports import EXPORTS

    return sorted(set(globals()) | set(EXPORTS))


if TYPE_CHECKING:
    from typing import Any

    from .client import Client, connect
    from .convert import from_dict, from_json, to_dict, to_json
    from .errors import (
        AccessDeniedError,
        AlreadyExistsError,
        ErrorRecord,
        HcnError,
        HcnTimeout,
        HcnUnavailable,
        InvalidConfigurationError,
        NotFoundError,
        NotSupportedError,
        PortAlreadyExistsError,
        ValidationError,
    )
    from .features import Feature, FeatureNotSupported, HnsVersion
    from .hresult import HResult
    from .models._base import Model
    from .models.common import (
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
    from .models.endpoint import (
        Endpoint,
        EndpointFlags,
        IpConfig,
        ModifyEndpointSettingRequest,
        PolicyEndpointRequest,
        VmEndpointRequest,
    )
    from .models.gates import policy_feature, required_features
    from .models.loadbalancer import (
        LoadBalancer,
        LoadBalancerDistribution,
        LoadBalancerFlags,
        LoadBalancerPortMapping,
        LoadBalancerPortMappingFlags,
    )
    from .models.namespace import (
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
    from .models.network import (
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
    from .models.policies.acl import (
        AclPolicySetting,
        ActionType,
        DirectionType,
        NetworkACLPolicySetting,
        RuleType,
        TierAclPolicySetting,
        TierAclRule,
    )
    from .models.policies.base import (
        EndpointPolicy,
        EndpointPolicyType,
        NetworkPolicy,
        NetworkPolicyType,
        PolicySetting,
        SubnetPolicy,
        SubnetPolicyType,
    )
    from .models.policies.endpoint import (
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
    from .models.policies.network import (
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
    from .models.policies.proxy import (
        FiveTuple,
        L4ProxyPolicySetting,
        L4WfpProxyPolicySetting,
        ProxyExceptions,
    )
    from .models.policies.shared import (
        InterfaceConstraintPolicySetting,
        SDNRoutePolicySetting,
        VlanPolicySetting,
        VsidPolicySetting,
    )
    from .models.route import SdnRoute
    from .models.v1 import (
        V1Endpoint,
        V1EndpointState,
        V1MacPool,
        V1Namespace,
        V1NamespaceResource,
        V1Network,
        V1Response,
        V1Subnet,
    )
    from .models.v1_policies import (
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
    from .query import HostComputeQuery, HostComputeQueryFlags
    from .v1 import V1CallError
    from .validation import validate
