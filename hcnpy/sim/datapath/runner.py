"""Run one program to completion: input on stdin, stdout and stderr captured.

A plugin ADD pays for every program the datapath starts, so this is ``os.posix_spawn`` with
in-memory files for the three streams (no pipes to drain, no deadlock on large input), rather
than :mod:`subprocess`, whose import alone costs a plugin process about 3 ms.
"""

from __future__ import annotations

import os

__all__ = ["Completed", "run"]


class Completed:
    """What a finished program left behind."""

    __slots__ = ("argv", "returncode", "stderr", "stdout")

    def __init__(self, argv: list[str], returncode: int, stdout: str, stderr: str) -> None:
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def ok(self) -> bool:
        """True when the program exited with status 0."""
        return self.returncode == 0

    def __repr__(self) -> str:
        return f"Completed({self.argv!r}, returncode={self.returncode!r})"


def _memfd(name: str, data: bytes = b"") -> int:
    fd = os.memfd_create(name)
    if data:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _read_all(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def run(argv: list[str], stdin: str = "") -> Completed:
    """Run ``argv`` (``argv[0]`` an absolute path) and wait for it.

    A program that cannot be started raises ``OSError``; a failing one is a ``Completed``
    with a non-zero ``returncode``.
    """
    fds = [_memfd("hcnsim-stdin", stdin.encode()), _memfd("hcnsim-stdout"), _memfd("hcnsim-stderr")]
    try:
        actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(fds)]
        # The children speak C: their messages are parsed and must not be translated.
        env = {**os.environ, "LC_ALL": "C"}
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        return Completed(
            argv, os.waitstatus_to_exitcode(status), _read_all(fds[1]), _read_all(fds[2])
        )
    finally:
        for fd in fds:
            os.close(fd)
