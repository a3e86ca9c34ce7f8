"""hcnpy: typed Python SDK for the Windows Host Compute Network (HNS V2) API.

Every public name is exported lazily (PEP 562): ``import hcnpy`` loads nothing but this
module, and ``hcnpy.Network`` imports only the modules that class needs. A CNI plugin runs
as a new process per container, so start-up cost matters.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: importing typing costs ~2 ms

__version__ = "0.1.0"

_MODELS = "hcnpy.models"
_COMMON = "hcnpy.models.common"
_NETWORK = "hcnpy.models.network"
_ENDPOINT = "hcnpy.models.endpoint"
_NAMESPACE = "hcnpy.models.namespace"
_LB = "hcnpy.models.loadbalancer"
_ROUTE = "hcnpy.models.route"
_POLICY = "hcnpy.models.policies.base"
_EP_POL = "hcnpy.models.policies.endpoint"
_NET_POL = "hcnpy.models.policies.network"
_ACL = "hcnpy.models.policies.acl"
_PROXY = "hcnpy.models.policies.proxy"
_SHARED = "hcnpy.models.policies.shared"
_GATES = "hcnpy.models.gates"
_ERRORS = "hcnpy.errors"
_FEATURES = "hcnpy.features"
_V1 = "hcnpy.models.v1"
_V1_POL = "hcnpy.models.v1_policies"

#: The one table of public names: name → defining module. ``hcnpy.models`` and
#: ``hcnpy.models.policies`` serve the entries that live below them from this table too.
_EXPORTS: dict[str, str] = {
    # conversion, validation, queries
    "to_dict": "hcnpy.convert",
    "from_dict": "hcnpy.convert",
    "to_json": "hcnpy.convert",
    "from_json": "hcnpy.convert",
    "validate": "hcnpy.validation",
    # the client
    "connect": "hcnpy.client",
    "Client": "hcnpy.client",
    "HostComputeQuery": "hcnpy.query",
    "HostComputeQueryFlags": "hcnpy.query",
    "required_features": _GATES,
    "policy_feature": _GATES,
    # common
    "SchemaVersion": _COMMON,
    "Health": _COMMON,
    "ExtraParams": _COMMON,
    "Route": _COMMON,
    "Dns": _COMMON,
    "MacRange": _COMMON,
    "MacPool": _COMMON,
    "RequestType": _COMMON,
    "ModifyResourceType": _COMMON,
    "ProtocolType": _COMMON,
    "Model": "hcnpy.models._base",
    # network
    "Network": _NETWORK,
    "NetworkType": _NETWORK,
    "NetworkFlags": _NETWORK,
    "Ipam": _NETWORK,
    "IpamType": _NETWORK,
    "Subnet": _NETWORK,
    "SubnetFlags": _NETWORK,
    "ModifyNetworkSettingRequest": _NETWORK,
    "PolicyNetworkRequest": _NETWORK,
    # endpoint
    "Endpoint": _ENDPOINT,
    "EndpointFlags": _ENDPOINT,
    "IpConfig": _ENDPOINT,
    "ModifyEndpointSettingRequest": _ENDPOINT,
    "PolicyEndpointRequest": _ENDPOINT,
    "VmEndpointRequest": _ENDPOINT,
    # namespace
    "Namespace": _NAMESPACE,
    "NamespaceType": _NAMESPACE,
    "NamespaceResource": _NAMESPACE,
    "NamespaceResourceType": _NAMESPACE,
    "NamespaceResourceEndpoint": _NAMESPACE,
    "NamespaceResourceContainer": _NAMESPACE,
    "ModifyNamespaceSettingRequest": _NAMESPACE,
    "NamespaceEndpointRequest": _NAMESPACE,
    "NamespaceContainerRequest": _NAMESPACE,
    # load balancer, SDN route
    "LoadBalancer": _LB,
    "LoadBalancerPortMapping": _LB,
    "LoadBalancerFlags": _LB,
    "LoadBalancerPortMappingFlags": _LB,
    "LoadBalancerDistribution": _LB,
    "SdnRoute": _ROUTE,
    # policy envelopes and types
    "EndpointPolicy": _POLICY,
    "NetworkPolicy": _POLICY,
    "SubnetPolicy": _POLICY,
    "EndpointPolicyType": _POLICY,
    "NetworkPolicyType": _POLICY,
    "SubnetPolicyType": _POLICY,
    "PolicySetting": _POLICY,
    # policy settings
    "PortMappingPolicySetting": _EP_POL,
    "QosPolicySetting": _EP_POL,
    "L2DriverPolicySetting": _EP_POL,
    "OutboundNatPolicySetting": _EP_POL,
    "PortnameEndpointPolicySetting": _EP_POL,
    "EncapOverheadEndpointPolicySetting": _EP_POL,
    "IovPolicySetting": _EP_POL,
    "IovInterruptModeration": _EP_POL,
    "ProviderAddressEndpointPolicySetting": _EP_POL,
    "InterfaceParametersPolicySetting": _EP_POL,
    "NatFlags": _EP_POL,
    "AclPolicySetting": _ACL,
    "NetworkACLPolicySetting": _ACL,
    "TierAclPolicySetting": _ACL,
    "TierAclRule": _ACL,
    "ActionType": _ACL,
    "DirectionType": _ACL,
    "RuleType": _ACL,
    "L4ProxyPolicySetting": _PROXY,
    "L4WfpProxyPolicySetting": _PROXY,
    "FiveTuple": _PROXY,
    "ProxyExceptions": _PROXY,
    "InterfaceConstraintPolicySetting": _SHARED,
    "SDNRoutePolicySetting": _SHARED,
    "VlanPolicySetting": _SHARED,
    "VsidPolicySetting": _SHARED,
    "SourceMacAddressNetworkPolicySetting": _NET_POL,
    "NetAdapterNameNetworkPolicySetting": _NET_POL,
    "VSwitchExtensionNetworkPolicySetting": _NET_POL,
    "DrMacAddressNetworkPolicySetting": _NET_POL,
    "AutomaticDNSNetworkPolicySetting": _NET_POL,
    "ProviderAddressNetworkPolicySetting": _NET_POL,
    "RemoteSubnetRoutePolicySetting": _NET_POL,
    "VxlanPortPolicySetting": _NET_POL,
    "HostRoutePolicySetting": _NET_POL,
    "SetPolicySetting": _NET_POL,
    "SetPolicyType": _NET_POL,
    "LayerConstraintNetworkPolicySetting": _NET_POL,
    # HNS V1 documents (read them with hcnpy.v1)
    "V1Network": _V1,
    "V1Subnet": _V1,
    "V1MacPool": _V1,
    "V1Endpoint": _V1,
    "V1EndpointState": _V1,
    "V1Namespace": _V1,
    "V1NamespaceResource": _V1,
    "V1Response": _V1,
    "V1Policy": _V1_POL,
    "V1PolicyType": _V1_POL,
    "V1NatPolicy": _V1_POL,
    "V1AclPolicy": _V1_POL,
    "V1PaPolicy": _V1_POL,
    "V1VlanPolicy": _V1_POL,
    "V1VsidPolicy": _V1_POL,
    "V1IsolationPolicy": _V1_POL,
    "V1QosPolicy": _V1_POL,
    "V1OutboundNatPolicy": _V1_POL,
    "V1ProxyPolicy": _V1_POL,
    "V1RoutePolicy": _V1_POL,
    "V1L2DriverPolicy": _V1_POL,
    "V1CallError": "hcnpy.v1",
    # errors, features, HRESULTs
    "HcnError": _ERRORS,
    "ValidationError": _ERRORS,
    "NotFoundError": _ERRORS,
    "AlreadyExistsError": _ERRORS,
    "PortAlreadyExistsError": _ERRORS,
    "InvalidConfigurationError": _ERRORS,
    "AccessDeniedError": _ERRORS,
    "NotSupportedError": _ERRORS,
    "HcnUnavailable": _ERRORS,
    "HcnTimeout": _ERRORS,
    "ErrorRecord": _ERRORS,
    "Feature": _FEATURES,
    "FeatureNotSupported": _FEATURES,
    "HnsVersion": _FEATURES,
    "HResult": "hcnpy.hresult",
}

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
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    __import__(module)  # not importlib.import_module: importing importlib costs start-up time
    value = getattr(sys.modules[module], name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


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
