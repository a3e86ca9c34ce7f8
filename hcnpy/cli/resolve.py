"""The one way every command turns an object reference ("ID or name") into an HNS object.

* A GUID is looked up by ID (a miss is the lookup's typed not-found error, exit 1).
* Anything else is a name, for the kinds that have names (networks, endpoints): no match is
  the typed not-found error (exit 1); two or more matches are a usage error listing their
  IDs (exit 2), so that nothing is changed on a guess.
* Namespaces, load balancers and SDN routes have no names: a reference that is not a GUID is
  a usage error (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..guid import is_guid
from ..lookup_errors import EndpointNotFoundError, NetworkNotFoundError
from . import tables
from .errors import AmbiguousReference, UsageError

if TYPE_CHECKING:
    from ..errors import NotFoundError
    from ..ops import JsonDict, Ops

__all__ = ["KINDS", "Kind", "object_id", "resolve", "resolve_id"]


class Kind:
    """One object kind as the CLI names it, and how to look it up."""

    def __init__(
        self,
        name: str,
        command: str,
        get: Callable[[Ops, str], JsonDict],
        list_by_name: Callable[[Ops, str], list[JsonDict]] | None = None,
        not_found: Callable[[str], NotFoundError] | None = None,
    ) -> None:
        self.name = name
        self.command = command
        self.get = get
        self.list_by_name = list_by_name
        self.not_found = not_found

    @property
    def title(self) -> str:
        """The name with a capital first letter, to start a sentence."""
        return self.name[:1].upper() + self.name[1:]

    @property
    def a_name(self) -> str:
        """The name with its indefinite article: "a network", "an SDN route"."""
        article = "an" if self.name[:1] in "aeioAEIOS" else "a"  # "S" is said "ess"
        return f"{article} {self.name}"

    @property
    def named(self) -> bool:
        """True when objects of this kind have names."""
        return self.list_by_name is not None


def _name_query(name: str) -> dict[str, Any]:
    from ..ops import make_query

    return make_query({"Name": name})


#: The kinds of object a command can refer to, by their CLI command group.
KINDS: dict[str, Kind] = {
    "network": Kind(
        "network",
        "network",
        lambda ops, ref: ops.get_network(ref),
        lambda ops, name: ops.list_networks(_name_query(name)),
        lambda name: NetworkNotFoundError(name=name),
    ),
    "endpoint": Kind(
        "endpoint",
        "endpoint",
        lambda ops, ref: ops.get_endpoint(ref),
        lambda ops, name: ops.list_endpoints(_name_query(name)),
        lambda name: EndpointNotFoundError(name=name),
    ),
    "namespace": Kind("namespace", "namespace", lambda ops, ref: ops.get_namespace(ref)),
    "loadbalancer": Kind(
        "load balancer", "loadbalancer", lambda ops, ref: ops.get_load_balancer(ref)
    ),
    "route": Kind("SDN route", "route", lambda ops, ref: ops.get_route(ref)),
}


def object_id(doc: Mapping[str, Any]) -> str:
    """The ``ID`` of a V2 dict."""
    return str(tables.field(doc, "ID") or "")


def resolve(ops: Ops, kind: str, ref: str) -> JsonDict:
    """The object of ``kind`` that ``ref`` (an ID, or a name where the kind has names) names."""
    spec = KINDS[kind]
    text = ref.strip()
    if not text:
        raise UsageError(f"an empty {spec.name} reference: give an ID or a name")
    if is_guid(text):
        return spec.get(ops, text)
    if spec.list_by_name is None or spec.not_found is None:
        raise UsageError(
            f'"{text}" is not {spec.a_name} ID: {spec.name}s have no names, so give the ID '
            f"(a GUID, as `hcnpy {spec.command} list` shows it)"
        )
    matches = [doc for doc in spec.list_by_name(ops, text) if tables.field(doc, "Name") == text]
    if not matches:
        raise spec.not_found(text)
    if len(matches) > 1:
        raise AmbiguousReference(spec.name, text, sorted(object_id(m) for m in matches))
    return matches[0]


def resolve_id(ops: Ops, kind: str, ref: str) -> str:
    """The ID of the object :func:`resolve` finds."""
    return object_id(resolve(ops, kind, ref))
