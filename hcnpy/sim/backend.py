"""The simulated HNS as hcnpy backends: ``sim`` (the stand-in C library) and ``sim-inprocess``.

Importing this module registers both with :func:`hcnpy.backends.register_backend`; the
bindings import it only when one of them is asked for, and know nothing else about it.

* ``sim`` loads the stand-in shared library (:mod:`hcnpy.sim.standin`), which exports the
  same C functions as ``computenetwork.dll``, ``vmcompute.dll`` and ``ole32.dll``, and drives
  it through the bindings' ordinary C transport: the very code path of the real HCN. Like the
  real DLL, the library is a client of a service in another process, the simulator service
  (:mod:`hcnpy.sim.service`).
* ``sim-inprocess`` calls the engine directly, without C: for machines that cannot build the
  stand-in. Same behaviour, no ABI, no string leak counting.
"""

from __future__ import annotations

from hcnpy._cdef import SIM_READY
from hcnpy._hresult_bits import is_failure, to_unsigned
from hcnpy.backends import register_backend
from hcnpy.bindings import open_c_transport
from hcnpy.errors import HcnUnavailable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hcnpy.backends import Result, Transport

    from .engine import Engine

__all__ = ["EngineTransport", "open_inprocess", "open_standin"]

_ROLES = ("computenetwork", "vmcompute", "com", "sim")
_COUNTERS = ("HcnSimOpenHandles", "HcnSimOutstandingStrings")


def open_standin(path: str | None = None) -> Transport:
    """A C transport over the stand-in library at ``path`` (default: built and cached)."""
    from .standin import StandinError, library_path, on_reset, prepare_service

    try:
        if path is None:
            path = library_path()
        prepare_service()
    except StandinError as exc:
        raise HcnUnavailable(str(exc)) from exc
    transport = open_c_transport(
        "sim",
        {role: [path] for role in _ROLES},
        counters=_COUNTERS,
        ready=("HcnSimReady", SIM_READY),
    )
    c_calls: Any = transport  # a C transport: it also calls the stand-in's own exports
    on_reset(path, lambda: c_calls.call_probe("HcnSimReset"))
    return transport


class EngineTransport:
    """HNS operations straight into the simulator engine (``sim-inprocess``): no C, no cffi."""

    backend = "sim-inprocess"
    path = "<in-process>"

    def __init__(self) -> None:
        from . import engine

        self._module = engine

    def _engine(self) -> Engine:
        return self._module.get_engine()

    def enumerate(self, kind: str, query: str) -> Result[str | None]:
        hresult, text, rec = self._engine().enumerate(kind, query)
        return to_unsigned(hresult), text, rec

    def create(
        self, kind: str, object_id: str | None, settings: str, network: int | None
    ) -> Result[int | None]:
        hresult, handle, rec = self._engine().create(kind, object_id, settings, network)
        return to_unsigned(hresult), None if is_failure(hresult) else handle, rec

    def open(self, kind: str, object_id: str) -> Result[int | None]:
        hresult, handle, rec = self._engine().open(kind, object_id)
        return to_unsigned(hresult), None if is_failure(hresult) else handle, rec

    def modify(self, kind: str, handle: int, settings: str) -> Result[None]:
        hresult, _, rec = self._engine().modify(kind, handle, settings)
        return to_unsigned(hresult), None, rec

    def query(self, kind: str, handle: int, query: str) -> Result[str | None]:
        hresult, text, rec = self._engine().query(kind, handle, query)
        return to_unsigned(hresult), text, rec

    def endpoint_query(self, function: str, handle: int, query: str) -> Result[str | None]:
        engine = self._engine()
        method = (
            engine.query_endpoint_stats
            if function == "HcnQueryEndpointStats"
            else engine.query_endpoint_addresses
        )
        hresult, text, rec = method(handle, query)
        return to_unsigned(hresult), text, rec

    def delete(self, kind: str, object_id: str) -> Result[None]:
        hresult, _, rec = self._engine().delete(kind, object_id)
        return to_unsigned(hresult), None, rec

    def close(self, kind: str, handle: int) -> int:
        return to_unsigned(self._engine().close(kind, handle))

    def hns_call(self, method: str, path: str, body: str) -> tuple[int, str | None]:
        hresult, text = self._engine().hns_call(method, path, body)
        return to_unsigned(hresult), text

    def register_service_callback(self, callback: Any) -> tuple[int, int, object]:
        hresult, handle = self._engine().register_service_callback()
        return to_unsigned(hresult), handle, callback

    def unregister_service_callback(self, handle: int) -> int:
        return to_unsigned(self._engine().unregister_service_callback(handle))

    def leak_counters(self) -> tuple[int, int] | None:
        return int(self._engine().open_handle_count()), 0


def open_inprocess() -> Transport:
    """The in-process transport (``sim-inprocess``)."""
    return EngineTransport()


register_backend("sim", open_standin)
register_backend("sim-inprocess", open_inprocess)
