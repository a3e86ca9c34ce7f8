"""HNS load balancers: list, get, create, update in place or by re-creating, delete."""

from __future__ import annotations

from collections.abc import Mapping

from .. import jsonkeys
from ..bindings import ObjectKind
from ..errors import HcnError, HcnTimeout
from ..features import Feature
from ..gates import document_features
from ..lookup_errors import LoadBalancerNotFoundError
from ._core import Deadline, OpsCore, document, id_of, parse_id, requested_id, with_endpoint
from .queries import SCHEMA_VERSION, new_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ._core import IdLike, JsonDict

__all__ = ["LoadBalancerOps"]


class LoadBalancerOps(OpsCore):
    """Load-balancer operations (hcsshim's ``hcnloadbalancer.go``)."""

    def list_load_balancers(
        self, query: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[JsonDict]:
        """Every load balancer matching ``query`` (default: all)."""
        return self._list(
            ObjectKind.LOAD_BALANCER, query, self._deadline(timeout, "list_load_balancers")
        )

    def get_load_balancer(
        self, load_balancer_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """The load balancer with this ID; :class:`LoadBalancerNotFoundError` otherwise."""
        return self._get(
            ObjectKind.LOAD_BALANCER,
            load_balancer_id,
            lambda i: LoadBalancerNotFoundError(id=i),
            self._deadline(timeout, "get_load_balancer"),
        )

    def create_load_balancer(
        self, doc: Mapping[str, Any], *, timeout: float | None = None
    ) -> JsonDict:
        """Create a load balancer from a V2 document.

        HNS can leave a half-made load balancer behind when its create fails (a frontend
        clash): the ID is chosen here when the document has none, so that such a remnant is
        deleted before the error is raised.
        """
        deadline = self._deadline(timeout, "create_load_balancer")
        body = document(doc)
        if requested_id(body) is None:
            body = {**jsonkeys.without(body, ["ID"]), "ID": new_id()}
        self._gate("LoadBalancer", body, deadline)
        try:
            return self._create(ObjectKind.LOAD_BALANCER, body, None, deadline)
        except HcnError:
            self._remove_remnant(id_of(body))
            raise

    def _remove_remnant(self, load_balancer_id: str) -> None:
        import contextlib  # only on this error path

        # Not found: nothing was left behind. Any other failure: the create's error wins.
        with contextlib.suppress(HcnError):
            self.library.delete(
                ObjectKind.LOAD_BALANCER, parse_id(load_balancer_id, "ID"), timeout=self.timeout
            )

    def add_load_balancer(
        self,
        endpoint_ids: Sequence[IdLike],
        *,
        internal_port: int,
        external_port: int,
        protocol: int = 6,
        flags: int = 0,
        port_mapping_flags: int = 0,
        source_vip: str = "",
        frontend_vips: Sequence[str] = (),
        timeout: float | None = None,
    ) -> JsonDict:
        """hcsshim's ``AddLoadBalancer``: one port mapping over ``endpoint_ids``."""
        mapping: JsonDict = {
            "Protocol": protocol,
            "InternalPort": internal_port,
            "ExternalPort": external_port,
        }
        if port_mapping_flags:
            mapping["Flags"] = port_mapping_flags
        doc: JsonDict = {
            "HostComputeEndpoints": [str(parse_id(e, "endpoint_ids")) for e in endpoint_ids],
            "PortMappings": [mapping],
            "SchemaVersion": dict(SCHEMA_VERSION),
        }
        if source_vip:
            doc["SourceVIP"] = source_vip
        if frontend_vips:
            doc["FrontendVIPs"] = list(frontend_vips)
        if flags:
            doc["Flags"] = flags
        return self.create_load_balancer(doc, timeout=timeout)

    def delete_load_balancer(
        self, load_balancer_id: IdLike, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a load balancer."""
        self._delete(
            ObjectKind.LOAD_BALANCER,
            load_balancer_id,
            missing_ok,
            timeout,
            "delete_load_balancer",
        )

    def update_load_balancer(
        self,
        load_balancer_id: IdLike,
        doc: Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> JsonDict:
        """Replace a load balancer in place with the full document ``doc``.

        Needs :attr:`Feature.MODIFY_LOADBALANCER`; raises ``FeatureNotSupported`` before
        sending anything when the host's HNS is too old.
        """
        deadline = self._deadline(timeout, "update_load_balancer")
        body = document(jsonkeys.without(doc, ["ID"]))
        needed = document_features("LoadBalancer", body) | {Feature.MODIFY_LOADBALANCER}
        self.require(needed, timeout=deadline.left())
        return self._modify(ObjectKind.LOAD_BALANCER, load_balancer_id, body, deadline)

    def add_load_balancer_endpoint(
        self, load_balancer_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Add a backend endpoint; returns the load balancer afterwards (same ID).

        In place when HNS supports ``ModifyLoadbalancer``, otherwise delete and re-create
        under the same ID (hcsshim's method), restoring the original if re-creating fails.
        """
        return self._edit_load_balancer(load_balancer_id, endpoint_id, add=True, timeout=timeout)

    def remove_load_balancer_endpoint(
        self, load_balancer_id: IdLike, endpoint_id: IdLike, *, timeout: float | None = None
    ) -> JsonDict:
        """Remove a backend endpoint; see :meth:`add_load_balancer_endpoint`."""
        return self._edit_load_balancer(load_balancer_id, endpoint_id, add=False, timeout=timeout)

    def _edit_load_balancer(
        self, lb_id: IdLike, endpoint_id: IdLike, *, add: bool, timeout: float | None
    ) -> JsonDict:
        operation = "add_load_balancer_endpoint" if add else "remove_load_balancer_endpoint"
        deadline = self._deadline(timeout, operation)
        current = self.get_load_balancer(lb_id, timeout=deadline.left())
        updated = with_endpoint(current, endpoint_id, add=add)
        if updated is None:
            return current
        if self._modify_lb_supported(deadline):
            return self.update_load_balancer(lb_id, updated, timeout=deadline.left())
        return self._recreate(ObjectKind.LOAD_BALANCER, current, updated, deadline)

    def _modify_lb_supported(self, deadline: Deadline) -> bool:
        try:
            return self.is_supported(Feature.MODIFY_LOADBALANCER, timeout=deadline.left())
        except HcnTimeout:
            raise
        except HcnError:
            return False
