"""Client-side validation: catch what HNS would reject before anything is sent.

:func:`validate` raises the first problem as :class:`hcnpy.ValidationError`, whose ``path``
names the field by attribute names (``ipams[0].subnets[1].routes``); :func:`check` returns
every problem. Checks:

* types: every field holds what its annotation says (found by an encode/decode round trip);
* hcsshim's network rule: a subnet with an address prefix needs every route to have a next
  hop and at least one default route (``0.0.0.0/0`` or ``::/0``);
* formats: IP addresses, CIDR prefixes, MAC addresses (``00-15-5D-52-C0-00``, dashes as HNS
  writes them), GUIDs (``8-4-4-4-12`` hex), ports (0-65535, lists and ``a-b`` ranges for
  ACLs), protocol numbers (0-255; ACL lists also 256, "all protocols"), VLAN ids (0-4095)
  and VSIDs (24 bits), the query filter (a JSON object);
* integer widths: every integer field, flag sets included, within the width HNS stores it in
  (``uint16`` ACL priorities, ``uint32`` flags, …; :func:`int_bounds` gives a field's range);
* policies: a type is given, typed settings match it (raw settings of a known type are
  decoded and checked), no mis-cased enum values (``"allow"`` for ``"Allow"``); unknown
  types and enum values are allowed, as HNS may know them;
* modify requests: resource and request types given and fitting the object kind, settings
  matching the resource type;
* V1 models: their policies (kept as JSON objects) are checked as their typed V1 classes;
* ``for_create=True`` adds what only creation needs: an endpoint names its network and does
  not name a namespace; an SDN route names at least one endpoint.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from . import jsonkeys
from .models._base import Model, StrWireEnum, Wire, wire_of

if TYPE_CHECKING:
    from .errors import ValidationError

__all__ = ["check", "int_bounds", "validate"]

_MAC: Final = re.compile(r"[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}")
_GUID: Final = re.compile(r"[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")
_DEFAULT_ROUTES: Final = frozenset({"0.0.0.0/0", "::/0"})


def validate(obj: Model, *, for_create: bool = False) -> None:
    """Raise :class:`hcnpy.ValidationError` for the first problem in ``obj``, if any.

    ``for_create`` adds the rules that apply only when the object is being created.
    """
    problems = check(obj, for_create=for_create)
    if problems:
        raise problems[0]


def check(obj: Model, *, for_create: bool = False) -> list[ValidationError]:
    """Every problem in ``obj`` (empty when valid), in document order."""
    from .errors import ValidationError

    if not attrs.has(type(obj)):
        raise TypeError(f"validate() expects an hcnpy model, not {type(obj).__name__}")
    problem = _round_trip_problem(obj)
    if problem is not None:
        return [ValidationError(*problem)]
    out: list[ValidationError] = []
    _Walker(out, for_create).walk(obj, "")
    return out


def _round_trip_problem(obj: Model) -> tuple[str, object, str] | None:
    """Encode and decode ``obj``; a failure means a field holds the wrong type."""
    from .convert import _Invalid, converter, join_path

    conv = converter()
    try:
        conv.structure(conv.unstructure(obj), type(obj))
    except _Invalid as exc:
        return join_path(exc.attr_parts), exc.value, exc.reason
    return None


def _sub(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --------------------------------------------------------------------------- format checks


def _ip(value: str) -> str | None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return "not an IP address"
    return None


def _cidr(value: str) -> str | None:
    if "/" not in value:
        return "not a CIDR prefix (want address/length)"
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return "not a CIDR prefix"
    return None


def _ip_or_cidr(value: str) -> str | None:
    return _cidr(value) if "/" in value else _ip(value)


def _mac(value: str) -> str | None:
    if _MAC.fullmatch(value):
        return None
    return "not a MAC address (want six dash-separated hex pairs, e.g. 00-15-5D-52-C0-00)"


def _guid(value: str) -> str | None:
    return None if _GUID.fullmatch(value) else "not a GUID (want 8-4-4-4-12 hex digits)"


def _port_number(text: str) -> bool:
    return text.isdigit() and text.isascii() and int(text) <= 65535


def _port(value: str) -> str | None:
    return None if _port_number(value.strip()) else "not a port number (0-65535)"


def _ports(value: str) -> str | None:
    if not value.strip():
        return None
    for item in value.split(","):
        low, dash, high = item.strip().partition("-")
        if not _port_number(low) or (dash and not _port_number(high)):
            return f"not a port list (want comma-separated ports or ranges a-b): {item!r}"
        if dash and int(low) > int(high):
            return f"port range runs backwards: {item!r}"
    return None


#: The ACL ``Protocols`` value that means "every protocol" (hcsshim#1059, real-hns.md §3.5).
ALL_PROTOCOLS = 256


def _protocols(value: str) -> str | None:
    if not value.strip():
        return None
    for item in value.split(","):
        text = item.strip()
        if not (text.isdigit() and text.isascii() and int(text) <= ALL_PROTOCOLS):
            return (
                "not a protocol number list (0-255, or 256 for all protocols; "
                f"comma-separated): {item!r}"
            )
    return None


def _json_object(value: str) -> str | None:
    try:
        decoded = json.loads(value)
    except ValueError:
        return "not valid JSON"
    return None if isinstance(decoded, dict) else "not a JSON object"


_STRING_CHECKS: Final[Mapping[str, Callable[[str], str | None]]] = {
    "ip": _ip,
    "cidr": _cidr,
    "ip_or_cidr": _ip_or_cidr,
    "mac": _mac,
    "guid": _guid,
    "port": _port,
    "ports": _ports,
    "protocols": _protocols,
    "json_object": _json_object,
}
_INT_LIMITS: Final[Mapping[str, tuple[int, str]]] = {
    "vlan": (4095, "not a VLAN id (0-4095)"),
    "vsid": (0xFFFFFF, "not a virtual subnet id (24 bits, 0-16777215)"),
}


def int_bounds(meta: Wire) -> tuple[int, int] | None:
    """The inclusive range validation accepts for an integer field (``None``: not an integer
    field): its wire width, narrowed by a value check such as ``vlan`` (0-4095)."""
    if meta.uint is None:
        return None
    high = 2**meta.uint - 1
    limit = _INT_LIMITS.get(meta.check) if meta.check is not None else None
    if limit is not None:
        high = min(high, limit[0])
    return 0, high


def _str_enum_of(tp: Any) -> type[StrWireEnum] | None:
    members = (
        typing.get_args(tp)
        if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union
        else (tp,)
    )
    for member in members:
        if isinstance(member, type) and issubclass(member, StrWireEnum):
            return member
    return None


def _miscased(enum_cls: type[enum.Enum], value: object) -> str | None:
    """The member value ``value`` differs from only in case, if any."""
    if isinstance(value, enum.Enum) or not isinstance(value, str):
        return None
    folded = value.casefold()
    for member in enum_cls:
        if member.value != value and str(member.value).casefold() == folded:
            return str(member.value)
    return None


# --------------------------------------------------------------------------- the walk


class _Walker:
    def __init__(self, out: list[ValidationError], for_create: bool) -> None:
        self.out = out
        self.for_create = for_create

    def add(self, path: str, value: object, reason: str) -> None:
        from .errors import ValidationError

        self.out.append(ValidationError(path, value, reason))

    def walk(self, obj: object, path: str) -> None:
        if isinstance(obj, tuple | list):
            for index, item in enumerate(obj):
                self.walk(item, f"{path}[{index}]")
            return
        cls = type(obj)
        if not attrs.has(cls):
            return
        for field in attrs.fields(cls):
            meta = wire_of(field)
            if meta is None:
                continue
            value = getattr(obj, field.name)
            if value is None:
                continue
            here = _sub(path, field.name)
            self.field(field, meta.uint, meta.check, value, here)
            self.walk(value, here)
        rule = _RULES.get(type(obj).__name__)
        if rule is not None and type(obj).__module__.startswith("hcnpy."):
            rule(self, obj, path)

    def field(
        self,
        field: attrs.Attribute[Any],
        uint: int | None,
        fmt: str | None,
        value: object,
        path: str,
    ) -> None:
        enum_cls = _str_enum_of(field.type)
        if enum_cls is not None:
            suggestion = _miscased(enum_cls, value)
            if suggestion is not None:
                self.add(path, value, f"unknown value; did you mean {suggestion!r}?")
        items = list(enumerate(value)) if isinstance(value, tuple | list) else [(None, value)]
        for index, item in items:
            where = path if index is None else f"{path}[{index}]"
            is_int = isinstance(item, int) and not isinstance(item, bool)
            if uint is not None and is_int and not 0 <= item < 2**uint:  # type: ignore[operator]
                self.add(where, item, f"out of range for a uint{uint} (0-{2**uint - 1})")
            elif fmt is None:
                continue
            elif is_int and fmt in _INT_LIMITS:
                limit, reason = _INT_LIMITS[fmt]
                if item > limit:  # type: ignore[operator]
                    self.add(where, item, reason)
            elif isinstance(item, str) and fmt in _STRING_CHECKS:
                problem = _STRING_CHECKS[fmt](item)
                if problem is not None:
                    self.add(where, item, problem)


# --------------------------------------------------------------------------- class rules


def _network(w: _Walker, net: Any, path: str) -> None:
    """hcsshim's create-time rule for subnets with an address prefix."""
    for i, ipam in enumerate(net.ipams):
        for j, subnet in enumerate(getattr(ipam, "subnets", ())):
            if not getattr(subnet, "ip_address_prefix", None):
                continue
            routes = subnet.routes
            where = _sub(path, f"ipams[{i}].subnets[{j}].routes")
            if any(not getattr(route, "next_hop", None) for route in routes):
                w.add(where, routes, "subnet has address prefix but no gateway specified")
            elif not any(getattr(r, "destination_prefix", None) in _DEFAULT_ROUTES for r in routes):
                w.add(
                    where,
                    routes,
                    "subnet has address prefix but no default route (0.0.0.0/0 or ::/0)",
                )


