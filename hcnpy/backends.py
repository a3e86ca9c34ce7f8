"""Backends: what carries the HCN calls, and how one is found by name (the backend contract).

A backend is a *transport*: an object that performs the HNS operations (enumerate, create,
open, modify, query, delete, close, the endpoint queries, ``HNSCall``, notifications) and
returns raw results. :class:`hcnpy.bindings.Library` adds marshalling checks, tracing,
timeouts and error translation on top, the same for every backend.

The real one, ``hcn``, is built in (``computenetwork.dll`` through :mod:`hcnpy._ffi`). Others
register themselves with :func:`register_backend`: the simulated HNS (``hcnpy.sim.backend``)
registers ``sim`` and ``sim-inprocess`` when imported. :func:`open_transport` imports a
backend's provider module only when that backend is asked for; providers of other packages
are found through the ``hcnpy.backends`` entry-point group (looked up only for an unknown
name, as reading entry points costs several times a bare interpreter start).
"""

from __future__ import annotations

import _thread
import os
import sys
from collections.abc import Callable

from .errors import HcnUnavailable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    _T = TypeVar("_T")
    #: ``(hresult, value, error_record)`` of one call.
    Result = tuple[int, _T, "str | None"]

    #: ``callback(notification_type, status_hresult, data_or_None)``.
    NotificationCallback = Callable[[int, int, "str | None"], None]

    class Transport(Protocol):
        """The HNS operations of one backend; ``kind`` is a C name stem (``"Network"``)."""

        backend: str
        path: str

        def enumerate(self, kind: str, query: str) -> Result[str | None]: ...
        def create(
            self, kind: str, object_id: str | None, settings: str, network: int | None
        ) -> Result[int | None]: ...
        def open(self, kind: str, object_id: str) -> Result[int | None]: ...
        def modify(self, kind: str, handle: int, settings: str) -> Result[None]: ...
        def query(self, kind: str, handle: int, query: str) -> Result[str | None]: ...
        def delete(self, kind: str, object_id: str) -> Result[None]: ...
        def close(self, kind: str, handle: int) -> int: ...
        def endpoint_query(self, function: str, handle: int, query: str) -> Result[str | None]: ...
        def hns_call(self, method: str, path: str, body: str) -> tuple[int, str | None]: ...
        def register_service_callback(
            self, callback: NotificationCallback
        ) -> tuple[int, int, object]: ...
        def unregister_service_callback(self, handle: int) -> int: ...
        def leak_counters(self) -> tuple[int, int] | None: ...

    #: Builds a transport; keyword options come from ``open_library`` (e.g. ``path``).
    Factory = Callable[..., Transport]

__all__ = [
    "BACKEND_ENV",
    "ENTRY_POINT_GROUP",
    "default_backend",
    "known_backends",
    "open_transport",
    "register_backend",
    "resolve_backend",
]

#: Environment variable that picks the backend.
BACKEND_ENV = "HCNPY_BACKEND"
#: Entry-point group where other distributions declare backends (``name = "module"``).
ENTRY_POINT_GROUP = "hcnpy.backends"

#: Backends of this distribution whose module registers them on import. Naming the module
#: is all the bindings know of a backend: nothing here imports it until it is asked for.
_PROVIDERS: dict[str, str] = {
    "hcn": "hcnpy._ffi",
    "sim": "hcnpy.sim.backend",
    "sim-inprocess": "hcnpy.sim.backend",
}

_factories: dict[str, Factory] = {}
_lock = _thread.allocate_lock()


def register_backend(name: str, factory: Factory) -> None:
    """Make ``name`` available to :func:`hcnpy.bindings.load`; ``factory(**options)`` builds
    its transport. Registering a name again replaces the factory."""
    key = name.strip().lower()
    if not key:
        raise ValueError("a backend needs a name")
    with _lock:
        _factories[key] = factory


def known_backends() -> tuple[str, ...]:
    """Every backend name that can be asked for without searching entry points."""
    return tuple(sorted({*_PROVIDERS, *_factories}))


def default_backend() -> str:
    """``hcn`` on Windows, the simulator elsewhere."""
    return "hcn" if sys.platform == "win32" else "sim"


def resolve_backend(backend: str | None = None) -> str:
    """The backend to use: ``backend``, else ``$HCNPY_BACKEND``, else by platform.

    A name nobody provides raises ``ValueError`` listing the known ones.
    """
    name = (backend if backend is not None else os.environ.get(BACKEND_ENV, "")).strip().lower()
    if not name:
        return default_backend()
    if name in _PROVIDERS or name in _factories or _entry_point(name) is not None:
        return name
    source = BACKEND_ENV if backend is None else "backend argument"
    raise ValueError(f"unknown HCN backend {name!r} ({source}): use one of {known_backends()}")


def open_transport(name: str, **options: object) -> Transport:
    """A new transport of backend ``name``, importing its provider on first use."""
    factory = _factories.get(name)
    if factory is None:
        module = _PROVIDERS.get(name) or _entry_point(name)
        if module is None:
            raise ValueError(f"unknown HCN backend {name!r}: use one of {known_backends()}")
        try:
            __import__(module)
        except ImportError as exc:
            raise HcnUnavailable(
                f"the {name!r} backend ({module}) cannot be imported: {exc}"
            ) from exc
        factory = _factories.get(name)
        if factory is None:
            raise HcnUnavailable(f"{module} did not register the {name!r} backend")
    return factory(**options)


def _entry_point(name: str) -> str | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name.strip().lower() == name:
            return entry.value.partition(":")[0]
    return None
