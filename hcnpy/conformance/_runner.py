"""Run every scenario against one HCN library and build the report."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import platform
import secrets
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__, jsonkeys
from ..bindings import Library
from ..errors import HcnError
from ..guid import guid
from ..sim.rules import API_V2, by_id, describe_ranges, in_ranges
from ._addresses import AddressPlan, IPNetwork
from ._outcome import NOT_APPLICABLE, NotApplicable, Parts, ScenarioBroken, render_parts
from ._probe import DEFAULT_QUERY, NETWORK, Probe, Run
from ._registry import REGISTRY, Expect, Registry, Scenario
from ._report import KIT_VERSION, Report, RuleResult

__all__ = ["PREFIX", "REPORT_FILE", "TRACE_FILE", "read_version", "run_kit"]

#: Every object the kit creates is named ``<PREFIX>-<run>-<n>``.
PREFIX = "hcnpy-conformance"
#: The files ``--record DIR`` writes.
TRACE_FILE, REPORT_FILE = "trace.jsonl", "report.json"


class _Tap:
    """The library's trace sink during a run: notes each C function, forwards the line."""

    def __init__(self, forward: list[Any]) -> None:
        self.forward = forward
        self.calls: list[str] = []

    def write(self, line: bytes) -> None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            self.calls.append(str(json.loads(line)["function"]))
        for sink in self.forward:
            sink.write(line)


def read_version(
    library: Library, timeout: float | None = None
) -> tuple[tuple[int, int] | None, str]:
    """The HNS version from ``HNSCall GET /globals/version``, or ``None`` and why not."""
    try:
        text = library.hns_call("GET", "/globals/version", timeout=timeout)
        answer = json.loads(text)
    except HcnError as exc:
        return None, str(exc)
    except ValueError:
        return None, "HNSCall GET /globals/version did not answer JSON"
    output = jsonkeys.get(answer, "Output") if isinstance(answer, dict) else None
    if isinstance(output, dict):
        major, minor = jsonkeys.get(output, "Major"), jsonkeys.get(output, "Minor")
        if isinstance(major, int) and isinstance(minor, int):
            return (major, minor), ""
    return None, f"HNSCall GET /globals/version answered {text[:200]!r}"


def _existing_subnets(library: Library, timeout: float | None) -> list[IPNetwork]:
    """The subnets of the networks already on the host (read only; unreadable ones skipped)."""
    found: list[IPNetwork] = []
    try:
        ids = library.enumerate(NETWORK, DEFAULT_QUERY, timeout=timeout)
    except HcnError:
        return found
    for network_id in ids:
        try:
            with library.open(NETWORK, guid(network_id), timeout=timeout) as handle:
                props = json.loads(library.query(handle, DEFAULT_QUERY, timeout=timeout) or "{}")
        except (HcnError, ValueError):
            continue
        if not isinstance(props, dict):
            continue
        for ipam in jsonkeys.get(props, "Ipams") or []:
            for subnet in jsonkeys.get(ipam, "Subnets") or [] if isinstance(ipam, dict) else []:
                prefix = (
                    jsonkeys.get(subnet, "IpAddressPrefix") if isinstance(subnet, dict) else None
                )
                try:
                    found.append(ipaddress.ip_network(str(prefix), strict=False))
                except ValueError:
                    continue
    return found


def _verdict(expected: Parts, observed: Parts) -> tuple[str, str]:
    """``(verdict, detail)`` of one scenario's parts."""
    if list(expected) != list(observed):
        return "error", (
            f"scenario bug: expected cases {list(expected)} but observed {list(observed)}"
        )
    differing = []
    checked = 0
    for label, want in expected.items():
        seen = observed[label]
        if seen.startswith(NOT_APPLICABLE):
            continue
        checked += 1
        if seen != want:
            differing.append(f"{label}: expected {want}, observed {seen}")
    if not checked:
        return "not-applicable", "no case could be checked here"
    if differing:
        return "diverge", "; ".join(differing)
    return "pass", ""


def _require_v2(version: tuple[int, int] | None) -> None:
    """Not applicable where the version predates the V2 API (rule api.v2-needs-9.2)."""
    ranges = API_V2.params["ranges"]
    if version is not None and not in_ranges(ranges, version):
        raise NotApplicable(
            f"the V2 API needs HNS {describe_ranges(ranges)} ({API_V2.id}); "
            f"this HNS is {version[0]}.{version[1]}"
        )


