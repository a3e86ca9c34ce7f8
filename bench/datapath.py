"""Benchmark: what the Linux datapath adds to a ``nat`` plugin ADD (and DEL).

Two simulated HNS instances side by side, identical except that one runs with
``HCNPY_SIM_DATAPATH=netns`` (so its ADD really creates a veth pair, addresses, routes and,
with a port mapping, nftables elements). Each case is a whole plugin process, as a runtime
runs it; the cases are interleaved so that machine noise hits every one alike, and the medians
are compared. The budget: ADD with the datapath <= 2 x ADD without it.

Needs root and ``ip``/``nft``/``nsenter`` (it says so and exits 0 otherwise); everything it
creates is removed at the end.

    .venv/bin/python bench/datapath.py [--runs 20] [--json]
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

from hcnpy.sim.datapath import DatapathUnavailable, open_datapath

BIN = Path(sys.executable).parent
NAT = str(BIN / "nat")
BUDGET_FACTOR = 2.0
PLAIN = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}
MAPPED = {**PLAIN, "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 80}]}}


def _timed(cmd: list[str], env: dict[str, str], stdin: bytes = b"") -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {proc.stdout!r} {proc.stderr!r}")
    return elapsed


class Instance:
    """One simulated HNS with a NAT network and namespaces for the plugin to attach to."""

    def __init__(self, root: Path, datapath: bool) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CNI_", "HCNPY_"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        root.mkdir()
        env.update(
            PYTHONPYCACHEPREFIX=str(root.parent / "pycache"),
            HCNPY_BACKEND="sim",
            HCNPY_SIM_STATE=str(root / "hns.db"),
            WINPLUGINS_LOCK_DIR=str(root / "locks"),
        )
        if datapath:
            env["HCNPY_SIM_DATAPATH"] = "netns"
        self.env = env
        self.state = env["HCNPY_SIM_STATE"]
        self.hcnpy(
            "network", "create", "--name", "natNet", "--type", "NAT",
            "--subnet", "10.0.0.0/16", "--gateway", "10.0.0.1",
        )  # fmt: skip
        self.namespace = json.loads(self.hcnpy("namespace", "create", "--json"))["ID"]

    def hcnpy(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "hcnpy"), *args], env=self.env, check=True, capture_output=True, text=True
        )
        return done.stdout

    def cni(self, command: str, container: str) -> dict[str, str]:
        return dict(
            self.env, CNI_COMMAND=command, CNI_CONTAINERID=container, CNI_NETNS=self.namespace,
            CNI_IFNAME="eth0", CNI_PATH=str(BIN),
        )  # fmt: skip

    def add_del(self, conf: dict[str, Any], container: str) -> tuple[float, float]:
        stdin = json.dumps(conf).encode()
        add = _timed([NAT], self.cni("ADD", container), stdin)
        delete = _timed([NAT], self.cni("DEL", container), stdin)
        return add, delete


def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-datapath-") as tmp:
        root = Path(tmp)
        plain_hns = Instance(root / "without", datapath=False)
        kernel_hns = Instance(root / "with", datapath=True)
        try:
            cases = ("ADD", "DEL", "ADD (port mapping)", "DEL (port mapping)")
            samples: dict[str, dict[str, list[float]]] = {
                "without": {k: [] for k in cases}, "with": {k: [] for k in cases}
            }  # fmt: skip
            for i in range(runs + 2):  # the first two rounds warm up (byte code, stand-in)
                for label, instance in (("without", plain_hns), ("with", kernel_hns)):
                    add, delete = instance.add_del(PLAIN, f"p{i}")
                    mapped_add, mapped_delete = instance.add_del(MAPPED, f"m{i}")
                    if i >= 2:
                        got = samples[label]
                        got["ADD"].append(add)
                        got["DEL"].append(delete)
                        got["ADD (port mapping)"].append(mapped_add)
                        got["DEL (port mapping)"].append(mapped_delete)
        finally:
            open_datapath(kernel_hns.state).cleanup()
    medians = {
        label: {case: round(statistics.median(v) * 1000, 2) for case, v in got.items()}
        for label, got in samples.items()
    }
    ratios = {case: round(medians["with"][case] / medians["without"][case], 2) for case in cases}
    return {
        "runs": runs,
        "median_ms": medians,
        "ratio_with_to_without": ratios,
        "budget_factor": BUDGET_FACTOR,
        "add_within_budget": max(ratios["ADD"], ratios["ADD (port mapping)"]) <= BUDGET_FACTOR,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="measured runs per case")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    try:
        open_datapath(os.path.join(tempfile.gettempdir(), "bench-datapath-probe.db"))
    except DatapathUnavailable as exc:
        print(f"skipped: {exc}")
        return 0
    report = run(options.runs)
    if options.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"nat plugin with and without the netns datapath: medians of {report['runs']} runs")
    for case, ratio in report["ratio_with_to_without"].items():
        without, with_ = report["median_ms"]["without"][case], report["median_ms"]["with"][case]
        print(f"  {case:<20} {without:7.1f} ms -> {with_:7.1f} ms  {ratio:5.2f} x")
    verdict = "within" if report["add_within_budget"] else "OVER"
    print(f"  budget: ADD with the datapath <= {BUDGET_FACTOR:g} x without -> {verdict} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
