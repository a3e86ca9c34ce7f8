"""The result model: one 1.1.0-shaped superset, printable in every spec version.

Conversion follows the Go reference (``pkg/types/{020,040,100}``): see
``docs/cniskel/versions.md``. Importing this module is cheap; ``ipaddress`` is
loaded on first use.
"""

from __future__ import annotations

from cniskel._addr import ResultError, parse_cidr, parse_ip
from cniskel._version import (
    LEGACY_RESULT_VERSIONS,
    V04_RESULT_VERSIONS,
    V1_RESULT_VERSIONS,
)

__all__ = [
    "DNS",
    "IPConfig",
    "Interface",
    "Result",
    "ResultError",
    "Route",
    "family_of",
    "parse_cidr",
    "parse_ip",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv4Address, IPv4Interface, IPv6Address, IPv6Interface
    from typing import Any, TypeAlias

    IPAddress: TypeAlias = IPv4Address | IPv6Address
    IPCidr: TypeAlias = IPv4Interface | IPv6Interface


def family_of(version: str) -> str:
    """The result family of a spec version: ``"020"``, ``"040"``, ``"100"`` or ``""``."""
    if version in LEGACY_RESULT_VERSIONS or version == "":
        return "020"
    if version in V04_RESULT_VERSIONS:
        return "040"
    if version in V1_RESULT_VERSIONS:
        return "100"
    return ""


def _cidr(value: str | IPCidr) -> IPCidr:
    return parse_cidr(value) if isinstance(value, str) else value


def _ip(value: str | IPAddress | None) -> IPAddress | None:
    if value is None:
        return None
    return parse_ip(value) if isinstance(value, str) else value


# --- model ---------------------------------------------------------------------


class _Record:
    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class DNS(_Record):
    """DNS settings of a result (also the shape of the config's ``dns`` key)."""

    __slots__ = ("domain", "nameservers", "options", "search")

    def __init__(
        self,
        nameservers: Iterable[str] = (),
        domain: str = "",
        search: Iterable[str] = (),
        options: Iterable[str] = (),
    ) -> None:
        self.nameservers = list(nameservers)
        self.domain = domain
        self.search = list(search)
        self.options = list(options)

    def is_empty(self) -> bool:
        """True when no field is set (Go's ``DNS.IsEmpty``)."""
        return not (self.nameservers or self.domain or self.search or self.options)

    def copy(self) -> DNS:
        """An independent copy."""
        return DNS(self.nameservers, self.domain, self.search, self.options)

    def to_dict(self) -> dict[str, object]:
        """The JSON object; empty fields are omitted."""
        out: dict[str, object] = {}
        if self.nameservers:
            out["nameservers"] = list(self.nameservers)
        if self.domain:
            out["domain"] = self.domain
        if self.search:
            out["search"] = list(self.search)
        if self.options:
            out["options"] = list(self.options)
        return out

    @classmethod
    def from_dict(cls, data: object) -> DNS:
        """Decode a ``dns`` object like Go's ``types.DNS``; ``null`` is empty."""
        from cniskel._resultcodec import decode_dns

        return _dns(decode_dns(data))


class Interface(_Record):
    """An interface a plugin created or configured."""

    __slots__ = ("mac", "mtu", "name", "pci_id", "sandbox", "socket_path")

    def __init__(
        self,
        name: str,
        mac: str = "",
        mtu: int = 0,
        sandbox: str = "",
        socket_path: str = "",
        pci_id: str = "",
    ) -> None:
        self.name = name
        self.mac = mac
        self.mtu = mtu
        self.sandbox = sandbox
        self.socket_path = socket_path
        self.pci_id = pci_id

    def copy(self) -> Interface:
        """An independent copy."""
        return Interface(self.name, self.mac, self.mtu, self.sandbox, self.socket_path, self.pci_id)


class IPConfig(_Record):
    """An address assigned to an interface (``ips`` entry).

    ``address`` keeps host bits (``10.1.2.3/24``). ``interface`` is an index
    into :attr:`Result.interfaces`. ``version`` is only meaningful for
    0.3.x/0.4.0 results: the ``"4"``/``"6"`` received; ``None`` derives it
    from the address.
    """

    __slots__ = ("address", "gateway", "interface", "version")

    def __init__(
        self,
        address: str | IPCidr,
        gateway: str | IPAddress | None = None,
        interface: int | None = None,
        version: str | None = None,
    ) -> None:
        self.address: IPCidr = _cidr(address)
        self.gateway: IPAddress | None = _ip(gateway)
        self.interface = interface
        self.version = version

    def copy(self) -> IPConfig:
        """An independent copy."""
        return IPConfig(self.address, self.gateway, self.interface, self.version)

    def derived_version(self) -> str:
        """``"4"`` or ``"6"`` from the address family."""
        return str(self.address.version)


class Route(_Record):
    """A route; ``dst`` keeps host bits. ``table``/``scope`` are omitted when None."""

    __slots__ = ("_bucket", "advmss", "dst", "gw", "mtu", "priority", "scope", "table")

    def __init__(
        self,
        dst: str | IPCidr,
        gw: str | IPAddress | None = None,
        mtu: int = 0,
        advmss: int = 0,
        priority: int = 0,
        table: int | None = None,
        scope: int | None = None,
    ) -> None:
        self.dst: IPCidr = _cidr(dst)
        self.gw: IPAddress | None = _ip(gw)
        self.mtu = mtu
        self.advmss = advmss
        self.priority = priority
        self.table = table
        self.scope = scope
        # For results decoded from 0.1.0/0.2.0: "ip4" or "ip6", the block the
        # route was listed under, so printing it back in 0.x keeps it there.
        self._bucket = ""

    def _values(self) -> tuple[object, ...]:
        return (self.dst, self.gw, self.mtu, self.advmss, self.priority, self.table, self.scope)

    def __repr__(self) -> str:
        names = ("dst", "gw", "mtu", "advmss", "priority", "table", "scope")
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._values(), strict=True))
        return f"Route({fields})"

    def copy(self) -> Route:
        """An independent copy."""
        route = Route(
            self.dst, self.gw, self.mtu, self.advmss, self.priority, self.table, self.scope
        )
        route._bucket = self._bucket
        return route

    def to_dict(self, legacy: bool = False) -> dict[str, object]:
        """The JSON object; ``legacy`` keeps only ``dst``/``gw`` (0.1.0/0.2.0)."""
        out: dict[str, object] = {"dst": str(self.dst)}
        if self.gw is not None:
            out["gw"] = str(self.gw)
        if legacy:
            return out
        if self.mtu:
            out["mtu"] = self.mtu
        if self.advmss:
            out["advmss"] = self.advmss
        if self.priority:
            out["priority"] = self.priority
        if self.table is not None:
            out["table"] = self.table
        if self.scope is not None:
            out["scope"] = self.scope
        return out

    @classmethod
    def from_dict(cls, data: object) -> Route:
        """Decode a route object like Go's ``types.Route`` (1.1.0 fields included)."""
        from cniskel._resultcodec import decode_route

        return _route(decode_route(data))


