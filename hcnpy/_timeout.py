"""Run one HCN call with a time limit, on a worker thread that may outlive the wait.

Worker threads are kept and reused (a new thread per call would cost more than the call).

HNS calls cannot be cancelled. When the limit passes, :func:`call_with_timeout` raises
:class:`hcnpy.errors.HcnTimeout` while the call keeps running; when it finishes late its
``discard`` releases what it produced (a handle), and the thread leaves ``pending``.
"""

from __future__ import annotations

import _thread  # not threading: a plugin pays for no module import to get a deadline

from .errors import HcnTimeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _T = TypeVar("_T")
    _Result = tuple[int, _T, "str | None"]

__all__ = ["PendingCall", "call_with_timeout"]


class PendingCall:
    """A call the caller stopped waiting for, which may still be running."""

    __slots__ = ("_done", "function")

    def __init__(self, function: str, done: _thread.LockType) -> None:
        self.function = function
        self._done = done

    def is_alive(self) -> bool:
        """True until the call has returned and what it produced was released."""
        return self._done.locked()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the call is over (at most ``timeout`` seconds)."""
        if self._done.acquire(True, -1 if timeout is None else max(timeout, 0.0)):
            self._done.release()

    def __repr__(self) -> str:
        return f"<PendingCall {self.function} {'running' if self.is_alive() else 'done'}>"


class _Worker:
    """A thread that runs one call at a time, handed over through locks.

    Starting a thread costs more than a short HCN call, so a worker serves call after call;
    one that outlives its caller's wait (a stalled HNS call) goes back to the pool only once
    its call is over.
    """

    __slots__ = ("job", "wake")

    def __init__(self) -> None:
        self.job: Callable[[], Callable[[], None]] | None = None
        self.wake = _thread.allocate_lock()
        self.wake.acquire()
        _thread.start_new_thread(self._loop, ())

    def _loop(self) -> None:
        while True:
            self.wake.acquire()
            job, self.job = self.job, None
            finish = job() if job is not None else None
            with _pool_lock:  # back in the pool before the caller hears the call is over
                _idle.append(self)
            if finish is not None:
                finish()

    def run(self, job: Callable[[], Callable[[], None]]) -> None:
        """Run ``job`` on this thread; what it returns is called once the thread is free."""
        self.job = job
        self.wake.release()


_idle: list[_Worker] = []
_pool_lock = _thread.allocate_lock()


def _worker() -> _Worker:
    with _pool_lock:
        if _idle:
            return _idle.pop()
    return _Worker()


def call_with_timeout(
    function: str,
    call: Callable[[], _Result[_T]],
    timeout: float,
    discard: Callable[[_T], None] | None,
    pending: set[PendingCall],
) -> _Result[_T]:
    """``call()``'s result, or :class:`HcnTimeout` naming ``function`` after ``timeout`` s.

    A ``timeout`` of zero or less raises at once without calling.
    """
    if timeout <= 0:
        raise HcnTimeout(function, timeout)
    state = _thread.allocate_lock()
    done = _thread.allocate_lock()
    done.acquire()  # released by the worker once the call is over
    box: list[tuple[bool, Any]] = []
    abandoned: list[PendingCall] = []

    def worker() -> Callable[[], None]:
        try:
            outcome: tuple[bool, Any] = (True, call())
        except BaseException as exc:
            outcome = (False, exc)
        with state:
            box.append(outcome)
            late = abandoned[0] if abandoned else None
        if late is None:
            return done.release
        try:
            if outcome[0] and discard is not None and outcome[1][1] is not None:
                discard(outcome[1][1])
        except Exception:  # nobody is left to tell; the handle dies with the process
            pass
        finally:
            pending.discard(late)
        return done.release

    _worker().run(worker)
    try:
        done.acquire(True, timeout)
    finally:  # also when the wait is interrupted (KeyboardInterrupt): clean up later
        with state:
            if not box:
                token = PendingCall(function, done)
                abandoned.append(token)
                pending.add(token)
    if abandoned:
        raise HcnTimeout(function, timeout)
    ok, payload = box[0]
    if not ok:
        raise payload
    result: _Result[_T] = payload
    return result
