"""CNI spec versions and the reference's version arithmetic.

Imported on the VERSION fast path: it must import nothing.
"""

from __future__ import annotations

#: Every released spec version, oldest first.
ALL_VERSIONS: tuple[str, ...] = ("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")

#: The newest spec version this library implements (Go's ``version.Current()``).
CURRENT = "1.1.0"

#: Versions whose results use the ``ip4``/``ip6`` shape.
LEGACY_RESULT_VERSIONS: tuple[str, ...] = ("0.1.0", "0.2.0")
#: Versions whose results carry ``ips[].version``.
V04_RESULT_VERSIONS: tuple[str, ...] = ("0.3.0", "0.3.1", "0.4.0")
#: Versions whose results use the 1.x shape.
V1_RESULT_VERSIONS: tuple[str, ...] = ("1.0.0", "1.1.0")


class VersionError(ValueError):
    """A version string the reference's ``ParseVersion`` would reject."""


def parse_version(value: str) -> tuple[int, int, int]:
    """Parse like Go's ``version.ParseVersion``: ``""`` is 0.1.0, missing parts are 0."""
    if value == "":
        return (0, 1, 0)
    parts = value.split(".")
    if len(parts) >= 4:
        raise VersionError(f"invalid version {_quote(value)}: too many parts")
    numbers = [0, 0, 0]
    for index, part in enumerate(parts):
        number = _atoi(part)
        if not isinstance(number, int):
            label = ("major", "minor", "micro")[index]
            raise VersionError(
                f"failed to convert {label} version part {_quote(part)}: "
                f"strconv.Atoi: parsing {_quote(part)}: {number}"
            )
        numbers[index] = number
    return (numbers[0], numbers[1], numbers[2])


def _quote(text: str) -> str:
    # Error path only: the quoting module is not needed to answer VERSION.
    from cniskel._goquote import go_quote

    return go_quote(text)


_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


def _atoi(text: str) -> int | str:
    """Go's ``strconv.Atoi`` on 64 bits: the number, or the reason it is not one."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not all("0" <= ch <= "9" for ch in digits):
        return "invalid syntax"
    if len(digits) > 25:
        return "value out of range"
    number = int(text)
    if not _INT64_MIN <= number <= _INT64_MAX:
        return "value out of range"
    return number


def greater_than_or_equal(a: str, b: str) -> bool:
    """Go's ``version.GreaterThanOrEqualTo``; raises :class:`VersionError`."""
    return parse_version(a) >= parse_version(b)


def greater_than(a: str, b: str) -> bool:
    """Go's ``version.GreaterThan``; raises :class:`VersionError`."""
    return parse_version(a) > parse_version(b)


def versions_starting_from(first: str) -> tuple[str, ...]:
    """Every released version from ``first`` on (Go's ``VersionsStartingFrom``)."""
    return tuple(v for v in ALL_VERSIONS if parse_version(v) >= parse_version(first))
