"""``HostComputeQuery``: the document every HCN enumerate call takes, and a builder for it.

The filter is a JSON object *inside a string*. HNS matches it against V1 property names,
which is why endpoints of a network are selected with ``VirtualNetwork`` (hcsshim does the
same); ``ID`` and ``Name`` work for every kind.

>>> HostComputeQuery().to_json()
'{"SchemaVersion":{"Major":2,"Minor":0}}'
>>> HostComputeQuery.by_name("nat").detailed().to_json()
'{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1,"Filter":"{\\\\"Name\\\\":\\\\"nat\\\\"}"}'
"""

import enum
import json
from collections.abc import Mapping
from typing import Any

import attrs

from .models._base import Model, flag, nested, opt
from .models.common import SchemaVersion

__all__ = ["HostComputeQuery", "HostComputeQueryFlags"]


class HostComputeQueryFlags(enum.IntFlag):
    """Query flags: ``DETAILED`` asks HNS for the full objects."""

    NONE = 0
    DETAILED = 1


def _filter_text(filters: Mapping[str, Any]) -> str:
    return json.dumps(dict(filters), separators=(",", ":"), ensure_ascii=False)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class HostComputeQuery(Model):
    """A query: schema version (always sent), flags, and ``filter`` (JSON text or ``None``).

    Build with :meth:`by_id`, :meth:`by_name`, :meth:`by_network` or :meth:`where`, then
    chain :meth:`detailed` / :meth:`with_schema_version`; each returns a new query.
    """

    schema_version: SchemaVersion = nested("SchemaVersion", SchemaVersion)
    flags: HostComputeQueryFlags = flag("Flags", HostComputeQueryFlags.NONE)
    filter: str | None = opt("Filter", check="json_object")

    @classmethod
    def where(cls, **filters: Any) -> "HostComputeQuery":
        """A query whose filter holds ``filters`` verbatim, e.g. ``where(ID=guid)``."""
        return cls(filter=_filter_text(filters) if filters else None)

    @classmethod
    def by_id(cls, object_id: object) -> "HostComputeQuery":
        """Objects whose ``ID`` is ``object_id`` (a GUID string or :class:`uuid.UUID`)."""
        return cls.where(ID=str(object_id))

    @classmethod
    def by_name(cls, name: str) -> "HostComputeQuery":
        """Objects named ``name``."""
        return cls.where(Name=name)

    @classmethod
    def by_network(cls, network_id: object) -> "HostComputeQuery":
        """Endpoints of network ``network_id`` (filter key ``VirtualNetwork``, as hcsshim)."""
        return cls.where(VirtualNetwork=str(network_id))

    def detailed(self, enabled: bool = True) -> "HostComputeQuery":
        """This query with the ``Detailed`` flag set (or cleared)."""
        flags = (
            self.flags | HostComputeQueryFlags.DETAILED
            if enabled
            else self.flags & ~HostComputeQueryFlags.DETAILED
        )
        return attrs.evolve(self, flags=HostComputeQueryFlags(flags))

    def with_schema_version(self, major: int, minor: int = 0) -> "HostComputeQuery":
        """This query asking for another schema version (``1.0`` gives V1-shaped output)."""
        return attrs.evolve(self, schema_version=SchemaVersion(major=major, minor=minor))

    def filter_dict(self) -> dict[str, Any]:
        """The filter decoded to a dict (``{}`` without a filter)."""
        if not self.filter:
            return {}
        decoded = json.loads(self.filter)
        return dict(decoded) if isinstance(decoded, dict) else {}

    def to_json(self) -> str:
        """The compact JSON text HCN expects."""
        from .convert import to_json

        return to_json(self)
