"""``HostComputeQuery`` documents and object IDs for the wire-level operations."""

from __future__ import annotations

from collections.abc import Mapping

from .. import jsontext
from ..guid import new_guid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEFAULT_QUERY", "SCHEMA_VERSION", "make_query", "new_id", "query_text"]

#: The schema version hcsshim sends with every document and query.
SCHEMA_VERSION: Mapping[str, int] = {"Major": 2, "Minor": 0}
#: hcsshim's ``defaultQuery()``: schema 2.0, no flags, no filter.
DEFAULT_QUERY: Mapping[str, Any] = {"SchemaVersion": SCHEMA_VERSION}


def make_query(
    filter: Mapping[str, Any] | None = None, *, detailed: bool = False
) -> dict[str, Any]:
    """A ``HostComputeQuery`` dict; ``filter`` is JSON-encoded into the ``Filter`` string."""
    query: dict[str, Any] = {"SchemaVersion": dict(SCHEMA_VERSION)}
    if detailed:
        query["Flags"] = 1
    if filter:
        query["Filter"] = jsontext.dumps(dict(filter), separators=(",", ":"))
    return query


def new_id() -> str:
    """A fresh random object ID, e.g. for an endpoint document's ``ID``: a version-4 GUID as
    HNS prints it (what ``str(uuid.uuid4())`` gives)."""
    return str(new_guid())


def query_text(query: Mapping[str, Any] | None, *, keep_filter: bool = True) -> str:
    """The JSON text of ``query`` (default: :data:`DEFAULT_QUERY`), ``Filter`` as a string."""
    if query is None:
        return jsontext.dumps(DEFAULT_QUERY, separators=(",", ":"))
    body = dict(query)
    body.setdefault("SchemaVersion", dict(SCHEMA_VERSION))
    filter_value = body.get("Filter")
    if not keep_filter:
        body.pop("Filter", None)
    elif isinstance(filter_value, Mapping):
        body["Filter"] = jsontext.dumps(dict(filter_value), separators=(",", ":"))
    return jsontext.dumps(body, separators=(",", ":"))
