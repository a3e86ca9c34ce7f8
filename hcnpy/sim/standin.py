"""Find or build the stand-in library that the ``sim`` backend loads in place of HCN's DLLs,
and tell it where its simulator service is.

``HCNPY_SIM_LIBRARY=<path>`` names a prebuilt library. Otherwise the library is built on first
use into ``$HCNPY_SIM_CACHE`` (default ``${XDG_CACHE_HOME:-~/.cache}/hcnpy``), under a name
keyed by a digest of its sources and the platform, while holding a file lock (many plugin
processes may start at once), and renamed into place atomically. Later calls cost one
``stat``. ``python -m hcnpy.sim.standin`` builds (or finds) it and prints its path.

The library sends every call to the simulator service (:mod:`hcnpy.sim.service`) at
``$HCNPY_SIM_SOCKET``, and starts it there with ``$HCNPY_SIM_PYTHON`` when nothing answers;
:func:`prepare_service` sets both for this interpreter and this copy of hcnpy. The socket lives
in ``$HCNPY_SIM_RUNTIME_DIR`` (default ``$XDG_RUNTIME_DIR/hcnpy-sim``, else
``/tmp/hcnpy-sim-<uid>``), a directory only its user may use.
"""

from __future__ import annotations

import _thread
import os
import sys

from hcnpy.safefiles import UnsafePathError, check_trusted_file, open_private, private_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO

__all__ = [
    "RUNTIME_DIR_ENV",
    "SOCKET_ENV",
    "StandinError",
    "build_key",
    "cache_dir",
    "digest",
    "ensure_built",
    "library_path",
    "main",
    "on_reset",
    "prepare_service",
    "reset_connections",
    "runtime_dir",
    "socket_path",
]

#: Where the stand-in finds the simulator service.
SOCKET_ENV = "HCNPY_SIM_SOCKET"
#: Where services keep their sockets, locks and logs.
RUNTIME_DIR_ENV = "HCNPY_SIM_RUNTIME_DIR"

# os.path, not pathlib: this module is on the start-up path of every simulated plugin run.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_SOURCES = (
    os.path.join(_PACKAGE_DIR, "_standin_build.py"),
    os.path.join(_PACKAGE_DIR, "standin.c"),
    os.path.join(os.path.dirname(_PACKAGE_DIR), "_cdef.py"),
)
_SUFFIX = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")
_thread_lock = _thread.allocate_lock()

_HELP = (
    "Alternatives: set HCNPY_SIM_LIBRARY to a prebuilt stand-in (build one with "
    "`python -m hcnpy.sim.standin` on a machine with a compiler), or use the in-process "
    "simulator with HCNPY_BACKEND=sim-inprocess (same behaviour, no C ABI)."
)


class StandinError(RuntimeError):
    """The stand-in library cannot be found or built (the message says why and what to do)."""


def cache_dir() -> str:
    """Where built libraries are kept."""
    explicit = os.environ.get("HCNPY_SIM_CACHE")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hcnpy")


def build_key() -> str:
    """A digest of everything the built library depends on: its sources and the platform.

    The sources are named by path, size and modification time, not read: every process that
    loads the simulator computes this, and a plain C library needs no interpreter in its key.
    """
    parts = [sys.platform, os.uname().machine if hasattr(os, "uname") else ""]
    for source in _SOURCES:
        info = os.stat(source)
        parts.append(f"{source}:{info.st_size}:{info.st_mtime_ns}")
    return digest("\0".join(parts))


