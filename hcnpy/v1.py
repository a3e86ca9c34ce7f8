"""Reading HNS V1 documents, and converting V1 networks and endpoints to the V2 models.

V1 documents are what ``HNSCall`` answers (``GET /networks``, ``/endpoints``) and what older
tools send. They come bare or wrapped in the answer envelope
``{"Success", "Error", "Output"}``; every ``read_*`` function takes either, as JSON text or
decoded JSON:

>>> net = read_network('{"Success":true,"Output":{"Name":"nat","Type":"nat","Flags":8}}')
>>> net.name, net.type, int(net.flags or 0)
('nat', 'nat', 8)
>>> network_to_v2(net).type
<NetworkType.NAT: 'NAT'>

A failed envelope (``"Success": false``) raises :class:`V1CallError`; a document that is not
what was asked for raises :class:`hcnpy.ValidationError` naming the path. The models keep
every key they do not know in ``unknown_fields``, so ``to_dict(read_network(doc))`` gives the
document back (keys known to the model first, in hcsshim's order).

:func:`network_to_v2` and :func:`endpoint_to_v2` convert where V1 and V2 mean the same thing
(the mapping is in ``docs/hcnpy/v1.md``). What has no V2 equivalent goes to the V2 object's
``unknown_fields`` under its V1 key, except where that key is a V2 field of another meaning
(``Health`` merges into the V2 ``Health`` object) and V1 policies without a V2 equivalent,
which stay on the V1 object only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from . import jsonkeys
from .errors import HcnError, ValidationError
from .hresult import HResult

if TYPE_CHECKING:
    from .models._base import Model
    from .models.endpoint import Endpoint
    from .models.network import Network, Subnet
    from .models.policies.base import EndpointPolicy, PolicySetting, SubnetPolicy
    from .models.v1 import V1Endpoint, V1Namespace, V1Network, V1Response, V1Subnet
    from .models.v1_policies import V1Policy

__all__ = [
    "V1CallError",
    "endpoint_to_v2",
    "is_envelope",
    "network_to_v2",
    "policy_to_v2",
    "read_endpoint",
    "read_endpoints",
    "read_namespace",
    "read_network",
    "read_networks",
    "read_policy",
    "read_response",
    "unwrap",
]

M = TypeVar("M", bound="Model")
PolicyKind = Literal["endpoint", "network", "subnet"]


class V1CallError(HcnError):
    """HNS answered a V1 call with ``"Success": false``; ``error`` holds its ``Error`` text.

    The message is hcsshim's: ``HNS failed with error : <text>``. There is no HRESULT in a V1
    answer, so ``hresult`` is ``E_FAIL``.
    """

    def __init__(self, error: str, operation: str = "HNSCall") -> None:
        self.error = error
        super().__init__(HResult.E_FAIL, operation, None, f"HNS failed with error : {error}")


# --------------------------------------------------------------------------- reading


def _decode(source: Any) -> Any:
    """JSON text (``str``/``bytes``) decoded; anything else is taken as decoded JSON."""
    if not isinstance(source, str | bytes | bytearray):
        return source
    try:
        return json.loads(source)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not valid JSON"
        text = source if isinstance(source, str) else bytes(source).decode("utf-8", "replace")
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise ValidationError("", shown, f"invalid JSON: {reason}") from None


def _under(prefix: str, exc: ValidationError) -> ValidationError:
    """``exc`` with ``prefix`` put in front of its path."""
    if not prefix:
        return exc
    path = (
        prefix
        if not exc.path
        else (f"{prefix}{exc.path}" if exc.path.startswith("[") else f"{prefix}.{exc.path}")
    )
    return ValidationError(path, exc.value, exc.reason)


def _get(doc: Mapping[str, Any], key: str) -> tuple[str | None, Any]:
    """The (actual key, value) Go's decoder takes for ``key`` in ``doc``: the last key that
    matches it (:mod:`hcnpy.jsonkeys`)."""
    names = jsonkeys.matching(doc, key)
    return (names[-1], doc[names[-1]]) if names else (None, None)


def is_envelope(doc: Any) -> bool:
    """True if ``doc`` (decoded JSON) is an ``HNSCall`` answer: an object with ``Success`` and
    no keys other than ``Success``, ``Error`` and ``Output`` (any case)."""
    if not isinstance(doc, Mapping) or _get(doc, "Success")[0] is None:
        return False
    return all(isinstance(k, str) and k.casefold() in _ENVELOPE_KEYS for k in doc)


_ENVELOPE_KEYS = frozenset({"success", "error", "output"})


def read_response(source: Any) -> V1Response:
    """Decode an ``HNSCall`` answer envelope (JSON text or decoded JSON), failed or not."""
    from .convert import from_dict
    from .models.v1 import V1Response

    return from_dict(V1Response, _decode(source))


def unwrap(source: Any) -> tuple[Any, str]:
    """The payload of a V1 document and the path prefix it sits under.

    For an envelope: its ``Output`` and ``"Output"`` (raises :class:`V1CallError` if
    ``Success`` is false). For anything else: the document itself and ``""``.
    """
    doc = _decode(source)
    if not is_envelope(doc):
        return doc, ""
    response = read_response(doc)
    if not response.success:
        raise V1CallError(response.error or "unknown error")
    key, _ = _get(doc, "Output")
    return response.output, key or "Output"


def _read_one(cls: type[M], source: Any) -> M:
    from .convert import from_dict

    doc, prefix = unwrap(source)
    try:
        return from_dict(cls, doc)
    except ValidationError as exc:
        raise _under(prefix, exc) from None


def _read_many(cls: type[M], source: Any) -> tuple[M, ...]:
    from .convert import from_dict

    doc, prefix = unwrap(source)
    if not isinstance(doc, list):
        raise ValidationError(prefix, doc, f"expected a list of {cls.__name__} objects")
    out = []
    for index, item in enumerate(doc):
        try:
            out.append(from_dict(cls, item))
        except ValidationError as exc:
            raise _under(f"{prefix}[{index}]", exc) from None
    return tuple(out)


def read_network(source: Any) -> V1Network:
    """A V1 network, bare or in an envelope (``GET /networks/<id>``, ``POST /networks``)."""
    from .models.v1 import V1Network

    return _read_one(V1Network, source)


def read_networks(source: Any) -> tuple[V1Network, ...]:
    """A list of V1 networks, bare or in an envelope (``GET /networks``)."""
    from .models.v1 import V1Network

    return _read_many(V1Network, source)


def read_endpoint(source: Any) -> V1Endpoint:
    """A V1 endpoint, bare or in an envelope (``GET /endpoints/<id>``)."""
    from .models.v1 import V1Endpoint

    return _read_one(V1Endpoint, source)


def read_endpoints(source: Any) -> tuple[V1Endpoint, ...]:
    """A list of V1 endpoints, bare or in an envelope (``GET /endpoints``)."""
    from .models.v1 import V1Endpoint

    return _read_many(V1Endpoint, source)


def read_namespace(source: Any) -> V1Namespace:
    """A V1 namespace, bare or in an envelope (``GET /namespaces/<id>``)."""
    from .models.v1 import V1Namespace

    return _read_one(V1Namespace, source)


def read_policy(source: Any) -> V1Policy:
    """One flat V1 policy as its typed class (:data:`~hcnpy.models.v1_policies.V1_POLICY_CLASSES`,
    type matched ignoring case); a type without a class reads as
    :class:`~hcnpy.models.v1_policies.V1Policy`."""
    from .convert import from_dict
    from .models.v1_policies import V1_POLICY_CLASSES, V1Policy

    doc = _decode(source)
    if not isinstance(doc, Mapping):
        raise ValidationError("", doc, "a V1 policy is a JSON object with a Type")
    key, kind = _get(doc, "Type")
    if not isinstance(kind, str) or not kind:
        raise ValidationError(key or "Type", kind, "a V1 policy needs a Type")
    cls = V1_POLICY_CLASSES.get(kind.casefold(), V1Policy)
    return from_dict(cls, doc)


# --------------------------------------------------------------------------- V1 -> V2


def _reserved(cls: type[Any]) -> frozenset[str]:
    """Every key (case-folded) that model class ``cls`` reads as a field."""
    from .models._base import wire_of

    keys: set[str] = set()
    for field in attrs.fields(cls):
        meta = wire_of(field)
        if meta is not None:
            keys.update(k.casefold() for k in (meta.key, *meta.aliases))
    return frozenset(keys)


def _leftovers(obj: Model, used: set[str]) -> dict[str, Any]:
    """The wire members of ``obj`` (unknown fields included) whose keys are not in ``used``."""
    from .convert import to_dict

    return {k: v for k, v in to_dict(obj).items() if k not in used}


def _keep(leftovers: Mapping[str, Any], cls: type[Any]) -> dict[str, Any]:
    """The leftovers that can live in ``cls``'s ``unknown_fields`` (keys it does not read)."""
    reserved = _reserved(cls)
    return {k: v for k, v in leftovers.items() if k.casefold() not in reserved}


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


