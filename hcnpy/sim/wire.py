"""The simulator service's wire format, the Python half of ``standin.c``'s.

Little-endian. A frame is a ``u32`` length and a payload. The stand-in sends a *hello*
(``u8 0``, text token, ``u32 n``, ``n`` texts ``NAME=value``) on each new connection, then
*calls* (``u8 1``, text method, ``u8 argc``, ``argc`` values). The service answers each with
``u8 status`` (0 an answer, 1 "kill the caller") and ``u8 n`` values. A value is a ``u8`` tag:
0 null, 1 ``i64``, 2 ``u32`` byte length and UTF-16LE (a C ``WCHAR`` string, lone surrogates
kept), 3 a ``GUID`` struct's 16 bytes (read as its text), 4 ``u32`` byte length and UTF-8.
"""

from __future__ import annotations

import struct

from ..guid import guid_from_bytes_le

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    from typing import Any

__all__ = [
    "Call",
    "Hello",
    "WireError",
    "encode_answer",
    "encode_kill",
    "parse",
    "read_frame",
    "write_frame",
]

HELLO, CALL = 0, 1
_NULL, _INT, _WIDE, _GUID, _TEXT = range(5)


class WireError(ValueError):
    """A frame that does not follow the format."""


class Hello:
    """A connection's introduction: which process (``token``) and its environment."""

    __slots__ = ("environ", "token")

    def __init__(self, token: str, environ: dict[str, str]) -> None:
        self.token = token
        self.environ = environ


class Call:
    """One engine method call."""

    __slots__ = ("args", "method")

    def __init__(self, method: str, args: list[Any]) -> None:
        self.method = method
        self.args = args


def read_frame(sock: socket.socket) -> bytes | None:
    """One frame's payload; ``None`` when the peer closed the connection first."""
    header = _read_exactly(sock, 4)
    if header is None:
        return None
    return _read_exactly(sock, int.from_bytes(header, "little"))


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def write_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one frame."""
    sock.sendall(len(payload).to_bytes(4, "little") + payload)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        end = self.at + size
        if end > len(self.data):
            raise WireError("the frame ends early")
        chunk = self.data[self.at : end]
        self.at = end
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "little")

    def value(self) -> Any:
        tag = self.u8()
        if tag == _NULL:
            return None
        if tag == _INT:
            return int.from_bytes(self.take(8), "little", signed=True)
        if tag == _WIDE:
            data = self.take(self.u32())
            if len(data) % 2:
                raise WireError("a UTF-16 text of an odd number of bytes")
            return data.decode("utf-16-le", "surrogatepass")
        if tag == _GUID:
            return guid_from_bytes_le(self.take(16))
        if tag == _TEXT:
            return self.take(self.u32()).decode("utf-8", "surrogateescape")
        raise WireError(f"unknown value tag {tag}")

    def text(self) -> str:
        value = self.value()
        if not isinstance(value, str):
            raise WireError("want a text value")
        return value


def parse(payload: bytes) -> Hello | Call:
    """A client payload."""
    reader = _Reader(payload)
    kind = reader.u8()
    if kind == HELLO:
        token = reader.text()
        environ = {}
        for _ in range(reader.u32()):
            name, _, value = reader.text().partition("=")
            environ[name] = value
        message: Hello | Call = Hello(token, environ)
    elif kind == CALL:
        method = reader.text()
        message = Call(method, [reader.value() for _ in range(reader.u8())])
    else:
        raise WireError(f"unknown message kind {kind}")
    if reader.at != len(payload):
        raise WireError("trailing bytes after the message")
    return message


def _encode_value(value: object) -> bytes:
    if value is None:
        return b"\0"
    if isinstance(value, int):
        return struct.pack("<Bq", _INT, value)
    if isinstance(value, str):
        data = value.encode("utf-16-le", "surrogatepass")
        return struct.pack("<BI", _WIDE, len(data)) + data
    raise WireError(f"cannot send a {type(value).__name__}")


def encode_answer(values: tuple[object, ...] | list[object]) -> bytes:
    """The payload of an answer (integers and texts, ``None`` for null)."""
    return bytes((0, len(values))) + b"".join(_encode_value(v) for v in values)


def encode_kill() -> bytes:
    """The payload telling the caller to die (a ``kill`` fault)."""
    return b"\x01\x00"
