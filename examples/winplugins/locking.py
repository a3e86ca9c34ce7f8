"""Per-container serialisation across processes: one lock file per container, held while a
plugin works on that container.

The runtime never runs two operations for the same container at once, but kubelet retries and
chained or duplicated configurations do; and the reference plugins had no cross-process lock at
all (only a mutex inside one process). Plugins for *different* containers never wait for each
other here; HNS serialises what it must.

The lock files live in the ``locks`` directory of the plugins' private state directory
(``statedir.py``: created 0700, refused when another user owns or may write it) and are
opened without following symlinks. They are tiny and left in place: deleting a lock file
that another process is waiting on would let a third one take a second lock.

A lock is held by its open file: a child process that inherits the descriptor (an IPAM
delegate started with ``pass_fds=(lock.fd,)``) keeps the container locked until it exits,
even when the plugin itself was killed, so a DEL cannot slip in while a killed ADD's
delegate is still allocating.

``$WINPLUGINS_LOCK_TIMEOUT`` (seconds, default 120) bounds the wait; on timeout the plugin
returns CNI code 11 ("try again later").
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType

from hcnpy.safefiles import UnsafePathError, open_private

from .errors import ERR_ENV, ERR_TRY_AGAIN_LATER, PluginError
from .statedir import sub_dir

__all__ = ["DEFAULT_TIMEOUT", "FileLock", "lock_dir", "lock_path"]

DEFAULT_TIMEOUT = 120.0
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def lock_dir() -> str:
    """The directory holding the lock files, created (privately) on first use."""
    return sub_dir("locks")


def lock_path(key: str) -> str:
    """The lock file for ``key`` (a container ID); unsafe characters become ``_``."""
    safe = "".join(c if c in _SAFE else "_" for c in key)[:200] or "_"
    return os.path.join(lock_dir(), safe + ".lock")


def _timeout() -> float:
    try:
        return float(os.environ.get("WINPLUGINS_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """An exclusive lock on ``lock_path(key)``; a context manager.

    ``blocking=False`` makes :meth:`acquire` return ``False`` at once instead of waiting.
    """

    def __init__(self, key: str, *, timeout: float | None = None) -> None:
        self.key = key
        self.path = lock_path(key)
        self.timeout = _timeout() if timeout is None else timeout
        self._fd: int | None = None

    @property
    def fd(self) -> int | None:
        """The lock file's descriptor while the lock is held (pass it to a child process
        that must keep the lock until it exits)."""
        return self._fd

    def acquire(self, blocking: bool = True) -> bool:
        try:
            fd = open_private(self.path, os.O_RDWR | os.O_CREAT)
        except UnsafePathError as exc:
            raise PluginError(
                ERR_ENV,
                f"the lock file of {self.key!r} is not safe to use: {exc.reason}",
                f"{exc.path}: someone planted it; remove it (the plugins recreate it)",
            ) from None
        deadline = time.monotonic() + self.timeout
        delay = 0.002
        while not _try_lock(fd):
            if not blocking:
                os.close(fd)
                return False
            if time.monotonic() >= deadline:
                os.close(fd)
                raise PluginError(
                    ERR_TRY_AGAIN_LATER,
                    f"another operation on container {self.key!r} is still running",
                    f"waited {self.timeout:g} s for the lock file {self.path}",
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
