"""What the datapath needs of the machine: Linux, root, and ``ip``, ``nft``, ``nsenter``."""

from __future__ import annotations

import os
import sys

from .errors import DatapathUnavailable

__all__ = ["PROGRAMS", "Tools", "find_tools"]

#: Program -> the Debian package that has it.
PROGRAMS = {"ip": "iproute2", "nft": "nftables", "nsenter": "util-linux", "sh": "dash"}
#: Searched after ``$PATH``: a non-login root shell may lack the sbin directories.
_EXTRA_DIRS = ("/usr/sbin", "/sbin", "/usr/bin", "/bin")


class Tools:
    """Absolute paths of the programs the datapath runs."""

    __slots__ = ("ip", "nft", "nsenter", "sh")

    def __init__(self, ip: str, nft: str, nsenter: str, sh: str) -> None:
        self.ip = ip
        self.nft = nft
        self.nsenter = nsenter
        self.sh = sh


def _which(program: str) -> str | None:
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d] + list(_EXTRA_DIRS)
    for directory in dirs:
        candidate = os.path.join(directory, program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_tools() -> Tools:
    """The programs, after checking that this is Linux and we are root.

    Raises :class:`DatapathUnavailable` naming everything that is missing.
    """
    if not sys.platform.startswith("linux"):
        raise DatapathUnavailable(
            f"the netns datapath needs Linux network namespaces; this is {sys.platform}"
        )
    if os.geteuid() != 0:
        raise DatapathUnavailable(
            "the netns datapath needs root (network namespaces, veths and nftables are "
            f"privileged); running as uid {os.geteuid()}"
        )
    found = {program: _which(program) for program in PROGRAMS}
    missing = [f"{p} (Debian package {PROGRAMS[p]})" for p, path in found.items() if not path]
    if missing:
        raise DatapathUnavailable(
            "the netns datapath needs the program(s) "
            + ", ".join(missing)
            + ": not found on PATH or in /usr/sbin, /sbin"
        )
    return Tools(**{program: str(path) for program, path in found.items()})
