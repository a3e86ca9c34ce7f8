"""What every object kind of the simulator shares: the call context, the view, the kind protocol."""

from __future__ import annotations

from . import rules as R
from .jsondoc import JsonObj, canon, opt_obj, opt_str
from .rules import HnsFailure, Rule, violate
from .versions import SimVersion, gate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from .state import Tx

__all__ = [
    "DEFAULT_SCHEMA",
    "REQUEST_TYPES",
    "Ctx",
    "View",
    "modify_request",
    "ordered",
    "pick_enum",
]

#: What ``SchemaVersion`` objects carry when the caller sent none.
DEFAULT_SCHEMA: JsonObj = {"Major": 2, "Minor": 0}


class Ctx:
    """One call: its open transaction and the simulated HNS version.

    ``memo`` holds lookups shared by the per-object steps of one call (an enumerate's filter).
    """

    __slots__ = ("deferred", "memo", "tx", "version")

    def __init__(self, tx: Tx, version: SimVersion) -> None:
        self.tx = tx
        self.version = version
        self.memo: dict[str, Any] = {}
        #: A failure to report once the call's changes are committed (a partial create).
        self.deferred: HnsFailure | None = None

    def fail_after_commit(self, failure: HnsFailure) -> None:
        """Keep this call's changes, but fail it with ``failure`` once they are committed."""
        self.deferred = failure

    def gate(
        self,
        rule: Rule,
        what: str,
        ranges: tuple[tuple[int, int, int | None, int | None], ...] | None = None,
    ) -> None:
        """Fail with ``rule`` unless the simulated version is in ``ranges`` (or the rule's)."""
        gate(rule, self.version, what, ranges)


class View:
    """How a query wants the properties: its ``SchemaVersion`` and ``Flags`` (1 = Detailed)."""

    __slots__ = ("detailed", "schema")

    def __init__(self, schema: JsonObj | None = None, detailed: bool = False) -> None:
        self.schema = schema
        self.detailed = detailed

    def __repr__(self) -> str:
        return f"View(schema={self.schema!r}, detailed={self.detailed!r})"

    @property
    def v1(self) -> bool:
        """True for ``SchemaVersion`` 1.x queries (V1-shaped answers)."""
        return self.schema is not None and self.schema.get("Major") == 1

    @staticmethod
    def schema_for(doc: JsonObj) -> JsonObj:
        """The ``SchemaVersion`` V2 answers carry: the one the object was created with."""
        return dict(doc.get("SchemaVersion") or DEFAULT_SCHEMA)


if TYPE_CHECKING:  # a protocol for type checkers only (typing costs start-up time)

    class ObjectKind(Protocol):
        """The per-kind behaviour the engine dispatches to (every call runs in one transaction)."""

        kind: str

        def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
            """Validate ``body`` and store the new object ``oid`` (``network`` from the handle)."""

        def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
            """Apply a modify request to the stored ``doc``."""

        def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
            """Remove the object and everything it holds."""

        def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
            """The properties a query answers."""

        def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
            """Property values an enumerate ``Filter`` may test (V2 names plus V1 aliases)."""


def ordered(doc: JsonObj, order: tuple[str, ...]) -> JsonObj:
    """``doc`` with the keys of ``order`` first (in that order), the rest after as stored."""
    out = {key: doc[key] for key in order if key in doc}
    out.update((key, value) for key, value in doc.items() if key not in out)
    return out


#: ``RequestType`` values of modify requests.
REQUEST_TYPES = ("Add", "Remove", "Update", "Refresh", "Reset")


def _pick(value: str, choices: tuple[str, ...]) -> str | None:
    return next((c for c in choices if c.lower() == value.lower()), None)


def modify_request(
    body: JsonObj, where: str, resources: tuple[str, ...], unsupported: tuple[str, ...] = ()
) -> tuple[str, str, JsonObj]:
    """``(ResourceType, RequestType, Settings)`` of a modify request, canonically spelled.

    A missing or unknown ``ResourceType``/``RequestType`` breaks ``modify.request``; a known
    resource the simulator does not model breaks ``modify.unsupported``.
    """
    doc = canon(body, ["ResourceType", "RequestType", "Settings"])
    resource = opt_str(doc, "ResourceType", where)
    request = opt_str(doc, "RequestType", where)
    if not resource or not request:
        violate(R.MODIFY_REQUEST, f"{where}: ResourceType and RequestType are required")
    if _pick(resource, unsupported):
        violate(R.MODIFY_UNSUPPORTED, f"{where}: ResourceType {resource} is unsupported")
    canonical_resource = _pick(resource, resources)
    if canonical_resource is None:
        violate(R.MODIFY_REQUEST, f"{where}: unknown ResourceType {resource!r}")
    canonical_request = _pick(request, REQUEST_TYPES)
    if canonical_request is None:
        violate(R.MODIFY_REQUEST, f"{where}: unknown RequestType {request!r}")
    settings = opt_obj(doc, "Settings", where) or {}
    return canonical_resource, canonical_request, settings


def pick_enum(
    doc: JsonObj, key: str, where: str, choices: tuple[str, ...], rule: Rule
) -> str | None:
    """Read ``doc[key]`` as one of ``choices`` (case-insensitive); otherwise break ``rule``."""
    value = opt_str(doc, key, where, rule)
    if value is None:
        return None
    picked = _pick(value, choices)
    if picked is None:
        violate(rule, f"{where}.{key}: {value!r} is not one of {', '.join(choices)}")
    return picked
