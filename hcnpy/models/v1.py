"""Typed models of HNS V1 documents: what ``HNSCall`` answers (``/networks``, ``/endpoints``,
``/namespaces``) and what older tools send.

Fields and key order follow hcsshim's V1 structs (``internal/hns``), with the fields real HNS
output shows after them (``Flags``, ``State``, ``Version``, …). V1 objects are read for what
they are, so their rules differ from the V2 models in two ways:

* every field defaults to ``None`` (absent) and is written whenever it is set, even when it is
  empty or zero: HNS writes ``"Policies": []`` and ``"Flags": 0``, and a document read and
  written back keeps them;
* strings HNS echoes as the client spelled them (a network ``Type`` of ``"nat"``) stay plain
  strings, and policies stay the JSON objects they were (read one typed with
  :func:`hcnpy.v1.read_policy`).

Keys the models do not know are kept in ``unknown_fields``, as everywhere in hcnpy.
:mod:`hcnpy.v1` reads documents (with or without the ``{"Success", "Error", "Output"}``
envelope) and converts them to the V2 models.
"""

from collections.abc import Mapping
from typing import Any

import attrs

from ._base import IntWireEnum, Model, opt, raw, wire
from .endpoint import EndpointFlags
from .network import NetworkFlags, SubnetFlags

__all__ = [
    "V1Endpoint",
    "V1EndpointState",
    "V1MacPool",
    "V1Namespace",
    "V1NamespaceResource",
    "V1Network",
    "V1Response",
    "V1Subnet",
]


