"""Typed "not found" errors raised by lookups (get by ID or name), with hcsshim's messages.

They subclass :class:`hcnpy.errors.NotFoundError`, so ``except NotFoundError`` and
:func:`hcnpy.errors.is_not_found` catch them along with every HNS not-found HRESULT.
Stdlib-only: the wire-level operations import this module.
"""

from __future__ import annotations

from .errors import NotFoundError

__all__ = [
    "EndpointNotFoundError",
    "LoadBalancerNotFoundError",
    "NamespaceNotFoundError",
    "NetworkNotFoundError",
    "RouteNotFoundError",
]


class _LookupMiss(NotFoundError):
    """Base of the typed lookup misses: ``hresult`` is ``ERROR_NOT_FOUND`` (``0x80070490``)."""

    def __init__(self, message: str, operation: str = "") -> None:
        from .hresult import HResult

        super().__init__(HResult.ERROR_NOT_FOUND, operation, None, message)


class NetworkNotFoundError(_LookupMiss):
    """No network with this name or ID: ``Network name "x" not found``."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        self.network_name = name
        self.network_id = id
        if name is not None:
            message = f'Network name "{name}" not found'
        else:
            message = f'Network ID "{id}" not found'
        super().__init__(message)


class EndpointNotFoundError(_LookupMiss):
    """No endpoint with this name or ID: ``Endpoint name "x" not found``."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        self.endpoint_name = name
        self.endpoint_id = id
        if name is not None:
            message = f'Endpoint name "{name}" not found'
        else:
            message = f'Endpoint ID "{id}" not found'
        super().__init__(message)


class NamespaceNotFoundError(_LookupMiss):
    """No namespace with this ID: ``Namespace ID "…" not found``."""

    def __init__(self, *, id: str) -> None:
        self.namespace_id = id
        super().__init__(f'Namespace ID "{id}" not found')


class LoadBalancerNotFoundError(_LookupMiss):
    """No load balancer with this ID: ``LoadBalancer "…" not found``."""

    def __init__(self, *, id: str) -> None:
        self.load_balancer_id = id
        super().__init__(f'LoadBalancer "{id}" not found')


class RouteNotFoundError(_LookupMiss):
    """No SDN route with this ID: ``SDN Route "…" not found``."""

    def __init__(self, *, id: str) -> None:
        self.route_id = id
        super().__init__(f'SDN Route "{id}" not found')