class Result(_Record):
    """A plugin result in the 1.1.0 shape, convertible to every spec version.

    ``cni_version`` is the version the result is expressed in; a result a
    plugin builds itself defaults to 1.1.0 and is converted when printed.
    """

    __slots__ = ("cni_version", "dns", "interfaces", "ips", "routes")

    def __init__(
        self,
        cni_version: str = "1.1.0",
        interfaces: Iterable[Interface] = (),
        ips: Iterable[IPConfig] = (),
        routes: Iterable[Route] = (),
        dns: DNS | None = None,
    ) -> None:
        self.cni_version = cni_version
        self.interfaces = list(interfaces)
        self.ips = list(ips)
        self.routes = list(routes)
        self.dns = dns if dns is not None else DNS()

    def copy(self) -> Result:
        """A deep copy."""
        return Result(
            self.cni_version,
            [i.copy() for i in self.interfaces],
            [ip.copy() for ip in self.ips],
            [r.copy() for r in self.routes],
            self.dns.copy(),
        )

    # -- conversion ---------------------------------------------------------

    def convert(self, version: str) -> Result:
        """This result as the reference would convert it to ``version``.

        Lossy where the target cannot express something (see the docs);
        raises :class:`ResultError` like the reference (e.g. no IP for 0.2.0).
        """
        return Result.from_dict(self.to_dict(version), version)

    def to_dict(self, version: str | None = None) -> dict[str, object]:
        """The JSON object of this result converted to ``version`` (default: its own)."""
        source = self.cni_version or "1.1.0"
        target = source if version is None else (version or "0.1.0")
        src_family, dst_family = family_of(source), family_of(target)
        if not src_family:
            src_family = "100"
        if not dst_family:
            raise ResultError(f"no converter for CNI result version {source} to {target}")
        if dst_family == "020":
            return self._to_020(target, src_family)
        if dst_family == "040":
            return self._to_040(target, src_family)
        if target == "1.0.0":
            return self._to_100(target)
        return self._to_110(target)

    def to_json(self, version: str | None = None) -> bytes:
        """Serialise like Go's ``Result.Print``: 4-space indent, no trailing newline."""
        from cniskel._gojson import marshal_indent

        return marshal_indent(self.to_dict(version))

    def _ip_version(self, ip: IPConfig, src_family: str) -> str:
        if src_family in ("020", "040") and ip.version is not None:
            return ip.version
        return ip.derived_version()

    def _to_020(self, target: str, src_family: str) -> dict[str, object]:
        ip4: dict[str, object] | None = None
        ip6: dict[str, object] | None = None
        for ip in self.ips:
            declared = self._ip_version(ip, src_family)
            entry: dict[str, object] = {"ip": str(ip.address)}
            if ip.gateway is not None:
                entry["gateway"] = str(ip.gateway)
            if declared == "4" and ip4 is None:
                ip4 = entry
            elif declared == "6" and ip6 is None:
                ip6 = entry
            if ip4 is not None and ip6 is not None:
                break
        if ip4 is None and ip6 is None and src_family != "020":
            raise ResultError("cannot convert: no valid IP addresses")
        for route in self.routes:
            if src_family == "020" and route._bucket:
                block = ip4 if route._bucket == "ip4" else ip6
            else:
                block = ip4 if route.dst.version == 4 else ip6
            if block is not None:
                routes = block.setdefault("routes", [])
                assert isinstance(routes, list)
                routes.append(route.to_dict(legacy=True))
        out: dict[str, object] = {"cniVersion": target}
        if ip4 is not None:
            out["ip4"] = ip4
        if ip6 is not None:
            out["ip6"] = ip6
        out["dns"] = self.dns.to_dict()
        return out

    def _to_040(self, target: str, src_family: str) -> dict[str, object]:
        out: dict[str, object] = {"cniVersion": target}
        if self.interfaces:
            interfaces = []
            for intf in self.interfaces:
                item: dict[str, object] = {"name": intf.name}
                if intf.mac:
                    item["mac"] = intf.mac
                if intf.sandbox:
                    item["sandbox"] = intf.sandbox
                interfaces.append(item)
            out["interfaces"] = interfaces
        if self.ips:
            ips = []
            for ip in self.ips:
                entry: dict[str, object] = {"version": self._ip_version(ip, src_family)}
                if ip.interface is not None:
                    entry["interface"] = ip.interface
                entry["address"] = str(ip.address)
                if ip.gateway is not None:
                    entry["gateway"] = str(ip.gateway)
                ips.append(entry)
            out["ips"] = ips
        if self.routes:
            # Debian's libcni 1.1.2 routes carry only dst and gw below spec 1.1.0.
            out["routes"] = [r.to_dict(legacy=True) for r in self.routes]
        out["dns"] = self.dns.to_dict()
        return out

    def _to_100(self, target: str) -> dict[str, object]:
        # Debian's libcni 1.1.2 (types100 for spec 1.0.0): struct order, "dns" always.
        out: dict[str, object] = {"cniVersion": target}
        if self.interfaces:
            interfaces = []
            for intf in self.interfaces:
                item: dict[str, object] = {"name": intf.name}
                if intf.mac:
                    item["mac"] = intf.mac
                if intf.sandbox:
                    item["sandbox"] = intf.sandbox
                interfaces.append(item)
            out["interfaces"] = interfaces
        if self.ips:
            ips = []
            for ip in self.ips:
                entry: dict[str, object] = {}
                if ip.interface is not None:
                    entry["interface"] = ip.interface
                entry["address"] = str(ip.address)
                if ip.gateway is not None:
                    entry["gateway"] = str(ip.gateway)
                ips.append(entry)
            out["ips"] = ips
        if self.routes:
            out["routes"] = [r.to_dict(legacy=True) for r in self.routes]
        out["dns"] = self.dns.to_dict()
        return out

    def _to_110(self, target: str) -> dict[str, object]:
        # libcni >= 1.2 marshals 1.x results through a Go map, so every level's
        # keys come out sorted and an empty dns is left out.
        out: dict[str, object] = {"cniVersion": target}
        if not self.dns.is_empty():
            out["dns"] = _sorted(self.dns.to_dict())
        if self.interfaces:
            interfaces = []
            for intf in self.interfaces:
                item: dict[str, object] = {"name": intf.name}
                if intf.mac:
                    item["mac"] = intf.mac
                if intf.mtu:
                    item["mtu"] = intf.mtu
                if intf.sandbox:
                    item["sandbox"] = intf.sandbox
                if intf.socket_path:
                    item["socketPath"] = intf.socket_path
                if intf.pci_id:
                    item["pciID"] = intf.pci_id
                interfaces.append(_sorted(item))
            out["interfaces"] = interfaces
        if self.ips:
            ips = []
            for ip in self.ips:
                entry: dict[str, object] = {"address": str(ip.address)}
                if ip.gateway is not None:
                    entry["gateway"] = str(ip.gateway)
                if ip.interface is not None:
                    entry["interface"] = ip.interface
                ips.append(entry)
            out["ips"] = ips
        if self.routes:
            out["routes"] = [_sorted(r.to_dict()) for r in self.routes]
        return out

    # -- decoding -------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: object, version: str | None = None) -> Result:
        """Decode a result like Go's ``create.Create(version, bytes)``.

        ``version`` picks the result type (default: the ``cniVersion`` in
        ``data``, missing meaning 0.1.0); the embedded ``cniVersion`` must
        belong to the same type. ``data`` comes from :func:`cniskel._gojson.loads`
        (or plain ``json``); keys match like Go's decoder.
        """
        from cniskel._resultcodec import decode, embedded_version

        if version is None:
            version = embedded_version(data)
        return _build(*decode(data, version))

    @classmethod
    def from_json(cls, data: bytes | str, version: str | None = None) -> Result:
        """Decode JSON text; see :meth:`from_dict`."""
        from cniskel._gojson import GoDecodeError, loads

        try:
            decoded = loads(data)
        except GoDecodeError as exc:
            raise ResultError(str(exc)) from None
        return cls.from_dict(decoded, version)


