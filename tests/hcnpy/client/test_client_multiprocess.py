"""Many CNI-plugin-like processes creating endpoints on one network at the same moment."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys

from hcnpy.client import Client
from hcnpy.ops import Ops

PROCESSES = 32

# Each process: connect with the typed client and load the library, say "ready", wait for
# "go" (so all 32 calls start together), create one endpoint, and report its address and the
# stand-in's leak counters.
_CHILD = """
import json, sys
import hcnpy, hcnpy.client
client = hcnpy.client.connect()
client.ops.library
print("ready", flush=True)
sys.stdin.readline()
endpoint = client.networks.create_endpoint(sys.argv[1], hcnpy.Endpoint(name=sys.argv[2]))
print(json.dumps({
    "id": endpoint.id,
    "ip": endpoint.ip_configurations[0].ip_address,
    "mac": endpoint.mac_address,
    "leaks": client.ops.library.leak_counters(),
}))
"""


def test_32_processes_create_endpoints_on_one_network(ops: Ops, client: Client) -> None:
    subnet = ipaddress.ip_network("10.30.0.0/24")
    network = ops.create_network(
        {
            "Name": "shared",
            "Ipams": [
                {
                    "Subnets": [
                        {
                            "IpAddressPrefix": str(subnet),
                            "Routes": [{"NextHop": "10.30.0.1", "DestinationPrefix": "0.0.0.0/0"}],
                        }
                    ]
                }
            ],
        }
    )
    env = dict(os.environ)  # HCNPY_BACKEND=sim and this test's HCNPY_SIM_STATE
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, network["ID"], f"ep-{i}"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    for child in children:  # a barrier: every child is loaded before any creates
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    reports = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        reports.append(json.loads(out))

    addresses = [ipaddress.ip_address(r["ip"]) for r in reports]
    assert len(set(addresses)) == PROCESSES
    assert all(a in subnet and str(a) != "10.30.0.1" for a in addresses)
    assert len({r["mac"] for r in reports}) == PROCESSES
    assert all(r["leaks"] == [0, 0] for r in reports)
    listed = client.networks.endpoints(network["ID"])
    assert {e.id for e in listed} == {r["id"] for r in reports}
    assert sorted(e.name or "" for e in listed) == sorted(f"ep-{i}" for i in range(PROCESSES))
