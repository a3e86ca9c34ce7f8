"""Block one peer and allow another with HNS ACL policies, and show it with real pings.

Three container endpoints on a NAT network: ``web``, ``friend`` and ``stranger``. ``web`` gets
three ACL policies: block inbound traffic from ``stranger`` (priority 100), allow inbound and
outbound traffic (priority 200). HNS tries the lowest priority number first, and once an
endpoint has any ACL it drops whatever no rule allows. Then the block is removed again. The
endpoint listing is printed after each step, in the spirit of ``Get-HnsEndpoint``.

It uses the wire-level operations of hcnpy (``hcnpy.ops``: plain dicts in and out), the same
layer the plugins use. On Linux and macOS it runs against the simulated HNS; unless
``HCNPY_SIM_STATE`` is set, in a temporary state that is thrown away afterwards. With
``--datapath`` (or ``HCNPY_SIM_DATAPATH=netns``; Linux, root) the simulator mirrors everything
into network namespaces and each step also pings ``web`` from both peers, with real packets.
On Windows it needs an administrator and changes the real HNS (and removes what it created).

    .venv/bin/python examples/acl_block_allow.py
    sudo .venv/bin/python examples/acl_block_allow.py --datapath
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hcnpy.ops import Ops

NETWORK = "aclDemoNet"
PEERS = ("web", "friend", "stranger")


def acl(action: str, direction: str, priority: int, **extra: str) -> dict[str, Any]:
    """An ACL endpoint policy."""
    settings: dict[str, Any] = {"Action": action, "Direction": direction, "Priority": priority}
    return {"Type": "ACL", "Settings": {**settings, **extra}}


def describe_policy(policy: dict[str, Any]) -> str:
    settings = policy.get("Settings") or {}
    if policy.get("Type") == "ACL":
        # HNS leaves out enum values that are 0 (Allow, In) when it reports a policy.
        action = settings.get("Action", "Allow")
        direction = settings.get("Direction", "In")
        remote = settings.get("RemoteAddresses", "any")
        return f"ACL {action} {direction} {remote} prio {settings.get('Priority', 0)}"
    return str(policy.get("Type"))


def show(ops: Ops, title: str) -> None:
    """Print the endpoints like ``Get-HnsEndpoint | Format-Table``."""
    print(f"\n--- {title}")
    rows = [("Name", "IPAddress", "MacAddress", "Policies")]
    for endpoint in ops.list_endpoints():
        ips = ",".join(c.get("IpAddress", "") for c in endpoint.get("IpConfigurations") or [])
        policies = "; ".join(describe_policy(p) for p in endpoint.get("Policies") or []) or "-"
        rows.append((endpoint.get("Name", ""), ips, endpoint.get("MacAddress", ""), policies))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * width for width in widths))


class Pinger:
    """Real pings between the containers' network namespaces (the simulator's datapath)."""

    def __init__(self) -> None:
        from hcnpy.sim.datapath import open_datapath

        self.datapath = open_datapath()
        ping = shutil.which("ping")
        if ping is None:
            raise SystemExit("ping is missing: apt-get install iputils-ping")
        self.ping = ping

    def __call__(self, source: str, namespace_id: str, target: str, address: str) -> bool:
        netns = self.datapath.names.path(self.datapath.names.namespace(namespace_id))
        nsenter = self.datapath.kernel.tools.nsenter
        argv = [nsenter, f"--net={netns}", "--", self.ping, "-c", "1", "-W", "1", address]
        ok = subprocess.run(argv, capture_output=True, check=False).returncode == 0
        print(f"  ping {source} -> {target} ({address}): {'ok' if ok else 'no answer (blocked)'}")
        return ok


def demo(ops: Ops, pinger: Pinger | None) -> None:
    network = ops.create_network({
        "Name": NETWORK,
        "Type": "NAT",
        "Ipams": [{"Type": "Static", "Subnets": [{
            "IpAddressPrefix": "172.30.0.0/24",
            "Routes": [{"NextHop": "172.30.0.1", "DestinationPrefix": "0.0.0.0/0"}],
        }]}],
    })  # fmt: skip
    created: dict[str, tuple[str, str, str]] = {}  # name -> (endpoint, namespace, address)
    try:
        for name in PEERS:
            endpoint = ops.create_endpoint(network["ID"], {"Name": f"{name}_{NETWORK}"})
            namespace = ops.create_namespace()
            ops.add_namespace_endpoint(namespace["ID"], endpoint["ID"], refresh=False)
            address = endpoint["IpConfigurations"][0]["IpAddress"]
            created[name] = (endpoint["ID"], namespace["ID"], address)

        def pings() -> None:
            if pinger is None:
                return
            web_address = created["web"][2]
            for peer in ("friend", "stranger"):
                pinger(peer, created[peer][1], "web", web_address)

        show(ops, "three container endpoints, no ACL")
        pings()

        block = acl("Block", "In", 100, RemoteAddresses=created["stranger"][2])
        allow = [acl("Allow", "In", 200), acl("Allow", "Out", 200)]
        ops.apply_endpoint_policies(created["web"][0], "Add", [block, *allow])
        show(ops, "web: Block inbound from stranger (prio 100), Allow in and out (prio 200)")
        pings()

        ops.apply_endpoint_policies(created["web"][0], "Remove", [block])
        show(ops, "web: the block removed, the allow rules kept")
        pings()
    finally:
        for endpoint_id, namespace_id, _ in created.values():
            ops.remove_namespace_endpoint(namespace_id, endpoint_id, missing_ok=True)
            ops.delete_endpoint(endpoint_id, missing_ok=True)
            ops.delete_namespace(namespace_id, missing_ok=True)
        ops.delete_network(network["ID"], missing_ok=True)
    show(ops, "cleaned up")


def run(pings: bool, own_state: bool) -> int:
    """The demo, with pings when ``pings``; ``own_state``: the kernel state is ours to remove."""
    pinger = None
    if pings:
        from hcnpy.sim.datapath import DatapathUnavailable

        try:
            pinger = Pinger()
        except DatapathUnavailable as exc:
            print(f"acl_block_allow: {exc}", file=sys.stderr)
            return 1
    try:
        demo(Ops(), pinger)
    finally:
        if pinger is not None and own_state:
            pinger.datapath.cleanup()  # the simulated host and outside network go too
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--datapath", action="store_true", help="mirror into network namespaces and ping (root)"
    )
    options = parser.parse_args()
    if options.datapath:
        os.environ["HCNPY_SIM_DATAPATH"] = "netns"
    switch = os.environ.get("HCNPY_SIM_DATAPATH", "").strip().lower()
    pings = sys.platform != "win32" and switch not in ("", "off")
    if sys.platform != "win32" and not os.environ.get("HCNPY_SIM_STATE"):
        with tempfile.TemporaryDirectory(prefix="acl-demo-") as tmp:
            os.environ["HCNPY_SIM_STATE"] = os.path.join(tmp, "hns.db")
            print(f"simulated HNS, state in {os.environ['HCNPY_SIM_STATE']}")
            return run(pings, own_state=True)
    return run(pings, own_state=False)


if __name__ == "__main__":
    sys.exit(main())
