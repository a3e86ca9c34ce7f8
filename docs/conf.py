"""Sphinx configuration of the documentation site (``make docs``).

Pages are Markdown (MyST); the API reference comes from docstrings (autodoc); the HRESULT
and feature tables are generated from the code by ``_ext/hcnpy_tables.py``; docstrings may
glue ``literals`` to words (``_ext/hcnpy_docstrings.py``); and the finished HTML is checked
for stray reST escapes (``_ext/hcnpy_htmlcheck.py``). The build runs with
``-W --keep-going``: any warning fails ``make test``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The packages are installed in the venv (editable); the paths below make a plain
# `sphinx-build docs out` from a checkout work too, and find the local extension.
sys.path[:0] = [str(HERE / "_ext"), str(ROOT), str(ROOT / "examples")]

import hcnpy  # noqa: E402  (needs the path above)

project = "hcnpy"
author = "hcnpy developers"
copyright = "hcnpy developers"
release = hcnpy.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "hcnpy_tables",
    "hcnpy_ledger",
    "hcnpy_docstrings",
    "hcnpy_htmlcheck",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
    "_ext",
    # The tutorial's code and configuration files are shown with literalinclude.
    "tutorial/hello_hns",
    # Shown inside cniskel/index.md ({include}), which adds the guide's table of contents.
    "cniskel/README.md",
]

myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline"]
# `[text](page.md#a-heading)` links, as the pages were written for GitHub.
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
}
autodoc_preserve_defaults = True

html_theme = "furo"
html_title = f"hcnpy {release}"
html_static_path: list[str] = []
