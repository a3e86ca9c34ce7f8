"""The fidelity ledger: the simulated HNS's behaviour table, rendered from the code.

* ``{hcnpy-fidelity-counts}`` — how many rules rest on each evidence level.
* ``{hcnpy-fidelity-ledger}`` — every rule of :data:`hcnpy.sim.rules.RULES`: its identifier,
  the C functions it applies to, what HNS does, the HRESULT, the evidence level and source.
* ``{hcnpy-real-documents}`` — the real HNS documents the tests read
  (``tests/data/real-hns/``), each with where it comes from.

A rule without a source, or a real document without its ``.source.txt``, is a Sphinx warning,
which fails ``make docs`` (it runs with ``-W``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from hcnpy.hresult import describe
from hcnpy.sim.rules import EVIDENCE_LEVELS, RULES

LOG = logging.getLogger(__name__)

REAL_DOCUMENTS = Path(__file__).resolve().parents[2] / "tests" / "data" / "real-hns"

_LEVEL_MEANING = {
    "documented": "stated by Microsoft's HCN documentation",
    "observed": "seen in a real HNS output or report",
    "hcsshim-tested": "asserted by hcsshim's tests against real HNS",
    "inferred": "inferred from related evidence",
    "chosen": "nothing known: the simulator's choice",
}


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for row in rows:
        body += _row(row)
    return table


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=cell)
        row += entry
    return row


def count_rows() -> list[list[str]]:
    """``[level, meaning, count]`` per evidence level, strongest first, then the total."""
    counts = Counter(rule.evidence for rule in RULES)
    rows = [[level, _LEVEL_MEANING[level], str(counts[level])] for level in EVIDENCE_LEVELS]
    rows.append(["all rules", "", str(len(RULES))])
    return rows


def ledger_rows() -> list[list[str]]:
    """One row per rule, in the table's order."""
    rows = []
    for rule in RULES:
        code = describe(rule.hresult) if rule.hresult is not None else "—"
        rows.append(
            [rule.id, " ".join(rule.functions), rule.does, code, rule.evidence, rule.source]
        )
    return rows


def document_rows() -> list[list[str]]:
    """``[file, source]`` for every real document under ``tests/data/real-hns``."""
    rows = []
    for path in sorted(REAL_DOCUMENTS.glob("*")):
        if path.name.endswith(".source.txt") or path.name.startswith(("README", "keys")):
            continue
        note = path.with_name(path.name.rsplit(".", 1)[0] + ".source.txt")
        source = ""
        if note.is_file():
            first = note.read_text(encoding="utf-8").splitlines()[:1]
            source = first[0].removeprefix("source:").strip() if first else ""
        rows.append([path.name, source])
    return rows


def problems() -> list[str]:
    """What is wrong with the table or the documents (each one fails the docs build)."""
    found = [f"rule {rule.id} has no source" for rule in RULES if not rule.source.strip()]
    ids = [rule.id for rule in RULES]
    found += [f"rule id {i} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    documents = document_rows()
    found += [f"real document {name} has no source note" for name, src in documents if not src]
    if not documents:
        found.append(f"no real HNS documents under {REAL_DOCUMENTS}")
    return found


class _Directive(SphinxDirective):
    has_content = False

    def warn_problems(self) -> None:
        for problem in problems():
            LOG.warning("hcnpy_ledger: %s", problem, location=self.get_location())


class CountTable(_Directive):
    """``{hcnpy-fidelity-counts}``."""

    def run(self) -> list[nodes.Node]:
        self.warn_problems()
        return [_table(["Evidence", "Meaning", "Rules"], count_rows(), [16, 50, 8])]


class LedgerTable(_Directive):
    """``{hcnpy-fidelity-ledger}``."""

    def run(self) -> list[nodes.Node]:
        headers = ["Rule", "C functions", "What HNS does", "HRESULT", "Evidence", "Source"]
        return [_table(headers, ledger_rows(), [16, 14, 36, 14, 8, 22])]


class DocumentTable(_Directive):
    """``{hcnpy-real-documents}``."""

    def run(self) -> list[nodes.Node]:
        return [_table(["Document", "Where it comes from"], document_rows(), [40, 60])]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_directive("hcnpy-fidelity-counts", CountTable)
    app.add_directive("hcnpy-fidelity-ledger", LedgerTable)
    app.add_directive("hcnpy-real-documents", DocumentTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