def _mac_range(w: _Walker, mac_range: Any, path: str) -> None:
    start, end = mac_range.start_mac_address, mac_range.end_mac_address
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    if _MAC.fullmatch(start) and _MAC.fullmatch(end) and _mac_int(start) > _mac_int(end):
        w.add(_sub(path, "end_mac_address"), end, "MAC range ends before it starts")


def _mac_int(mac: str) -> int:
    return int(mac.replace("-", ""), 16)


def _ip_config(w: _Walker, config: Any, path: str) -> None:
    address, length = config.ip_address, config.prefix_length
    if isinstance(address, str) and isinstance(length, int) and _ip(address) is None:
        limit = ipaddress.ip_address(address).max_prefixlen
        if length > limit:
            w.add(_sub(path, "prefix_length"), length, f"prefix length above {limit}")


def _endpoint(w: _Walker, endpoint: Any, path: str) -> None:
    if not w.for_create:
        return
    if not endpoint.host_compute_network:
        w.add(
            _sub(path, "host_compute_network"),
            endpoint.host_compute_network,
            "an endpoint is created in a network: host_compute_network is required",
        )
    if endpoint.host_compute_namespace:
        w.add(
            _sub(path, "host_compute_namespace"),
            endpoint.host_compute_namespace,
            "read-only: attach to a namespace with a namespace modify request instead",
        )


