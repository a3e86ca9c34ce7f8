"""Open HCN object handles and callback registrations, as context managers.

A :class:`Handle` comes from :class:`hcnpy.bindings.Library` (``create``/``open``) and is
closed by it (``HcnClose<Kind>``); closing twice does nothing.
"""

from __future__ import annotations

import _thread
import enum
import sys

from ._cdef import c_function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Protocol

    class _Closer(Protocol):
        def _close_handle(self, handle: Handle) -> None: ...
        def _unregister(self, registration: CallbackRegistration, raw: int) -> None: ...


__all__ = ["CallbackRegistration", "Handle", "ObjectKind"]


class ObjectKind(enum.Enum):
    """The five HCN object kinds; the value is the stem of their C function names."""

    NETWORK = "Network"
    ENDPOINT = "Endpoint"
    NAMESPACE = "Namespace"
    LOAD_BALANCER = "LoadBalancer"
    SDN_ROUTE = "SdnRoute"

    def function(self, operation: str) -> str:
        """The C function name: ``NETWORK.function("Query")`` is ``HcnQueryNetworkProperties``."""
        return c_function(operation, self.value)


_close_lock = _thread.allocate_lock()


class Handle:
    """An open HCN object handle. Use it as a context manager; ``close()`` is idempotent.

    An unclosed handle that is garbage-collected only warns (``ResourceWarning``): closing
    from a finaliser could re-enter HNS at an arbitrary point, so nothing is closed there.
    """

    __slots__ = ("_library", "_raw", "kind", "serial")

    def __init__(self, library: _Closer, kind: ObjectKind, raw: int, serial: int) -> None:
        self._library = library
        self._raw: int | None = raw
        self.kind = kind
        #: A small per-process number naming this handle in traces.
        self.serial = serial

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._raw is None

    def close(self) -> None:
        """Close the handle (``HcnClose<Kind>``); later calls do nothing."""
        self._library._close_handle(self)

    def _detach(self) -> int | None:
        with _close_lock:
            raw, self._raw = self._raw, None
        return raw

    def __enter__(self) -> Handle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # warnings is imported whenever a filter could show a ResourceWarning (-W, -X dev,
        # PYTHONWARNINGS, any code that configures warnings); otherwise it would be ignored.
        warnings = sys.modules.get("warnings")
        if warnings is not None and getattr(self, "_raw", None) is not None:
            warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=1)

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<hcnpy Handle {self.kind.value} #{self.serial} {state}>"


class CallbackRegistration:
    """A registered service-notification callback; a context manager that unregisters."""

    __slots__ = ("_keepalive", "_library", "_raw", "serial")

    def __init__(self, library: _Closer, raw: int, serial: int, keepalive: object) -> None:
        self._library = library
        self._raw: int | None = raw
        self._keepalive = keepalive
        self.serial = serial

    @property
    def closed(self) -> bool:
        """True once unregistered."""
        return self._raw is None

    def unregister(self) -> None:
        """``HcnUnregisterServiceCallback``; later calls do nothing."""
        with _close_lock:
            raw, self._raw = self._raw, None
        if raw is not None:
            self._library._unregister(self, raw)

    close = unregister

    def __enter__(self) -> CallbackRegistration:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.unregister()

    def __repr__(self) -> str:
        state = "unregistered" if self.closed else "registered"
        return f"<hcnpy CallbackRegistration #{self.serial} {state}>"
