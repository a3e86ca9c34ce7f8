"""Test harness for the Windows plugins: run them as a runtime does, inspect the simulator.

Each test gets its own simulated HNS (``HCNPY_SIM_STATE`` in a temp dir), lock directory and
host-local data directory. Plugins run as separate processes, from the console scripts, with
the CNI environment and the configuration on stdin.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hcnpy import bindings
from hcnpy.ops import Ops
from hcnpy.sim import engine

from ..suite_env import environ_without

#: The venv's scripts directory (where nat, sdnbridge, sdnoverlay, cniskel, hcnpy live).
BIN = Path(sys.executable).parent
#: Debian's containernetworking-plugins (host-local, ...).
CNI_BIN = Path("/usr/lib/cni")
HOST_LOCAL = CNI_BIN / "host-local"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def have_host_local() -> bool:
    return HOST_LOCAL.is_file() and os.access(HOST_LOCAL, os.X_OK)


class Outcome:
    """One plugin process: exit status, output, and the decoded stdout (result or error)."""

    def __init__(self, args: Sequence[str], proc: subprocess.CompletedProcess[bytes]) -> None:
        self.args = list(args)
        self.exit_code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr.decode("utf-8", "replace")
        try:
            self.json: Any = json.loads(proc.stdout) if proc.stdout.strip() else None
        except ValueError:
            self.json = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def code(self) -> int | None:
        """The CNI error code, or None on success."""
        if self.ok:
            return None
        return self.json.get("code") if isinstance(self.json, dict) else -1

    @property
    def msg(self) -> str:
        return str(self.json.get("msg", "")) if isinstance(self.json, dict) else ""

    def __repr__(self) -> str:
        return (
            f"Outcome(exit={self.exit_code}, stdout={self.stdout[:600]!r}, "
            f"stderr={self.stderr[-800:]!r})"
        )

    def ips(self) -> list[str]:
        """Addresses (without prefix) from a result of any version."""
        data = self.json or {}
        if "ips" in data:
            return [ip["address"].split("/")[0] for ip in data["ips"]]
        return [data[k]["ip"].split("/")[0] for k in ("ip4", "ip6") if k in data]


class Sim:
    """One test's simulated HNS, plus helpers to run plugins against it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state = root / "hns.db"
        self.locks = root / "locks"
        self.ipam_dir = root / "ipam"
        self.trace = root / "trace.jsonl"
        self.cni_path = [str(BIN), str(CNI_BIN)]
        self.extra_env: dict[str, str] = {}
        os.environ["HCNPY_SIM_STATE"] = str(self.state)
        os.environ.pop("HCNPY_SIM_FAULTS", None)
        engine.reset_engine()
        self.ops = Ops(bindings.load("sim-inprocess"))

    def close(self) -> None:
        engine.reset_engine()

    # -- HNS set-up and inspection ------------------------------------------------------

    def network(
        self,
        name: str,
        kind: str = "NAT",
        subnets: Sequence[tuple[str, str]] = (("10.0.0.0/16", "10.0.0.1"),),
        *,
        policies: Sequence[Mapping[str, Any]] = (),
        subnet_policies: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """Create an HNS network like the reference's e2e set-up (§2.2)."""
        doc: dict[str, Any] = {"Name": name, "Type": kind}
        if subnets:
            entries = []
            for prefix, gateway in subnets:
                subnet: dict[str, Any] = {"IpAddressPrefix": prefix}
                if gateway:
                    dst = "::/0" if ":" in prefix else "0.0.0.0/0"
                    subnet["Routes"] = [{"NextHop": gateway, "DestinationPrefix": dst}]
                if subnet_policies:
                    subnet["Policies"] = list(subnet_policies)
                entries.append(subnet)
            doc["Ipams"] = [{"Type": "Static", "Subnets": entries}]
        if policies:
            doc["Policies"] = list(policies)
        return self.ops.create_network(doc)

    def namespace(self) -> str:
        return str(self.ops.create_namespace()["ID"])

    def endpoints(self) -> list[dict[str, Any]]:
        return self.ops.list_endpoints()

    def endpoint(self, name: str) -> dict[str, Any] | None:
        for doc in self.endpoints():
            if doc.get("Name") == name:
                return doc
        return None

    def namespace_endpoints(self, namespace: str) -> list[str]:
        return [e.lower() for e in self.ops.namespace_endpoint_ids(namespace)]

    def ipam_files(self) -> list[str]:
        """Allocations host-local has on disk (lock and last-reserved files excluded)."""
        if not self.ipam_dir.exists():
            return []
        return sorted(
            p.name
            for p in self.ipam_dir.rglob("*")
            if p.is_file() and p.name != "lock" and not p.name.startswith("last_reserved_ip")
        )

    # -- running plugins ------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = environ_without("CNI_", "HCNPY_")
        env.update(
            HCNPY_BACKEND="sim",
            HCNPY_SIM_STATE=str(self.state),
            WINPLUGINS_LOCK_DIR=str(self.locks),
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        )
        env.update(self.extra_env)
        env.update(extra)
        return env

    def run(
        self,
        plugin: str,
        command: str,
        conf: Mapping[str, Any] | bytes,
        *,
        container_id: str = "c1",
        netns: str = "",
        ifname: str = "eth0",
        args: str = "",
        env: Mapping[str, str] | None = None,
        timeout: float = 60,
        cwd: Path | None = None,
    ) -> Outcome:
        """Run one plugin process as a runtime does (CNI_* variables, config on stdin)."""
        stdin = conf if isinstance(conf, bytes) else json.dumps(conf).encode()
        full = self.env(**(env or {}))
        full.update(
            CNI_COMMAND=command,
            CNI_CONTAINERID=container_id,
            CNI_NETNS=netns,
            CNI_IFNAME=ifname,
            CNI_ARGS=args,
            CNI_PATH=os.pathsep.join(self.cni_path),
        )
        exe = shutil.which(plugin, path=str(BIN)) or plugin
        proc = subprocess.run(
            [exe], input=stdin, env=full, capture_output=True, timeout=timeout, check=False, cwd=cwd
        )
        return Outcome([plugin, command, container_id], proc)

    def add(self, plugin: str, conf: Mapping[str, Any] | bytes, **kw: Any) -> Outcome:
        return self.run(plugin, "ADD", conf, **kw)

    def delete(self, plugin: str, conf: Mapping[str, Any] | bytes, **kw: Any) -> Outcome:
        return self.run(plugin, "DEL", conf, **kw)

    def trace_calls(self) -> list[str]:
        """C functions in the trace file, in order; the file is emptied afterwards."""
        return [function for function, _ in self.trace_results()]

    def trace_results(self) -> list[tuple[str, int]]:
        """``(C function, HRESULT)`` of each traced call, in order; empties the file."""
        if not self.trace.exists():
            return []
        records = [json.loads(line) for line in self.trace.read_text().splitlines()]
        self.trace.unlink()
        return [(r["function"], r["hresult_int"]) for r in records]


def new_guid() -> str:
    return str(uuid.uuid4())


def with_prev_result(conf: Mapping[str, Any], result: Any) -> dict[str, Any]:
    """The configuration a runtime sends for CHECK/DEL: the ADD result as ``prevResult``."""
    return {**conf, "prevResult": result}
