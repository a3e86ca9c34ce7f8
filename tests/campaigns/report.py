"""Print the invariant report of the campaigns whose JSON reports are in a directory.

``python -m tests.campaigns.report DIR``: exit status 1 when any campaign found a violation,
a traceback or a leftover (``make soak`` runs it after the campaigns).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .campaign import Report, summary


def load(directory: Path) -> list[Report]:
    return [Report(**json.loads(p.read_text())) for p in sorted(directory.glob("*.json"))]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.campaigns.report DIR", file=sys.stderr)
        return 2
    reports = load(Path(argv[0]))
    if not reports:
        print(f"no campaign reports in {argv[0]}", file=sys.stderr)
        return 1
    print(summary(reports))
    bad = any(r.violations or r.tracebacks or r.leftovers for r in reports)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
