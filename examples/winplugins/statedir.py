"""Where the plugins keep their small state (lock files, the network-ID cache): a directory
only root (Administrators and SYSTEM on Windows) can write, or only the invoking user.

First that applies:

1. ``$WINPLUGINS_LOCK_DIR`` if set (tests, the demo);
2. on Windows ``%ProgramData%\\hcnpy-winplugins``, with an ACL that grants Administrators and
   SYSTEM alone;
3. as root ``/run/hcnpy-winplugins``;
4. otherwise ``$XDG_RUNTIME_DIR/hcnpy-winplugins``, else ``<temp dir>/hcnpy-winplugins-<uid>``.

The directory is created 0700 and refused when it exists but another user owns it or may
write it (someone could plant symlinks there, or hold the locks): code 4 names it.
"""

from __future__ import annotations

import os
import sys

from hcnpy.safefiles import UnsafePathError, private_dir

from .errors import ERR_ENV, PluginError

__all__ = ["base_dir", "state_dir", "sub_dir"]

_NAME = "hcnpy-winplugins"


def base_dir() -> str:
    """The state directory's path (see the module docs); not created here."""
    configured = os.environ.get("WINPLUGINS_LOCK_DIR")
    if configured:
        return configured
    if sys.platform == "win32":
        return os.path.join(os.environ.get("PROGRAMDATA") or r"C:\ProgramData", _NAME)
    if os.geteuid() == 0:
        return os.path.join("/run", _NAME)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return os.path.join(runtime, _NAME)
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"{_NAME}-{os.geteuid()}")


def state_dir() -> str:
    """The plugins' private directory, created on first use (see the module docs)."""
    return sub_dir("")


#: Directories already checked by this process (a verb asks for them more than once).
_checked: set[str] = set()


def sub_dir(name: str) -> str:
    """A private subdirectory of :func:`state_dir` (``""``: the directory itself), checked
    once per process."""
    base = base_dir()
    path = os.path.join(base, name) if name else base
    if path in _checked:
        return path
    try:
        private_dir(base)
        if name:
            private_dir(path)
    except UnsafePathError as exc:
        raise PluginError(
            ERR_ENV,
            f"the plugins' state directory is not safe to use: {exc.reason}",
            f"{exc.path}: it must belong to this user and be writable by nobody else; "
            "remove it (or set WINPLUGINS_LOCK_DIR to another directory)",
        ) from None
    except OSError as exc:
        raise PluginError(
            ERR_ENV, "the plugins' state directory cannot be created", f"{base}: {exc}"
        ) from None
    _checked.add(path)
    return path
