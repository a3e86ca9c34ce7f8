"""What one simulated HCN call and one endpoint creation cost, next to a bare interpreter.

Run ``.venv/bin/python bench/hcn_ops.py`` (``--runs N`` for more process samples). It uses a
private state file in a temporary directory, so it never touches your simulated HNS.

In-process figures: one C-ABI call into the stand-in library (``HNSCall GET
/globals/version`` and ``HcnEnumerateNetworks``), and ``Ops.create_endpoint`` (open network,
create, query, close, close). Process figures (what a CNI plugin pays per container): a new
interpreter that creates one endpoint through ``hcnpy.ops``, through the typed client, and
through the ``hcnpy`` CLI, each as milliseconds and as a multiple of ``python -c pass``.
Child interpreters run with bytecode caching on (``PYTHONPYCACHEPREFIX`` in the scratch
directory), as an installed package would, even if ``PYTHONDONTWRITEBYTECODE`` is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

_OPS_SNIPPET = """
import hcnpy.ops
ops = hcnpy.ops.connect()
ops.create_endpoint(NETWORK_ID, {})
"""

_CLIENT_SNIPPET = """
import hcnpy, hcnpy.client
client = hcnpy.client.connect()
client.networks.create_endpoint(NETWORK_ID, hcnpy.Endpoint())
"""

_IMPORT_OPS_SNIPPET = "import hcnpy.ops; hcnpy.ops.connect().library"


def _per_call(action: Callable[[], object], count: int) -> float:
    """Seconds per call of ``action`` (best of three batches of ``count``)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(count):
            action()
        best = min(best, (time.perf_counter() - start) / count)
    return best


def _process(argv: Sequence[str], env: dict[str, str], runs: int) -> float:
    """Median wall time in seconds of running ``argv`` ``runs`` times (after one warm-up)."""
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _in_process(network_id: str, count: int) -> list[tuple[str, float]]:
    import hcnpy.ops
    from hcnpy.bindings import ObjectKind

    ops = hcnpy.ops.connect()
    library = ops.library
    query = '{"SchemaVersion":{"Major":2,"Minor":0}}'
    hns_call = _per_call(lambda: library.hns_call("GET", "/globals/version"), count)
    enumerate_ = _per_call(lambda: library.enumerate(ObjectKind.NETWORK, query), count)
    created: list[str] = []

    def create() -> None:
        created.append(str(ops.create_endpoint(network_id, {})["ID"]))

    per_endpoint = _per_call(create, max(count // 10, 20))
    for endpoint_id in created:
        ops.delete_endpoint(endpoint_id)
    return [
        ("one C-ABI call: HNSCall GET /globals/version", hns_call),
        ("one C-ABI call: HcnEnumerateNetworks (1 network)", enumerate_),
        ("create one endpoint in-process (Ops.create_endpoint)", per_endpoint),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="process samples (median)")
    parser.add_argument("--calls", type=int, default=2000, help="in-process calls per batch")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hcnpy-bench-") as scratch:
        os.environ["HCNPY_BACKEND"] = "sim"
        os.environ["HCNPY_SIM_STATE"] = str(Path(scratch) / "hns.sqlite3")
        os.environ.pop("HCNPY_SIM_FAULTS", None)
        os.environ.pop("HCNPY_TRACE", None)
        env = dict(os.environ)
        # Child interpreters use compiled bytecode, as an installed package does: cached in
        # the scratch directory (never next to the sources), written by a warm-up run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")

        import hcnpy.ops

        network = hcnpy.ops.connect().create_network(
            {
                "Name": "bench",
                "Type": "NAT",
                "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "10.64.0.0/12"}]}],
            }
        )
        network_id = str(network["ID"])
        rows = _in_process(network_id, args.calls)

        python = sys.executable
        bare = _process([python, "-c", "pass"], env, args.runs)
        commands: list[tuple[str, list[str]]] = [
            ("process: import hcnpy.ops only", [python, "-c", "import hcnpy.ops"]),
            ("process: import hcnpy.ops + load library", [python, "-c", _IMPORT_OPS_SNIPPET]),
            (
                "process: create one endpoint via hcnpy.ops",
                [python, "-c", _OPS_SNIPPET.replace("NETWORK_ID", repr(network_id))],
            ),
            (
                "process: create one endpoint via hcnpy.client",
                [python, "-c", _CLIENT_SNIPPET.replace("NETWORK_ID", repr(network_id))],
            ),
            (
                "process: hcnpy endpoint create (CLI)",
                [python, "-m", "hcnpy", "endpoint", "create", "--network", network_id],
            ),
        ]
        timed = [("python -c pass", bare)]
        timed += [(label, _process(command, env, args.runs)) for label, command in commands]

    print(f"hcnpy simulated-HCN costs (Python {sys.version.split()[0]}, {sys.platform})")
    print()
    width = max(len(label) for label, _ in rows + timed)
    print(f"{'in-process'.ljust(width)}  {'per call':>12}")
    for label, seconds in rows:
        print(f"{label.ljust(width)}  {seconds * 1e6:>9.1f} us")
    print()
    heading = f"new process (median of {args.runs})"
    print(f"{heading.ljust(width)}  {'ms':>9}  ratio")
    for label, seconds in timed:
        print(f"{label.ljust(width)}  {seconds * 1e3:>9.1f}  {seconds / bare:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
