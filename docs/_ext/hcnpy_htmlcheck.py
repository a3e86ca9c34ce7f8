"""Fail the docs build when a rendered page shows a stray reST escape (a backslash, a space).

A backslash followed by a space in reST source is an "escaped space" and must vanish from
the output; when it shows up in the HTML, an escape went wrong (see ``hcnpy_docstrings``).
The check reads the text a reader sees: within one ``<code>`` or ``<pre>`` element (their
text is split over ``<span>``s) and within each stretch of other text, so a lone backslash
literal followed by prose (``\\`` on Windows) is not a finding. Each finding is a Sphinx
warning; ``make docs`` runs with ``-W``, so any of them fails the build.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

__all__ = ["Finding", "setup", "stray_escapes", "stray_escapes_in_site"]

LOG = logging.getLogger(__name__)

STRAY = "\\ "
_CODE_ELEMENTS = frozenset({"code", "pre", "kbd", "samp"})
_INVISIBLE = frozenset({"script", "style", "head", "title"})

#: ``(page, snippet)``: where a stray escape was seen and the text around it.
Finding = tuple[str, str]


class _TextRuns(HTMLParser):
    """Collects the runs of visible text in which a stray escape would be a bug."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._code_depth = 0
        self._hidden_depth = 0
        self._code_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden_depth += 1
        elif tag in _CODE_ELEMENTS:
            self._code_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _CODE_ELEMENTS and self._code_depth:
            self._code_depth -= 1
            if not self._code_depth:
                self.runs.append("".join(self._code_text))
                self._code_text.clear()

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._code_depth:
            self._code_text.append(data)
        else:
            self.runs.append(data)


def stray_escapes(html: str) -> list[str]:
    """The text around every stray backslash-space a reader of ``html`` would see."""
    parser = _TextRuns()
    parser.feed(html)
    parser.close()
    snippets = []
    for run in parser.runs:
        start = run.find(STRAY)
        while start >= 0:
            snippets.append(" ".join(run[max(0, start - 30) : start + 30].split()))
            start = run.find(STRAY, start + 1)
    return snippets


def stray_escapes_in_site(outdir: Path) -> Iterator[Finding]:
    """Every finding in the HTML pages under ``outdir``."""
    for page in sorted(outdir.rglob("*.html")):
        for snippet in stray_escapes(page.read_text(encoding="utf-8")):
            yield page.relative_to(outdir).as_posix(), snippet


def _check_site(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page, snippet in stray_escapes_in_site(Path(app.outdir)):
        LOG.warning(
            "stray reST escape (backslash, space) in the rendered page: %r",
            snippet,
            location=page,
            type="hcnpy",
            subtype="stray-escape",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """Check the site once every page is written."""
    app.connect("build-finished", _check_site)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
