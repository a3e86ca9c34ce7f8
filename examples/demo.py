"""``make demo``: the nat CNI plugin end to end against the simulated HNS.

Everything happens in a temporary directory (simulator state, CNI configuration, result
cache, lock files) and uses only the programs of this environment: ``hcnpy`` to look at and
change HNS, ``cniskel`` as the container runtime, and the ``nat`` plugin it runs.

1. ADD before the network exists: the plugin says code 81.
2. Create a NAT network, and two namespaces (one per container).
3. ADD container ``web1`` with a port mapping 8080 -> 80 (through CAP_ARGS, as a runtime
   passes capability arguments); show the endpoints.
4. ADD container ``web2`` asking for the same host port: code 71.
5. DEL both containers (a runtime DELs after a failed ADD too); show that nothing is left.
6. With the simulator's Linux datapath (root): real pings between two containers, and an ACL
   blocking one of them (``examples/acl_block_allow.py --datapath``).

Run it with ``make demo`` or ``.venv/bin/python examples/demo.py``.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent  # the environment's scripts: hcnpy, cniskel, nat
NETWORK = "natNet"
PORTS = {"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]}
CONFLIST = {
    "cniVersion": "1.0.0",
    "name": NETWORK,
    "plugins": [{"type": "nat", "capabilities": {"portMappings": True}}],
}

BOLD, DIM, GREEN, RED, RESET = "\033[1m", "\033[2m", "\033[32m", "\033[31m", "\033[0m"
if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
    BOLD = DIM = GREEN = RED = RESET = ""


def heading(text: str) -> None:
    print(f"\n{BOLD}== {text}{RESET}")


def run(env: dict[str, str], *args: str, extra: dict[str, str] | None = None) -> tuple[int, str]:
    """Echo the command (with the variables that matter for it), run it, show its output."""
    prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in (extra or {}).items())
    shown = " ".join([Path(args[0]).name, *(shlex.quote(a) for a in args[1:])])
    print(f"{DIM}${RESET} {prefix + ' ' if prefix else ''}{shown}")
    proc = subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    output = (proc.stdout + proc.stderr).rstrip()
    if output:
        print("\n".join("  " + line for line in output.splitlines()))
    status = (
        f"{GREEN}exit 0{RESET}" if proc.returncode == 0 else f"{RED}exit {proc.returncode}{RESET}"
    )
    print(f"  {DIM}->{RESET} {status}")
    return proc.returncode, proc.stdout


def cni_code(stdout: str) -> int | None:
    """The ``code`` of the CNI error the runtime printed, if any."""
    start = stdout.find("{")
    try:
        value = json.loads(stdout[start:]) if start >= 0 else None
    except ValueError:
        return None
    return value.get("code") if isinstance(value, dict) else None


def datapath_step(env: dict[str, str]) -> list[str]:
    """Step 6: the ACL example with real packets, where this machine can run the datapath."""
    from hcnpy.sim.datapath import DatapathUnavailable, open_datapath

    try:
        open_datapath(env["HCNPY_SIM_STATE"])
    except DatapathUnavailable as exc:
        print(f"  skipped: {exc}")
        return []
    example = [sys.executable, str(Path(__file__).with_name("acl_block_allow.py")), "--datapath"]
    print(f"{DIM}${RESET} python examples/acl_block_allow.py --datapath")
    clean = {k: v for k, v in env.items() if k != "HCNPY_SIM_STATE"}
    proc = subprocess.run(example, env=clean, capture_output=True, text=True, check=False)
    print("\n".join("  " + line for line in (proc.stdout + proc.stderr).rstrip().splitlines()))
    blocked = "ping stranger -> web (172.30.0.2): no answer (blocked)"
    if proc.returncode != 0 or blocked not in proc.stdout or proc.stdout.count("): ok") != 5:
        return ["the datapath step did not show the ACL blocking exactly one container"]
    return []


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="winplugins-demo-") as tmp:
        root = Path(tmp)
        (root / "net.d").mkdir()
        (root / "net.d" / "10-natnet.conflist").write_text(json.dumps(CONFLIST, indent=2))
        env = {
            **os.environ,
            "HCNPY_BACKEND": "sim",
            "HCNPY_SIM_STATE": str(root / "hns.db"),
            "NETCONFPATH": str(root / "net.d"),
            "CNI_PATH": str(BIN),
            "CNISKEL_CACHE_DIR": str(root / "cache"),
            "WINPLUGINS_LOCK_DIR": str(root / "locks"),
        }
        env.pop("HCNPY_SIM_FAULTS", None)
        env.pop("CAP_ARGS", None)
        cap_args = {"CAP_ARGS": json.dumps(PORTS)}
        failures: list[str] = []

        print(f"{BOLD}The nat CNI plugin on a simulated HNS{RESET} (state in {root})")
        heading(f"The CNI configuration ({root.name}/net.d/10-natnet.conflist)")
        print("\n".join("  " + line for line in json.dumps(CONFLIST, indent=2).splitlines()))

        heading("1. ADD before the HNS network exists: code 81 (network not found)")
        code, out = run(env, "cniskel", "add", NETWORK, "00000000-0000-4000-8000-000000000000",
                        "--container-id", "early")  # fmt: skip
        if cni_code(out) != 81:
            failures.append("ADD without a network did not give code 81")
        run(env, "cniskel", "del", NETWORK, "00000000-0000-4000-8000-000000000000",
            "--container-id", "early")  # fmt: skip

        heading("2. Create the NAT network and one namespace per container")
        run(env, "hcnpy", "network", "create", "--name", NETWORK, "--type", "NAT",
            "--subnet", "10.0.0.0/16", "--gateway", "10.0.0.1")  # fmt: skip
        namespaces = []
        for _ in range(2):
            code, out = run(env, "hcnpy", "namespace", "create", "--json")
            namespaces.append(json.loads(out)["ID"])

        heading("3. ADD container web1 with port mapping 8080 -> 80")
        code, out = run(env, "cniskel", "add", NETWORK, namespaces[0], "--container-id", "web1",
                        extra=cap_args)  # fmt: skip
        if code != 0:
            failures.append("ADD of web1 failed")
        run(env, "hcnpy", "endpoint", "list")

        heading("4. ADD container web2 with the same host port: code 71 (port already exists)")
        code, out = run(env, "cniskel", "add", NETWORK, namespaces[1], "--container-id", "web2",
                        extra=cap_args)  # fmt: skip
        if cni_code(out) != 71:
            failures.append("the port clash did not give code 71")
        run(env, "hcnpy", "endpoint", "list")

        heading("5. DEL both containers (the runtime also DELs the failed one)")
        for namespace, container in zip(namespaces, ("web1", "web2"), strict=True):
            code, _ = run(env, "cniskel", "del", NETWORK, namespace, "--container-id", container,
                          extra=cap_args)  # fmt: skip
            if code != 0:
                failures.append(f"DEL of {container} failed")
        code, out = run(env, "hcnpy", "endpoint", "list", "--json")
        if json.loads(out or "[]"):
            failures.append("endpoints are left after DEL")
        run(env, "hcnpy", "namespace", "list")

        heading("6. Real packets: ping between containers, an ACL blocks one (the datapath)")
        failures += datapath_step(env)

        heading("Result")
        if failures:
            print(f"{RED}demo FAILED:{RESET} " + "; ".join(failures))
            return 1
        print(f"{GREEN}all cleaned up: no endpoints left, the namespaces are empty{RESET}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
