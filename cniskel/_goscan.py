"""Go's JSON syntax checker (``encoding/json``'s scanner), for its exact error messages.

Go checks the whole input before decoding and reports the first offending byte with
the scanner state's own words (``invalid character ' ' in literal null (expecting
'u')`` for a truncated ``n``). :func:`syntax_error` runs the same state machine over
the raw bytes; it is only called once Python's parser has rejected the input.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

_SPACE = b" \t\r\n"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"
_MAX_DEPTH = 10000

_OBJECT_KEY, _OBJECT_VALUE, _ARRAY_VALUE = 0, 1, 2


class _Stop(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def quote_byte(byte: int) -> str:
    """Go's ``quoteChar``: the byte shown as the character of the same number."""
    from cniskel._goquote import go_quote

    if byte == ord("'"):
        return "'\\''"
    if byte == ord('"'):
        return "'\"'"
    return "'" + go_quote(chr(byte))[1:-1] + "'"


def _fail(byte: int, context: str) -> _Stop:
    return _Stop(f"invalid character {quote_byte(byte)} {context}")


class _Scanner:
    def __init__(self) -> None:
        self.stack: list[int] = []
        self.end_top = False
        self.step: Callable[[int], None] = self.begin_value

    # -- values ------------------------------------------------------------------

    def push(self, kind: int) -> None:
        self.stack.append(kind)
        if len(self.stack) > _MAX_DEPTH:
            raise _Stop("exceeded max depth")

    def begin_value_or_empty(self, c: int) -> None:
        if c in _SPACE:
            return
        if c == ord("]"):
            self.end_value(c)
            return
        self.begin_value(c)

    def begin_value(self, c: int) -> None:
        if c in _SPACE:
            return
        if c == ord("{"):
            self.push(_OBJECT_KEY)
            self.step = self.begin_string_or_empty
        elif c == ord("["):
            self.push(_ARRAY_VALUE)
            self.step = self.begin_value_or_empty
        elif c == ord('"'):
            self.step = self.in_string
        elif c == ord("-"):
            self.step = self.neg
        elif c == ord("0"):
            self.step = self.zero
        elif c == ord("t"):
            self.step = self.literal("true", 1)
        elif c == ord("f"):
            self.step = self.literal("false", 1)
        elif c == ord("n"):
            self.step = self.literal("null", 1)
        elif ord("1") <= c <= ord("9"):
            self.step = self.digits
        else:
            raise _fail(c, "looking for beginning of value")

    def begin_string_or_empty(self, c: int) -> None:
        if c in _SPACE:
            return
        if c == ord("}"):
            self.stack[-1] = _OBJECT_VALUE
            self.end_value(c)
            return
        self.begin_string(c)

    def begin_string(self, c: int) -> None:
        if c in _SPACE:
            return
        if c == ord('"'):
            self.step = self.in_string
            return
        raise _fail(c, "looking for beginning of object key string")

    def end_value(self, c: int) -> None:
        if not self.stack:
            self.end_top = True
            self.step = self.end_top_state
            self.end_top_state(c)
            return
        if c in _SPACE:
            self.step = self.end_value
            return
        kind = self.stack[-1]
        if kind == _OBJECT_KEY:
            if c == ord(":"):
                self.stack[-1] = _OBJECT_VALUE
                self.step = self.begin_value
                return
            raise _fail(c, "after object key")
        if kind == _OBJECT_VALUE:
            if c == ord(","):
                self.stack[-1] = _OBJECT_KEY
                self.step = self.begin_string
                return
            if c == ord("}"):
                self.pop()
                return
            raise _fail(c, "after object key:value pair")
        if c == ord(","):
            self.step = self.begin_value
            return
        if c == ord("]"):
            self.pop()
            return
        raise _fail(c, "after array element")

    def pop(self) -> None:
        self.stack.pop()
        if not self.stack:
            self.end_top = True
            self.step = self.end_top_state
        else:
            self.step = self.end_value

    def end_top_state(self, c: int) -> None:
        if c not in _SPACE:
            raise _fail(c, "after top-level value")

    # -- strings -------------------------------------------------------------------

    def in_string(self, c: int) -> None:
        if c == ord('"'):
            self.step = self.end_value
        elif c == ord("\\"):
            self.step = self.in_string_escape
        elif c < 0x20:
            raise _fail(c, "in string literal")

    def in_string_escape(self, c: int) -> None:
        if c in b'bfnrt\\/"':
            self.step = self.in_string
        elif c == ord("u"):
            self.step = self.hex_digit(1)
        else:
            raise _fail(c, "in string escape code")

    def hex_digit(self, index: int) -> Callable[[int], None]:
        def state(c: int) -> None:
            if c not in _HEX:
                raise _fail(c, "in \\u hexadecimal character escape")
            self.step = self.in_string if index == 4 else self.hex_digit(index + 1)

        return state

    # -- numbers -------------------------------------------------------------------

    def neg(self, c: int) -> None:
        if c == ord("0"):
            self.step = self.zero
        elif ord("1") <= c <= ord("9"):
            self.step = self.digits
        else:
            raise _fail(c, "in numeric literal")

    def digits(self, c: int) -> None:
        if c in _DIGITS:
            return
        self.zero(c)

    def zero(self, c: int) -> None:
        if c == ord("."):
            self.step = self.dot
        elif c in b"eE":
            self.step = self.exponent
        else:
            self.end_value(c)

    def dot(self, c: int) -> None:
        if c in _DIGITS:
            self.step = self.dot_digits
            return
        raise _fail(c, "after decimal point in numeric literal")

    def dot_digits(self, c: int) -> None:
        if c in _DIGITS:
            return
        if c in b"eE":
            self.step = self.exponent
            return
        self.end_value(c)

    def exponent(self, c: int) -> None:
        if c in b"+-":
            self.step = self.exponent_sign
            return
        self.exponent_sign(c)

    def exponent_sign(self, c: int) -> None:
        if c in _DIGITS:
            self.step = self.exponent_digits
            return
        raise _fail(c, "in exponent of numeric literal")

    def exponent_digits(self, c: int) -> None:
        if c in _DIGITS:
            return
        self.end_value(c)

    # -- true, false, null ------------------------------------------------------------

    def literal(self, word: str, index: int) -> Callable[[int], None]:
        def state(c: int) -> None:
            if c != ord(word[index]):
                raise _fail(c, f"in literal {word} (expecting {quote_byte(ord(word[index]))})")
            self.step = self.end_value if index + 1 == len(word) else self.literal(word, index + 1)

        return state


def syntax_error(data: bytes) -> str | None:
    """Go's ``checkValid``: the message for the first syntax error, or None when valid."""
    scanner = _Scanner()
    try:
        for byte in data:
            scanner.step(byte)
        if scanner.end_top:
            return None
        scanner.step(ord(" "))
        if scanner.end_top:
            return None
    except _Stop as stop:
        return stop.message
    return "unexpected end of JSON input"