def _default_route(gateway: str, prefix: str | None) -> Any:
    from .models.common import Route

    v6 = ":" in (prefix or gateway)
    return Route(next_hop=gateway, destination_prefix="::/0" if v6 else "0.0.0.0/0")


def _health(leftovers: dict[str, Any], extra: dict[str, Any]) -> Any:
    """V2 ``Health``: ``extra`` as its ``Extra``, a V1 ``Health`` object's members as its
    unknown fields (both taken out of ``leftovers``)."""
    from .models.common import ExtraParams, Health

    members: dict[str, Any] = {}
    key, value = _get(leftovers, "Health")
    if key is not None and isinstance(value, Mapping):
        members = _keep(value, Health)
        del leftovers[key]
    return Health(extra=ExtraParams(**extra), unknown_fields=members)


def _take(leftovers: dict[str, Any], key: str) -> Any:
    found, value = _get(leftovers, key)
    if found is None:
        return None
    del leftovers[found]
    return value


def _convert_policies(
    policies: tuple[Mapping[str, Any], ...] | None, kind: PolicyKind, path: str
) -> tuple[list[Any], bool]:
    """The V2 policies for V1 ``policies`` and whether every one of them converted."""
    out = []
    complete = True
    for index, raw in enumerate(policies or ()):
        try:
            converted = policy_to_v2(raw, kind)
        except ValidationError as exc:
            raise _under(f"{path}[{index}]", exc) from None
        if converted is None:
            complete = False
        else:
            out.append(converted)
    return out, complete


