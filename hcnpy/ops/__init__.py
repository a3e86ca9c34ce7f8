"""Wire-level HCN operations: V2 JSON ``dict``s in and out, with hcsshim's semantics.

This is the layer CNI plugins use: it imports neither attrs, cattrs nor the typed models, so
a fresh process pays only for the C binding. One module per object kind, as hcsshim keeps
one file per kind, over the shared machinery of :mod:`hcnpy.ops._core`.

``timeout`` (seconds) bounds a whole operation, however many HCN calls it makes; ``None`` on
a call means "use the :class:`Ops` default", which itself may be ``None`` (no limit).
:meth:`Ops.bounded` gives several operations one shared deadline (a CNI verb's budget).
"""

from __future__ import annotations

from ..bindings import load
from ._core import Deadline, clear_version_cache, means_absent
from .endpoints import EndpointOps
from .load_balancers import LoadBalancerOps
from .namespaces import NamespaceOps
from .networks import NetworkOps
from .queries import DEFAULT_QUERY, SCHEMA_VERSION, make_query, new_id
from .routes import RouteOps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._core import IdLike, JsonDict

__all__ = [
    "DEFAULT_QUERY",
    "SCHEMA_VERSION",
    "Deadline",
    "IdLike",
    "JsonDict",
    "Ops",
    "clear_version_cache",
    "connect",
    "make_query",
    "means_absent",
    "new_id",
]


class Ops(NetworkOps, EndpointOps, NamespaceOps, LoadBalancerOps, RouteOps):
    """Every HCN operation on one :class:`hcnpy.bindings.Library`, with plain dicts.

    ``timeout`` is the default for every operation; each method also takes ``timeout=``.
    Instances are cheap, stateless and thread-safe.
    """

    def bounded(self, seconds: float | None) -> Ops:
        """These operations under one shared deadline ``seconds`` from now (see
        :meth:`hcnpy.ops._core.OpsCore.bounded`)."""
        view = super().bounded(seconds)
        assert isinstance(view, Ops)
        return view


def connect(backend: str | None = None, *, timeout: float | None = None) -> Ops:
    """Load the HCN library (``backend``: ``"hcn"``, ``"sim"`` or ``None`` = automatic)."""
    return Ops(load(backend), timeout=timeout)
