"""The network configuration: parsed with the reference plugins' leniency, none of their crashes.

The files operators already have were written for microsoft/windows-container-networking,
whose Go decoder matches JSON keys case-insensitively (``AdditionalArgs`` = ``additionalArgs``,
``GW`` = ``gw``). :func:`parse` does the same: an exact-case key wins, otherwise the last key
that matches case-insensitively. Unknown keys are ignored, as in the reference.

Everything is checked up front: a wrong type, a bad address or an unknown port-mapping protocol
raises :class:`~winplugins.errors.ConfigError` (CNI code 7) naming the field, never a traceback.

This module uses only the standard library; it is on every plugin invocation's import path.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping

from . import policies
from .errors import ERR_DECODE, ConfigError, PluginError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeAlias

__all__ = [
    "DNS",
    "Flags",
    "Ipam",
    "NetConf",
    "PortMapping",
    "Route",
    "get_ci",
    "parse",
    "parse_for_delete",
    "parse_k8s_namespace",
]

Json: TypeAlias = "Any"


def get_ci(obj: Mapping[str, Json], key: str) -> Json:
    """``obj[key]`` matched as Go's ``encoding/json`` does: exact case first, then any case.

    With several case-insensitive matches the last one wins (Go assigns them in order).
    A JSON ``null`` counts as absent. Returns ``None`` when there is no match.
    """
    if key in obj:
        return obj[key]
    folded = key.lower()
    found: Json = None
    for name, value in obj.items():
        if isinstance(name, str) and name.lower() == folded:
            found = value
    return found


def _object(value: Json, path: str) -> Mapping[str, Json]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{path}: expected a JSON object, got {_kind(value)}")
    return value


def _list(value: Json, path: str) -> list[Json]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{path}: expected a JSON array, got {_kind(value)}")
    return value


def _str(value: Json, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{path}: expected a string, got {_kind(value)}")
    return value


def _strings(value: Json, path: str) -> list[str]:
    return [_str(item, f"{path}[{i}]") for i, item in enumerate(_list(value, path))]


def _bool(value: Json, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: expected true or false, got {_kind(value)}")
    return value


def _kind(value: Json) -> str:
    text = json.dumps(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _ip(text: str, path: str) -> str:
    """Validate an IP address (v4 or v6) and return it in canonical form."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise ConfigError(f"{path}: not an IP address: {text!r}") from None


def _cidr(text: str, path: str) -> str:
    """Validate a CIDR and return it in canonical form (host bits kept, as HNS accepts them)."""
    try:
        return str(ipaddress.ip_interface(text.strip()))
    except ValueError:
        raise ConfigError(f"{path}: not an address prefix (CIDR): {text!r}") from None


class Route:
    """A route ``{dst, gw}`` from ``ipam.routes`` or ``additionalRoutes`` (either may be empty)."""

    __slots__ = ("dst", "gw")

    def __init__(self, dst: str = "", gw: str = "") -> None:
        self.dst = dst
        self.gw = gw

    def __repr__(self) -> str:
        return f"Route(dst={self.dst!r}, gw={self.gw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Route) and (self.dst, self.gw) == (other.dst, other.gw)

    __hash__ = None  # type: ignore[assignment]


def _route(value: Json, path: str) -> Route:
    obj = _object(value, path)
    dst = _str(get_ci(obj, "dst"), f"{path}.dst")
    # The reference reads only ``gw``; its own example/nat.conf writes ``gateway``, which it
    # silently ignored. Both are accepted here, ``gw`` first.
    gw = _str(get_ci(obj, "gw"), f"{path}.gw") or _str(get_ci(obj, "gateway"), f"{path}.gateway")
    return Route(_cidr(dst, f"{path}.dst") if dst else "", _ip(gw, f"{path}.gw") if gw else "")


class PortMapping:
    """A ``runtimeConfig.portMappings`` entry, validated; ``protocol`` is the IP protocol number."""

    __slots__ = ("container_port", "host_ip", "host_port", "protocol")

    def __init__(
        self, host_port: int, container_port: int, protocol: int, host_ip: str = ""
    ) -> None:
        self.host_port = host_port
        self.container_port = container_port
        self.protocol = protocol
        self.host_ip = host_ip

    def __repr__(self) -> str:
        return (
            f"PortMapping({self.host_port}->{self.container_port}, proto={self.protocol}, "
            f"host_ip={self.host_ip!r})"
        )


