"""``HostComputeQuery`` documents: the view they ask for and their enumerate ``Filter``."""

from __future__ import annotations

from . import rules as R
from .context import View
from .jsondoc import JsonObj, canon, opt_int, parse_document, schema_version
from .rules import violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Query", "matches", "parse_query"]

_DETAILED = 1


class Query:
    """A parsed query: how to render, and which objects an enumerate keeps."""

    __slots__ = ("filter", "view")

    def __init__(self, view: View, filter: JsonObj | None = None) -> None:
        self.view = view
        self.filter = filter


def parse_query(text: str | None) -> Query:
    """Parse a ``HostComputeQuery``; ``Filter`` is a JSON string holding an object (an object
    is accepted too). Bad JSON anywhere is ``HCN_E_INVALID_JSON``."""
    doc = canon(parse_document(text, "query"), ["SchemaVersion", "Flags", "Filter"])
    flags = opt_int(doc, "Flags", "query") or 0
    raw = doc.get("Filter")
    flt: JsonObj | None
    if raw is None or raw == "":
        flt = None
    elif isinstance(raw, str):
        flt = parse_document(raw, "query.Filter") or None
    elif isinstance(raw, dict):
        flt = raw or None
    else:
        violate(R.DOC_FIELD_TYPE, "query.Filter: want a JSON string holding an object")
    return Query(View(schema_version(doc, "query"), bool(flags & _DETAILED)), flt)


def _same(have: Any, want: Any) -> bool:
    if isinstance(have, str) and isinstance(want, str):
        return have.strip("{}").lower() == want.strip("{}").lower()
    if isinstance(have, bool) or isinstance(want, bool):
        return have is want
    return bool(have == want)


def matches(fields: JsonObj, flt: JsonObj) -> bool:
    """True when every filter key names a property (case-insensitive) with an equal value.

    Strings compare case-insensitively (GUIDs also ignore braces); a key naming no property of
    the object matches nothing.
    """
    for key, want in flt.items():
        lowered = key.lower()
        if lowered not in fields or not _same(fields[lowered], want):
            return False
    return True
