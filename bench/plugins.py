"""Benchmark: the cost of one ``nat`` plugin process against the simulated HNS.

Measured side by side in one run (medians of N runs each, interleaved so that machine noise
hits every case alike):

* ``python -c pass``      - a bare interpreter start: the yardstick;
* ``nat VERSION``         - what a runtime's version probe costs;
* ``nat ADD`` (plain)     - a full ADD of a plain endpoint (HNS assigns the address);
* ``nat ADD`` (port map)  - the same with one port mapping (what ``make demo`` does);
* ``nat DEL``             - the matching DEL.

The budgets (issue 12): VERSION <= 1.2 x, ADD and DEL of a plain endpoint <= 3 x ``python -c
pass``; at most 7 HCN calls per ADD and 5 per DEL, handle closes apart. Byte code is
compiled once into a temporary ``PYTHONPYCACHEPREFIX`` (a pip-installed plugin has its .pyc
files); the one-off build of the simulator's stand-in library happens in the warm-up, which
is not measured.

HCN C calls per ADD/DEL are counted from ``HCNPY_TRACE`` (``HcnClose*`` listed apart).

    .venv/bin/python bench/plugins.py [--runs 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
NAT = Path(BIN / "nat")
BUDGET_FACTOR = 3.0
VERSION_BUDGET_FACTOR = 1.2
ADD_BUDGET, DEL_BUDGET = 7, 5


def _timed(cmd: list[str], env: dict[str, str], stdin: bytes = b"") -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, proc.returncode


def _calls(trace: Path) -> list[str]:
    if not trace.exists():
        return []
    names = [json.loads(line)["function"] for line in trace.read_text().splitlines()]
    trace.unlink()
    return names


def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-plugins-") as tmp:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CNI_", "HCNPY_"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(
            PYTHONPYCACHEPREFIX=str(root / "pycache"),
            HCNPY_BACKEND="sim",
            HCNPY_SIM_STATE=str(root / "hns.db"),
            WINPLUGINS_LOCK_DIR=str(root / "locks"),
        )
        hcnpy = str(BIN / "hcnpy")
        subprocess.run(
            [hcnpy, "network", "create", "--name", "natNet", "--type", "NAT",
             "--subnet", "10.0.0.0/16", "--gateway", "10.0.0.1"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        namespace = json.loads(
            subprocess.run(
                [hcnpy, "namespace", "create", "--json"], env=env, check=True, capture_output=True
            ).stdout
        )["ID"]
        plain = json.dumps({"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}).encode()
        mapped = json.dumps({
            "cniVersion": "1.0.0", "name": "natNet", "type": "nat",
            "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80}]},
        }).encode()  # fmt: skip
        cni = dict(env, CNI_NETNS=namespace, CNI_IFNAME="eth0", CNI_PATH=str(BIN))

        def add_del(stdin: bytes, cid: str) -> tuple[float, float]:
            add, code = _timed([str(NAT)], dict(cni, CNI_COMMAND="ADD", CNI_CONTAINERID=cid), stdin)
            assert code == 0, f"ADD failed ({cid})"
            delete, code = _timed(
                [str(NAT)], dict(cni, CNI_COMMAND="DEL", CNI_CONTAINERID=cid), stdin
            )
            assert code == 0, f"DEL failed ({cid})"
            return add, delete

        # Warm-up: compiles byte code, builds/loads the stand-in, creates the state file.
        for _ in range(2):
            _timed([sys.executable, "-c", "pass"], env)
            _timed([str(NAT)], dict(env, CNI_COMMAND="VERSION"))
            add_del(plain, "warm")
            add_del(mapped, "warm")

        samples: dict[str, list[float]] = {
            "python -c pass": [], "nat VERSION": [], "nat ADD (plain)": [],
            "nat DEL (plain)": [], "nat ADD (port mapping)": [], "nat DEL (port mapping)": [],
        }  # fmt: skip
        for i in range(runs):
            samples["python -c pass"].append(_timed([sys.executable, "-c", "pass"], env)[0])
            samples["nat VERSION"].append(_timed([str(NAT)], dict(env, CNI_COMMAND="VERSION"))[0])
            add, delete = add_del(plain, f"p{i}")
            samples["nat ADD (plain)"].append(add)
            samples["nat DEL (plain)"].append(delete)
            add, delete = add_del(mapped, f"m{i}")
            samples["nat ADD (port mapping)"].append(add)
            samples["nat DEL (port mapping)"].append(delete)

        trace = root / "trace.jsonl"
        traced = dict(cni, HCNPY_TRACE=str(trace))
        subprocess.run([str(NAT)], input=plain, check=True, capture_output=True,
                       env=dict(traced, CNI_COMMAND="ADD", CNI_CONTAINERID="traced"))  # fmt: skip
        add_calls = _calls(trace)
        subprocess.run([str(NAT)], input=plain, check=True, capture_output=True,
                       env=dict(traced, CNI_COMMAND="DEL", CNI_CONTAINERID="traced"))  # fmt: skip
        del_calls = _calls(trace)

    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    base = medians["python -c pass"]
    return {
        "runs": runs,
        "median_ms": {name: round(value, 2) for name, value in medians.items()},
        "ratio_to_python": {name: round(value / base, 2) for name, value in medians.items()},
        "budget_factor": BUDGET_FACTOR,
        "version_budget_factor": VERSION_BUDGET_FACTOR,
        "add_within_budget": medians["nat ADD (plain)"] <= BUDGET_FACTOR * base,
        "del_within_budget": medians["nat DEL (plain)"] <= BUDGET_FACTOR * base,
        "version_within_budget": medians["nat VERSION"] <= VERSION_BUDGET_FACTOR * base,
        "hcn_calls": {
            "ADD": [c for c in add_calls if not c.startswith("HcnClose")],
            "ADD closes": [c for c in add_calls if c.startswith("HcnClose")],
            "DEL": [c for c in del_calls if not c.startswith("HcnClose")],
            "DEL closes": [c for c in del_calls if c.startswith("HcnClose")],
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="measured runs per case")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    report = run(options.runs)
    if options.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"nat plugin against the simulated HNS: medians of {report['runs']} runs")
    for name, value in report["median_ms"].items():
        print(f"  {name:<24} {value:8.1f} ms  {report['ratio_to_python'][name]:5.2f} x python")
    for key, what, factor in (
        ("version_within_budget", "VERSION", VERSION_BUDGET_FACTOR),
        ("add_within_budget", "ADD", BUDGET_FACTOR),
        ("del_within_budget", "DEL", BUDGET_FACTOR),
    ):
        verdict = "within" if report[key] else "OVER"
        print(f"  budget: {what} <= {factor:g} x python -c pass -> {verdict} budget")
    calls = report["hcn_calls"]
    for verb, budget in (("ADD", ADD_BUDGET), ("DEL", DEL_BUDGET)):
        listed = calls[verb]
        state = "ok" if len(listed) <= budget else "OVER"
        print(f"  HCN calls per {verb}: {len(listed)} (budget {budget}, {state}) "
              f"+ {len(calls[verb + ' closes'])} closes: {', '.join(listed)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