def _port(value: Json, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{path}: expected a port number 1-65535, got {_kind(value)}")
    if not 1 <= value <= 65535:
        raise ConfigError(f"{path}: port {value} is outside 1-65535")
    return value


def _port_mapping(value: Json, path: str) -> PortMapping:
    obj = _object(value, path)
    protocol = policies.protocol_number(get_ci(obj, "protocol"), f"{path}.protocol")
    host_ip = _str(get_ci(obj, "hostIP"), f"{path}.hostIP")
    return PortMapping(
        _port(get_ci(obj, "hostPort"), f"{path}.hostPort"),
        _port(get_ci(obj, "containerPort"), f"{path}.containerPort"),
        protocol,
        _ip(host_ip, f"{path}.hostIP") if host_ip else "",
    )


class DNS:
    """DNS settings for the endpoint: ``nameservers``, ``domain``, ``search``, ``options``."""

    __slots__ = ("domain", "nameservers", "options", "search")

    def __init__(
        self,
        nameservers: list[str] | None = None,
        domain: str = "",
        search: list[str] | None = None,
        options: list[str] | None = None,
    ) -> None:
        self.nameservers = nameservers or []
        self.domain = domain
        self.search = search or []
        self.options = options or []

    def __repr__(self) -> str:
        return (
            f"DNS(nameservers={self.nameservers!r}, domain={self.domain!r}, "
            f"search={self.search!r}, options={self.options!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DNS) and self.as_tuple() == other.as_tuple()

    __hash__ = None  # type: ignore[assignment]

    def as_tuple(self) -> tuple[list[str], str, list[str], list[str]]:
        return (self.nameservers, self.domain, self.search, self.options)

    def is_empty(self) -> bool:
        return not (self.nameservers or self.domain or self.search or self.options)


def _dns(value: Json, path: str) -> DNS:
    obj = _object(value, path)
    servers = _strings(get_ci(obj, "nameservers"), f"{path}.nameservers")
    return DNS(
        [_ip(s, f"{path}.nameservers[{i}]") for i, s in enumerate(servers)],
        _str(get_ci(obj, "domain"), f"{path}.domain"),
        _strings(get_ci(obj, "search"), f"{path}.search"),
        _strings(get_ci(obj, "options"), f"{path}.options"),
    )


class Flags:
    """``optionalFlags``: the reference's six switches plus this project's ``autoCreateNetwork``."""

    __slots__ = (
        "allow_acl_port_mapping",
        "auto_create_network",
        "enable_dual_stack",
        "force_bridge_gateway",
        "gateway_from_additional_routes",
        "local_routed_port_mapping",
        "loopback_dsr",
    )

    #: JSON name -> attribute name.
    FIELDS: ClassVar[dict[str, str]] = {
        "localRoutedPortMapping": "local_routed_port_mapping",
        "allowAclPortMapping": "allow_acl_port_mapping",
        "forceBridgeGateway": "force_bridge_gateway",
        "enableDualStack": "enable_dual_stack",
        "loopbackDSR": "loopback_dsr",
        "gatewayFromAdditionalRoutes": "gateway_from_additional_routes",
        "autoCreateNetwork": "auto_create_network",
    }

    def __init__(self, **values: bool) -> None:
        for attr in self.FIELDS.values():
            setattr(self, attr, bool(values.pop(attr, False)))
        if values:
            raise TypeError(f"unknown flags: {sorted(values)}")

    def __repr__(self) -> str:
        on = [name for name, attr in self.FIELDS.items() if getattr(self, attr)]
        return f"Flags({', '.join(on)})"

    # Explicit attribute declarations for type checkers (set in __init__ via setattr).
    local_routed_port_mapping: bool
    allow_acl_port_mapping: bool
    force_bridge_gateway: bool
    enable_dual_stack: bool
    loopback_dsr: bool
    gateway_from_additional_routes: bool
    auto_create_network: bool


def _flags(value: Json, path: str) -> Flags:
    obj = _object(value, path)
    return Flags(
        **{attr: _bool(get_ci(obj, name), f"{path}.{name}") for name, attr in Flags.FIELDS.items()}
    )


class Ipam:
    """The ``ipam`` section. ``type`` empty means HNS assigns the address."""

    __slots__ = (
        "address_space",
        "environment",
        "ip_address",
        "query_interval",
        "routes",
        "subnet",
        "type",
    )

    def __init__(
        self,
        type: str = "",
        subnet: str = "",
        routes: list[Route] | None = None,
        environment: str = "",
        address_space: str = "",
        ip_address: str = "",
        query_interval: str = "",
    ) -> None:
        self.type = type
        self.subnet = subnet
        self.routes = routes or []
        self.environment = environment
        self.address_space = address_space
        self.ip_address = ip_address
        self.query_interval = query_interval

    def __repr__(self) -> str:
        return f"Ipam(type={self.type!r}, subnet={self.subnet!r}, routes={self.routes!r})"


def _ipam(value: Json, path: str) -> Ipam:
    obj = _object(value, path)
    subnet = _str(get_ci(obj, "subnet"), f"{path}.subnet")
    routes = _list(get_ci(obj, "routes"), f"{path}.routes")
    return Ipam(
        type=_str(get_ci(obj, "type"), f"{path}.type").strip(),
        subnet=_cidr(subnet, f"{path}.subnet") if subnet else "",
        routes=[_route(r, f"{path}.routes[{i}]") for i, r in enumerate(routes)],
        environment=_str(get_ci(obj, "environment"), f"{path}.environment"),
        address_space=_str(get_ci(obj, "addressSpace"), f"{path}.addressSpace"),
        ip_address=_str(get_ci(obj, "ipAddress"), f"{path}.ipAddress"),
        query_interval=_str(get_ci(obj, "queryInterval"), f"{path}.queryInterval"),
    )


class NetConf:
    """A parsed network configuration. ``raw`` keeps the decoded JSON for IPAM delegation."""

    __slots__ = (
        "additional_routes",
        "cni_version",
        "dns",
        "endpoint_policies",
        "flags",
        "ipam",
        "loopback_dsr_if_supported",
        "name",
        "network_policies",
        "port_mappings",
        "raw",
        "runtime_dns",
        "type",
    )

    def __init__(
        self,
        name: str,
        type: str = "",
        cni_version: str = "",
        ipam: Ipam | None = None,
        dns: DNS | None = None,
        flags: Flags | None = None,
        port_mappings: list[PortMapping] | None = None,
        runtime_dns: DNS | None = None,
        additional_routes: list[Route] | None = None,
        endpoint_policies: list[policies.Policy] | None = None,
        network_policies: list[policies.Policy] | None = None,
        loopback_dsr_if_supported: bool = False,
        raw: Mapping[str, Json] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.cni_version = cni_version
        self.ipam = ipam or Ipam()
        self.dns = dns or DNS()
        self.flags = flags or Flags()
        self.port_mappings = port_mappings or []
        self.runtime_dns = runtime_dns or DNS()
        self.additional_routes = additional_routes or []
        self.endpoint_policies = endpoint_policies or []
        self.network_policies = network_policies or []
        self.loopback_dsr_if_supported = loopback_dsr_if_supported
        self.raw = raw or {}

    def __repr__(self) -> str:
        return f"NetConf(name={self.name!r}, type={self.type!r}, cniVersion={self.cni_version!r})"

    @property
    def wants_loopback_dsr(self) -> bool:
        """True when either the WCN flag or win-bridge's top-level ``loopbackDSR`` is set."""
        return self.flags.loopback_dsr or self.loopback_dsr_if_supported


def decode(stdin: bytes | str | Mapping[str, Json]) -> Mapping[str, Json]:
    """Decode stdin into a JSON object; code 6 on bad JSON, 7 if it is not an object."""
    if isinstance(stdin, Mapping):
        return stdin
    try:
        data = json.loads(stdin)
    except (ValueError, UnicodeDecodeError) as err:
        raise PluginError(
            ERR_DECODE, "the network configuration is not valid JSON", str(err)
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"the network configuration must be a JSON object, got {_kind(data)}")
    return data


def _runtime_config(value: Json) -> tuple[list[PortMapping], DNS]:
    obj = _object(value, "runtimeConfig")
    mappings = _list(get_ci(obj, "portMappings"), "runtimeConfig.portMappings")
    dns = _object(get_ci(obj, "dns"), "runtimeConfig.dns")
    return (
        [_port_mapping(m, f"runtimeConfig.portMappings[{i}]") for i, m in enumerate(mappings)],
        DNS(
            [
                _ip(s, f"runtimeConfig.dns.servers[{i}]")
                for i, s in enumerate(_strings(get_ci(dns, "servers"), "runtimeConfig.dns.servers"))
            ],
            _str(get_ci(dns, "domain"), "runtimeConfig.dns.domain"),
            _strings(get_ci(dns, "searches"), "runtimeConfig.dns.searches"),
            _strings(get_ci(dns, "options"), "runtimeConfig.dns.options"),
        ),
    )


def _policy_entries(
    conf: Mapping[str, Json], key: str
) -> tuple[list[policies.Policy], list[policies.Policy], bool]:
    """Read ``AdditionalArgs`` or ``policies``: ``[{Name, Value}]``.

    Returns (endpoint policies, network policies, loopback DSR requested). Azure CNI's V1
    ``{"Type": "LoopbackDSR"}`` entry is not an HNS policy: it asks for loopback DSR, which
    needs the pod IP, so it becomes the same request as ``optionalFlags.loopbackDSR``.
    """
    endpoint: list[policies.Policy] = []
    network: list[policies.Policy] = []
    dsr = False
    for i, entry in enumerate(_list(get_ci(conf, key), key)):
        path = f"{key}[{i}]"
        obj = _object(entry, path)
        name = _str(get_ci(obj, "name"), f"{path}.Name").strip()
        kind = name.lower()
        if kind not in ("endpointpolicy", "networkpolicy"):
            # The reference drops other names too; they are not an error.
            continue
        policy = policies.normalize(get_ci(obj, "value"), f"{path}.Value")
        if policy["Type"].lower() == "loopbackdsr":
            dsr = True
            continue
        (endpoint if kind == "endpointpolicy" else network).append(policy)
    return endpoint, network, dsr


def parse(stdin: bytes | str | Mapping[str, Json]) -> NetConf:
    """Parse and validate a full configuration (ADD, CHECK, STATUS)."""
    conf = decode(stdin)
    name = _str(get_ci(conf, "name"), "name").strip()
    if not name:
        raise ConfigError("name: the network name is missing (it names the HNS network)")
    port_mappings, runtime_dns = _runtime_config(get_ci(conf, "runtimeConfig"))
    endpoint_policies, network_policies, dsr = _policy_entries(conf, "AdditionalArgs")
    more_endpoint, more_network, more_dsr = _policy_entries(conf, "policies")
    flags = _flags(get_ci(conf, "optionalFlags"), "optionalFlags")
    flags.loopback_dsr = flags.loopback_dsr or dsr or more_dsr
    additional = _list(get_ci(conf, "additionalRoutes"), "additionalRoutes")
    _object(get_ci(conf, "capabilities"), "capabilities")  # accepted; the runtime reads it
    return NetConf(
        name=name,
        type=_str(get_ci(conf, "type"), "type").strip(),
        cni_version=_str(get_ci(conf, "cniVersion"), "cniVersion").strip(),
        ipam=_ipam(get_ci(conf, "ipam"), "ipam"),
        dns=_dns(get_ci(conf, "dns"), "dns"),
        flags=flags,
        port_mappings=port_mappings,
        runtime_dns=runtime_dns,
        additional_routes=[_route(r, f"additionalRoutes[{i}]") for i, r in enumerate(additional)],
        endpoint_policies=endpoint_policies + more_endpoint,
        network_policies=network_policies + more_network,
        loopback_dsr_if_supported=_bool(get_ci(conf, "loopbackDSR"), "loopbackDSR"),
        raw=conf,
    )


def parse_for_delete(stdin: bytes | str | Mapping[str, Json]) -> NetConf:
    """Parse only what DEL needs (``name``, ``type``, ``ipam.type``).

    DEL must not fail on parts of the configuration that have nothing to do with deleting
    (an unknown port-mapping protocol, a malformed policy): those are not even read here.
    """
    conf = decode(stdin)
    name = get_ci(conf, "name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("name: the network name is missing (it names the HNS network)")
    ipam = get_ci(conf, "ipam")
    ipam_type = get_ci(ipam, "type") if isinstance(ipam, Mapping) else None
    flags = get_ci(conf, "optionalFlags")
    dual = get_ci(flags, "enableDualStack") if isinstance(flags, Mapping) else None
    kind = get_ci(conf, "type")
    cni_version = get_ci(conf, "cniVersion")
    return NetConf(
        name=name.strip(),
        type=kind.strip() if isinstance(kind, str) else "",
        cni_version=cni_version.strip() if isinstance(cni_version, str) else "",
        ipam=Ipam(type=ipam_type.strip() if isinstance(ipam_type, str) else ""),
        flags=Flags(enable_dual_stack=dual is True),
        raw=conf,
    )


def parse_k8s_namespace(cni_args: str) -> str:
    """``K8S_POD_NAMESPACE`` from a ``CNI_ARGS`` string (``K=V;K=V``); empty when absent.

    Malformed pairs are skipped rather than failing the whole parse: the namespace only feeds
    the DNS search-suffix rewrite.
    """
    for pair in cni_args.split(";"):
        key, sep, value = pair.partition("=")
        if sep and key.strip() == "K8S_POD_NAMESPACE":
            return value.strip()
    return ""
