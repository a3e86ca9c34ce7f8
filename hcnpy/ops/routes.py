"""HNS SDN routes: list, get, create, re-create with other endpoints, delete."""

from __future__ import annotations

from collections.abc import Mapping

from ..bindings import ObjectKind
from ..errors import ValidationError
from ..lookup_errors import RouteNotFoundError
from ._core import OpsCore, document, parse_id, with_endpoint
from .queries import SCHEMA_VERSION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ._core import IdLike, JsonDict

__all__ = ["RouteOps"]


class RouteOps(OpsCore):
    """SDN route operations (hcsshim's ``hcnroute.go``)."""

    def list_routes(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every SDN route matching ``query`` (default: all)."""
        return self._list(ObjectKind.SDN_ROUTE, query, self._deadline(timeout, "list_routes"))

    def get_route(self, route_id: IdLike, *, timeout: float | None = None) -> JsonDict:
        """The SDN route with this ID; :class:`RouteNotFoundError` when there is none."""
        return self._get(
            ObjectKind.SDN_ROUTE,
            route_id,
            lambda i: RouteNotFoundError(id=i),
            self._deadline(timeout, "get_route"),
        )

    def create_route(self, doc: Mapping[str, Any], *, timeout: float | None = None) -> JsonDict:
        """Create an SDN route from a V2 document."""
        deadline = self._deadline(timeout, "create_route")
        return self._create(ObjectKind.SDN_ROUTE, document(doc), None, deadline)

    def add_route(
        self,
        endpoint_ids: Sequence[IdLike],
        destination_prefix: str,
        next_hop: str,
        *,
        need_encapsulation: bool = False,
        timeout: float | None = None,
    ) -> JsonDict:
        """hcsshim's ``AddRoute``: one route setting over ``endpoint_ids`` (not empty)."""
        if not endpoint_ids:
            raise ValidationError("endpoint_ids", endpoint_ids, "a route needs an endpoint")
        setting: JsonDict = {"DestinationPrefix": destination_prefix, "NextHop": next_hop}
        if need_encapsulation:
            setting["NeedEncap"] = True
        doc: JsonDict = {
            "HostComputeEndpoints": [str(parse_id(e, "endpoint_ids")) for e in endpoint_ids],
            "Routes": [setting],
            "SchemaVersion": dict(SCHEMA_VERSION),
        }
        return self.create_route(doc, timeout=timeout)

    def delete_route(
        self, route_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete an SDN route."""
        self._delete(ObjectKind.SDN_ROUTE, route_id, missing_ok, timeout, "delete_route")

    def modify_route(
        self, route_id: IdLike, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Send a modify request to an SDN route (``HcnModifySdnRoute``)."""
        deadline = self._deadline(timeout, "modify_route")
        return self._modify(ObjectKind.SDN_ROUTE, route_id, request, deadline)

    def add_route_endpoint(
        self, route_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Add an endpoint to a route: delete and re-create under the same ID."""
        return self._edit_route(route_id, endpoint_id, add=True, timeout=timeout)

    def remove_route_endpoint(
        self, route_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Remove an endpoint from a route (a no-op when it is not there)."""
        return self._edit_route(route_id, endpoint_id, add=False, timeout=timeout)

    def _edit_route(
        self, route_id: IdLike, endpoint_id: IdLike, *, add: bool, timeout: float | None
    ) -> JsonDict:
        operation = "add_route_endpoint" if add else "remove_route_endpoint"
        deadline = self._deadline(timeout, operation)
        current = self.get_route(route_id, timeout=deadline.left())
        updated = with_endpoint(current, endpoint_id, add=add)
        if updated is None:
            return current
        return self._recreate(ObjectKind.SDN_ROUTE, current, updated, deadline)