class V1EndpointState(IntWireEnum):
    """The lifecycle state of a V1 endpoint (hcsshim's ``EndpointState``).

    Local endpoints of running pods are ``ATTACHED_SHARING``; remote endpoints stay
    ``CREATED``.
    """

    UNINITIALIZED = 0
    CREATED = 1
    ATTACHED = 2
    ATTACHED_SHARING = 3
    DETACHED = 4
    DEGRADED = 5
    DESTROYED = 6


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1Response(Model):
    """The envelope ``HNSCall`` answers with: ``{"Success", "Error", "Output"}``.

    ``output`` is the JSON as read; :mod:`hcnpy.v1` decodes it into the V1 models.
    """

    success: bool = attrs.field(metadata=wire("Success", omit=False))
    error: str | None = opt("Error", omit=False)
    output: Any = raw("Output", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1MacPool(Model):
    """One MAC address range of a V1 network (``MacPools[]``)."""

    start_mac_address: str | None = opt("StartMacAddress", omit=False, check="mac")
    end_mac_address: str | None = opt("EndMacAddress", omit=False, check="mac")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1Subnet(Model):
    """A subnet of a V1 network: a prefix, its gateway and subnet policies (``VLAN``/``VSID``)."""

    address_prefix: str | None = opt("AddressPrefix", omit=False, check="cidr")
    gateway_address: str | None = opt("GatewayAddress", omit=False, check="ip")
    policies: tuple[Mapping[str, Any], ...] | None = raw("Policies", omit=False)
    id: str | None = opt("ID", omit=False, check="guid")
    flags: SubnetFlags | None = opt("Flags", omit=False, uint=32)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1Network(Model):
    """A V1 network (hcsshim's ``HNSNetwork``).

    ``dns_server_list`` is one comma-separated string, as on the wire. ``state`` and
    ``version`` are HNS's own (``version`` packs the HNS version that wrote the object:
    major in the high 32 bits).
    """

    id: str | None = opt("ID", omit=False, check="guid")
    name: str | None = opt("Name", omit=False)
    type: str | None = opt("Type", omit=False)
    network_adapter_name: str | None = opt("NetworkAdapterName", omit=False)
    source_mac: str | None = opt("SourceMac", omit=False, check="mac")
    policies: tuple[Mapping[str, Any], ...] | None = raw("Policies", omit=False)
    mac_pools: tuple[V1MacPool, ...] | None = opt("MacPools", omit=False)
    subnets: tuple[V1Subnet, ...] | None = opt("Subnets", omit=False)
    dns_suffix: str | None = opt("DNSSuffix", omit=False)
    dns_server_list: str | None = opt("DNSServerList", omit=False)
    dns_server_compartment: int | None = opt("DNSServerCompartment", omit=False, uint=32)
    management_ip: str | None = opt("ManagementIP", omit=False, check="ip")
    automatic_dns: bool | None = opt("AutomaticDNS", omit=False)
    flags: NetworkFlags | None = opt("Flags", omit=False, uint=32)
    layered_on: str | None = opt("LayeredOn", omit=False, check="guid")
    state: int | None = opt("State", omit=False, uint=16)
    version: int | None = opt("Version", omit=False, uint=64)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1NamespaceResource(Model):
    """One entry of a V1 namespace's ``ResourceList``; ``Data`` is kept as read."""

    type: str | None = opt("Type", omit=False)
    data: Any = raw("Data", omit=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1Namespace(Model):
    """A V1 namespace (hcsshim's ``internal/hns.Namespace``), also nested in V1 endpoints."""

    id: str | None = opt("ID", omit=False, check="guid")
    is_default: bool | None = opt("IsDefault", omit=False)
    resource_list: tuple[V1NamespaceResource, ...] | None = opt("ResourceList", omit=False)
    compartment_id: int | None = opt("CompartmentId", omit=False, uint=32)
    state: int | None = opt("State", omit=False, uint=16)
    version: int | None = opt("Version", omit=False, uint=64)

    def endpoint_ids(self) -> tuple[str, ...]:
        """The IDs of the ``Endpoint`` resources (``Data.Id``, any key case)."""
        out = []
        for resource in self.resource_list or ():
            data = resource.data
            if str(resource.type).casefold() != "endpoint" or not isinstance(data, Mapping):
                continue
            value = next((v for k, v in data.items() if k.casefold() == "id"), None)
            if isinstance(value, str):
                out.append(value)
        return tuple(out)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class V1Endpoint(Model):
    """A V1 endpoint (hcsshim's ``HNSEndpoint``).

    ``dns_server_list`` and ``dns_suffix`` are comma-separated strings, as on the wire;
    ``type`` is the type of the endpoint's network, as HNS reports it.
    """

    id: str | None = opt("ID", omit=False, check="guid")
    name: str | None = opt("Name", omit=False)
    virtual_network: str | None = opt("VirtualNetwork", omit=False, check="guid")
    virtual_network_name: str | None = opt("VirtualNetworkName", omit=False)
    policies: tuple[Mapping[str, Any], ...] | None = raw("Policies", omit=False)
    mac_address: str | None = opt("MacAddress", omit=False, check="mac")
    ip_address: str | None = opt("IPAddress", omit=False, check="ip")
    ipv6_address: str | None = opt("IPv6Address", omit=False, check="ip")
    dns_suffix: str | None = opt("DNSSuffix", omit=False)
    dns_server_list: str | None = opt("DNSServerList", omit=False)
    dns_domain: str | None = opt("DNSDomain", omit=False)
    gateway_address: str | None = opt("GatewayAddress", omit=False, check="ip")
    gateway_address_v6: str | None = opt("GatewayAddressV6", omit=False, check="ip")
    enable_internal_dns: bool | None = opt("EnableInternalDNS", omit=False)
    disable_icc: bool | None = opt("DisableICC", omit=False)
    prefix_length: int | None = opt("PrefixLength", omit=False, uint=8)
    ipv6_prefix_length: int | None = opt("IPv6PrefixLength", omit=False, uint=8)
    is_remote_endpoint: bool | None = opt("IsRemoteEndpoint", omit=False)
    enable_low_metric: bool | None = opt("EnableLowMetric", omit=False)
    namespace: V1Namespace | None = opt("Namespace", omit=False)
    encap_overhead: int | None = opt("EncapOverhead", omit=False, uint=16)
    shared_containers: tuple[str, ...] | None = opt("SharedContainers", omit=False)
    state: V1EndpointState | int | None = opt("State", omit=False, uint=16)
    flags: EndpointFlags | None = opt("Flags", omit=False, uint=32)
    type: str | None = opt("Type", omit=False)
    version: int | None = opt("Version", omit=False, uint=64)
