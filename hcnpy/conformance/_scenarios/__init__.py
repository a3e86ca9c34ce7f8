"""The kit's scenarios, one module per area; importing this package registers them all."""

from __future__ import annotations

from . import _balancers, _endpoints, _namespaces, _networks, _objects, _policies, _queries

__all__ = ["MODULES"]

#: The scenario modules (each registers its scenarios in ``REGISTRY`` when imported).
MODULES = (_objects, _queries, _networks, _policies, _endpoints, _namespaces, _balancers)
