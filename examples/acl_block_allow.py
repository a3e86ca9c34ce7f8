"""Block, then allow, inbound TCP/80 on two container endpoints with HNS ACL policies.

The HNS exploration the Windows plugins grew out of, as a script: two container endpoints on
a NAT network; an ACL policy that blocks inbound TCP port 80 is added to both; then the block
is replaced by an allow rule. The endpoint listing is printed before and after each step, in
the spirit of ``Get-HnsEndpoint``.

It uses the wire-level operations of hcnpy (``hcnpy.ops``: plain dicts in and out), the same
layer the plugins use. On Linux and macOS it runs against the simulated HNS; unless
``HCNPY_SIM_STATE`` is set, in a temporary state that is thrown away afterwards. On Windows
it needs an administrator and changes the real HNS (and removes what it created).

    .venv/bin/python examples/acl_block_allow.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from hcnpy.ops import Ops

NETWORK = "aclDemoNet"

# An ACL rule is an endpoint policy; HNS evaluates rules by priority (lower first).
BLOCK_80 = {
    "Type": "ACL",
    "Settings": {"Protocols": "6", "Action": "Block", "Direction": "In", "LocalPorts": "80",
                 "Priority": 200},
}  # fmt: skip
ALLOW_80 = {
    "Type": "ACL",
    "Settings": {"Protocols": "6", "Action": "Allow", "Direction": "In", "LocalPorts": "80",
                 "Priority": 200},
}  # fmt: skip


def describe_policy(policy: dict[str, Any]) -> str:
    settings = policy.get("Settings") or {}
    if policy.get("Type") == "ACL":
        # HNS leaves out enum values that are 0 (Allow, In) when it reports a policy.
        action = settings.get("Action", "Allow")
        direction = settings.get("Direction", "In")
        protocols = settings.get("Protocols", "any")
        ports = settings.get("LocalPorts", "any")
        priority = settings.get("Priority", "-")
        return f"ACL {action} {direction} proto {protocols} port {ports} prio {priority}"
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


def demo(ops: Ops) -> None:
    network = ops.create_network({
        "Name": NETWORK,
        "Type": "NAT",
        "Ipams": [{"Type": "Static", "Subnets": [{
            "IpAddressPrefix": "172.30.0.0/24",
            "Routes": [{"NextHop": "172.30.0.1", "DestinationPrefix": "0.0.0.0/0"}],
        }]}],
    })  # fmt: skip
    created: list[tuple[str, str]] = []  # (endpoint, namespace)
    try:
        for name in ("web-a", "web-b"):
            endpoint = ops.create_endpoint(network["ID"], {"Name": f"{name}_{NETWORK}"})
            namespace = ops.create_namespace()
            ops.add_namespace_endpoint(namespace["ID"], endpoint["ID"], refresh=False)
            created.append((endpoint["ID"], namespace["ID"]))
        show(ops, "two container endpoints, no ACL")

        for endpoint_id, _ in created:
            ops.apply_endpoint_policies(endpoint_id, "Add", [BLOCK_80])
        show(ops, "after adding: Block inbound TCP/80")

        for endpoint_id, _ in created:
            ops.apply_endpoint_policies(endpoint_id, "Remove", [BLOCK_80])
            ops.apply_endpoint_policies(endpoint_id, "Add", [ALLOW_80])
        show(ops, "after replacing the block by: Allow inbound TCP/80")
    finally:
        for endpoint_id, namespace_id in created:
            ops.remove_namespace_endpoint(namespace_id, endpoint_id, missing_ok=True)
            ops.delete_endpoint(endpoint_id, missing_ok=True)
            ops.delete_namespace(namespace_id, missing_ok=True)
        ops.delete_network(network["ID"], missing_ok=True)
    show(ops, "cleaned up")


def main() -> int:
    if sys.platform != "win32" and not os.environ.get("HCNPY_SIM_STATE"):
        with tempfile.TemporaryDirectory(prefix="acl-demo-") as tmp:
            os.environ["HCNPY_SIM_STATE"] = os.path.join(tmp, "hns.db")
            print(f"simulated HNS, state in {os.environ['HCNPY_SIM_STATE']}")
            demo(Ops())
        return 0
    demo(Ops())
    return 0


if __name__ == "__main__":
    sys.exit(main())
