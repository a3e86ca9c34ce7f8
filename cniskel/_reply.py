"""Writing a reply: the VERSION answer and bytes to a binary or text stream.

On the VERSION fast path: imports nothing at module level.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

_PLAIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-+_ ")


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
