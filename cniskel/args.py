"""``CNI_ARGS``: parsing with the reference's ``types.LoadArgs`` semantics.

The format is ``K=V`` pairs joined by ``;`` with no escaping: every pair must
split into exactly two parts on ``=``, keys are case-sensitive, an empty
string means no arguments. Declare typed arguments by subclassing
:class:`CommonArgs` (which carries ``IgnoreUnknown``)::

    class MyArgs(cniskel.args.K8sArgs):
        IP: cniskel.args.NetIP = cniskel.args.NetIP()

    args = ctx.args.load(MyArgs)     # or declare Plugin.args_class: ctx.typed_args

Errors are :class:`ArgsError` with the reference's messages; a plugin that
lets one escape reports code 999 like a Go plugin returning it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, TypeVar

    A = TypeVar("A", bound="ArgsSpec")


class ArgsError(ValueError):
    """A ``CNI_ARGS`` string the reference's ``LoadArgs`` rejects."""


def _quote(text: str) -> str:
    from cniskel._goquote import go_quote

    return go_quote(text)


def split_pairs(raw: str) -> list[tuple[str, str]]:
    """Split ``raw`` into ``(key, value)`` pairs, strictly (Go ``LoadArgs``)."""
    return list(_pairs(raw))


def _pairs(raw: str) -> Iterator[tuple[str, str]]:
    # One pair at a time, as Go checks each before looking at the next.
    if raw == "":
        return
    for pair in raw.split(";"):
        parts = pair.split("=")
        if len(parts) != 2:
            raise ArgsError(f"ARGS: invalid pair {_quote(pair)}")
        yield parts[0], parts[1]


def parse_bool(text: str) -> bool:
    """Go's ``UnmarshallableBool``: ``1``/``true``/``0``/``false``, any case."""
    lowered = _go_lower(text)
    if lowered in ("1", "true"):
        return True
    if lowered in ("0", "false"):
        return False
    raise ArgsError(f"boolean unmarshal error: invalid input {lowered}")


def _go_lower(text: str) -> str:
    # Go's strings.ToLower maps rune by rune: an invalid byte becomes U+FFFD and "İ" is
    # "i" (Python lowers it to two characters).
    if text.isascii():
        return text.lower()
    out = []
    for ch in text:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            out.append("\ufffd")
        elif ch == "\u0130":
            out.append("i")
        else:
            lowered = ch.lower()
            out.append(lowered if len(lowered) == 1 else ch)
    return "".join(out)


class NetIP:
    """A ``CNI_ARGS`` value typed like Go's ``net.IP``: IPv4, IPv6 or empty.

    ``address`` is an :mod:`ipaddress` address, or None for the empty value (Go's nil
    IP). IPv4-mapped IPv6 addresses become IPv4, as ``net.IP.String`` prints them.
    """

    __slots__ = ("address",)

    def __init__(self, text: str = "") -> None:
        if text == "":
            self.address = None
            return
        from cniskel._addr import ResultError, parse_ip

        try:
            self.address = parse_ip(text)
        except ResultError:
            raise ArgsError(f"invalid IP address: {text}") from None

    def __bool__(self) -> bool:
        return self.address is not None

    def __str__(self) -> str:
        return "<nil>" if self.address is None else str(self.address)

    def __repr__(self) -> str:
        return f"NetIP({'' if self.address is None else str(self.address)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NetIP):
            return NotImplemented
        return self.address == other.address

    __hash__ = None  # type: ignore[assignment]


class ArgsSpec:
    """Base for typed ``CNI_ARGS`` declarations: annotated attributes are keys.

    Attribute names are the keys, exactly (``K8S_POD_NAME``). Supported types:
    ``str``, ``bool``, ``int``, ``ipaddress`` types, any of these ``| None``,
    or any class whose constructor takes the text. Unknown keys are an error
    unless the class has ``IgnoreUnknown`` and it is true.
    """

    def __init__(self) -> None:
        for name, (_tp, default) in _arg_fields(type(self)).items():
            setattr(self, name, default)

    @classmethod
    def load(cls: type[A], raw: str) -> A:
        """Parse ``raw`` into a new instance (raises :class:`ArgsError`)."""
        fields = _arg_fields(cls)
        instance = cls()
        unknown: list[str] = []
        for key, value in _pairs(raw):
            if key not in fields:
                unknown.append(f"{key}={value}")
                continue
            tp = fields[key][0]
            try:
                converted = _convert(value, tp)
            except (ArgsError, ValueError, TypeError) as exc:
                raise ArgsError(
                    f"ARGS: error parsing value of pair {_quote(key + '=' + value)}: {exc}"
                ) from None
            setattr(instance, key, converted)
        if unknown and not getattr(instance, "IgnoreUnknown", False):
            from cniskel._gojson import go_quote_list

            raise ArgsError(f"ARGS: unknown args {go_quote_list(unknown)}")
        return instance

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in _arg_fields(type(self)))
        return f"{type(self).__name__}({values})"


