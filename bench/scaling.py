"""Benchmark: does a ``nat`` ADD/DEL cost more as the node fills up, and how many ADDs a second?

Two measurements, side by side in one run against the simulated HNS (stand-in C library):

* **Latency against node size.** The node is filled with 0, 100, 1,000 and 4,000 other
  endpoints (created in-process through ``hcnpy.ops``, each attached to its own namespace, as
  containers are); at each size the ADD and the DEL of a plain endpoint run as fresh plugin
  processes, interleaved with a bare ``python -c pass``. Reported: medians, each as a ratio
  to ``python -c pass`` and to the empty node. The budget: within 1.15x of the empty node.
* **Throughput.** 1, 2, 8 and 32 plugin processes run ADDs at once (then DELs); reported as
  ADDs (DELs) per second over the whole batch.

Console scripts and byte code are as a pip install leaves them (``PYTHONPYCACHEPREFIX`` in a
temporary directory, compiled in the warm-up).

    .venv/bin/python bench/scaling.py [--runs 15] [--sizes 0,100,1000,4000] [--json]
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
NAT = str(BIN / "nat")
SIZES = (0, 100, 1000, 4000)
CONCURRENCY = (1, 2, 8, 32)
BUDGET = 1.15
CONF = json.dumps({"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}).encode()


def _run(cmd: list[str], env: dict[str, str], stdin: bytes = b"") -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {proc.stdout!r} {proc.stderr!r}")
    return elapsed


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNI_", "HCNPY_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(root / "pycache"),
        HCNPY_BACKEND="sim",
        HCNPY_SIM_STATE=str(root / "hns.db"),
        WINPLUGINS_LOCK_DIR=str(root / "locks"),
        CNI_PATH=str(BIN),
        CNI_IFNAME="eth0",
    )
    return env


class Node:
    """The simulated node: one NAT network and as many other containers as asked for."""

    def __init__(self, env: dict[str, str]) -> None:
        os.environ.update({k: env[k] for k in ("HCNPY_BACKEND", "HCNPY_SIM_STATE")})
        from hcnpy.ops import connect

        self.ops = connect("sim")
        network = self.ops.create_network(
            {
                "Name": "natNet",
                "Type": "NAT",
                "Ipams": [{"Subnets": [{"IpAddressPrefix": "10.128.0.0/16", "Routes": [
                    {"NextHop": "10.128.0.1", "DestinationPrefix": "0.0.0.0/0"}]}]}],
            }
        )  # fmt: skip
        self.network = network["ID"]
        self.others = 0

    def namespace(self) -> str:
        return str(self.ops.create_namespace()["ID"])

    def fill(self, count: int) -> None:
        """Add endpoints, each attached to its own namespace, until there are ``count``."""
        while self.others < count:
            name = f"other{self.others}_natNet"
            endpoint = self.ops.create_endpoint(self.network, {"Name": name})
            self.ops.add_namespace_endpoint(self.namespace(), endpoint["ID"], refresh=False)
            self.others += 1


def latency(node: Node, env: dict[str, str], sizes: list[int], runs: int) -> list[dict[str, Any]]:
    rows = []
    namespaces = [node.namespace() for _ in range(runs)]
    for size in sizes:
        node.fill(size)
        samples: dict[str, list[float]] = {"python -c pass": [], "ADD": [], "DEL": []}
        for index, netns in enumerate(namespaces):
            cni = dict(env, CNI_NETNS=netns, CNI_CONTAINERID=f"bench{size}-{index}")
            samples["python -c pass"].append(_run([sys.executable, "-c", "pass"], env))
            samples["ADD"].append(_run([NAT], dict(cni, CNI_COMMAND="ADD"), CONF))
            samples["DEL"].append(_run([NAT], dict(cni, CNI_COMMAND="DEL"), CONF))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        rows.append({"endpoints": size, **{k: round(v * 1000, 2) for k, v in medians.items()}})
    base = rows[0]
    for row in rows:
        for verb in ("ADD", "DEL"):
            row[f"{verb} x pass"] = round(row[verb] / row["python -c pass"], 2)
            row[f"{verb} x empty"] = round(
                (row[verb] / row["python -c pass"]) / (base[verb] / base["python -c pass"]), 3
            )
    return rows


def throughput(node: Node, env: dict[str, str], batch: int) -> list[dict[str, Any]]:
    rows = []
    for workers in CONCURRENCY:
        count = max(batch, workers)
        namespaces = [node.namespace() for _ in range(count)]
        jobs = [
            dict(env, CNI_NETNS=netns, CNI_CONTAINERID=f"tp{workers}-{i}")
            for i, netns in enumerate(namespaces)
        ]
        row: dict[str, Any] = {"processes at once": workers, "operations": count}
        for verb in ("ADD", "DEL"):
            commands = [dict(cni, CNI_COMMAND=verb) for cni in jobs]
            start = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(lambda cni: _run([NAT], cni, CONF), commands))
            row[f"{verb}s per second"] = round(count / (time.perf_counter() - start), 1)
        rows.append(row)
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    widths = [max(len(k), *(len(str(r[k])) for r in rows)) for k in keys]
    lines = ["  ".join(k.rjust(w) for k, w in zip(keys, widths, strict=True))]
    lines += [
        "  ".join(str(r[k]).rjust(w) for k, w in zip(keys, widths, strict=True)) for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="plugin runs per node size")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--batch", type=int, default=64, help="operations per throughput batch")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as tmp:
        env = _environment(Path(tmp))
        node = Node(env)
        for _ in range(3):  # warm-up: byte code, the stand-in library, the state file
            netns = node.namespace()
            cni = dict(env, CNI_NETNS=netns, CNI_CONTAINERID="warm")
            _run([sys.executable, "-c", "pass"], env)
            _run([NAT], dict(cni, CNI_COMMAND="ADD"), CONF)
            _run([NAT], dict(cni, CNI_COMMAND="DEL"), CONF)
        report = {
            "latency": latency(node, env, sizes, args.runs),
            "throughput": throughput(node, env, args.batch),
        }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print("ADD/DEL latency against the number of other endpoints (ms, medians):")
        print(_table(report["latency"]))
        print(f"\nbudget: 'x empty' <= {BUDGET}")
        print("\nthroughput with concurrent plugin processes:")
        print(_table(report["throughput"]))
    worst = max(row[f"{verb} x empty"] for row in report["latency"] for verb in ("ADD", "DEL"))
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
