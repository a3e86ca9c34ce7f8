"""Docstrings that glue ``literals`` to words render cleanly, and a stray escape fails the build.

Issue #13: the API pages showed about 250 stray backslashes (``\\ sys``) because the escaping
regex matched the gap between two literals. ``hcnpy_docstrings`` now finds the literals
themselves; ``hcnpy_htmlcheck`` turns any stray backslash-space left in the HTML into a
Sphinx warning, which ``make docs`` (``-W``) treats as an error.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given
from hypothesis import strategies as st

DOCS = Path(__file__).parents[2] / "docs"
EXT = DOCS / "_ext"


@pytest.fixture(scope="module", autouse=True)
def _extensions_on_path() -> Iterator[None]:
    sys.path.insert(0, str(EXT))
    yield
    sys.path.remove(str(EXT))


def escape(line: str) -> str:
    from hcnpy_docstrings import escape_glued_literals

    result: str = escape_glued_literals(line)
    return result


def rendered(rst: str) -> tuple[list[str], str, list[str]]:
    """The literals, the plain text and the complaints docutils has about ``rst``."""
    doctree = publish_doctree(rst, settings_overrides={"report_level": 5, "halt_level": 5})
    literals = [n.astext() for n in doctree.findall(nodes.literal)]
    problems = [m.astext() for m in doctree.findall(nodes.system_message)]
    return literals, doctree.astext(), problems


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("``sys``, ``config_class``", "``sys``, ``config_class``"),  # the case
        ("``a`` and ``b``s", "``a`` and ``b``\\ s"),
        ("``dict``s and ``list``s", "``dict``\\ s and ``list``\\ s"),
        ("x``y``", "x\\ ``y``"),
        ("``f``(x)", "``f``\\ (x)"),
        ("non-``x``, ``y``.", "non-``x``, ``y``."),
        ("already ``x``\\ s", "already ``x``\\ s"),
        ("no literals at all", "no literals at all"),
    ],
)
def test_escapes_only_where_a_literal_touches_a_word(line: str, escaped: str) -> None:
    assert escape(line) == escaped


_WORD = st.text(alphabet="abcXYZ019.,;()", min_size=1, max_size=6).filter(
    lambda w: w[0].isalnum() and w[-1].isalnum()
)
_CONTENT = st.text(alphabet="abc_XYZ.*/\\ -", min_size=1, max_size=8).filter(
    lambda c: not c[0].isspace() and not c[-1].isspace()
)


@st.composite
def docstring_lines(draw: st.DrawFn) -> tuple[str, list[str], str]:
    """A line of words and ``literals``, glued or spaced; its literals; its plain text."""
    pieces: list[tuple[str, str]] = []  # (source, plain text)
    literals: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            content = draw(_CONTENT)
            literals.append(content)
            pieces.append((f"``{content}``", content))
        else:
            word = draw(_WORD)
            pieces.append((word, word))
    source = plain = ""
    for index, (text, shown) in enumerate(pieces):
        gap = "" if index == 0 or draw(st.booleans()) else " "
        source += gap + text
        plain += gap + shown
    return source, literals, plain


@given(docstring_lines())
def test_every_literal_renders_whole_and_nothing_stray(case: tuple[str, list[str], str]) -> None:
    line, literals, plain = case
    shown_literals, text, problems = rendered(escape(line))
    assert problems == []
    assert shown_literals == literals
    assert text == plain


def test_the_check_reads_text_as_a_reader_sees_it() -> None:
    from hcnpy_htmlcheck import stray_escapes

    split_literal = (
        '<p>the <code class="docutils literal"><span class="pre">\\</span> '
        '<span class="pre">sys</span></code> module</p>'
    )
    assert stray_escapes(split_literal) == ["\\ sys"]
    assert stray_escapes("<p>say dict\\ s here</p>") == ["say dict\\ s here"]
    lone_backslash = '<p>separators: <code><span class="pre">\\</span></code> on Windows</p>'
    assert stray_escapes(lone_backslash) == []
    continuation = '<pre><span class="w"> </span>\\\n<span class="w">  </span>--gateway</pre>'
    assert stray_escapes(continuation) == []
    assert stray_escapes("<script>var re = /\\ /;</script><p>fine</p>") == []


def test_the_check_walks_every_page(tmp_path: Path) -> None:
    from hcnpy_htmlcheck import stray_escapes_in_site

    (tmp_path / "api").mkdir()
    (tmp_path / "index.html").write_text("<p>clean</p>", encoding="utf-8")
    (tmp_path / "api" / "x.html").write_text("<p><code>\\ a</code> and <code>\\ b</code></p>")
    assert list(stray_escapes_in_site(tmp_path)) == [("api/x.html", "\\ a"), ("api/x.html", "\\ b")]


def _site(root: Path, page: str, module: str) -> Path:
    """A one-page Sphinx project using the two extensions, documenting ``module``."""
    (root / "src").mkdir()
    (root / "src" / "sample.py").write_text(module, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path[:0] = [{str(EXT)!r}, {str(root / "src")!r}]
            extensions = ["sphinx.ext.autodoc", "hcnpy_docstrings", "hcnpy_htmlcheck"]
            """
        ),
        encoding="utf-8",
    )
    (root / "docs" / "index.rst").write_text(page, encoding="utf-8")
    return root / "docs"


def _build(docs: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = ["-m", "sphinx", "-q", "-W", "--keep-going", "-b", "html", str(docs), str(out)]
    return subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_docs_build_with_glued_literals_passes(tmp_path: Path) -> None:
    module = '"""Takes ``sys``, ``config_class`` and ``dict``s of ``str``s."""\n'
    docs = _site(tmp_path, "Sample\n======\n\n.. automodule:: sample\n", module)
    result = _build(docs, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "config_class" in html and "\\</span>" not in html


def test_a_stray_escape_in_the_html_fails_the_build(tmp_path: Path) -> None:
    page = "Sample\n======\n\nA literal with a stray escape: ``\\ sys``.\n"
    docs = _site(tmp_path, page, '"""Nothing."""\n')
    result = _build(docs, tmp_path / "out")
    assert result.returncode != 0
    assert "stray reST escape" in result.stderr and "index.html" in result.stderr
