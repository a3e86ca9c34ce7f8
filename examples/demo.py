"""``make demo``: the nat CNI plugin end to end against the simulated HNS.

Everything happens in one state directory (simulator state, CNI configuration, result cache,
lock files) and uses only the programs of this environment: ``hcnpy`` to look at and change
HNS, ``cniskel`` as the container runtime, and the ``nat`` plugin it runs.

1. ADD before the network exists: the plugin says code 81.
2. Create a NAT network, and two namespaces (one per container).
3. ADD container ``web1`` with a port mapping 8080 -> 80 (through CAP_ARGS, as a runtime
   passes capability arguments); show the endpoints.
4. ADD container ``web2`` asking for the same host port: code 71.
5. DEL both containers (a runtime DELs after a failed ADD too); show that nothing is left.
6. Where this machine can run the simulator's Linux datapath (root, ``ip``, ``nft``): real
   packets between containers, and an ACL blocking one of them (``acl_block_allow.py``).

Every command is echoed as you can run it yourself from the same directory: with the
environment it needs, and the state directory as ``$DEMO``. The directory is temporary and
removed at the end, unless ``--keep`` is given: then it stays, and the demo prints the
``export DEMO=...`` line that makes every echoed command runnable.

Run it with ``make demo`` or ``.venv/bin/python examples/demo.py [--keep]``. Each step is one
function in ``STEPS``; a new step is a new function and a new entry there.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

BIN = Path(sys.executable).parent  # the environment's scripts: hcnpy, cniskel, nat
NETWORK = "natNet"
PORTS = {"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]}
CONFLIST = {
    "cniVersion": "1.0.0",
    "name": NETWORK,
    "plugins": [{"type": "nat", "capabilities": {"portMappings": True}}],
}
CONFLIST_FILE = "net.d/10-natnet.conflist"
#: What the demo leaves out of the caller's environment, so that their settings cannot
#: change what it shows (a pinned HNS version, injected faults, another CNI setup).
FOREIGN = ("HCNPY_", "CNI", "CAP_ARGS", "NETCONFPATH", "WINPLUGINS_")
#: Kept: where the simulator's service lives changes nothing the demo shows.
KEPT = ("HCNPY_SIM_RUNTIME_DIR",)
WIDTH = 96

BOLD, DIM, GREEN, RED, RESET = "\033[1m", "\033[2m", "\033[32m", "\033[31m", "\033[0m"
if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
    BOLD = DIM = GREEN = RED = RESET = ""


def shown_path(path: Path) -> str:
    """``path`` as the echoed commands write it: relative to the current directory if
    inside it (the commands are meant to be run from there), else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Demo:
    """The state directory, the environment of every command, and what went wrong."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.failures: list[str] = []
        self.namespaces: list[str] = []
        #: The variables each program needs (values under ``root`` are shown as ``$DEMO``).
        self.hcnpy_env = {"HCNPY_BACKEND": "sim", "HCNPY_SIM_STATE": str(root / "hns.db")}
        self.runtime_env = {
            **self.hcnpy_env,
            "NETCONFPATH": str(root / "net.d"),
            "CNI_PATH": str(BIN),
            "CNISKEL_CACHE_DIR": str(root / "cache"),
            "WINPLUGINS_LOCK_DIR": str(root / "locks"),
        }
        self.base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(FOREIGN) or k in KEPT
        }

    def shown_value(self, value: str) -> str:
        """A variable's value in an echoed command: ``"$DEMO/..."`` for the state directory."""
        path = Path(value)
        if path == self.root or self.root in path.parents:
            rest = path.relative_to(self.root).as_posix()
            return '"$DEMO"' if rest == "." else f'"$DEMO/{rest}"'
        return shlex.quote(shown_path(path) if path == BIN else value)

    def echo(self, variables: dict[str, str], program: str, args: Sequence[str]) -> None:
        """Print the command as a shell line; when long, the variables are wrapped with
        ``\\`` and the command itself gets a line of its own."""
        assignments = [f"{k}={self.shown_value(v)}" for k, v in variables.items()]
        command = " ".join(shlex.quote(w) for w in [shown_path(BIN / program), *args])
        single = " ".join([*assignments, command])
        if len(single) + 2 <= WIDTH:
            print(f"{DIM}${RESET} {single}")
            return
        lines: list[str] = []
        for word in assignments:
            if lines and len(lines[-1]) + 1 + len(word) + 2 <= WIDTH:
                lines[-1] += " " + word
            else:
                lines.append(word)
        lines.append(command)
        print(f"{DIM}${RESET} " + " \\\n    ".join(lines))

    def run(self, program: str, *args: str, extra: dict[str, str] | None = None) -> tuple[int, str]:
        """Echo the command, run it, show its output; returns (exit status, stdout)."""
        variables = {
            **(self.hcnpy_env if program == "hcnpy" else self.runtime_env),
            **(extra or {}),
        }
        self.echo(variables, program, args)
        proc = subprocess.run(
            [str(BIN / program), *args],
            env={**self.base_env, **variables},
            capture_output=True,
            text=True,
            check=False,
        )
        output = (proc.stdout + proc.stderr).rstrip()
        if output:
            print("\n".join("  " + line for line in output.splitlines()))
        color = GREEN if proc.returncode == 0 else RED
        print(f"  {DIM}->{RESET} {color}exit {proc.returncode}{RESET}")
        return proc.returncode, proc.stdout

    def expect(self, condition: bool, failure: str) -> None:
        """Record ``failure`` unless ``condition`` holds."""
        if not condition:
            self.failures.append(failure)

    def namespace(self, index: int) -> str:
        """The ID of the ``index``-th namespace step 2 created; stops the demo if it did not."""
        if index >= len(self.namespaces):
            raise StepImpossible("the namespaces were not created")
        return self.namespaces[index]


