"""Start-up cost of a cniskel plugin answering VERSION, against a bare interpreter.

Runs ``python -c pass`` and a minimal plugin with ``CNI_COMMAND=VERSION``
alternately, from the same interpreter, and prints the medians and their
ratio (budget: 1.3). The docs' example plugin is measured as well.

    .venv/bin/python bench/cniskel_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 1.3

MINIMAL = '''\
from __future__ import annotations

import cniskel


class Minimal(cniskel.Plugin):
    def add(self, ctx: cniskel.Context) -> cniskel.Result:
        return cniskel.Result(ips=[cniskel.IPConfig("10.0.0.2/24")])


if __name__ == "__main__":
    Minimal.main()
'''


def docs_example() -> str:
    text = (ROOT / "docs" / "cniskel" / "authoring.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- example: static-plugin -->\n```python\n(.*?)```", text, re.S)
    if match is None:
        raise SystemExit("example block missing from docs/cniskel/authoring.md")
    return match.group(1)


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed: {proc.stdout!r} {proc.stderr!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs of each command")
    options = parser.parse_args()

    # An installed package has byte-code; make sure ours does too (this also
    # works under PYTHONDONTWRITEBYTECODE, which only stops implicit writes).
    compileall.compile_dir(str(ROOT / "cniskel"), quiet=1)
    with tempfile.TemporaryDirectory() as scratch:
        minimal = Path(scratch) / "minimal_plugin.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        example = Path(scratch) / "example_static.py"
        example.write_text(docs_example(), encoding="utf-8")
        env = dict(os.environ, CNI_COMMAND="VERSION")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "VERSION, minimal plugin": [sys.executable, str(minimal)],
            "VERSION, docs example": [sys.executable, str(example)],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for argv in commands.values():  # warm the page cache
            timed(argv, env)
        for _ in range(options.runs):
            for name, argv in commands.items():
                samples[name].append(timed(argv, env))

    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["python -c pass"]
    print(f"{sys.executable} ({sys.version.split()[0]}), {options.runs} runs each, interleaved")
    for name, value in medians.items():
        print(f"  {name:<26} median {value * 1000:7.2f} ms   ratio {value / base:5.2f}")
    ratio = medians["VERSION, minimal plugin"] / base
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"minimal plugin VERSION / bare python = {ratio:.2f} ({verdict} the {BUDGET} budget)")


if __name__ == "__main__":
    main()