def _subnet(subnet: V1Subnet, path: str) -> Subnet:
    from .models.network import Subnet, SubnetFlags

    used = {"AddressPrefix", "GatewayAddress", "Flags"}
    policies, complete = _convert_policies(subnet.policies, "subnet", f"{path}.Policies")
    if complete:
        used.add("Policies")
    routes: tuple[Any, ...] = ()
    if subnet.gateway_address:
        routes = (_default_route(subnet.gateway_address, subnet.address_prefix),)
    elif subnet.gateway_address is not None:
        used.discard("GatewayAddress")  # an empty gateway: no route to make, keep the key
    return Subnet(
        ip_address_prefix=subnet.address_prefix,
        policies=tuple(policies),
        routes=routes,
        flags=SubnetFlags(subnet.flags or 0),
        unknown_fields=_keep(_leftovers(subnet, used), Subnet),
    )


def network_to_v2(network: V1Network) -> Network:
    """The V2 :class:`~hcnpy.Network` for a V1 network (mapping: ``docs/hcnpy/v1.md``).

    Raises :class:`hcnpy.ValidationError` for a policy that names a V2 equivalent but cannot be
    converted (a ``NAT`` protocol with no number).
    """
    from .models.common import Dns, MacPool, MacRange
    from .models.network import Ipam, IpamType, Network, NetworkFlags, NetworkType
    from .models.policies.base import NetworkPolicy
    from .models.policies.network import (
        AutomaticDNSNetworkPolicySetting,
        NetAdapterNameNetworkPolicySetting,
        SourceMacAddressNetworkPolicySetting,
    )

    used = {"ID", "Name", "Type", "NetworkAdapterName", "SourceMac", "MacPools", "Subnets",
            "DNSSuffix", "DNSServerList", "AutomaticDNS", "Flags", "LayeredOn"}  # fmt: skip
    policies: list[Any] = []
    if network.network_adapter_name is not None:
        policies.append(NetworkPolicy.of(NetAdapterNameNetworkPolicySetting(
            network_adapter_name=network.network_adapter_name)))  # fmt: skip
    if network.source_mac is not None:
        policies.append(NetworkPolicy.of(SourceMacAddressNetworkPolicySetting(
            source_mac_address=network.source_mac)))  # fmt: skip
    if network.automatic_dns is not None:
        policies.append(NetworkPolicy.of(AutomaticDNSNetworkPolicySetting(
            enable=network.automatic_dns)))  # fmt: skip
    converted, complete = _convert_policies(network.policies, "network", "Policies")
    if complete:
        used.add("Policies")
    subnets = tuple(_subnet(s, f"Subnets[{i}]") for i, s in enumerate(network.subnets or ()))
    leftovers = _leftovers(network, used)
    extra = {"layered_on": network.layered_on, "resources": _take(leftovers, "Resources")}
    health = _health(leftovers, extra)
    try:
        net_type: Any = NetworkType(network.type) if network.type else NetworkType.NAT
    except ValueError:
        net_type = network.type
    return Network(
        id=network.id,
        name=network.name,
        type=net_type,
        policies=(*policies, *converted),
        mac_pool=MacPool(
            ranges=tuple(
                MacRange(
                    start_mac_address=p.start_mac_address,
                    end_mac_address=p.end_mac_address,
                    unknown_fields=_keep(p.unknown_fields, MacRange),
                )
                for p in network.mac_pools or ()
            )
        ),
        dns=Dns(search=_split(network.dns_suffix), server_list=_split(network.dns_server_list)),
        ipams=(Ipam(type=IpamType.STATIC, subnets=subnets),) if subnets else (),
        flags=NetworkFlags(network.flags or 0),
        health=health,
        unknown_fields=_keep(leftovers, Network),
    )