def _sdn_route(w: _Walker, route: Any, path: str) -> None:
    if w.for_create and not route.host_compute_endpoints:
        w.add(_sub(path, "host_compute_endpoints"), (), "an SDN route needs at least one endpoint")


def _policy(kind: str) -> Callable[[_Walker, Any, str], None]:
    def rule(w: _Walker, policy: Any, path: str) -> None:
        from .models.policies.base import PolicySetting, settings_class

        policy_type, settings = policy.type, policy.settings
        if not isinstance(policy_type, str) or not policy_type:
            w.add(_sub(path, "type"), policy_type, "a policy needs a type")
            return
        expected = settings_class(kind, policy_type)  # type: ignore[arg-type]
        where = _sub(path, "settings")
        if isinstance(settings, PolicySetting):
            if expected is None:
                w.add(
                    where,
                    settings,
                    f"{type(settings).__name__} given for {kind} policy type {policy_type!r}, "
                    "which takes raw settings",
                )
            elif type(settings) is not expected:
                w.add(
                    where,
                    settings,
                    f"{kind} policy type {policy_type!r} takes {expected.__name__}, "
                    f"not {type(settings).__name__}",
                )
        elif isinstance(settings, Mapping) and expected is not None:
            _check_raw(w, expected, settings, where)

    return rule


