"""The typed client: models in and out, validated and feature-checked before anything is sent.

Example (real HCN on Windows, the simulator elsewhere)::

    import hcnpy, hcnpy.client

    client = hcnpy.client.connect()
    net = client.networks.get_by_name("nat")
    ep = client.networks.create_endpoint(net, hcnpy.Endpoint(name="web"))

Every collection delegates to :mod:`hcnpy.ops` (the wire-level layer) after
:func:`hcnpy.validation.validate` and a check of :func:`hcnpy.models.required_features`
against the host's HNS version (read once per process).
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from . import ops as _ops
from .convert import from_dict, to_dict
from .errors import ValidationError
from .features import Feature, HnsVersion
from .models._base import Model
from .models.common import RequestType
from .models.endpoint import Endpoint, EndpointFlags, ModifyEndpointSettingRequest
from .models.gates import required_features
from .models.loadbalancer import LoadBalancer
from .models.namespace import ModifyNamespaceSettingRequest, Namespace
from .models.network import ModifyNetworkSettingRequest, Network
from .models.policies.base import EndpointPolicy, NetworkPolicy
from .models.route import SdnRoute
from .query import HostComputeQuery
from .validation import validate

__all__ = [
    "Client",
    "Endpoints",
    "LoadBalancers",
    "Namespaces",
    "Networks",
    "Routes",
    "connect",
]

M = TypeVar("M", bound=Model)

#: What identifies an object: its model (with ``id`` set), a GUID string or a UUID.
Target: TypeAlias = "Model | str | uuid.UUID"
#: A query: the typed builder, a raw ``HostComputeQuery`` dict, or ``None`` for everything.
Query: TypeAlias = "HostComputeQuery | Mapping[str, Any] | None"


def _id(target: Target, what: str) -> str:
    if isinstance(target, Model):
        object_id = getattr(target, "id", None)
        if not object_id:
            raise ValidationError(f"{what}.id", object_id, "the object has no ID (not created?)")
        return str(object_id)
    return str(target)


def _query(query: Query) -> Mapping[str, Any] | None:
    if query is None or isinstance(query, Mapping):
        return query
    return to_dict(query)


def _wire(value: Model | Mapping[str, Any]) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else to_dict(value)


class _Collection(Generic[M]):
    """The operations every object kind has: list, get, create, delete, modify."""

    _model: type[M]

    def __init__(self, client: Client) -> None:
        self._client = client
        self._ops = client.ops

    def _decode(self, doc: Mapping[str, Any]) -> M:
        return from_dict(self._model, doc)

    def _decode_all(self, docs: Sequence[Mapping[str, Any]]) -> builtins.list[M]:
        return [self._decode(d) for d in docs]

    def _prepare(
        self, obj: Model, *, timeout: float | None, for_create: bool = False
    ) -> dict[str, Any]:
        """Validate ``obj``, check its features against the HNS version, encode it."""
        validate(obj, for_create=for_create)
        needed = required_features(obj)
        if needed:
            self._ops.require(needed, timeout=timeout)
        return to_dict(obj)

    def _prepare_request(
        self, request: Model | Mapping[str, Any], *, timeout: float | None
    ) -> dict[str, Any]:
        if isinstance(request, Mapping):
            return dict(request)
        return self._prepare(request, timeout=timeout)


class Networks(_Collection[Network]):
    """``client.networks``: HNS networks (hcsshim's ``HostComputeNetwork`` functions)."""

    _model = Network

    def list(self, query: Query = None, *, timeout: float | None = None) -> builtins.list[Network]:
        """Every network matching ``query`` (default: all)."""
        return self._decode_all(self._ops.list_networks(_query(query), timeout=timeout))

    def get(self, network_id: str | uuid.UUID, *, timeout: float | None = None) -> Network:
        """The network with this ID (:class:`~hcnpy.lookup_errors.NetworkNotFoundError`)."""
        return self._decode(self._ops.get_network(network_id, timeout=timeout))

    def get_by_name(self, name: str, *, timeout: float | None = None) -> Network:
        """The network called ``name`` (:class:`~hcnpy.lookup_errors.NetworkNotFoundError`)."""
        return self._decode(self._ops.get_network_by_name(name, timeout=timeout))

    def create(self, network: Network, *, timeout: float | None = None) -> Network:
        """Create ``network``; returns it as HNS reports it (with its ID)."""
        doc = self._prepare(network, timeout=timeout, for_create=True)
        return self._decode(self._ops.create_network(doc, timeout=timeout))

    def delete(
        self, network: Target, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a network (by model or ID)."""
        self._ops.delete_network(_id(network, "network"), missing_ok=missing_ok, timeout=timeout)

    def modify(
        self,
        network: Target,
        request: ModifyNetworkSettingRequest | Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> Network:
        """Send a modify request; returns the network afterwards."""
        doc = self._prepare_request(request, timeout=timeout)
        return self._decode(self._ops.modify_network(_id(network, "network"), doc, timeout=timeout))

    def add_policies(
        self,
        network: Target,
        policies: Sequence[NetworkPolicy],
        *,
        timeout: float | None = None,
    ) -> Network:
        """Add policies to a network (hcsshim's ``AddPolicy``)."""
        docs = [self._prepare(p, timeout=timeout) for p in policies]
        return self._decode(
            self._ops.add_network_policies(_id(network, "network"), docs, timeout=timeout)
        )

    def remove_policies(
        self,
        network: Target,
        policies: Sequence[NetworkPolicy],
        *,
        timeout: float | None = None,
    ) -> Network:
        """Remove policies from a network (hcsshim's ``RemovePolicy``)."""
        docs = [_wire(p) for p in policies]
        return self._decode(
            self._ops.remove_network_policies(_id(network, "network"), docs, timeout=timeout)
        )

    def create_endpoint(
        self, network: Target, endpoint: Endpoint, *, timeout: float | None = None
    ) -> Endpoint:
        """Create ``endpoint`` on ``network`` (sets its ``host_compute_network``)."""
        return self._client.endpoints._create_on(_id(network, "network"), endpoint, timeout)

    def create_remote_endpoint(
        self, network: Target, endpoint: Endpoint, *, timeout: float | None = None
    ) -> Endpoint:
        """Create ``endpoint`` on ``network`` with the ``RemoteEndpoint`` flag."""
        remote = _evolve(endpoint, flags=endpoint.flags | EndpointFlags.REMOTE_ENDPOINT)
        return self._client.endpoints._create_on(_id(network, "network"), remote, timeout)

    def endpoints(
        self, network: Target, *, timeout: float | None = None
    ) -> builtins.list[Endpoint]:
        """The endpoints on ``network``."""
        return self._client.endpoints.list_of_network(network, timeout=timeout)


class Endpoints(_Collection[Endpoint]):
    """``client.endpoints``: HNS endpoints."""

    _model = Endpoint

    def list(self, query: Query = None, *, timeout: float | None = None) -> builtins.list[Endpoint]:
        """Every endpoint matching ``query`` (default: all)."""
        return self._decode_all(self._ops.list_endpoints(_query(query), timeout=timeout))

    def list_of_network(
        self, network: Target, *, timeout: float | None = None
    ) -> builtins.list[Endpoint]:
        """The endpoints on one network."""
        docs = self._ops.list_endpoints_of_network(_id(network, "network"), timeout=timeout)
        return self._decode_all(docs)

    def get(self, endpoint_id: str | uuid.UUID, *, timeout: float | None = None) -> Endpoint:
        """The endpoint with this ID (:class:`~hcnpy.lookup_errors.EndpointNotFoundError`)."""
        return self._decode(self._ops.get_endpoint(endpoint_id, timeout=timeout))

    def get_by_name(self, name: str, *, timeout: float | None = None) -> Endpoint:
        """The endpoint called ``name`` (:class:`~hcnpy.lookup_errors.EndpointNotFoundError`)."""
        return self._decode(self._ops.get_endpoint_by_name(name, timeout=timeout))

    def create(self, endpoint: Endpoint, *, timeout: float | None = None) -> Endpoint:
        """Create ``endpoint`` on the network its ``host_compute_network`` names."""
        if not endpoint.host_compute_network:
            raise ValidationError(
                "host_compute_network", None, "an endpoint needs the ID of its network"
            )
        return self._create_on(endpoint.host_compute_network, endpoint, timeout)

    def _create_on(self, network_id: str, endpoint: Endpoint, timeout: float | None) -> Endpoint:
        if endpoint.host_compute_namespace:
            raise ValidationError(
                "host_compute_namespace",
                endpoint.host_compute_namespace,
                "is read-only: create the endpoint, then attach it to the namespace",
            )
        doc = self._prepare(
            _evolve(endpoint, host_compute_network=network_id), timeout=timeout, for_create=True
        )
        return self._decode(self._ops.create_endpoint(network_id, doc, timeout=timeout))

    def delete(
        self, endpoint: Target, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete an endpoint (by model or ID)."""
        self._ops.delete_endpoint(_id(endpoint, "endpoint"), missing_ok=missing_ok, timeout=timeout)

    def modify(
        self,
        endpoint: Target,
        request: ModifyEndpointSettingRequest | Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> Endpoint:
        """Send a modify request (hcsshim's ``ModifyEndpointSettings``)."""
        doc = self._prepare_request(request, timeout=timeout)
        return self._decode(
            self._ops.modify_endpoint(_id(endpoint, "endpoint"), doc, timeout=timeout)
        )

    def apply_policies(
        self,
        endpoint: Target,
        request_type: RequestType | str,
        policies: Sequence[EndpointPolicy],
        *,
        timeout: float | None = None,
    ) -> Endpoint:
        """hcsshim's ``ApplyPolicy``: ``request_type`` is ``ADD``, ``REMOVE`` or ``UPDATE``."""
        kind = RequestType(request_type).value
        docs = [
            self._prepare(p, timeout=timeout) if kind != "Remove" else _wire(p) for p in policies
        ]
        result = self._ops.apply_endpoint_policies(
            _id(endpoint, "endpoint"), kind, docs, timeout=timeout
        )
        return self._decode(result)

    def attach(
        self, endpoint: Target, namespace: Target, *, timeout: float | None = None
    ) -> Endpoint:
        """Attach the endpoint to a namespace (hcsshim's ``NamespaceAttach``)."""
        endpoint_id = _id(endpoint, "endpoint")
        self._ops.add_namespace_endpoint(_id(namespace, "namespace"), endpoint_id, timeout=timeout)
        return self.get(endpoint_id, timeout=timeout)

    def detach(
        self,
        endpoint: Target,
        namespace: Target,
        *,
        missing_ok: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Detach the endpoint from a namespace (hcsshim's ``NamespaceDetach``)."""
        self._ops.remove_namespace_endpoint(
            _id(namespace, "namespace"),
            _id(endpoint, "endpoint"),
            missing_ok=missing_ok,
            timeout=timeout,
        )

    def stats(self, endpoint: Target, *, timeout: float | None = None) -> dict[str, Any]:
        """Packet and byte counters (``HcnQueryEndpointStats``), as HNS returns them."""
        return self._ops.endpoint_stats(_id(endpoint, "endpoint"), timeout=timeout)


class Namespaces(_Collection[Namespace]):
    """``client.namespaces``: HNS namespaces (network compartments)."""

    _model = Namespace

    def list(
        self, query: Query = None, *, timeout: float | None = None
    ) -> builtins.list[Namespace]:
        """Every namespace matching ``query`` (default: all)."""
        return self._decode_all(self._ops.list_namespaces(_query(query), timeout=timeout))

    def get(self, namespace_id: str | uuid.UUID, *, timeout: float | None = None) -> Namespace:
        """The namespace with this ID (:class:`~hcnpy.lookup_errors.NamespaceNotFoundError`)."""
        return self._decode(self._ops.get_namespace(namespace_id, timeout=timeout))

    def create(
        self, namespace: Namespace | None = None, *, timeout: float | None = None
    ) -> Namespace:
        """Create a namespace (default: ``Namespace()``, a ``Host`` namespace)."""
        doc = self._prepare(namespace or Namespace(), timeout=timeout, for_create=True)
        return self._decode(self._ops.create_namespace(doc, timeout=timeout))

    def delete(
        self, namespace: Target, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a namespace (by model or ID)."""
        self._ops.delete_namespace(
            _id(namespace, "namespace"), missing_ok=missing_ok, timeout=timeout
        )

    def modify(
        self,
        namespace: Target,
        request: ModifyNamespaceSettingRequest | Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> Namespace:
        """Send a modify request (hcsshim's ``ModifyNamespaceSettings``)."""
        doc = self._prepare_request(request, timeout=timeout)
        return self._decode(
            self._ops.modify_namespace(_id(namespace, "namespace"), doc, timeout=timeout)
        )

    def add_endpoint(
        self, namespace: Target, endpoint: Target, *, timeout: float | None = None
    ) -> Namespace:
        """Attach an endpoint (hcsshim's ``AddNamespaceEndpoint``)."""
        result = self._ops.add_namespace_endpoint(
            _id(namespace, "namespace"), _id(endpoint, "endpoint"), timeout=timeout
        )
        return self._decode(result)

    def remove_endpoint(
        self,
        namespace: Target,
        endpoint: Target,
        *,
        missing_ok: bool = False,
        timeout: float | None = None,
    ) -> Namespace | None:
        """Detach an endpoint; with ``missing_ok`` a vanished namespace returns ``None``."""
        result = self._ops.remove_namespace_endpoint(
            _id(namespace, "namespace"),
            _id(endpoint, "endpoint"),
            missing_ok=missing_ok,
            timeout=timeout,
        )
        return None if result is None else self._decode(result)

    def endpoint_ids(
        self, namespace: Target, *, timeout: float | None = None
    ) -> builtins.list[str]:
        """IDs of the endpoints in a namespace (hcsshim's ``GetNamespaceEndpointIds``)."""
        return self._ops.namespace_endpoint_ids(_id(namespace, "namespace"), timeout=timeout)

    def container_ids(
        self, namespace: Target, *, timeout: float | None = None
    ) -> builtins.list[str]:
        """IDs of the containers in a namespace (hcsshim's ``GetNamespaceContainerIds``)."""
        return self._ops.namespace_container_ids(_id(namespace, "namespace"), timeout=timeout)


class LoadBalancers(_Collection[LoadBalancer]):
    """``client.load_balancers``: HNS load balancers."""

    _model = LoadBalancer

    def list(
        self, query: Query = None, *, timeout: float | None = None
    ) -> builtins.list[LoadBalancer]:
        """Every load balancer matching ``query`` (default: all)."""
        return self._decode_all(self._ops.list_load_balancers(_query(query), timeout=timeout))

    def get(
        self, load_balancer_id: str | uuid.UUID, *, timeout: float | None = None
    ) -> LoadBalancer:
        """The load balancer with this ID (``LoadBalancerNotFoundError`` otherwise)."""
        return self._decode(self._ops.get_load_balancer(load_balancer_id, timeout=timeout))

    def create(self, load_balancer: LoadBalancer, *, timeout: float | None = None) -> LoadBalancer:
        """Create ``load_balancer``; returns it with its ID."""
        doc = self._prepare(load_balancer, timeout=timeout, for_create=True)
        return self._decode(self._ops.create_load_balancer(doc, timeout=timeout))

    def delete(
        self, load_balancer: Target, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete a load balancer (by model or ID)."""
        self._ops.delete_load_balancer(
            _id(load_balancer, "load_balancer"), missing_ok=missing_ok, timeout=timeout
        )

    def update(
        self,
        load_balancer: LoadBalancer,
        *,
        load_balancer_id: str | uuid.UUID | None = None,
        timeout: float | None = None,
    ) -> LoadBalancer:
        """Replace a load balancer in place (needs ``Feature.MODIFY_LOADBALANCER``).

        The target is ``load_balancer_id``, else ``load_balancer.id``.
        """
        target = str(load_balancer_id) if load_balancer_id else _id(load_balancer, "load_balancer")
        self._ops.require({Feature.MODIFY_LOADBALANCER}, timeout=timeout)
        doc = self._prepare(load_balancer, timeout=timeout)
        return self._decode(self._ops.update_load_balancer(target, doc, timeout=timeout))

    def modify(
        self,
        load_balancer: Target,
        request: LoadBalancer | Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> LoadBalancer:
        """The same as :meth:`update` (HNS modifies a load balancer with its full document)."""
        doc = self._prepare_request(request, timeout=timeout)
        target = _id(load_balancer, "load_balancer")
        return self._decode(self._ops.update_load_balancer(target, doc, timeout=timeout))

    def add_endpoint(
        self, load_balancer: Target, endpoint: Target, *, timeout: float | None = None
    ) -> LoadBalancer:
        """Add a backend endpoint (the ID is kept; see ``Ops.add_load_balancer_endpoint``)."""
        result = self._ops.add_load_balancer_endpoint(
            _id(load_balancer, "load_balancer"), _id(endpoint, "endpoint"), timeout=timeout
        )
        return self._decode(result)

    def remove_endpoint(
        self, load_balancer: Target, endpoint: Target, *, timeout: float | None = None
    ) -> LoadBalancer:
        """Remove a backend endpoint."""
        result = self._ops.remove_load_balancer_endpoint(
            _id(load_balancer, "load_balancer"), _id(endpoint, "endpoint"), timeout=timeout
        )
        return self._decode(result)


class Routes(_Collection[SdnRoute]):
    """``client.routes``: HNS SDN routes."""

    _model = SdnRoute

    def list(self, query: Query = None, *, timeout: float | None = None) -> builtins.list[SdnRoute]:
        """Every SDN route matching ``query`` (default: all)."""
        return self._decode_all(self._ops.list_routes(_query(query), timeout=timeout))

    def get(self, route_id: str | uuid.UUID, *, timeout: float | None = None) -> SdnRoute:
        """The SDN route with this ID (:class:`~hcnpy.lookup_errors.RouteNotFoundError`)."""
        return self._decode(self._ops.get_route(route_id, timeout=timeout))

    def create(self, route: SdnRoute, *, timeout: float | None = None) -> SdnRoute:
        """Create ``route``; returns it with its ID."""
        doc = self._prepare(route, timeout=timeout, for_create=True)
        return self._decode(self._ops.create_route(doc, timeout=timeout))

    def delete(
        self, route: Target, *, missing_ok: bool = False, timeout: float | None = None
    ) -> None:
        """Delete an SDN route (by model or ID)."""
        self._ops.delete_route(_id(route, "route"), missing_ok=missing_ok, timeout=timeout)

    def modify(
        self, route: Target, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> SdnRoute:
        """Send a raw modify request (``HcnModifySdnRoute``; hcsshim never calls it)."""
        return self._decode(self._ops.modify_route(_id(route, "route"), request, timeout=timeout))

    def add_endpoint(
        self, route: Target, endpoint: Target, *, timeout: float | None = None
    ) -> SdnRoute:
        """Add an endpoint (delete and re-create under the same ID)."""
        result = self._ops.add_route_endpoint(
            _id(route, "route"), _id(endpoint, "endpoint"), timeout=timeout
        )
        return self._decode(result)

    def remove_endpoint(
        self, route: Target, endpoint: Target, *, timeout: float | None = None
    ) -> SdnRoute:
        """Remove an endpoint (a no-op when it is not on the route)."""
        result = self._ops.remove_route_endpoint(
            _id(route, "route"), _id(endpoint, "endpoint"), timeout=timeout
        )
        return self._decode(result)


class Client:
    """A connection to HNS (real or simulated) with one typed collection per object kind."""

    def __init__(self, ops: _ops.Ops) -> None:
        #: The wire-level operations this client delegates to.
        self.ops = ops
        self.networks = Networks(self)
        self.endpoints = Endpoints(self)
        self.namespaces = Namespaces(self)
        self.load_balancers = LoadBalancers(self)
        self.routes = Routes(self)

    @property
    def backend(self) -> str:
        """``"hcn"`` (Windows) or ``"sim"`` (the simulated HNS)."""
        return self.ops.backend

    @property
    def library_path(self) -> str:
        """The file the C functions come from."""
        return self.ops.library_path

    @property
    def version(self) -> HnsVersion:
        """The host's HNS version (read once per process)."""
        return self.ops.hns_version()

    @property
    def supported_features(self) -> frozenset[Feature]:
        """Every feature the host's HNS version supports."""
        return self.ops.supported_features()

    def __repr__(self) -> str:
        return f"<hcnpy.Client backend={self.backend!r} library={self.library_path!r}>"


def _evolve(model: M, **changes: Any) -> M:
    return attrs.evolve(model, **changes)


def connect(backend: str | None = None, *, timeout: float | None = None) -> Client:
    """Connect to HNS: ``backend`` ``"hcn"``, ``"sim"`` or ``None`` (``$HCNPY_BACKEND``, else
    real HCN on Windows and the simulator elsewhere). ``timeout`` is the default per call."""
    return Client(_ops.connect(backend, timeout=timeout))
