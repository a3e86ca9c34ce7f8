"""Run every benchmark in ``bench/`` one after the other (``make bench``).

Each script measures its cases side by side against a bare ``python -c pass`` and prints
its own table; this runner only sequences them so the figures come from one sitting.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = ("cniskel_startup.py", "native_calls.py", "hcn_ops.py", "plugins.py", "datapath.py")


def main() -> int:
    here = Path(__file__).resolve().parent
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== bench/{name}", flush=True)
        if subprocess.run([sys.executable, str(here / name)], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
