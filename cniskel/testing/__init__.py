"""Testing kit: run plugins in-process or as processes, and a noop test double.

``run_in_process(MyPlugin, env, stdin)`` drives the dispatcher directly (or
calls a ``main()`` function with the process streams swapped);
``run_subprocess(argv, env, stdin)`` runs a real process. Both return an
:class:`Outcome`. :mod:`cniskel.testing.noop` is a configurable plugin to use
as a delegate or a chain member (``python -m cniskel.testing.noop``).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from cniskel.dispatch import dispatch
from cniskel.plugin import Plugin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

__all__ = [
    "Outcome",
    "cni_env",
    "install_shim",
    "noop_argv",
    "run_in_process",
    "run_subprocess",
]


class Outcome:
    """What an invocation produced.

    ``result`` is stdout decoded as JSON when the exit status is 0 and stdout
    is not empty; ``error`` is stdout decoded when the status is not 0.
    """

    def __init__(self, exit_code: int, stdout: bytes, stderr: bytes) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        decoded = _decode(stdout)
        self.result: dict[str, Any] | None = decoded if exit_code == 0 else None
        self.error: dict[str, Any] | None = decoded if exit_code != 0 else None

    @property
    def ok(self) -> bool:
        """True when the exit status is 0."""
        return self.exit_code == 0

    def __repr__(self) -> str:
        return (
            f"Outcome(exit_code={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"
        )


def _decode(data: bytes) -> dict[str, Any] | None:
    if not data.strip():
        return None
    try:
        decoded = json.loads(data)
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None


def cni_env(
    command: str,
    *,
    container_id: str = "ctr-1",
    netns: str = "/var/run/netns/cniskel-test",
    ifname: str = "eth0",
    path: str = "/opt/cni/bin",
    args: str = "",
    **extra: str,
) -> dict[str, str]:
    """A plugin environment with every ``CNI_*`` variable set (override as needed)."""
    env = {
        "CNI_COMMAND": command,
        "CNI_CONTAINERID": container_id,
        "CNI_NETNS": netns,
        "CNI_IFNAME": ifname,
        "CNI_ARGS": args,
        "CNI_PATH": path,
    }
    env.update(extra)
    return env


def run_in_process(
    target: type[Plugin] | Plugin | Callable[[], object],
    env: Mapping[str, str],
    stdin: bytes = b"",
) -> Outcome:
    """Run a plugin class/instance through the dispatcher, or call a ``main()``.

    A ``main`` callable runs with ``os.environ`` replaced by ``env`` and
    ``sys.stdin``/``stdout``/``stderr`` swapped for in-memory streams; its
    ``SystemExit`` becomes the exit status. Not thread-safe.
    """
    out, err = io.BytesIO(), io.BytesIO()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    err_text = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    if isinstance(target, Plugin) or (isinstance(target, type) and issubclass(target, Plugin)):
        plugin = target() if isinstance(target, type) else target
        sys.stderr = err_text
        try:
            code = dispatch(plugin, env, stdin, out, err)
        except SystemExit as exc:
            code = _exit_status(exc)
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            err_text.detach()  # keep the BytesIO open once the wrapper is dropped
        return Outcome(code, out.getvalue(), err.getvalue())
    saved_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    in_text = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    out_text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stdin, sys.stdout, sys.stderr = in_text, out_text, err_text
    try:
        target()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for wrapper in (out_text, err_text):
            wrapper.flush()
            wrapper.detach()
        os.environ.clear()
        os.environ.update(saved_env)
    return Outcome(code, out.getvalue(), err.getvalue())


def _exit_status(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else 1


def run_subprocess(
    argv: Sequence[str],
    env: Mapping[str, str],
    stdin: bytes = b"",
    *,
    timeout: float = 60.0,
) -> Outcome:
    """Run ``argv`` as a process with exactly ``env`` and ``stdin``."""
    proc = subprocess.run(
        list(argv), input=stdin, env=dict(env), capture_output=True, timeout=timeout, check=False
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def noop_argv() -> list[str]:
    """The command line of the noop plugin under this interpreter."""
    return [sys.executable, "-m", "cniskel.testing.noop"]


def install_shim(directory: str, name: str, module: str = "cniskel.testing.noop") -> str:
    """Write an executable ``<directory>/<name>`` running ``module.main()``; return its path.

    Use it to put a Python plugin into a ``CNI_PATH`` directory.
    """
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"#!{sys.executable}\nfrom {module} import main\n\nmain()\n")
    os.chmod(path, 0o755)
    return path