def _run_one(
    scenario: Scenario, run: Run, version: tuple[int, int] | None, tap: _Tap
) -> tuple[RuleResult, list[tuple[str, str]]]:
    """Run one scenario and its cleanup; the result and what the cleanup left behind."""
    rule = by_id(scenario.rule_id)
    tap.calls = []
    started = time.monotonic()
    expected: Parts = {}
    probe: Probe | None = None
    try:
        _require_v2(version)
        expected = scenario.expect(Expect(rule, version))
        probe = Probe(run)
        observed = scenario.observe(probe)
        verdict, detail = _verdict(expected, observed)
        observed_text = render_parts(observed)
    except NotApplicable as exc:
        verdict, detail, observed_text = (
            "not-applicable",
            exc.detail,
            f"{NOT_APPLICABLE}: {exc.reason}",
        )
    except ScenarioBroken as exc:
        verdict, detail, observed_text = "error", exc.detail, f"error: {exc.summary}"
    except HcnError as exc:  # a timeout, or a failure outside the probe's set-up steps
        verdict, detail = "error", str(exc)
        observed_text = f"error: {exc.operation} {type(exc).__name__}"
    except Exception as exc:  # a bug in a scenario must not stop the run or skip its cleanup
        verdict, observed_text = "error", f"error: internal {type(exc).__name__}"
        detail = "".join(traceback.format_exception(exc)).strip()
    finally:
        if probe is not None:
            probe.cleanup()
    cleanup = probe.cleanup_failures if probe is not None else []
    leftovers = probe.leftovers if probe is not None else []
    result = RuleResult(
        id=rule.id,
        evidence=rule.evidence,
        expected=render_parts(expected) if expected else "",
        observed=observed_text,
        verdict=verdict,
        detail=detail,
        calls=list(tap.calls),
        cleanup=list(cleanup),
        seconds=round(time.monotonic() - started, 3),
    )
    return result, leftovers


def run_kit(
    library: Library,
    *,
    registry: Registry | None = None,
    record: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    only: Iterable[str] | None = None,
    progress: Callable[[RuleResult], None] | None = None,
) -> Report:
    """Run every scenario (or those of the rule IDs in ``only``) on ``library``.

    ``record`` is a directory that receives the HCN trace (``trace.jsonl``) and the report
    (``report.json``). Raises ``ValueError`` when the registry does not cover the behaviour
    table one to one, or ``only`` names a rule without a scenario.
    """
    if registry is None:
        from . import _scenarios  # noqa: F401  (registers the kit's scenarios)

        registry = REGISTRY
    problems = registry.problems()
    if problems:
        raise ValueError(
            "the conformance scenarios do not match the rule table: " + "; ".join(problems)
        )
    chosen = list(registry)
    if only is not None:
        wanted = list(dict.fromkeys(only))
        unknown = [rule_id for rule_id in wanted if registry.get(rule_id) is None]
        if unknown:
            raise ValueError(f"no scenario for rule(s) {', '.join(unknown)}")
        chosen = [s for s in chosen if s.rule_id in wanted]
    forward: list[Any] = []
    trace_path: Path | None = None
    if record is not None:
        from ..trace import TraceWriter

        directory = Path(record)
        directory.mkdir(parents=True, exist_ok=True)
        trace_path = directory / TRACE_FILE
        trace_path.unlink(missing_ok=True)
        forward.append(TraceWriter(trace_path))
    tap = _Tap(forward)
    previous = library.set_trace(tap)
    if previous is not None:
        forward.append(previous)
    begun = time.monotonic()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        version, version_error = read_version(library, timeout)
        plan = AddressPlan.choose(_existing_subnets(library, timeout))
        run = Run(library, f"{PREFIX}-{secrets.token_hex(3)}", plan, timeout)
        results = []
        left: list[dict[str, str]] = []
        for scenario in chosen:
            result, leftovers = _run_one(scenario, run, version, tap)
            results.append(result)
            left.extend({"kind": k, "id": i, "rule": result.id} for k, i in leftovers)
            if progress is not None:
                progress(result)
    finally:
        library.set_trace(previous)
    report = Report(
        backend=library.backend,
        hns_version=None if version is None else f"{version[0]}.{version[1]}",
        results=results,
        kit_version=KIT_VERSION,
        hcnpy_version=__version__,
        library=library.path,
        hns_version_error=version_error,
        os_build=platform.version(),
        platform=platform.platform(),
        python=sys.version.split()[0],
        started=started,
        seconds=round(time.monotonic() - begun, 3),
        prefix=run.prefix,
        addresses=plan.describe(),
        left_behind=left,
    )
    if record is not None:
        report.write(Path(record) / REPORT_FILE)
    return report
