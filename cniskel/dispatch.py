"""The dispatcher: one CNI invocation from environment, stdin and streams.

:func:`dispatch` answers VERSION without importing anything (the reply is
formatted by hand); every other command is handled by
:mod:`cniskel._dispatch_full`, which follows the Go reference's
``skel.pluginMain`` step by step.
"""

from __future__ import annotations

from cniskel._version import CURRENT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO

    from cniskel.plugin import Plugin

_PLAIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-+_ ")


def dispatch(
    plugin: Plugin,
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


def version_reply(cni_version: str, supported: tuple[str, ...] | list[str]) -> bytes:
    """The VERSION answer as Go's ``json.Encoder`` writes it (compact, newline)."""
    items = [cni_version, *supported]
    if all(isinstance(v, str) and _PLAIN.issuperset(v) for v in items):
        listed = ",".join(f'"{v}"' for v in supported)
        text = f'{{"cniVersion":"{cni_version}","supportedVersions":[{listed}]}}\n'
        return text.encode()
    from cniskel._gojson import marshal

    body = {"cniVersion": cni_version, "supportedVersions": list(supported)}
    return marshal(body) + b"\n"


def write(stream: IO[bytes] | IO[str], data: bytes) -> None:
    """Write ``data`` to a binary stream, or decoded to a text stream."""
    try:
        stream.write(data)  # type: ignore[arg-type]
    except TypeError:
        stream.write(data.decode("utf-8", "replace"))  # type: ignore[call-overload]
    stream.flush()
