"""JSON object keys matched the way Go's ``encoding/json`` matches struct fields.

Go's decoder assigns every key of an object, in document order, to the field whose name it
equals ignoring case (Unicode simple case folding), so with ``{"name": 1, "Name": 2}`` the
field ends up as ``2``: the **last** matching key wins, exact case or not. A JSON ``null``
leaves a string, number, boolean or struct field as it was, and resets a slice, map, pointer
or interface field to nil.

Everything in hcnpy, cniskel and the example plugins that reads a document the way a Go
program would (CNI configurations, hcsshim-style reading of HNS answers) goes through this
module. The simulated HNS does not: it models HNS itself (``hcnpy.sim.jsondoc``).

A leaf module: standard library only, imported on every plugin's start-up path.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

__all__ = ["fold", "get", "has", "matching", "without"]

_MISSING: Any = object()


def fold(text: str) -> str:
    """``text`` in a canonical case, so that two keys Go matches fold to the same string.

    ASCII is lower-cased; other characters take their single-character Unicode case fold (the
    long s and ``s``, the Kelvin sign and ``k``, final and medial sigma match, as in Go), while
    a character whose only fold is several characters stays as it is (the sharp s).
    """
    if text.isascii():
        return text.lower()
    out = []
    for char in text:
        folded = char.casefold()
        if len(folded) != 1:
            folded = char.lower()
            if len(folded) != 1:
                folded = char
        out.append(folded)
    return "".join(out)


def matching(obj: Mapping[str, Any], key: str) -> list[str]:
    """Every key of ``obj`` that Go would assign to a field called ``key``, in document order."""
    wanted = fold(key)
    return [name for name in obj if isinstance(name, str) and fold(name) == wanted]


def get(obj: Mapping[str, Any], key: str, default: Any = None, *, null_resets: bool = False) -> Any:
    """The value a Go field named ``key`` would hold after decoding ``obj``; ``default`` if none.

    The last case-insensitively matching key wins. A ``null`` is skipped (it leaves a scalar
    or struct field unchanged) unless ``null_resets`` (slice, map, pointer and interface
    fields), where it sets the result back to ``default``.
    """
    found = _MISSING
    for name in matching(obj, key):
        value = obj[name]
        if value is None:
            if null_resets:
                found = _MISSING
            continue
        found = value
    return default if found is _MISSING else found


def has(obj: Mapping[str, Any], key: str) -> bool:
    """True when some key of ``obj`` matches ``key`` (its value may be ``null``)."""
    return key in obj or bool(matching(obj, key))


def without(obj: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """A copy of ``obj`` without the keys that match any of ``keys``."""
    dropped = {fold(key) for key in keys}
    return {
        name: value
        for name, value in obj.items()
        if not (isinstance(name, str) and fold(name) in dropped)
    }
