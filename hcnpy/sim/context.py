"""What every object kind of the simulator shares: the call context, the view, the kind protocol."""

from __future__ import annotations

from ..features import is_supported, minimum_version
from ..hresult import HResult
from .jsondoc import JsonObj, canon, fail, opt_obj, opt_str

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from ..features import Feature, HnsVersion
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

    __slots__ = ("memo", "tx", "version")

    def __init__(self, tx: Tx, version: HnsVersion) -> None:
        self.tx = tx
        self.version = version
        self.memo: dict[str, Any] = {}

    def require(self, feature: Feature, what: str) -> None:
        """``HCN_E_REQUEST_UNSUPPORTED`` unless the simulated version has ``feature``."""
        if not is_supported(feature, self.version):
            fail(
                HResult.HCN_E_REQUEST_UNSUPPORTED,
                f"{what} needs HNS {minimum_version(feature)} or newer (feature {feature.value}); "
                f"the simulated HNS is {self.version}",
            )


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
        #: HRESULT for a handle whose object was deleted meanwhile.
        gone: int

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

    A missing or unknown ``ResourceType``/``RequestType`` is ``HCN_E_INVALID_JSON``; a known
    resource the simulator does not model is ``HCN_E_REQUEST_UNSUPPORTED``.
    """
    doc = canon(body, ["ResourceType", "RequestType", "Settings"])
    resource = opt_str(doc, "ResourceType", where)
    request = opt_str(doc, "RequestType", where)
    if not resource or not request:
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: ResourceType and RequestType are required")
    if _pick(resource, unsupported):
        fail(HResult.HCN_E_REQUEST_UNSUPPORTED, f"{where}: ResourceType {resource} is unsupported")
    canonical_resource = _pick(resource, resources)
    if canonical_resource is None:
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: unknown ResourceType {resource!r}")
    canonical_request = _pick(request, REQUEST_TYPES)
    if canonical_request is None:
        fail(HResult.HCN_E_INVALID_JSON, f"{where}: unknown RequestType {request!r}")
    settings = opt_obj(doc, "Settings", where) or {}
    return canonical_resource, canonical_request, settings


def pick_enum(
    doc: JsonObj, key: str, where: str, choices: tuple[str, ...], code: int
) -> str | None:
    """Read ``doc[key]`` as one of ``choices`` (case-insensitive); otherwise fail with ``code``."""
    value = opt_str(doc, key, where)
    if value is None:
        return None
    picked = _pick(value, choices)
    if picked is None:
        fail(code, f"{where}.{key}: {value!r} is not one of {', '.join(choices)}")
    return picked