class StepImpossible(Exception):
    """A step cannot run because an earlier one failed; the demo stops there."""


def cni_code(stdout: str) -> int | None:
    """The ``code`` of the CNI error the runtime printed, if any."""
    start = stdout.find("{")
    try:
        value = json.loads(stdout[start:]) if start >= 0 else None
    except ValueError:
        return None
    return value.get("code") if isinstance(value, dict) else None


# --- the steps ------------------------------------------------------------------------------


def add_before_the_network_exists(demo: Demo) -> None:
    container = ["--container-id", "early"]
    sandbox = "00000000-0000-4000-8000-000000000000"
    _, out = demo.run("cniskel", "add", NETWORK, sandbox, *container)
    demo.expect(cni_code(out) == 81, "ADD without a network did not give code 81")
    demo.run("cniskel", "del", NETWORK, sandbox, *container)


def create_network_and_namespaces(demo: Demo) -> None:
    code, _ = demo.run("hcnpy", "network", "create", "--name", NETWORK, "--type", "NAT",
                       "--subnet", "10.0.0.0/16", "--gateway", "10.0.0.1")  # fmt: skip
    demo.expect(code == 0, "creating the network failed")
    for _ in range(2):
        code, out = demo.run("hcnpy", "namespace", "create", "--json")
        demo.expect(code == 0, "creating a namespace failed")
        if code == 0:
            demo.namespaces.append(json.loads(out)["ID"])


def add_web1(demo: Demo) -> None:
    code, _ = demo.run("cniskel", "add", NETWORK, demo.namespace(0), "--container-id", "web1",
                       extra={"CAP_ARGS": json.dumps(PORTS)})  # fmt: skip
    demo.expect(code == 0, "ADD of web1 failed")
    demo.run("hcnpy", "endpoint", "list")


def add_web2_on_the_same_port(demo: Demo) -> None:
    _, out = demo.run("cniskel", "add", NETWORK, demo.namespace(1), "--container-id", "web2",
                      extra={"CAP_ARGS": json.dumps(PORTS)})  # fmt: skip
    demo.expect(cni_code(out) == 71, "the port clash did not give code 71")
    demo.run("hcnpy", "endpoint", "list")


