"""Find or build the stand-in library that the ``sim`` backend loads in place of HCN's DLLs.

``HCNPY_SIM_LIBRARY=<path>`` names a prebuilt library. Otherwise the library is built on first
use into ``$HCNPY_SIM_CACHE`` (default ``${XDG_CACHE_HOME:-~/.cache}/hcnpy``), under a name
keyed by a hash of its sources and of the interpreter, while holding a file lock (many plugin
processes may start at once), and renamed into place atomically. Later calls cost one
``stat``. ``python -m hcnpy.sim.standin`` builds (or finds) it and prints its path.
"""

from __future__ import annotations

import _thread
import os
import sys
import zlib

from hcnpy.safefiles import UnsafePathError, check_trusted_file, open_private, private_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

__all__ = ["StandinError", "build_key", "cache_dir", "ensure_built", "library_path", "main"]

# os.path, not pathlib: this module is on the start-up path of every simulated plugin run.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_SOURCES = (
    os.path.join(_PACKAGE_DIR, "_standin_build.py"),
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
    """A hash of everything the built library depends on: sources, Python, cffi, platform.

    The interpreter is named by its install prefix and full version string (one install has
    one build configuration: shared or static libpython, its directory). Kept cheap because
    every process that loads the simulator computes it.
    """
    import _cffi_backend

    data = []
    for source in _SOURCES:
        with open(source, "rb") as handle:
            data.append(handle.read())
    machine = os.uname().machine if hasattr(os, "uname") else ""
    for part in (
        sys.version,
        sys.base_prefix,
        sys.implementation.cache_tag or "",
        getattr(sys, "abiflags", ""),
        sys.platform,
        machine,
        getattr(_cffi_backend, "__version__", "?"),
    ):
        data.append(part.encode())
    blob = b"\0".join(data)
    # Not a security boundary: two cheap 32-bit checksums (hashlib would load OpenSSL, ~3 ms).
    return f"{zlib.crc32(blob):08x}{zlib.adler32(blob):08x}"


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
