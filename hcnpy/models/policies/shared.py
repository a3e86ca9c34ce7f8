"""Settings used by more than one policy kind (or by the SDN route object)."""

import attrs

from .._base import opt, wire
from .base import PolicySetting

__all__ = [
    "InterfaceConstraintPolicySetting",
    "SDNRoutePolicySetting",
    "VlanPolicySetting",
    "VsidPolicySetting",
]


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class InterfaceConstraintPolicySetting(PolicySetting):
    """``InterfaceConstraint`` (endpoint and network): pin to a host interface."""

    interface_guid: str | None = opt("InterfaceGuid", check="guid")
    interface_luid: int | None = opt("InterfaceLuid", uint=64)
    interface_index: int | None = opt("InterfaceIndex", uint=32)
    interface_media_type: int | None = opt("InterfaceMediaType", uint=32)
    interface_alias: str | None = opt("InterfaceAlias")
    interface_description: str | None = opt("InterfaceDescription")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class SDNRoutePolicySetting(PolicySetting):
    """``SDNRoute`` endpoint policy, and one entry of :class:`~hcnpy.SdnRoute` ``routes``."""

    destination_prefix: str | None = opt("DestinationPrefix", check="cidr")
    next_hop: str | None = opt("NextHop", check="ip")
    need_encap: bool | None = opt("NeedEncap")
    automatic_endpoint_monitor: bool | None = opt("AutomaticEndpointMonitor")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class VlanPolicySetting(PolicySetting):
    """``VLAN`` (subnet and endpoint): the VLAN id in ``isolation_id`` (always sent)."""

    isolation_id: int = attrs.field(
        metadata=wire("IsolationId", omit=False, missing=0, uint=32, check="vlan")
    )


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class VsidPolicySetting(PolicySetting):
    """``VSID`` (subnet): the virtual subnet id / VXLAN VNI in ``isolation_id`` (always sent)."""

    isolation_id: int = attrs.field(
        metadata=wire("IsolationId", omit=False, missing=0, uint=32, check="vsid")
    )