class CommonArgs(ArgsSpec):
    """Go's ``types.CommonArgs``: only ``IgnoreUnknown``."""

    IgnoreUnknown: bool = False


class K8sArgs(CommonArgs):
    """The keys Kubernetes runtimes send (they also send ``IgnoreUnknown=1``)."""

    K8S_POD_NAMESPACE: str = ""
    K8S_POD_NAME: str = ""
    K8S_POD_INFRA_CONTAINER_ID: str = ""
    K8S_POD_UID: str = ""


class CniArgs:
    """``CNI_ARGS`` as the plugin received it: :attr:`raw` plus parsed access.

    Every view is parsed once and cached. :attr:`typed` is the instance of the
    plugin's ``args_class`` (None without one).
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.typed: ArgsSpec | None = None
        self._pairs: list[tuple[str, str]] | None = None
        self._loaded: dict[type, ArgsSpec] = {}

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The pairs in order (raises :class:`ArgsError` for a malformed string)."""
        if self._pairs is None:
            self._pairs = split_pairs(self.raw)
        return list(self._pairs)

    def as_dict(self) -> dict[str, str]:
        """Pairs as a dict; a repeated key keeps its last value."""
        return dict(self.pairs)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of ``key`` (exact case), or ``default``."""
        return self.as_dict().get(key, default)

    def load(self, spec: type[A]) -> A:
        """Typed access with the reference's semantics (parsed once per spec)."""
        if isinstance(self.typed, spec):
            return self.typed
        cached = self._loaded.get(spec)
        if cached is None:
            cached = self._loaded[spec] = spec.load(self.raw)
        assert isinstance(cached, spec)
        return cached

    @property
    def k8s(self) -> K8sArgs:
        """The ``K8S_POD_*`` keys, ignoring every other key."""
        parsed = K8sArgs()
        values = self.as_dict()
        for name in (
            "K8S_POD_NAMESPACE",
            "K8S_POD_NAME",
            "K8S_POD_INFRA_CONTAINER_ID",
            "K8S_POD_UID",
        ):
            if name in values:
                setattr(parsed, name, values[name])
        return parsed

    def __repr__(self) -> str:
        return f"CniArgs({self.raw!r})"


def _arg_fields(cls: type) -> dict[str, tuple[Any, Any]]:
    cached = cls.__dict__.get("_cniskel_arg_fields")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from cniskel.model import _resolve

    fields: dict[str, tuple[Any, Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, annotation in getattr(klass, "__annotations__", {}).items():
            if name.startswith("_"):
                continue
            fields[name] = (_resolve(klass, annotation), getattr(cls, name, None))
    type.__setattr__(cls, "_cniskel_arg_fields", fields)
    return fields


def _convert(text: str, tp: Any) -> Any:
    import types

    from cniskel.model import _is_typing, _origin_args

    origin, args = _origin_args(tp)
    if origin is types.UnionType:
        options = [arg for arg in args if arg is not type(None)]
        if len(options) != 1:
            raise TypeError(f"unsupported CNI_ARGS field type {tp!r}")
        tp = options[0]
    if tp is str or tp is object or _is_typing(tp, "Any"):
        return text
    if tp is bool:
        return parse_bool(text)
    if tp is int:
        return int(text)
    if isinstance(tp, type) and tp.__module__ == "ipaddress":
        try:
            return tp(text)
        except ValueError:
            raise ArgsError(f"invalid IP address: {text}") from None
    if callable(tp):
        return tp(text)
    raise TypeError(f"unsupported CNI_ARGS field type {tp!r}")
