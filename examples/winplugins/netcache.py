"""The HNS network ID of each network name, remembered between plugin runs.

Finding a network by name costs three HNS calls (enumerate with a filter, open, query); by
ID, two. The ID a name had last time is kept in a small file, one per name, in the plugins'
private state directory; a stale entry (the network was re-created: HNS does not keep
networks across reboots) costs one failed open and is replaced. A cached ID is used only
after the network's own properties confirm the name, so the cache can make a lookup cheaper,
never wrong.
"""

from __future__ import annotations

import os

from hcnpy.guid import is_guid
from hcnpy.safefiles import open_private

from .statedir import sub_dir

__all__ = ["forget", "recall", "remember"]

_MAX_BYTES = 64


def _path(name: str) -> str:
    # Network names may hold any character: hex keeps every name a distinct, safe file name.
    key = name.encode("utf-8", "surrogatepass").hex()[:200]
    return os.path.join(sub_dir("networks"), key)


def recall(name: str) -> str:
    """The ID ``name`` had last time, or ``""``."""
    try:
        fd = open_private(_path(name), os.O_RDONLY)
    except OSError:
        return ""
    try:
        text = os.read(fd, _MAX_BYTES).decode("ascii", "replace").strip()
    finally:
        os.close(fd)
    return text if is_guid(text) else ""


def remember(name: str, network_id: str) -> None:
    """Keep ``network_id`` for ``name`` (a failure to write only costs a later lookup)."""
    path = _path(name)
    temporary = f"{path}.{os.getpid()}"
    try:
        fd = open_private(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            os.write(fd, network_id.encode("ascii"))
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError:
        _unlink(temporary)


def forget(name: str) -> None:
    """Drop the entry of ``name``."""
    _unlink(_path(name))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:  # not contextlib.suppress: contextlib is not on the plugins' import path
        return
