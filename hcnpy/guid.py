"""GUIDs as HNS writes them: lowercase, hyphenated text, and the 16 bytes of a Windows ``GUID``.

The ``uuid`` module is not needed for that (on Linux it imports ``platform``: milliseconds per
plugin process). A leaf module: standard library only, shared by the bindings and the simulator.
"""

from __future__ import annotations

import os

__all__ = [
    "NIL_GUID",
    "Guid",
    "derived_guid",
    "guid",
    "guid_bytes_le",
    "guid_from_bytes_le",
    "is_guid",
    "new_guid",
]

#: The all-zero GUID ("let HNS choose the ID").
NIL_GUID = "00000000-0000-0000-0000-000000000000"

_HEX = frozenset("0123456789abcdefABCDEF")


class Guid(str):
    """GUID text checked by :func:`guid`; ID parameters take it as well as ``uuid.UUID``."""

    __slots__ = ()


def _format(number: int) -> Guid:
    digits = f"{number:032x}"
    return Guid(f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}")


def guid(value: object) -> Guid:
    """``value`` (a ``uuid.UUID``, or text as ``uuid.UUID`` reads it: braces, ``urn:uuid:``,
    any case) as canonical GUID text; ``ValueError`` when it is not a GUID."""
    if isinstance(value, Guid):
        return value
    text = str(value).replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    if len(text) != 32 or not _HEX.issuperset(text):
        raise ValueError(f"badly formed GUID: {value!r}")
    return _format(int(text, 16))


def is_guid(text: str) -> bool:
    """True when ``text`` is a GUID in the 8-4-4-4-12 form (braces allowed, any case)."""
    digits = text[1:-1] if text.startswith("{") and text.endswith("}") else text
    parts = digits.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and _HEX.issuperset(digits.replace("-", ""))


def guid_bytes_le(value: str) -> bytes:
    """The 16 bytes of a Windows ``GUID`` struct (``uuid.UUID.bytes_le``) of GUID text."""
    raw = bytes.fromhex(guid(value).replace("-", ""))
    return raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]


def guid_from_bytes_le(data: bytes) -> Guid:
    """GUID text of a Windows ``GUID`` struct's 16 bytes (``uuid.UUID(bytes_le=...)``)."""
    if len(data) != 16:
        raise ValueError(f"a GUID has 16 bytes, not {len(data)}")
    raw = data[3::-1] + data[5:3:-1] + data[7:5:-1] + data[8:]
    return _format(int.from_bytes(raw, "big"))


def new_guid() -> Guid:
    """A random version-4 GUID (``str(uuid.uuid4())``)."""
    number = int.from_bytes(os.urandom(16), "big")
    number = (number & ~(0xC000 << 48)) | 0x8000 << 48  # variant: RFC 4122
    number = (number & ~(0xF000 << 64)) | 4 << 76  # version 4
    return _format(number)


def derived_guid(scope: str, *parts: str) -> Guid:
    """A GUID that depends only on ``scope`` and ``parts``: the same inputs always give the
    same GUID, different inputs (practically) never do.

    The parts are joined with NUL characters (which they must not contain, so distinct
    tuples never meet) and hashed with BLAKE2b; the result is a version-8 (custom) GUID.
    ``ValueError`` for a part that contains NUL.
    """
    if any("\0" in part for part in (scope, *parts)):
        raise ValueError("the parts of a derived GUID cannot contain NUL")
    data = "\0".join((scope, *parts)).encode("utf-8", "surrogatepass")
    try:
        from _blake2 import blake2b  # CPython's built-in BLAKE2: no OpenSSL to load
    except ImportError:  # other interpreters
        from hashlib import blake2b
    number = int.from_bytes(blake2b(data, digest_size=16).digest(), "big")
    number = (number & ~(0xC000 << 48)) | 0x8000 << 48  # variant: RFC 4122
    number = (number & ~(0xF000 << 64)) | 8 << 76  # version 8
    return _format(number)