def delete_both(demo: Demo) -> None:
    for namespace, container in ((demo.namespace(0), "web1"), (demo.namespace(1), "web2")):
        code, _ = demo.run("cniskel", "del", NETWORK, namespace, "--container-id", container,
                           extra={"CAP_ARGS": json.dumps(PORTS)})  # fmt: skip
        demo.expect(code == 0, f"DEL of {container} failed")
    _, out = demo.run("hcnpy", "endpoint", "list", "--json")
    demo.expect(not json.loads(out or "[]"), "endpoints are left after DEL")
    demo.run("hcnpy", "namespace", "list")


def ping_through_the_datapath(demo: Demo) -> None:
    """Real pings between containers, one blocked by an ACL (skipped where it cannot run)."""
    from hcnpy.sim.datapath import DatapathUnavailable, open_datapath

    try:
        datapath = open_datapath(demo.hcnpy_env["HCNPY_SIM_STATE"])
    except DatapathUnavailable as exc:
        print(f"  skipped: {exc}")
        return
    example = str(Path(__file__).with_name("acl_block_allow.py"))
    try:
        code, out = demo.run("python", shown_path(Path(example)), "--datapath")
    finally:
        # The example mirrored this demo's HNS into the kernel (the simulated host, the
        # outside network, the containers' namespaces): that goes with the demo.
        datapath.cleanup()
    blocked = "ping stranger -> web (172.30.0.2): no answer (blocked)"
    demo.expect(
        code == 0 and blocked in out and out.count("): ok") == 5,
        "the datapath step did not show the ACL blocking exactly one container",
    )


#: ``(heading, step)`` in order; each step runs its commands through ``demo``.
STEPS: list[tuple[str, Callable[[Demo], None]]] = [
    ("1. ADD before the HNS network exists: code 81 (network not found)",
     add_before_the_network_exists),
    ("2. Create the NAT network and one namespace per container", create_network_and_namespaces),
    ("3. ADD container web1 with port mapping 8080 -> 80", add_web1),
    ("4. ADD container web2 with the same host port: code 71 (port already exists)",
     add_web2_on_the_same_port),
    ("5. DEL both containers (the runtime also DELs the failed one)", delete_both),
    ("6. Real packets: containers ping each other, and an ACL blocks one of them",
     ping_through_the_datapath),
]  # fmt: skip


def introduce(demo: Demo, keep: bool) -> None:
    print(f"{BOLD}The nat CNI plugin on a simulated HNS{RESET}")
    print("Every command below runs as shown, from this directory, with $DEMO the demo's")
    if keep:
        print("state directory (kept at the end). To run them yourself:")
        print(f"  export DEMO={shlex.quote(str(demo.root))}")
    else:
        print("state directory: a temporary one, removed at the end. Run the demo with --keep")
        print("to keep it and run the commands yourself.")
    print(f"\n{BOLD}== The CNI configuration ($DEMO/{CONFLIST_FILE}){RESET}")
    print("\n".join("  " + line for line in json.dumps(CONFLIST, indent=2).splitlines()))


def conclude(demo: Demo, keep: bool) -> int:
    print(f"\n{BOLD}== Result{RESET}")
    if demo.failures:
        print(f"{RED}demo FAILED:{RESET} " + "; ".join(demo.failures))
    else:
        print(f"{GREEN}all cleaned up: no endpoints left, the namespaces are empty{RESET}")
    if keep:
        print(f"\nKept the state directory: {demo.root}")
        print(f"  export DEMO={shlex.quote(str(demo.root))}")
        demo.echo(demo.hcnpy_env, "hcnpy", ["network", "list"])
        print(f"  (remove it with: rm -r {shlex.quote(str(demo.root))})")
    else:
        print("\nRemoved the temporary state directory ($DEMO).")
    return 1 if demo.failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--keep", action="store_true", help="keep the state directory and say where it is"
    )
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="hcnpy-demo-")).resolve()
    try:
        demo = Demo(root)
        (root / CONFLIST_FILE).parent.mkdir()
        (root / CONFLIST_FILE).write_text(json.dumps(CONFLIST, indent=2) + "\n")
        introduce(demo, args.keep)
        for heading, step in STEPS:
            print(f"\n{BOLD}== {heading}{RESET}")
            try:
                step(demo)
            except StepImpossible as exc:
                demo.failures.append(str(exc))
                break
        return conclude(demo, args.keep)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
