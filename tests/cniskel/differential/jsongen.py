"""Hypothesis strategies that write JSON text the way hostile inputs look.

Objects are lists of pairs (:class:`Obj`), so a document can repeat a key or spell it in
another case; numbers can be raw literals (:class:`Lit`: ``1500.0``, ``1e400``, 30-digit
integers). :func:`dump` writes the text, with random whitespace.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st


class Obj(list):  # type: ignore[type-arg]
    """A JSON object as ``[(key, value), ...]``; keys may repeat."""


class Lit(str):
    """A JSON value written exactly as given (a number literal)."""


def dump(value: Any) -> str:
    if isinstance(value, Lit):
        return str(value)
    if isinstance(value, Obj):
        return "{" + ",".join(f"{json.dumps(k)}:{dump(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return dump(Obj(value.items()))
    return json.dumps(value)


def case_variants(key: str) -> st.SearchStrategy[str]:
    """``key`` mostly as is, sometimes in another case (Go matches those too)."""
    return st.one_of(
        st.just(key),
        st.just(key),
        st.just(key),
        st.just(key.upper()),
        st.just(key.lower()),
        st.just(key[:1].upper() + key[1:]),
        # Go folds the long s and the Kelvin sign onto s and k (hcnpy.jsonkeys must agree).
        st.just(key.replace("s", "\u017f").replace("k", "\u212a")),
        st.just(key.replace("S", "\u017f").replace("K", "\u212a")),
    )


NUMBER_LITERALS = st.sampled_from(
    [
        "0",
        "-0",
        "1",
        "-1",
        "1500",
        "1500.0",
        "1.5",
        "1e2",
        "1E2",
        "-0.0",
        "9007199254740993",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "123456789012345678901234567890",
        "1e400",
        "-1e400",
        "1e-400",
    ]
).map(Lit)

#: Characters whose printability Go 1.19 (Unicode 13) and this Python agree on; code
#: points assigned later are a documented divergence (docs/cniskel/divergences.md).
CHARACTERS = st.one_of(
    st.characters(max_codepoint=0x24F),
    st.sampled_from("\u0130\u017f\u212a\u0391\u03a3\u03c2\u4e2d\u200b\u2028\u00a0\ufeff\U0001f600"),
)
TEXT = st.one_of(
    st.text(CHARACTERS, max_size=8),
    st.sampled_from(["", "eth0", "net1", "<&>", "a\u2028b", "\x00\x01\b\f", "ünï", "\\"]),
)


def junk(depth: int = 2) -> st.SearchStrategy[Any]:
    """Any JSON value: what an undeclared key may hold."""
    scalars = st.one_of(
        st.none(), st.booleans(), NUMBER_LITERALS, st.integers(-(2**70), 2**70), TEXT
    )
    if depth <= 0:
        return scalars
    inner = junk(depth - 1)
    return st.one_of(
        scalars,
        st.lists(inner, max_size=3),
        st.lists(st.tuples(TEXT, inner), max_size=3).map(Obj),
    )


def build(draw: st.DrawFn, fields: list[tuple[str, Any]], junk_keys: bool = True) -> Obj:
    """An object from ``fields`` in a drawn order, keys in drawn case, with extras."""
    pairs = [(draw(case_variants(key)), value) for key, value in fields]
    if junk_keys and draw(st.booleans()):
        pairs.append(
            (draw(st.sampled_from(["extra", "ipMasq", "runtimeConfig", "x"])), draw(junk(1)))
        )
    if pairs and draw(st.integers(0, 9)) == 0:
        # The same key twice: the last one wins in Go.
        key, value = pairs[draw(st.integers(0, len(pairs) - 1))]
        pairs.append((key, value))
    order = draw(st.permutations(range(len(pairs))))
    return Obj(pairs[i] for i in order)
