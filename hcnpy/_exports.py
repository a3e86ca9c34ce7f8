"""The table of hcnpy's public names and the modules that define them (a leaf: data only).

``hcnpy``, ``hcnpy.models`` and ``hcnpy.models.policies`` load their names lazily from it
(PEP 562), so ``import hcnpy`` stays cheap and the subpackages need not import their parent.
"""

from __future__ import annotations

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

#: The one table of public names: name → defining module. ``hcnpy``, ``hcnpy.models`` and
#: ``hcnpy.models.policies`` serve their lazy exports from it.
EXPORTS: dict[str, str] = {
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