def endpoint_to_v2(endpoint: V1Endpoint) -> Endpoint:
    """The V2 :class:`~hcnpy.Endpoint` for a V1 endpoint (mapping: ``docs/hcnpy/v1.md``).

    Raises :class:`hcnpy.ValidationError` for a policy that names a V2 equivalent but cannot be
    converted.
    """
    from .models.common import Dns
    from .models.endpoint import Endpoint, EndpointFlags, IpConfig
    from .models.policies.base import EndpointPolicy
    from .models.policies.endpoint import EncapOverheadEndpointPolicySetting

    used = {"ID", "Name", "VirtualNetwork", "MacAddress", "IPAddress", "IPv6Address",
            "DNSSuffix", "DNSServerList", "DNSDomain", "GatewayAddress", "GatewayAddressV6",
            "DisableICC", "IsRemoteEndpoint", "EnableLowMetric", "EncapOverhead",
            "SharedContainers", "Flags"}  # fmt: skip
    converted, complete = _convert_policies(endpoint.policies, "endpoint", "Policies")
    if complete:
        used.add("Policies")
    policies = list(converted)
    if endpoint.encap_overhead is not None:
        policies.append(EndpointPolicy.of(
            EncapOverheadEndpointPolicySetting(overhead=endpoint.encap_overhead)))  # fmt: skip
    configs = []
    for address, length, keys in (
        (endpoint.ip_address, endpoint.prefix_length, ("IPAddress", "PrefixLength")),
        (endpoint.ipv6_address, endpoint.ipv6_prefix_length, ("IPv6Address", "IPv6PrefixLength")),
    ):
        if address:
            configs.append(IpConfig(ip_address=address, prefix_length=length))
            used.update(keys)
        elif address is not None:
            used.discard(keys[0])  # an empty address: keep the key
    routes = []
    for gateway, key in (
        (endpoint.gateway_address, "GatewayAddress"),
        (endpoint.gateway_address_v6, "GatewayAddressV6"),
    ):
        if gateway:
            routes.append(_default_route(gateway, None))
        elif gateway is not None:
            used.discard(key)
    namespace_id = None
    if endpoint.namespace is not None:
        namespace_id = endpoint.namespace.id
        if _only_id(endpoint.namespace):
            used.add("Namespace")
    flags = EndpointFlags(endpoint.flags or 0)
    if endpoint.is_remote_endpoint:
        flags |= EndpointFlags.REMOTE_ENDPOINT
    if endpoint.disable_icc:
        flags |= EndpointFlags.DISABLE_ICC
    if endpoint.enable_low_metric:
        flags |= EndpointFlags.ENABLE_LOW_INTERFACE_METRIC
    leftovers = _leftovers(endpoint, used)
    extra = {
        "shared_containers": (
            list(endpoint.shared_containers) if endpoint.shared_containers is not None else None
        ),
        "resources": _take(leftovers, "Resources"),
    }
    return Endpoint(
        id=endpoint.id,
        name=endpoint.name,
        host_compute_network=endpoint.virtual_network,
        host_compute_namespace=namespace_id,
        policies=tuple(policies),
        ip_configurations=tuple(configs),
        dns=Dns(
            domain=endpoint.dns_domain,
            search=_split(endpoint.dns_suffix),
            server_list=_split(endpoint.dns_server_list),
        ),
        routes=tuple(routes),
        mac_address=endpoint.mac_address,
        flags=flags,
        health=_health(leftovers, extra),
        unknown_fields=_keep(leftovers, Endpoint),
    )


