"""Many real processes on one state file: no lost updates, distinct addresses, no errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from .sim_engine_support import create, get, ids, nat_network, new_engine

PROCESSES = 32
PER_PROCESS = 3

_WORKER = textwrap.dedent(
    """
    import json, sys, time, uuid
    from hcnpy.sim.versions import DEFAULT_VERSION as DEFAULT_SIMULATED_VERSION
    from hcnpy.sim.engine import Engine

    state_path, network, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    engine = Engine(state_path=state_path, version=DEFAULT_SIMULATED_VERSION, faults="")
    time.sleep(max(0.0, start_at - time.time()))  # start together for maximum contention
    results = []
    for i in range(%d):
        hr, net, rec = engine.open("Network", uuid.UUID(network))
        hr, ep, rec = engine.create("Endpoint", None, json.dumps({"Name": "w"}), net)
        results.append(hr)
        if hr == 0:
            engine.query("Endpoint", ep, None)
            engine.close("Endpoint", ep)
        engine.close("Network", net)
        engine.enumerate("Endpoint", None)
    print(json.dumps({"results": results, "leaks": engine.open_handle_count()}))
    """
).replace("range(%d)", f"range({PER_PROCESS})")


def test_parallel_processes_get_distinct_addresses(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    net = nat_network(engine, "busy", "10.20.0.0/24")
    start_at = time.time() + 2.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, engine.state_path, net, str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    # Meanwhile this process keeps changing state too (namespaces use the same write lock).
    namespaces: list[str] = []

    def churn() -> None:
        while any(p.poll() is None for p in procs):
            namespaces.append(create(engine, "Namespace", {}))

    churner = threading.Thread(target=churn)
    churner.start()
    outputs = [p.communicate(timeout=120) for p in procs]
    churner.join()
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        report = json.loads(out)
        assert report == {"results": [0] * PER_PROCESS, "leaks": 0}, err

    endpoints = ids(engine, "Endpoint", {"VirtualNetwork": net})
    assert len(endpoints) == PROCESSES * PER_PROCESS
    props = [get(engine, "Endpoint", oid) for oid in endpoints]
    addresses = {p["IpConfigurations"][0]["IpAddress"] for p in props}
    macs = {p["MacAddress"] for p in props}
    assert len(addresses) == len(macs) == PROCESSES * PER_PROCESS
    assert addresses == {f"10.20.0.{i}" for i in range(2, 2 + PROCESSES * PER_PROCESS)}
    compartments = [get(engine, "Namespace", ns)["NamespaceId"] for ns in namespaces]
    assert len(set(compartments)) == len(compartments)
    engine.shutdown()


def test_threads_share_one_engine_safely(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    net = nat_network(engine, "threads", "10.21.0.0/24")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                create(engine, "Endpoint", {}, net)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    addresses = {get(engine, "Endpoint", e)["IpConfigurations"][0]["IpAddress"]
                 for e in ids(engine, "Endpoint")}  # fmt: skip
    assert len(addresses) == 80
    assert engine.open_handle_count() == 0
    engine.shutdown()
