"""The kernel, through ``ip`` and ``nft``: batches of commands run inside a named namespace.

Every change is one program run (``ip -batch -`` or ``nft -f -``), so an endpoint attach costs
a handful of process starts rather than one per address or rule. Failures become
:class:`DatapathError` naming the namespace, the command and the kernel's message.
"""

from __future__ import annotations

import json

from .errors import DatapathError
from .names import Names
from .runner import Completed, run

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .tools import Tools

__all__ = ["MISSING", "Kernel"]

#: Messages of ``ip`` meaning "that is already gone" (tolerated where removal is the goal).
MISSING = (
    "Cannot find device",
    "does not exist",
    "No such process",
    "No such file or directory",
    "Cannot remove namespace file",
    "FIB table does not exist",
)


def _failures(stderr: str) -> list[tuple[int, str]]:
    """``(line number, message)`` of every command ``ip -batch`` reports as failed."""
    failures: list[tuple[int, str]] = []
    message: list[str] = []
    for line in stderr.splitlines():
        if line.startswith("Command failed "):
            number = line.rsplit(":", 1)[-1]
            failures.append((int(number) if number.isdigit() else 0, " ".join(message)))
            message = []
        elif line.strip():
            message.append(line.strip())
    if message and not failures:
        failures.append((0, " ".join(message)))
    return failures


class Kernel:
    """``ip`` and ``nft`` in the namespaces of one instance."""

    __slots__ = ("tools",)

    def __init__(self, tools: Tools) -> None:
        self.tools = tools

    # -- ip ---------------------------------------------------------------------------------
    def ip(self, netns: str | None, lines: list[str], tolerate: tuple[str, ...] = ()) -> None:
        """Run ``lines`` with ``ip -batch`` in ``netns`` (``None``: namespace management).

        With ``tolerate``, every command runs even if some fail; failures whose message
        contains one of ``tolerate`` are ignored.
        """
        if not lines:
            return
        argv = [self.tools.ip]
        if netns is not None:
            argv += ["-n", netns]
        if tolerate:
            argv.append("-force")
        done = run([*argv, "-batch", "-"], "".join(line + "\n" for line in lines))
        if done.ok:
            return
        for number, message in _failures(done.stderr):
            if tolerate and any(mark in message for mark in tolerate):
                continue
            command = lines[number - 1] if 0 < number <= len(lines) else " / ".join(lines)
            where = f"namespace {netns}" if netns else "the namespace list"
            raise DatapathError(f"ip in {where}: {message or 'failed'} (command: ip {command})")

    def ip_json(self, netns: str, *args: str) -> list[dict[str, Any]]:
        """The JSON answer of ``ip -j -n netns ARGS``; ``[]`` when the namespace is gone."""
        done = run([self.tools.ip, "-j", "-n", netns, *args])
        if not done.ok:
            if any(mark in done.stderr for mark in MISSING):
                return []
            raise DatapathError(f"ip in namespace {netns}: {done.stderr.strip()}")
        text = done.stdout.strip()
        return list(json.loads(text)) if text else []

    def links(self, netns: str) -> list[dict[str, Any]]:
        """The interfaces of ``netns`` (``ip -j link show``)."""
        return self.ip_json(netns, "link", "show")

    def link(self, netns: str, name: str) -> dict[str, Any] | None:
        """One interface of ``netns``, or ``None`` when there is no such interface."""
        found = self.ip_json(netns, "link", "show", "dev", name)
        return found[0] if found else None

    def add_namespaces(self, names: list[str]) -> None:
        """Create named network namespaces (each must not exist yet)."""
        self.ip(None, [f"netns add {name}" for name in names])

    def delete_namespaces(self, names: list[str]) -> None:
        """Delete named network namespaces (missing ones are fine)."""
        self.ip(None, [f"netns delete {name}" for name in names], tolerate=MISSING)

    # -- nft and shell, through nsenter -----------------------------------------------------
    def _inside(self, netns: str, argv: list[str], stdin: str = "") -> Completed:
        path = Names.path(netns)
        return run([self.tools.nsenter, f"--net={path}", "--", *argv], stdin)

    def nft(self, netns: str, script: str) -> None:
        """Apply an nftables script in ``netns``, atomically (all of it or nothing)."""
        if not script.strip():
            return
        done = self._inside(netns, [self.tools.nft, "-f", "-"], script)
        if not done.ok:
            message = " ".join(line.strip() for line in done.stderr.splitlines()[:6])
            raise DatapathError(f"nft in namespace {netns}: {message}")

    def nft_tables(self, netns: str) -> list[str]:
        """Names of the ``inet`` tables in ``netns``."""
        done = self._inside(netns, [self.tools.nft, "-j", "list", "tables", "inet"])
        if not done.ok:
            raise DatapathError(f"nft in namespace {netns}: {done.stderr.strip()}")
        data = json.loads(done.stdout or "{}").get("nftables", [])
        return [item["table"]["name"] for item in data if "table" in item]

    def nft_ruleset(self, netns: str) -> str:
        """``nft list ruleset`` of ``netns`` (for people and tests)."""
        done = self._inside(netns, [self.tools.nft, "list", "ruleset"])
        if not done.ok:
            raise DatapathError(f"nft in namespace {netns}: {done.stderr.strip()}")
        return done.stdout

    def sh(self, netns: str, command: str) -> None:
        """Run a ``sh -c`` command in ``netns`` (sysctls: ``/proc/sys/net`` is per namespace)."""
        done = self._inside(netns, [self.tools.sh, "-c", command])
        if not done.ok:
            raise DatapathError(f"in namespace {netns}: {command}: {done.stderr.strip()}")
