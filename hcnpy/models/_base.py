"""Building blocks shared by every model: the model base class and field declarations.

Every model field carries a :class:`Wire` record in its attrs metadata (key ``"hcnpy"``):
the exact JSON key, whether the key is omitted when the value is empty (Go's ``omitempty``),
the keys also accepted on read, the value a missing key decodes to, and what validation
checks. The converter (:mod:`hcnpy.convert`) and :mod:`hcnpy.validation` read only this
record, so a model module is the single place that states a field's wire rules.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs

__all__ = [
    "META",
    "IntWireEnum",
    "JsonObject",
    "Model",
    "StrWireEnum",
    "Wire",
    "always",
    "csv_string",
    "flag",
    "nested",
    "opt",
    "raw",
    "seq",
    "wire",
    "wire_of",
]

#: A decoded JSON object, as ``json.loads`` returns it.
JsonObject = Mapping[str, Any]

#: The attrs metadata key holding a field's :class:`Wire` record.
META: Final = "hcnpy"


class Wire:
    """How one model field appears on the wire and what validation expects of it."""

    __slots__ = (
        "aliases",
        "check",
        "csv",
        "dispatch",
        "dispatch_on",
        "key",
        "missing",
        "omit",
        "uint",
    )

    def __init__(
        self,
        key: str,
        *,
        omit: bool = True,
        aliases: tuple[str, ...] = (),
        missing: object = attrs.NOTHING,
        csv: bool = False,
        uint: int | None = None,
        check: str | None = None,
        dispatch: Callable[[Any], type[Any] | None] | None = None,
        dispatch_on: str = "type",
    ) -> None:
        self.key = key
        #: Omit the key when the value is ``None``, an empty tuple or a zero flag set.
        self.omit = omit
        #: Further keys accepted on read (matched case-insensitively, like ``key``).
        self.aliases = aliases
        #: Value used when the key is absent or ``null`` and the field has no default.
        self.missing = missing
        #: A comma-separated string: ints and sequences are accepted and joined.
        self.csv = csv
        #: Unsigned width in bits (8/16/32/64) that validation enforces: every integer field
        #: has one (taken from hcsshim's Go type and Microsoft's schema, the narrower of the
        #: two; the table is in ``docs/hcnpy/schema.md``).
        self.uint = uint
        #: Format validation enforces: ``ip``, ``cidr``, ``ip_or_cidr``, ``mac``, ``guid``.
        self.check = check
        #: For ``Settings``/``Data``: maps a sibling's value to the typed class (``None``:
        #: unknown, keep the raw JSON).
        self.dispatch = dispatch
        #: The sibling attribute whose (decoded) value ``dispatch`` receives.
        self.dispatch_on = dispatch_on


def wire(key: str, **options: Any) -> dict[str, Wire]:
    """attrs ``metadata`` for a field written by hand with ``attrs.field``."""
    return {META: Wire(key, **options)}


def wire_of(field: attrs.Attribute[Any]) -> Wire | None:
    """The :class:`Wire` record of an attrs field (``None`` for ``unknown_fields``)."""
    meta: Wire | None = field.metadata.get(META)
    return meta


def opt(key: str, **options: Any) -> Any:
    """An optional scalar: defaults to ``None`` and is omitted while ``None``."""
    return attrs.field(default=None, metadata=wire(key, **options))


def seq(key: str, **options: Any) -> Any:
    """A list on the wire, a tuple here: defaults to ``()`` and is omitted while empty."""
    return attrs.field(default=(), metadata=wire(key, **options))


def flag(key: str, zero: enum.IntFlag, *, uint: int = 32) -> Any:
    """A flag set: defaults to its ``NONE`` member and is omitted while zero.

    Every HNS flag set is a ``uint32`` (hcsshim's Go types), hence the default width.
    """
    return attrs.field(default=zero, metadata=wire(key, uint=uint))


def always(key: str, default: object, **options: Any) -> Any:
    """A field that is always sent; ``default`` is also what a missing key decodes to."""
    return attrs.field(default=default, metadata=wire(key, omit=False, missing=default, **options))


def nested(key: str, factory: Callable[[], object]) -> Any:
    """A sub-object that is always sent (Go never omits a non-pointer struct)."""
    return attrs.field(factory=factory, metadata=wire(key, omit=False))


def raw(key: str, *, omit: bool = True) -> Any:
    """Arbitrary JSON kept as decoded; excluded from hashing (it may hold dicts)."""
    return attrs.field(default=None, hash=False, metadata=wire(key, omit=omit))


def csv_string(value: str | int | Sequence[str | int] | None) -> str | None:
    """Normalise a comma-separated wire string: ``6`` → ``"6"``, ``[80, "443"]`` → ``"80,443"``.

    HNS sends protocol numbers, port lists and address lists as strings; this lets callers
    pass ints or sequences.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Sequence):
        return ",".join(csv_string(v) or "" for v in value)
    raise TypeError(f"expected a string, an int or a sequence of them, not {value!r}")


class StrWireEnum(str, enum.Enum):
    """A string-valued wire enum; lookup by value ignores case (``NetworkType("nat")``)."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            folded = value.casefold()
            for member in cls:
                if member.value.casefold() == folded:
                    return member
        return None


class IntWireEnum(enum.IntEnum):
    """An integer-valued wire enum (sent as its number)."""


def _default_of(field: attrs.Attribute[Any]) -> object:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return attrs.NOTHING if default.takes_self else default.factory()
    return default


# Every model is declared ``@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)``:
# frozen and keyword-only as usual, but ``__eq__``/``__hash__``/``__repr__`` come from
# :class:`Model` instead of being generated (compiled) per class, and without ``__slots__``
# (attrs would build every class twice). Measured loading all ~75 classes: about 25 ms
# against 39 ms with plain ``attrs.frozen(kw_only=True)``; a CNI plugin pays this per call.


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class Model:
    """Base of every hcnpy model: frozen, keyword-only, compared and hashed by field values.

    ``unknown_fields`` keeps JSON keys the model does not know (wire key → JSON value, in
    the order read); they are written back unchanged after the known keys. It takes part in
    equality but not in hashing (nor do raw-JSON fields, which may hold dicts).
    """

    unknown_fields: Mapping[str, Any] = attrs.field(factory=dict, hash=False, kw_only=True)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in attrs.fields(type(self))
        )

    def __hash__(self) -> int:
        cls = type(self)
        return hash(
            (cls, *(getattr(self, f.name) for f in attrs.fields(cls) if f.hash is not False))
        )

    def __repr__(self) -> str:
        parts = []
        for field in attrs.fields(type(self)):
            if field.name == "unknown_fields":
                continue
            value = getattr(self, field.name)
            default = _default_of(field)
            if value is default or value == default:
                continue
            parts.append(f"{field.name}={value!r}")
        if self.unknown_fields:
            parts.append(f"unknown_fields={dict(self.unknown_fields)!r}")
        return f"{type(self).__name__}({', '.join(parts)})"
