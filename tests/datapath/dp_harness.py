"""Connectivity-test kit: a simulated HNS with the netns datapath, containers, real packets.

Every probe bounds its own packets and time: ``ping -c 1 -W 1``, listeners that accept one
connection within a few seconds, connects with a two-second timeout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from typing import Any

from hcnpy.sim.datapath import open_datapath
from hcnpy.sim.datapath.datapath import Datapath
from hcnpy.sim.datapath.names import Names

from ..plugins.wp_harness import Outcome, Sim

PYTHON = sys.executable

_LISTENER = textwrap.dedent(
    """
    import socket, sys
    family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
    kind = socket.SOCK_DGRAM if sys.argv[3] == "udp" else socket.SOCK_STREAM
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(sys.argv[2])))
    s.settimeout(float(sys.argv[4]))
    if kind == socket.SOCK_STREAM:
        s.listen(1)
    print("ready", flush=True)
    try:
        if kind == socket.SOCK_STREAM:
            conn, peer = s.accept()
            conn.sendall(b"hello from " + sys.argv[2].encode())
            conn.close()
        else:
            data, peer = s.recvfrom(100)
            s.sendto(b"hello from " + sys.argv[2].encode(), peer)
        print(peer[0], flush=True)
    except socket.timeout:
        print("timeout", flush=True)
    """
)

_CONNECT = textwrap.dedent(
    """
    import socket, sys
    host, port, proto = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    try:
        if proto == "udp":
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.settimeout(2)
            s.sendto(b"hi", (host, port))
            print(s.recv(100).decode())
        else:
            s = socket.create_connection((host, port), timeout=2)
            print(s.recv(100).decode())
    except OSError as exc:
        print("failed:", type(exc).__name__)
    """
)


class Listener:
    """A one-connection TCP (or one-datagram UDP) server inside a namespace."""

    def __init__(self, lab: Lab, netns: str, port: int, proto: str, bind: str) -> None:
        self.proc = subprocess.Popen(
            lab.in_netns(netns, [PYTHON, "-c", _LISTENER, bind, str(port), proto, "5"]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        ready = self.proc.stdout.readline().strip()
        assert ready == "ready", self.proc.stderr.read() if self.proc.stderr else ready

    def peer(self) -> str:
        """The source address the connection came from (``timeout`` if none came)."""
        out, _ = self.proc.communicate(timeout=15)
        return out.strip()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Container:
    """A container attached by a plugin: its HNS namespace, Linux namespace and address."""

    def __init__(self, lab: Lab, namespace_id: str, outcome: Outcome) -> None:
        self.namespace_id = namespace_id
        self.netns = lab.names.namespace(namespace_id)
        self.outcome = outcome
        ips = outcome.ips()
        self.ip = next((ip for ip in ips if ":" not in ip), ips[0] if ips else "")
        self.ip6 = next((ip for ip in ips if ":" in ip), "")


class Lab:
    """One test's simulated HNS (``Sim``) with the datapath on, and probes into its kernel."""

    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.datapath: Datapath = open_datapath(str(sim.state))
        self.names: Names = self.datapath.names
        self.nsenter = self.datapath.kernel.tools.nsenter
        self.listeners: list[Listener] = []
        self.ping_binary = shutil.which("ping")
        assert self.ping_binary, "ping is missing: install iputils-ping (make system-deps does)"

    # -- running things in namespaces ----------------------------------------------------
    def in_netns(self, netns: str, argv: list[str]) -> list[str]:
        return [self.nsenter, f"--net={self.names.path(netns)}", "--", *argv]

    def run(self, netns: str, *argv: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.in_netns(netns, list(argv)),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    @property
    def host(self) -> str:
        return self.names.host

    @property
    def external(self) -> str:
        return self.names.external

    def ping(self, netns: str, address: str) -> bool:
        """One echo request, one second to answer."""
        assert self.ping_binary
        return (
            self.run(netns, self.ping_binary, "-c", "1", "-W", "1", "-n", address).returncode == 0
        )

    def listen(self, netns: str, port: int, proto: str = "tcp", bind: str = "0.0.0.0") -> Listener:
        listener = Listener(self, netns, port, proto, bind)
        self.listeners.append(listener)
        return listener

    def connect(self, netns: str, address: str, port: int, proto: str = "tcp") -> str:
        """What the server said (``failed: <error>`` when nothing answered)."""
        return self.run(netns, PYTHON, "-c", _CONNECT, address, str(port), proto).stdout.strip()

    def links(self, netns: str) -> list[dict[str, Any]]:
        out = self.run(netns, "ip", "-j", "addr", "show").stdout
        return list(json.loads(out or "[]"))

    def ruleset(self, netns: str) -> str:
        return self.run(netns, "nft", "list", "ruleset").stdout

    # -- HNS objects -----------------------------------------------------------------------
    def container(
        self,
        plugin: str,
        conf: Mapping[str, Any],
        container_id: str,
        namespace_id: str | None = None,
    ) -> Container:
        """A new HNS namespace (unless given) and a plugin ADD into it; the ADD must work."""
        namespace_id = namespace_id or self.sim.namespace()
        outcome = self.sim.add(plugin, conf, container_id=container_id, netns=namespace_id)
        assert outcome.ok, outcome
        return Container(self, namespace_id, outcome)

    def delete(self, plugin: str, conf: Mapping[str, Any], container: Container, cid: str) -> None:
        outcome = self.sim.delete(plugin, conf, container_id=cid, netns=container.namespace_id)
        assert outcome.ok, outcome

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``hcnpy ARGS`` against this simulated HNS, with the datapath on."""
        from ..plugins.wp_harness import BIN

        return subprocess.run(
            [str(BIN / "hcnpy"), *args],
            env=self.sim.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def close(self) -> None:
        for listener in self.listeners:
            listener.close()
        self.datapath.cleanup()