def _build(family: str, embedded: str, decoded: dict[str, Any]) -> Result:
    """A :class:`Result` from a decoded Go result struct."""
    dns = _dns(decoded["dns"])
    if family == "020":
        result = Result(embedded or "0.1.0", dns=dns)
        for key, block_version in (("ip4", "4"), ("ip6", "6")):
            block = decoded[key]
            if block is None:
                continue
            result.ips.append(_ipconfig(block["ip"], block["gateway"], None, block_version))
            for raw in block["routes"] or ():
                route = _route(raw)
                route._bucket = key
                result.routes.append(route)
        return result
    result = Result(embedded, dns=dns)
    for intf in _entries(decoded["interfaces"], "interfaces"):
        result.interfaces.append(
            Interface(
                intf["name"],
                intf["mac"],
                intf.get("mtu", 0),
                intf["sandbox"],
                intf.get("socketPath", ""),
                intf.get("pciID", ""),
            )
        )
    for ip in _entries(decoded["ips"], "ips"):
        declared: str | None = ip["version"] if family == "040" else None
        result.ips.append(_ipconfig(ip["address"], ip["gateway"], ip["interface"], declared))
    for raw in _entries(decoded["routes"], "routes"):
        result.routes.append(_route(raw))
    return result


def _entries(items: list[Any] | None, where: str) -> list[Any]:
    # Go keeps a null entry as a nil pointer and crashes on it later; refuse it here.
    for item in items or ():
        if item is None:
            raise ResultError(f"{where}: null entry")
    return items or []


def _missing_address() -> ResultError:
    # Go would keep a nil network and print "<nil>"; see docs/cniskel/divergences.md.
    return ResultError("invalid CIDR address: ")


def _ipconfig(address: Any, gateway: Any, interface: Any, version: str | None) -> IPConfig:
    if address is None:
        raise _missing_address()
    return IPConfig(address, gateway, interface, version)


def _route(decoded: dict[str, Any]) -> Route:
    if decoded["dst"] is None:
        raise _missing_address()
    return Route(
        decoded["dst"],
        decoded["gw"],
        decoded.get("mtu", 0),
        decoded.get("advmss", 0),
        decoded.get("priority", 0),
        decoded.get("table"),
        decoded.get("scope"),
    )


def _dns(decoded: dict[str, Any]) -> DNS:
    return DNS(
        decoded["nameservers"] or (),
        decoded["domain"],
        decoded["search"] or (),
        decoded["options"] or (),
    )


def _sorted(obj: dict[str, object]) -> dict[str, object]:
    return {key: obj[key] for key in sorted(obj)}