def _only_id(namespace: V1Namespace) -> bool:
    from .convert import to_dict

    return set(to_dict(namespace)) <= {"ID"}


# --------------------------------------------------------------------------- policies


def policy_to_v2(
    policy: V1Policy | Mapping[str, Any], kind: PolicyKind
) -> EndpointPolicy | SubnetPolicy | None:
    """The V2 policy of ``kind`` (``"endpoint"``, ``"network"``, ``"subnet"``) for a V1
    policy, or ``None`` when V2 has no equivalent (mapping: ``docs/hcnpy/v1.md``).

    V1 keys the V2 settings do not have are kept in the settings' ``unknown_fields``.
    """
    from .models.policies.base import EndpointPolicy, SubnetPolicy

    typed = read_policy(policy) if isinstance(policy, Mapping) else policy
    build = _POLICY_CONVERSIONS.get((kind, type(typed).__name__))
    if build is None:
        return None
    made = build(typed)
    if made is None:
        return None
    settings, used = made
    used.add("Type")
    settings = attrs.evolve(settings, unknown_fields=_keep(_leftovers(typed, used), type(settings)))
    if kind == "subnet":
        return SubnetPolicy.of(settings)
    return EndpointPolicy.of(settings)


_Built = tuple["PolicySetting", set[str]] | None

_PROTOCOL_NAMES = {"icmp": 1, "icmpv4": 1, "igmp": 2, "tcp": 6, "udp": 17, "icmpv6": 58}


def _protocol_number(value: str) -> int:
    text = value.strip().casefold()
    if text in _PROTOCOL_NAMES:
        return _PROTOCOL_NAMES[text]
    if text.isdigit() and text.isascii() and int(text) <= 255:
        return int(text)
    raise ValidationError(
        "Protocol", value, "no IP protocol number for this name (want TCP, UDP, ICMP, … or 0-255)"
    )


def _nat(p: Any) -> _Built:
    from .models.common import ProtocolType
    from .models.policies.endpoint import NatFlags, PortMappingPolicySetting

    protocol: Any = None
    if p.protocol is not None:
        number = _protocol_number(p.protocol)
        protocol = ProtocolType(number) if number in ProtocolType._value2member_map_ else number
    flags = NatFlags.EXTERNAL_PORT_RESERVED if p.external_port_reserved else NatFlags.NONE
    setting = PortMappingPolicySetting(
        protocol=protocol, internal_port=p.internal_port, external_port=p.external_port, flags=flags
    )
    return setting, {"Protocol", "InternalPort", "ExternalPort", "ExternalPortReserved"}


def _either(text: str | None, number: int | None, keys: tuple[str, str], used: set[str]) -> Any:
    """A V2 list field from V1's list (``keys[0]``) or, failing that, its single value."""
    if text is not None:
        used.add(keys[0])
        return text
    if number is not None:
        used.add(keys[1])
        return str(number)
    return None


