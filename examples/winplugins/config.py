"""The network configuration: parsed with the reference plugins' leniency, none of their crashes.

The files operators already have were written for microsoft/windows-container-networking,
whose Go decoder matches JSON keys case-insensitively (``AdditionalArgs`` = ``additionalArgs``,
``GW`` = ``gw``). :func:`parse` does the same through :mod:`hcnpy.jsonkeys`: every key of
the configuration and of the sections the plugins read (``ipam``, ``dns``, ``optionalFlags``,
``runtimeConfig``, routes, port mappings, policy entries) matches ignoring case, and of
several matching keys the last one wins. Policy *values* and IPAM-plugin keys are passed on
unchanged. A top-level or ``optionalFlags`` key the plugins do not know is reported on stderr
with the closest known key (``Declarations.unknown_keys``: warn, error or ignore).

Everything is checked up front: a wrong type, a bad address or an unknown port-mapping protocol
raises :class:`~winplugins.errors.ConfigError` (CNI code 7) naming the field, never a traceback.

This module uses only the standard library; it is on every plugin invocation's import path.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from hcnpy import jsonkeys, jsontext

from . import policies
from .errors import ERR_DECODE, ConfigError, PluginError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeAlias

__all__ = [
    "DEFAULT_HNS_TIMEOUT",
    "DNS",
    "KNOWN_KEYS",
    "Flags",
    "Ipam",
    "NetConf",
    "PortMapping",
    "Route",
    "has_control_characters",
    "key_sections",
    "parse",
    "parse_for_delete",
]

Json: TypeAlias = "Any"

#: ``hnsTimeoutSeconds`` when the configuration has none: what HNS itself allows a call.
DEFAULT_HNS_TIMEOUT = 60.0
#: The largest ``hnsTimeoutSeconds`` accepted (an hour: kubelet gave up long before).
MAX_HNS_TIMEOUT = 3600.0

#: Top-level keys the plugins read, or accept knowingly and ignore (``master``,
#: ``apiVersion``, ``ipMasq``, ``ipMasqNetwork``: written by win-bridge-era files and by
#: flannel, meaningless here). Anything else is reported as unknown.
KNOWN_KEYS = (
    "cniVersion", "name", "type", "ipam", "dns", "capabilities", "runtimeConfig", "args",
    "prevResult", "cni.dev/valid-attachments", "cni.dev/attachments", "optionalFlags",
    "AdditionalArgs", "policies", "additionalRoutes", "loopbackDSR", "hnsTimeoutSeconds",
    "master", "apiVersion", "ipMasq", "ipMasqNetwork",
)  # fmt: skip


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
    """``int 5``, ``str "x"``, ``list [1, 2]``: a value for a message, at most ~60 characters."""
    return f"{type(value).__name__} {_shown(value)}"


def _shown(value: Json) -> str:
    if isinstance(value, int) and value.bit_length() > 200:  # text of >4300 digits raises
        return f"(a number of about {int(value.bit_length() * 0.30103)} digits)"
    try:
        text = jsontext.dumps(value)
    except ValueError:  # a huge integer deeper inside
        text = f"({type(value).__name__} holding a huge number)"
    return text if len(text) <= 60 else text[:57] + "..."


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
    dst = _str(jsonkeys.get(obj, "dst"), f"{path}.dst")
    # The reference reads only ``gw``; its own example/nat.conf writes ``gateway``, which it
    # silently ignored. Both are accepted here, ``gw`` first.
    gw = _str(jsonkeys.get(obj, "gw"), f"{path}.gw") or _str(
        jsonkeys.get(obj, "gateway"), f"{path}.gateway"
    )
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
        raise ConfigError(f"{path}: port {_shown(value)} is outside 1-65535")
    return value


def _port_mapping(value: Json, path: str) -> PortMapping:
    obj = _object(value, path)
    protocol = policies.protocol_number(jsonkeys.get(obj, "protocol"), f"{path}.protocol")
    host_ip = _str(jsonkeys.get(obj, "hostIP"), f"{path}.hostIP")
    return PortMapping(
        _port(jsonkeys.get(obj, "hostPort"), f"{path}.hostPort"),
        _port(jsonkeys.get(obj, "containerPort"), f"{path}.containerPort"),
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
    servers = _strings(jsonkeys.get(obj, "nameservers"), f"{path}.nameservers")
    return DNS(
        [_ip(s, f"{path}.nameservers[{i}]") for i, s in enumerate(servers)],
        _str(jsonkeys.get(obj, "domain"), f"{path}.domain"),
        _strings(jsonkeys.get(obj, "search"), f"{path}.search"),
        _strings(jsonkeys.get(obj, "options"), f"{path}.options"),
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
        **{
            attr: _bool(jsonkeys.get(obj, name), f"{path}.{name}")
            for name, attr in Flags.FIELDS.items()
        }
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
    subnet = _str(jsonkeys.get(obj, "subnet"), f"{path}.subnet")
    routes = _list(jsonkeys.get(obj, "routes"), f"{path}.routes")
    return Ipam(
        type=_str(jsonkeys.get(obj, "type"), f"{path}.type").strip(),
        subnet=_cidr(subnet, f"{path}.subnet") if subnet else "",
        routes=[_route(r, f"{path}.routes[{i}]") for i, r in enumerate(routes)],
        environment=_str(jsonkeys.get(obj, "environment"), f"{path}.environment"),
        address_space=_str(jsonkeys.get(obj, "addressSpace"), f"{path}.addressSpace"),
        ip_address=_str(jsonkeys.get(obj, "ipAddress"), f"{path}.ipAddress"),
        query_interval=_str(jsonkeys.get(obj, "queryInterval"), f"{path}.queryInterval"),
    )


class NetConf:
    """A parsed network configuration. ``raw`` keeps the decoded JSON for IPAM delegation."""

    __slots__ = (
        "additional_routes",
        "cni_version",
        "dns",
        "endpoint_policies",
        "flags",
        "hns_timeout",
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
        hns_timeout: float = 60.0,
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
        #: ``hnsTimeoutSeconds``: the whole verb's budget for HNS calls.
        self.hns_timeout = hns_timeout

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
        data = jsontext.loads(stdin)
    except (ValueError, UnicodeDecodeError) as err:
        raise PluginError(
            ERR_DECODE, "the network configuration is not valid JSON", str(err)
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"the network configuration must be a JSON object, got {_kind(data)}")
    return data


def _runtime_config(value: Json) -> tuple[list[PortMapping], DNS]:
    obj = _object(value, "runtimeConfig")
    mappings = _list(jsonkeys.get(obj, "portMappings"), "runtimeConfig.portMappings")
    dns = _object(jsonkeys.get(obj, "dns"), "runtimeConfig.dns")
    return (
        [_port_mapping(m, f"runtimeConfig.portMappings[{i}]") for i, m in enumerate(mappings)],
        DNS(
            [
                _ip(s, f"runtimeConfig.dns.servers[{i}]")
                for i, s in enumerate(
                    _strings(jsonkeys.get(dns, "servers"), "runtimeConfig.dns.servers")
                )
            ],
            _str(jsonkeys.get(dns, "domain"), "runtimeConfig.dns.domain"),
            _strings(jsonkeys.get(dns, "searches"), "runtimeConfig.dns.searches"),
            _strings(jsonkeys.get(dns, "options"), "runtimeConfig.dns.options"),
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
    for i, entry in enumerate(_list(jsonkeys.get(conf, key), key)):
        path = f"{key}[{i}]"
        obj = _object(entry, path)
        name = _str(jsonkeys.get(obj, "name"), f"{path}.Name").strip()
        kind = name.lower()
        if kind not in ("endpointpolicy", "networkpolicy"):
            # The reference drops other names too; they are not an error.
            continue
        policy = policies.normalize(jsonkeys.get(obj, "value"), f"{path}.Value")
        if policy["Type"].lower() == "loopbackdsr":
            dsr = True
            continue
        (endpoint if kind == "endpointpolicy" else network).append(policy)
    return endpoint, network, dsr


def has_control_characters(name: str) -> bool:
    """True for a name no HNS network can have (ADD refuses it; DEL has nothing to do)."""
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in name)


def _name(value: Json, *, strict: bool = True) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if strict:
        name = _str(value, "name").strip()
    if not name:
        raise ConfigError("name: the network name is missing (it names the HNS network)")
    if strict and has_control_characters(name):
        raise ConfigError(f"name: {name!r} contains control characters; no HNS network has them")
    return name


def _hns_timeout(value: Json) -> float:
    if value is None:
        return DEFAULT_HNS_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"hnsTimeoutSeconds: expected a number of seconds, got {_kind(value)}")
    if not 0 < value <= MAX_HNS_TIMEOUT:
        raise ConfigError(
            f"hnsTimeoutSeconds: {_shown(value)} is outside (0, {MAX_HNS_TIMEOUT:g}] seconds"
        )
    return float(value)


def key_sections(conf: Mapping[str, Json]) -> list[tuple[str, Mapping[str, Json], tuple[str, ...]]]:
    """``(where, section, known keys)`` of the parts whose keys are checked: the top level
    and ``optionalFlags`` (``ipam`` belongs to the IPAM plugin, policy values to HNS)."""
    sections: list[tuple[str, Mapping[str, Json], tuple[str, ...]]] = [("", conf, KNOWN_KEYS)]
    flags = jsonkeys.get(conf, "optionalFlags")
    if isinstance(flags, Mapping):
        sections.append(("optionalFlags", flags, tuple(Flags.FIELDS)))
    return sections


def parse(stdin: bytes | str | Mapping[str, Json]) -> NetConf:
    """Parse and validate a full configuration (ADD, CHECK, STATUS)."""
    conf = decode(stdin)
    name = _name(jsonkeys.get(conf, "name"))
    port_mappings, runtime_dns = _runtime_config(jsonkeys.get(conf, "runtimeConfig"))
    endpoint_policies, network_policies, dsr = _policy_entries(conf, "AdditionalArgs")
    more_endpoint, more_network, more_dsr = _policy_entries(conf, "policies")
    flags = _flags(jsonkeys.get(conf, "optionalFlags"), "optionalFlags")
    flags.loopback_dsr = flags.loopback_dsr or dsr or more_dsr
    additional = _list(jsonkeys.get(conf, "additionalRoutes"), "additionalRoutes")
    _object(jsonkeys.get(conf, "capabilities"), "capabilities")  # accepted; the runtime reads it
    return NetConf(
        name=name,
        type=_str(jsonkeys.get(conf, "type"), "type").strip(),
        cni_version=_str(jsonkeys.get(conf, "cniVersion"), "cniVersion").strip(),
        ipam=_ipam(jsonkeys.get(conf, "ipam"), "ipam"),
        dns=_dns(jsonkeys.get(conf, "dns"), "dns"),
        flags=flags,
        port_mappings=port_mappings,
        runtime_dns=runtime_dns,
        additional_routes=[_route(r, f"additionalRoutes[{i}]") for i, r in enumerate(additional)],
        endpoint_policies=endpoint_policies + more_endpoint,
        network_policies=network_policies + more_network,
        loopback_dsr_if_supported=_bool(jsonkeys.get(conf, "loopbackDSR"), "loopbackDSR"),
        raw=conf,
        hns_timeout=_hns_timeout(jsonkeys.get(conf, "hnsTimeoutSeconds")),
    )


def parse_for_delete(stdin: bytes | str | Mapping[str, Json]) -> NetConf:
    """Parse only what DEL, GC and STATUS need (``name``, ``type``, ``ipam.type``,
    ``hnsTimeoutSeconds``).

    DEL must not fail on parts of the configuration that have nothing to do with deleting
    (an unknown port-mapping protocol, a malformed policy): those are not even read here,
    and a ``hnsTimeoutSeconds`` ADD would refuse means the default.
    """
    conf = decode(stdin)
    name = _name(jsonkeys.get(conf, "name"), strict=False)
    try:
        hns_timeout = _hns_timeout(jsonkeys.get(conf, "hnsTimeoutSeconds"))
    except ConfigError:
        hns_timeout = DEFAULT_HNS_TIMEOUT
    ipam = jsonkeys.get(conf, "ipam")
    ipam_type = jsonkeys.get(ipam, "type") if isinstance(ipam, Mapping) else None
    flags = jsonkeys.get(conf, "optionalFlags")
    dual = jsonkeys.get(flags, "enableDualStack") if isinstance(flags, Mapping) else None
    kind = jsonkeys.get(conf, "type")
    cni_version = jsonkeys.get(conf, "cniVersion")
    return NetConf(
        name=name,
        type=kind.strip() if isinstance(kind, str) else "",
        cni_version=cni_version.strip() if isinstance(cni_version, str) else "",
        ipam=Ipam(type=ipam_type.strip() if isinstance(ipam_type, str) else ""),
        flags=Flags(enable_dual_stack=dual is True),
        raw=conf,
        hns_timeout=hns_timeout,
    )
