"""Run one HCN call with a time limit, on a worker thread that may outlive the wait.

HNS calls cannot be cancelled. When the limit passes, :func:`call_with_timeout` raises
:class:`hcnpy.errors.HcnTimeout` while the call keeps running; when it finishes late its
``discard`` releases what it produced (a handle), and the thread leaves ``pending``.
"""

from __future__ import annotations

from .errors import HcnTimeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    import threading
    from collections.abc import Callable
    from typing import Any, TypeVar

    _T = TypeVar("_T")
    _Result = tuple[int, _T, "str | None"]

__all__ = ["call_with_timeout"]


def call_with_timeout(
    function: str,
    call: Callable[[], _Result[_T]],
    timeout: float,
    discard: Callable[[_T], None] | None,
    pending: set[threading.Thread],
) -> _Result[_T]:
    """``call()``'s result, or :class:`HcnTimeout` naming ``function`` after ``timeout`` s.

    A ``timeout`` of zero or less raises at once without calling.
    """
    if timeout <= 0:
        raise HcnTimeout(function, timeout)
    import threading  # only calls with a timeout need a worker thread

    lock = threading.Lock()
    box: list[tuple[bool, Any]] = []
    abandoned = False
    finished = threading.Event()

    def worker() -> None:
        try:
            outcome: tuple[bool, Any] = (True, call())
        except BaseException as exc:
            outcome = (False, exc)
        with lock:
            box.append(outcome)
            late = abandoned
        finished.set()
        if late:
            try:
                if outcome[0] and discard is not None and outcome[1][1] is not None:
                    discard(outcome[1][1])
            finally:
                pending.discard(thread)

    thread = threading.Thread(target=worker, name=f"hcnpy-{function}", daemon=True)
    thread.start()
    try:
        finished.wait(timeout)
    finally:  # also when the wait is interrupted (KeyboardInterrupt): clean up later
        with lock:
            if not box:
                abandoned = True
                pending.add(thread)
    if abandoned:
        raise HcnTimeout(function, timeout)
    ok, payload = box[0]
    if not ok:
        raise payload
    result: _Result[_T] = payload
    return result