def _acl(p: Any) -> _Built:
    from .models.policies.acl import AclPolicySetting, ActionType, DirectionType, RuleType

    used = {"Id", "Action", "Direction", "LocalAddresses", "RemoteAddresses", "RuleType",
            "Priority"}  # fmt: skip
    setting = AclPolicySetting(
        id=p.id,
        protocols=_either(p.protocols, p.protocol, ("Protocols", "Protocol"), used),
        action=_enum(ActionType, p.action, ActionType.ALLOW),
        direction=_enum(DirectionType, p.direction, DirectionType.IN),
        local_addresses=p.local_addresses,
        remote_addresses=p.remote_addresses,
        local_ports=_either(p.local_ports, p.local_port, ("LocalPorts", "LocalPort"), used),
        remote_ports=_either(p.remote_ports, p.remote_port, ("RemotePorts", "RemotePort"), used),
        rule_type=_enum(RuleType, p.rule_type, None),
        priority=p.priority,
    )
    return setting, used


def _enum(cls: Any, value: str | None, default: Any) -> Any:
    if value is None:
        return default
    try:
        return cls(value)
    except ValueError:
        return value


def _outbound_nat(p: Any) -> _Built:
    from .models.policies.endpoint import OutboundNatPolicySetting

    setting = OutboundNatPolicySetting(
        virtual_ip=p.vip,
        exceptions=tuple(p.exception_list or ()),
        destinations=tuple(p.destinations or ()),
        max_port_pool_usage=p.max_port_pool_usage,
    )
    return setting, {"VIP", "ExceptionList", "Destinations", "MaxPortPoolUsage"}


def _pa(p: Any) -> _Built:
    from .models.policies.endpoint import ProviderAddressEndpointPolicySetting

    return ProviderAddressEndpointPolicySetting(provider_address=p.pa), {"PA"}


def _qos(p: Any) -> _Built:
    from .models.policies.endpoint import QosPolicySetting

    value = p.maximum_outgoing_bandwidth_in_bytes
    if value is None:
        return None
    return QosPolicySetting(maximum_outgoing_bandwidth_in_bytes=value), {
        "MaximumOutgoingBandwidthInBytes"
    }


def _route(p: Any) -> _Built:
    from .models.policies.shared import SDNRoutePolicySetting

    setting = SDNRoutePolicySetting(
        destination_prefix=p.destination_prefix, next_hop=p.next_hop, need_encap=p.need_encap
    )
    return setting, {"DestinationPrefix", "NextHop", "NeedEncap"}


def _proxy(p: Any) -> _Built:
    from .models.policies.proxy import L4ProxyPolicySetting

    setting = L4ProxyPolicySetting(
        ip=p.ip,
        port=p.port,
        exception_list=tuple(p.exception_list or ()),
        destination=p.destination or "",
        outbound_nat=p.outbound_nat,
    )
    return setting, {"IP", "Port", "ExceptionList", "Destination", "OutboundNat"}


def _l2_driver(p: Any) -> _Built:
    from .models.policies.endpoint import L2DriverPolicySetting

    return L2DriverPolicySetting(), set()


def _vlan(p: Any) -> _Built:
    from .models.policies.shared import VlanPolicySetting

    return None if p.vlan is None else (VlanPolicySetting(isolation_id=p.vlan), {"VLAN"})


def _vsid(p: Any) -> _Built:
    from .models.policies.shared import VsidPolicySetting

    return None if p.vsid is None else (VsidPolicySetting(isolation_id=p.vsid), {"VSID"})


#: (kind, V1 policy class name) → builder of the V2 settings and the V1 keys it consumed.
_POLICY_CONVERSIONS: Mapping[tuple[str, str], Callable[[Any], _Built]] = {
    ("endpoint", "V1NatPolicy"): _nat,
    ("endpoint", "V1AclPolicy"): _acl,
    ("endpoint", "V1OutboundNatPolicy"): _outbound_nat,
    ("endpoint", "V1PaPolicy"): _pa,
    ("endpoint", "V1QosPolicy"): _qos,
    ("endpoint", "V1RoutePolicy"): _route,
    ("endpoint", "V1ProxyPolicy"): _proxy,
    ("endpoint", "V1L2DriverPolicy"): _l2_driver,
    ("endpoint", "V1VlanPolicy"): _vlan,
    ("subnet", "V1VlanPolicy"): _vlan,
    ("subnet", "V1VsidPolicy"): _vsid,
}
