"""Settings of network-only policies (remote subnets, VXLAN port, IP sets, …)."""

import attrs

from .._base import StrWireEnum, csv_string, opt, wire
from .base import PolicySetting

__all__ = [
    "AutomaticDNSNetworkPolicySetting",
    "DrMacAddressNetworkPolicySetting",
    "HostRoutePolicySetting",
    "LayerConstraintNetworkPolicySetting",
    "NetAdapterNameNetworkPolicySetting",
    "ProviderAddressNetworkPolicySetting",
    "RemoteSubnetRoutePolicySetting",
    "SetPolicySetting",
    "SetPolicyType",
    "SourceMacAddressNetworkPolicySetting",
    "VSwitchExtensionNetworkPolicySetting",
    "VxlanPortPolicySetting",
]


class SetPolicyType(StrWireEnum):
    """Kind of IP set (``NESTEDIPSET`` needs HNS 15.0+)."""

    IPSET = "IPSET"
    NESTED_IPSET = "NESTEDIPSET"


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class SourceMacAddressNetworkPolicySetting(PolicySetting):
    """``SourceMacAddress``."""

    source_mac_address: str | None = opt("SourceMacAddress", check="mac")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NetAdapterNameNetworkPolicySetting(PolicySetting):
    """``NetAdapterName``: the host adapter the network's vSwitch binds to."""

    network_adapter_name: str | None = opt("NetworkAdapterName")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class VSwitchExtensionNetworkPolicySetting(PolicySetting):
    """``VSwitchExtension``: enable or disable a vSwitch extension."""

    extension_id: str | None = opt("ExtensionID", check="guid")
    enable: bool | None = opt("Enable")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class DrMacAddressNetworkPolicySetting(PolicySetting):
    """``DrMacAddress``: the distributed router MAC."""

    address: str | None = opt("Address", check="mac")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class AutomaticDNSNetworkPolicySetting(PolicySetting):
    """``AutomaticDNS``."""

    enable: bool | None = opt("Enable")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class ProviderAddressNetworkPolicySetting(PolicySetting):
    """``ProviderAddress`` (network)."""

    provider_address: str | None = opt("ProviderAddress", check="ip")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class RemoteSubnetRoutePolicySetting(PolicySetting):
    """``RemoteSubnetRoute`` (HNS 9.2+): a subnet reachable through a remote host; all sent.

    ``isolation_id`` is a ``uint16`` here (hcsshim's type), although it carries a VSID and
    VSIDs elsewhere have 24 bits (Microsoft's schema says ``uint32``): the narrower wins.
    """

    destination_prefix: str = attrs.field(
        metadata=wire("DestinationPrefix", omit=False, missing="", check="cidr")
    )
    isolation_id: int = attrs.field(metadata=wire("IsolationId", omit=False, missing=0, uint=16))
    provider_address: str = attrs.field(
        metadata=wire("ProviderAddress", omit=False, missing="", check="ip")
    )
    distributed_router_mac_address: str = attrs.field(
        metadata=wire("DistributedRouterMacAddress", omit=False, missing="", check="mac")
    )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class VxlanPortPolicySetting(PolicySetting):
    """``VxlanPort`` (HNS 10.3+): the UDP port of VXLAN encapsulation (always sent)."""

    port: int = attrs.field(metadata=wire("Port", omit=False, missing=0, uint=16))


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class HostRoutePolicySetting(PolicySetting):
    """``HostRoute`` (HNS 9.2+): no fields; sent as ``{}``."""


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class SetPolicySetting(PolicySetting):
    """``SetPolicy`` (HNS 13.0+): an IP set. The type is sent as ``PolicyType``; all sent.

    ``values`` is a comma-separated string; a sequence is joined.
    """

    id: str = attrs.field(metadata=wire("Id", omit=False, missing=""))
    name: str = attrs.field(metadata=wire("Name", omit=False, missing=""))
    policy_type: SetPolicyType | str = attrs.field(
        metadata=wire("PolicyType", omit=False, missing=SetPolicyType.IPSET)
    )
    values: str = attrs.field(
        default="", converter=csv_string, metadata=wire("Values", omit=False, missing="", csv=True)
    )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class LayerConstraintNetworkPolicySetting(PolicySetting):
    """``LayerConstraint``: layer the network on another network's layer."""

    layer_id: str | None = opt("LayerId", check="guid")
