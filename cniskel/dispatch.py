"""The dispatcher: one CNI invocation from environment, stdin and streams.

:func:`dispatch` answers VERSION without importing anything (the reply is
formatted by hand); every other command is handled by
:mod:`cniskel._dispatch_full`, which follows the Go reference's
``skel.pluginMain`` step by step.
"""

from __future__ import annotations

from cniskel._reply import version_reply, write
from cniskel._version import CURRENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO

    from cniskel._types import PluginLike

__all__ = ["dispatch", "version_reply", "write"]


def dispatch(
    plugin: PluginLike,
    env: Mapping[str, str],
    stdin: bytes | IO[bytes],
    stdout: IO[bytes] | IO[str],
    stderr: IO[bytes] | IO[str],
    *,
    guard_stdout: bool = False,
) -> int:
    """Run one invocation of ``plugin`` and return the exit status (0 or 1).

    ``stdin`` is the raw bytes or a binary stream (read only when needed:
    VERSION never reads it). ``stdout``/``stderr`` should be binary streams;
    text streams are accepted too. ``guard_stdout`` points ``sys.stdout`` at
    stderr while plugin code runs, so a stray ``print`` cannot corrupt the
    result (:meth:`Plugin.main` sets it).
    """
    if env.get("CNI_COMMAND", "") == "VERSION" and not plugin.version_echo_request:
        reply = version_reply(CURRENT, plugin.supported_versions)
        try:
            write(stdout, reply)
            return 0
        except OSError:
            pass  # reported by the full path as code 5
    from cniskel._dispatch_full import run

    return run(plugin, env, stdin, stdout, stderr, guard_stdout=guard_stdout)
