"""``hcnpy conformance``: run the conformance kit, or compare a report with the simulator."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..backends import known_backends
from .context import Context
from .errors import UsageError

__all__ = ["register"]

_SIMULATORS = ("sim", "sim-inprocess")

DESCRIPTION = """\
Run one scenario per checkable rule of the simulator's behaviour table against an HNS and
print expected and observed outcomes. Every object it makes is named hcnpy-conformance-*,
uses addresses from 198.18.0.0/15, and is deleted again (a failed cleanup is reported)."""

EPILOG = """\
exit status: 0 every rule passed or is not applicable here, 1 a rule diverged or errored, an
object could not be cleaned up, or (--compare) a rule differs; 2 usage error.

On Windows, in PowerShell as Administrator:
  hcnpy conformance --backend hcn --record report-dir
then attach report-dir/report.json to an issue titled 'conformance report: <build>'
(<build> is the report's os_build, e.g. 10.0.20348)."""


def register(commands: Any) -> None:
    """Add ``conformance`` to the top-level subparsers."""
    parser = commands.add_parser(
        "conformance",
        help="check the simulator's behaviour table against an HNS",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--backend",
        choices=known_backends(),
        default=argparse.SUPPRESS,
        help="hcn (a real HNS) or the simulator (default: $HCNPY_BACKEND, else by OS)",
    )
    parser.add_argument(
        "--record",
        metavar="DIR",
        help="write the HCN trace (trace.jsonl) and the report (report.json) into DIR",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the report (or the comparison) as JSON"
    )
    parser.add_argument(
        "--compare",
        metavar="REPORT",
        help="run on the simulator pinned to REPORT's HNS version and list the rules whose "
        "outcomes differ",
    )
    parser.add_argument(
        "--rule",
        action="append",
        metavar="RULE_ID",
        help="only the scenario of this rule (repeatable)",
    )
    parser.set_defaults(handler=_conformance)


def _progress(total: int) -> Any:
    """One line per finished rule on stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    done = [0]

    def show(result: Any) -> None:
        done[0] += 1
        print(f"[{done[0]}/{total}] {result.id}: {result.verdict}", file=sys.stderr)

    return show


def _prepare(record: str | None) -> None:
    if record is None:
        return
    from pathlib import Path

    try:
        Path(record).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--record {record}: {exc.strerror or exc}") from None


def _conformance(ctx: Context) -> int:
    from .. import conformance as kit
    from ..bindings import load

    args = ctx.args
    _prepare(args.record)
    registry = kit.scenarios()
    for rule_id in args.rule or []:
        if registry.get(rule_id) is None:
            raise UsageError(f"--rule {rule_id}: no scenario checks a rule of that ID")
    total = len(args.rule) if args.rule else len(registry)
    if args.compare:
        return _compare(ctx, total)
    report = kit.run_kit(
        load(args.backend),
        record=args.record,
        timeout=args.timeout,
        only=args.rule,
        progress=_progress(total),
    )
    if ctx.json:
        ctx.emit_json(report.to_json())
    else:
        ctx.say(kit.report_text(report))
    return 0 if report.passed else 1


def _compare(ctx: Context, total: int) -> int:
    from .. import conformance as kit
    from ..bindings import load

    args = ctx.args
    backend = args.backend or "sim"
    if backend not in _SIMULATORS:
        raise UsageError(f"--compare runs on the simulator, not --backend {backend}")
    try:
        recorded = kit.load_report(args.compare)
    except kit.ReportError as exc:
        raise UsageError(str(exc)) from None
    if recorded.hns_version is None:
        why = recorded.hns_version_error or "no reason given"
        raise UsageError(f"{args.compare}: the report has no HNS version ({why})")
    with kit.pinned_simulator(recorded.hns_version):
        simulated = kit.run_kit(
            load(backend),
            record=args.record,
            timeout=args.timeout,
            only=args.rule,
            progress=_progress(total),
        )
    if args.rule:
        recorded.results = [r for r in recorded.results if r.id in args.rule]
    comparison = kit.compare(recorded, simulated, known={s.rule_id for s in kit.scenarios()})
    if ctx.json:
        ctx.emit_json(comparison.to_json())
    else:
        ctx.say(kit.comparison_text(comparison, args.compare))
    return 0 if comparison.same else 1