def _check_raw(w: _Walker, cls: type[Any], settings: Mapping[str, Any], where: str) -> None:
    """Decode raw settings of a known type and check the typed result."""
    from .convert import _Invalid, converter, join_path

    try:
        typed = converter().structure(settings, cls)
    except _Invalid as exc:
        w.add(
            _sub(where, join_path(exc.attr_parts)) if exc.attr_parts else where,
            exc.value,
            exc.reason,
        )
        return
    w.walk(typed, where)


_REQUEST_KINDS: Final[Mapping[str, frozenset[str]]] = {
    "ModifyNetworkSettingRequest": frozenset({"Policy", "DNS", "Extension", "Subnet", "IPSubnet"}),
    "ModifyEndpointSettingRequest": frozenset({"Policy", "Port"}),
    "ModifyNamespaceSettingRequest": frozenset({"Endpoint", "Container"}),
}


def _request(w: _Walker, request: Any, path: str) -> None:
    from .models.common import ModifyResourceType

    allowed = _REQUEST_KINDS[type(request).__name__]
    resource_type = request.resource_type
    if not resource_type:
        w.add(_sub(path, "resource_type"), resource_type, "a modify request needs a resource type")
    elif isinstance(resource_type, str) and resource_type not in allowed:
        known = {m.value for m in ModifyResourceType}
        if resource_type in known:
            w.add(
                _sub(path, "resource_type"),
                resource_type,
                f"not a resource type of this request (want one of {', '.join(sorted(allowed))})",
            )
    if not request.request_type:
        w.add(
            _sub(path, "request_type"),
            request.request_type,
            "a modify request needs a request type",
        )
    field = attrs.fields(type(request)).settings
    meta = wire_of(field)
    expected = meta.dispatch(resource_type) if meta is not None and meta.dispatch else None
    settings = request.settings
    where = _sub(path, "settings")
    if expected is not None:
        if settings is None:
            w.add(where, None, f"resource type {resource_type!r} needs settings")
        elif isinstance(settings, Mapping):
            _check_raw(w, expected, settings, where)
        elif type(settings) is not expected:
            w.add(
                where,
                settings,
                f"resource type {resource_type!r} takes {expected.__name__}, "
                f"not {type(settings).__name__}",
            )


def _namespace_resource(w: _Walker, resource: Any, path: str) -> None:
    from .models.namespace import _resource_data

    if not isinstance(resource.type, str) or not resource.type:
        w.add(_sub(path, "type"), resource.type, "a namespace resource needs a type")
        return
    expected = _resource_data(resource.type)
    data = resource.data
    if expected is not None and isinstance(data, Model) and type(data) is not expected:
        w.add(
            _sub(path, "data"),
            data,
            f"resource type {resource.type!r} takes {expected.__name__}, not {type(data).__name__}",
        )


def _v1_policies(w: _Walker, obj: Any, path: str) -> None:
    """V1 policies are kept as JSON objects: check each one as its typed class."""
    from .models.v1_policies import V1_POLICY_CLASSES, V1Policy

    for index, raw in enumerate(obj.policies or ()):
        where = _sub(path, f"policies[{index}]")
        if not isinstance(raw, Mapping):
            w.add(where, raw, "a V1 policy is a JSON object with a Type")
            continue
        kind = jsonkeys.get(raw, "Type")
        if not isinstance(kind, str) or not kind:
            w.add(_sub(where, "type"), kind, "a V1 policy needs a Type")
            continue
        _check_raw(w, V1_POLICY_CLASSES.get(kind.casefold(), V1Policy), raw, where)


_RULES: Final[Mapping[str, Callable[[_Walker, Any, str], None]]] = {
    "Network": _network,
    "MacRange": _mac_range,
    "IpConfig": _ip_config,
    "Endpoint": _endpoint,
    "SdnRoute": _sdn_route,
    "EndpointPolicy": _policy("endpoint"),
    "NetworkPolicy": _policy("network"),
    "SubnetPolicy": _policy("subnet"),
    "ModifyNetworkSettingRequest": _request,
    "ModifyEndpointSettingRequest": _request,
    "ModifyNamespaceSettingRequest": _request,
    "NamespaceResource": _namespace_resource,
    "V1Network": _v1_policies,
    "V1Subnet": _v1_policies,
    "V1Endpoint": _v1_policies,
}