def digest(text: str) -> str:
    """A stable 64-bit FNV-1a digest of ``text`` as 16 hex digits (not a security boundary:
    names cache entries; hashlib would load OpenSSL, zlib its shared library)."""
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8", "surrogateescape"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def _lock(handle: IO[bytes]) -> None:
    """Take the exclusive lock on an open lock file, waiting for it."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _trusted(path: str) -> str:
    """``path`` if it may be loaded: this user's (or root's) and writable by nobody else."""
    try:
        check_trusted_file(path)
    except UnsafePathError as exc:
        raise StandinError(f"will not load the simulated HNS library: {exc}") from exc
    except OSError as exc:
        raise StandinError(f"cannot use the simulated HNS library {path}: {exc}") from exc
    return path


def ensure_built() -> str:
    """The cached library, built first if missing. Raises :class:`StandinError` if it cannot be.

    The cache directory is created 0700 and refused when another user owns it or may write
    it; a cached library is loaded only when it belongs to this user (or root) and nobody
    else may write it, so no other local user can plant code this process would run.
    """
    directory = cache_dir()
    try:
        private_dir(directory)
    except UnsafePathError as exc:
        raise StandinError(
            f"{exc}. Set HCNPY_SIM_CACHE to a directory only you can write. {_HELP}"
        ) from exc
    except OSError as exc:
        raise StandinError(
            f"cannot create the simulated HNS library cache {directory}: {exc}. "
            f"Set HCNPY_SIM_CACHE to a writable directory. {_HELP}"
        ) from exc
    target = os.path.join(directory, f"libhcnpy-standin-{build_key()}{_SUFFIX}")
    if os.path.lexists(target):
        return _trusted(target)
    import shutil
    import tempfile
    from pathlib import Path

    from hcnpy.sim._standin_build import StandinBuildError, build

    try:
        lock_fd = open_private(os.path.join(directory, ".build.lock"), os.O_RDWR | os.O_CREAT)
        with _thread_lock, os.fdopen(lock_fd, "a+b") as lock:
            _lock(lock)
            try:
                if os.path.lexists(target):
                    return _trusted(target)
                workdir = tempfile.mkdtemp(prefix=".build-", dir=directory)
                try:
                    built = build(Path(workdir, os.path.basename(target)))
                    os.replace(built, target)
                finally:
                    shutil.rmtree(workdir, ignore_errors=True)
            finally:
                _unlock(lock)
    except StandinBuildError as exc:
        raise StandinError(f"cannot build the simulated HNS library: {exc}. {_HELP}") from exc
    except OSError as exc:
        raise StandinError(
            f"cannot build the simulated HNS library in {directory}: {exc}. "
            f"Set HCNPY_SIM_CACHE to a writable directory. {_HELP}"
        ) from exc
    return _trusted(target)


def library_path() -> str:
    """``$HCNPY_SIM_LIBRARY`` if set, else the cached stand-in (built on first use)."""
    explicit = os.environ.get("HCNPY_SIM_LIBRARY")
    if explicit:
        return _trusted(explicit)
    return ensure_built()


def runtime_dir() -> str:
    """The directory of this user's simulator services (their sockets, locks and logs)."""
    explicit = os.environ.get(RUNTIME_DIR_ENV)
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg) and os.path.isdir(xdg):
        return os.path.join(xdg, "hcnpy-sim")
    return f"/tmp/hcnpy-sim-{os.getuid()}"


def socket_path() -> str:
    """The socket of the service for this interpreter and this copy of hcnpy."""
    package = os.path.dirname(_PACKAGE_DIR)
    key = digest("\0".join((sys.version, sys.base_prefix, sys.prefix, package)))
    return os.path.join(runtime_dir(), f"service-{key[:12]}.sock")


def prepare_service() -> str:
    """Point the stand-in at this installation's service (``HCNPY_SIM_SOCKET`` unless set) and
    at this interpreter to start it with; returns the socket's path.

    The runtime directory is created 0700 and refused when another user could use it.
    """
    path = os.environ.get(SOCKET_ENV) or socket_path()
    try:
        private_dir(os.path.dirname(path))
    except OSError as exc:
        raise StandinError(
            f"cannot use {os.path.dirname(path)} for the simulator service: {exc}. "
            f"Set {RUNTIME_DIR_ENV} to a directory only you can write."
        ) from exc
    os.environ[SOCKET_ENV] = path
    os.environ["HCNPY_SIM_PYTHON"] = sys.executable
    os.environ["HCNPY_SIM_PYTHONPATH"] = os.pathsep.join(entry for entry in sys.path if entry)
    return path


_resets: dict[str, Callable[[], object]] = {}


def on_reset(library: str, action: Callable[[], object]) -> None:
    """Call ``action`` on :func:`reset_connections`: one per loaded stand-in ``library`` (a
    library loaded again is the same library, so its action is replaced, not added)."""
    _resets[library] = action


def reset_connections() -> None:
    """Make every loaded stand-in drop its connections to the service: the service releases
    this process's handles, and the next call introduces the process with its environment
    as it is then (``hcnpy.sim.engine.reset_engine`` calls this)."""
    for action in list(_resets.values()):
        action()


def main() -> int:
    """Build (or find) the stand-in and print its path."""
    try:
        print(library_path())
    except StandinError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
