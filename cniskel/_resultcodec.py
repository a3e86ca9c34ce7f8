"""Results decoded and printed exactly as the Go reference's result types do it.

Versions up to 1.0.0 follow Debian's ``containernetworking/cni`` 1.1.2 (``types/020``,
``types/040``, ``types/100``): struct field order when printing, ``"dns": {}`` always
present, no 1.1.0 fields. Spec 1.1.0 exists only in newer libraries (libcni >= 1.2),
whose ``types/100`` prints through a map: sorted keys, empty ``dns`` left out, the 1.1.0
interface and route fields. See docs/cniskel/divergences.md.
"""

from __future__ import annotations

from cniskel._addr import ResultError, parse_cidr, parse_ip
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

_ = BOOL  # re-exported for schema authors


def _ipnet(raw: Any) -> Any:
    return parse_cidr(unmarshal(raw, STRING))


def _ip(text: str) -> Any:
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


def decode(data: Any, version: str) -> tuple[str, str, dict[str, Any]]:
    """Go's ``create.Create(version, bytes)`` on an already-parsed document.

    Returns the result family (``"020"``, ``"040"``, ``"100"``, ``"110"``), the embedded
    ``cniVersion`` and the decoded struct; raises :class:`ResultError` in Go's words.
    """
    from cniskel._gojson import go_quote

    entry = SUPPORTED.get(version)
    if entry is None:
        raise ResultError(f"unsupported CNI result version {go_quote(version)}")
    family, accepted = entry
    try:
        decoded = unmarshal(data, _SCHEMAS[family])
    except Exception as exc:  # a Go type error or an address that does not parse
        raise ResultError(str(exc)) from None
    embedded = decoded["cniVersion"]
    if embedded not in accepted:
        listed = " ".join(accepted)
        raise ResultError(
            f"result type supports [{listed}] but unmarshalled CNIVersion is {go_quote(embedded)}"
        )
    return family, embedded, decoded


def decode_dns(data: Any) -> dict[str, Any]:
    """A ``dns`` object decoded like Go's ``types.DNS``."""
    try:
        decoded: dict[str, Any] = unmarshal(data, DNS_STRUCT)
    except Exception as exc:
        raise ResultError(str(exc)) from None
    return decoded


def decode_route(data: Any) -> dict[str, Any]:
    """A route object decoded like Go's ``types.Route`` (1.1.0 fields included)."""
    try:
        decoded: dict[str, Any] = unmarshal(data, _ROUTE_110)
    except Exception as exc:
        raise ResultError(str(exc)) from None
    return decoded


def embedded_version(data: Any) -> str:
    """Go's ``create.DecodeVersion``: the document's ``cniVersion``, ``""`` meaning 0.1.0."""
    try:
        value: str = unmarshal(data, VERSION_ONLY)["cniVersion"]
    except Exception as exc:
        raise ResultError(f"decoding version from network config: {exc}") from None
    return value or "0.1.0"
