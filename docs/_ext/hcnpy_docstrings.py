"""Let docstrings glue ``literals`` to words, as plain text does, without reST warnings.

reST recognises an inline literal only when the characters around it are whitespace or
punctuation, so "``dict``s" would be a warning. :func:`escape_glued_literals` finds every
literal of a line, left to right, and inserts reST's escaped space (backslash, space: it
renders as nothing) only where a literal touches a word. Matching "literal then letter" with
one regular expression instead also matches the text *between* two literals and leaves a
stray backslash in the page; ``hcnpy_htmlcheck`` fails the build if one gets through.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sphinx.application import Sphinx

__all__ = ["escape_glued_literals", "setup"]

# An inline literal: ``, a non-space, anything (shortest), a non-space, ``.
_LITERAL = re.compile(r"``(?:\S|\S.*?\S)``")
# What reST accepts right before a start-string and right after an end-string
# (docutils' inline markup recognition rules), besides whitespace.
_OPENERS = frozenset("-:/'\"<([{")
_CLOSERS = frozenset("-.,:;!?\\/'\")]}>")
_PUNCTUATION_BEFORE = frozenset({"Pd", "Po", "Ps", "Pi", "Pf"})
_PUNCTUATION_AFTER = frozenset({"Pd", "Po", "Pe", "Pi", "Pf"})


def _may_precede(char: str) -> bool:
    return char.isspace() or char in _OPENERS or unicodedata.category(char) in _PUNCTUATION_BEFORE


def _may_follow(char: str) -> bool:
    return char.isspace() or char in _CLOSERS or unicodedata.category(char) in _PUNCTUATION_AFTER


def escape_glued_literals(line: str) -> str:
    """``line`` with ``\\ `` between every inline literal and a word glued to it."""
    out: list[str] = []
    done = 0
    for match in _LITERAL.finditer(line):
        start, end = match.span()
        out.append(line[done:start])
        if start > 0 and line[start - 1] != "\\" and not _may_precede(line[start - 1]):
            out.append("\\ ")
        out.append(match.group(0))
        if end < len(line) and not _may_follow(line[end]):
            out.append("\\ ")
        done = end
    out.append(line[done:])
    return "".join(out)


def _process_docstring(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    lines[:] = [escape_glued_literals(line) for line in lines]


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect the escaping to autodoc."""
    app.connect("autodoc-process-docstring", _process_docstring)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
