"""Results decoded and printed exactly as the Go reference's result types do it.

Versions up to 1.0.0 follow Debian's ``containernetworking/cni`` 1.1.2 (``types/020``,
``types/040``, ``types/100``): struct field order when printing, ``"dns": {}`` always
present, no 1.1.0 fields. Spec 1.1.0 exists only in newer libraries (libcni >= 1.2),
whose ``types/100`` prints through a map: sorted keys, empty ``dns`` left out, the 1.1.0
interface and route fields. See docs/cniskel/divergences.md.
"""

from __future__ import annotations

from cniskel._godecode import (
    BOOL,
    INT,
    STRING,
    Custom,
    Field,
    Ptr,
    Slice,
    Struct,
    Text,
    unmarshal,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from cniskel.result import DNS, Result, Route

_ = BOOL  # re-exported for schema authors


def _ipnet(raw: Any) -> Any:
    from cniskel.result import parse_cidr

    return parse_cidr(unmarshal(raw, STRING))


def _ip(text: str) -> Any:
    from cniskel.result import parse_ip

    return None if text == "" else parse_ip(text)


#: The anonymous struct ``create.DecodeVersion`` and skel decode a config's version into.
VERSION_ONLY = Struct(
    "", 'struct { CNIVersion string "json:\\"cniVersion\\"" }', [Field("cniVersion", STRING)]
)

IPNET = Custom("types.IPNet", _ipnet)
NET_IP = Text("net.IP", _ip)
_STRINGS = Slice(STRING, "[]string")

DNS_STRUCT = Struct(
    "DNS",
    "types.DNS",
    [
        Field("nameservers", _STRINGS),
        Field("domain", STRING),
        Field("search", _STRINGS),
        Field("options", _STRINGS),
    ],
)

_ROUTE_112 = Struct("route", "types.route", [Field("dst", IPNET), Field("gw", NET_IP)])
_INT_PTR = Ptr(INT)
_ROUTE_110 = Struct(
    "route",
    "types.route",
    [
        Field("dst", IPNET),
        Field("gw", NET_IP),
        Field("mtu", INT),
        Field("advmss", INT),
        Field("priority", INT),
        Field("table", _INT_PTR),
        Field("scope", _INT_PTR),
    ],
)
ROUTE = Custom("types.Route", lambda raw: unmarshal(raw, _ROUTE_112))
ROUTE_110 = Custom("types.Route", lambda raw: unmarshal(raw, _ROUTE_110))

_IP_020 = Struct(
    "ipConfig",
    "types020.ipConfig",
    [Field("ip", IPNET), Field("gateway", NET_IP), Field("routes", Slice(ROUTE, "[]types.Route"))],
)
IPCONFIG_020 = Custom("types020.IPConfig", lambda raw: unmarshal(raw, _IP_020))

RESULT_020 = Struct(
    "Result",
    "types020.Result",
    [
        Field("cniVersion", STRING),
        Field("ip4", Ptr(IPCONFIG_020)),
        Field("ip6", Ptr(IPCONFIG_020)),
        Field("dns", DNS_STRUCT),
    ],
)


def _modern(package: str, with_version: bool, head: bool) -> Struct:
    ip_fields = [Field("version", STRING)] if with_version else []
    ip_fields += [Field("interface", _INT_PTR), Field("address", IPNET), Field("gateway", NET_IP)]
    ip_struct = Struct("ipConfig", f"{package}.ipConfig", ip_fields)
    ipconfig = Custom(f"{package}.IPConfig", lambda raw: unmarshal(raw, ip_struct))
    intf_fields = [Field("name", STRING), Field("mac", STRING)]
    if head:
        intf_fields.append(Field("mtu", INT))
    intf_fields.append(Field("sandbox", STRING))
    if head:
        intf_fields += [Field("socketPath", STRING), Field("pciID", STRING)]
    interface = Struct("Interface", f"{package}.Interface", intf_fields)
    return Struct(
        "Result",
        f"{package}.Result",
        [
            Field("cniVersion", STRING),
            Field("interfaces", Slice(Ptr(interface), f"[]*{package}.Interface")),
            Field("ips", Slice(Ptr(ipconfig), f"[]*{package}.IPConfig")),
            Field("routes", Slice(Ptr(ROUTE_110 if head else ROUTE), "[]*types.Route")),
            Field("dns", DNS_STRUCT),
        ],
    )


RESULT_040 = _modern("types040", with_version=True, head=False)
RESULT_100 = _modern("types100", with_version=False, head=False)
RESULT_110 = _modern("types100", with_version=False, head=True)

#: Result type per version (``""`` is the 0.1.0/0.2.0 type's own spelling of 0.1.0).
SUPPORTED = {
    "": ("020", ("", "0.1.0", "0.2.0")),
    "0.1.0": ("020", ("", "0.1.0", "0.2.0")),
    "0.2.0": ("020", ("", "0.1.0", "0.2.0")),
    "0.3.0": ("040", ("0.3.0", "0.3.1", "0.4.0")),
    "0.3.1": ("040", ("0.3.0", "0.3.1", "0.4.0")),
    "0.4.0": ("040", ("0.3.0", "0.3.1", "0.4.0")),
    "1.0.0": ("100", ("1.0.0",)),
    "1.1.0": ("110", ("1.0.0", "1.1.0")),
}
_SCHEMAS = {"020": RESULT_020, "040": RESULT_040, "100": RESULT_100, "110": RESULT_110}


def decode(data: Any, version: str) -> Result:
    """Go's ``create.Create(version, bytes)`` on an already-parsed document."""
    from cniskel._gojson import go_quote
    from cniskel.result import DNS, Interface, IPConfig, Result, ResultError, Route

    entry = SUPPORTED.get(version)
    if entry is None:
        raise ResultError(f"unsupported CNI result version {go_quote(version)}")
    family, accepted = entry
    try:
        decoded = unmarshal(data, _SCHEMAS[family])
    except ValueError as exc:
        raise ResultError(str(exc)) from None
    except Exception as exc:  # TypeMismatch
        raise ResultError(str(exc)) from None
    embedded = decoded["cniVersion"]
    if embedded not in accepted:
        listed = " ".join(accepted)
        raise ResultError(
            f"result type supports [{listed}] but unmarshalled CNIVersion is {go_quote(embedded)}"
        )
    dns = _dns(decoded["dns"], DNS)
    if family == "020":
        result = Result(embedded or "0.1.0", dns=dns)
        for key, block_version in (("ip4", "4"), ("ip6", "6")):
            block = decoded[key]
            if block is None:
                continue
            result.ips.append(
                _ipconfig(block["ip"], block["gateway"], None, block_version, IPConfig)
            )
            for route in block["routes"] or ():
                item = _route(route, Route)
                item._bucket = key
                result.routes.append(item)
        return result
    result = Result(embedded, dns=dns)
    for intf in decoded["interfaces"] or ():
        if intf is None:
            raise ResultError("interfaces: null entry")
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
    for ip in decoded["ips"] or ():
        if ip is None:
            raise ResultError("ips: null entry")
        declared: str | None = ip["version"] if family == "040" else None
        result.ips.append(
            _ipconfig(ip["address"], ip["gateway"], ip["interface"], declared, IPConfig)
        )
    for route in decoded["routes"] or ():
        if route is None:
            raise ResultError("routes: null entry")
        result.routes.append(_route(route, Route))
    return result


def _missing(what: str) -> Exception:
    from cniskel.result import ResultError

    # Go would keep a nil network and print "<nil>"; see docs/cniskel/divergences.md.
    return ResultError(f"invalid CIDR address: {what}")


def _ipconfig(address: Any, gateway: Any, interface: Any, version: Any, cls: Any) -> Any:
    if address is None:
        raise _missing("")
    return cls(address, gateway, interface, version)


def _route(decoded: dict[str, Any], cls: type[Route]) -> Route:
    if decoded["dst"] is None:
        raise _missing("")
    return cls(
        decoded["dst"],
        decoded["gw"],
        decoded.get("mtu", 0),
        decoded.get("advmss", 0),
        decoded.get("priority", 0),
        decoded.get("table"),
        decoded.get("scope"),
    )


def _dns(decoded: dict[str, Any], cls: type[DNS]) -> DNS:
    return cls(
        decoded["nameservers"] or (),
        decoded["domain"],
        decoded["search"] or (),
        decoded["options"] or (),
    )
