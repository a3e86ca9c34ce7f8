"""What the C ABI layer costs a short-lived process (every CNI plugin run loads it).

Fresh processes, wall time, median of ``--runs`` (default 15), side by side with
``python -c pass``; then the warm per-call cost through the C ABI (``sim``) and without it
(``sim-inprocess``). Run: ``python bench/native_calls.py [--runs N]``. The stand-in is built
(or found in the cache) first, so no build time is included; bytecode is cached (in a
temporary ``PYTHONPYCACHEPREFIX``) and each stage runs once unmeasured, as on an installed
system where ``.pyc`` files exist.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

STAGES = [
    ("python -c pass", "pass"),
    ("import hcnpy.bindings", "import hcnpy.bindings"),
    ("load('sim') (dlopen + stand-in init)", "from hcnpy.bindings import load; load('sim')"),
    (
        "load + HNSCall GET /globals/version",
        "from hcnpy.bindings import load; load('sim').hns_call('GET', '/globals/version')",
    ),
    (
        "load + HcnEnumerateNetworks",
        "from hcnpy.bindings import load; load('sim').enumerate('Network', '{}')",
    ),
    (
        "load('sim-inprocess') + HNSCall",
        "from hcnpy.bindings import load; "
        "load('sim-inprocess').hns_call('GET', '/globals/version')",
    ),
]

_WARM = """
import time
from hcnpy.bindings import load
for backend in ("sim", "sim-inprocess"):
    lib = load(backend)
    for name, call in (
        ("HNSCall", lambda: lib.hns_call("GET", "/globals/version")),
        ("HcnEnumerateNetworks", lambda: lib.enumerate("Network", "{}")),
    ):
        call()
        start = time.perf_counter()
        for _ in range(N_CALLS):
            call()
        print(backend, name, (time.perf_counter() - start) / N_CALLS * 1e6)
"""


def _median_ms(code: str, runs: int, env: dict[str, str]) -> float:
    subprocess.run([sys.executable, "-c", code], env=env, check=True)  # warm the caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        env = {
            **os.environ,
            "HCNPY_SIM_STATE": os.path.join(state, "hns.sqlite3"),
            "PYTHONPYCACHEPREFIX": os.path.join(state, "pycache"),
        }
        for name in ("HCNPY_TRACE", "PYTHONDONTWRITEBYTECODE", "HCNPY_SIM_FAULTS"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "hcnpy.sim.standin"], env=env, check=True)
        print(f"\nfresh process, median of {args.runs} runs ({sys.version.split()[0]}):")
        base = None
        for label, code in STAGES:
            ms = _median_ms(code, args.runs, env)
            base = base or ms
            extra = "" if ms == base else f"  (+{ms - base:6.1f} ms)"
            print(f"  {label:42} {ms:7.1f} ms  {ms / base:5.2f}x{extra}")
        print(f"\nwarm, per call (mean of {args.calls}):")
        done = subprocess.run(
            [sys.executable, "-c", _WARM.replace("N_CALLS", str(args.calls))],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        for line in done.stdout.splitlines():
            backend, name, micros = line.split()
            print(f"  {backend:14} {name:22} {float(micros):8.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
