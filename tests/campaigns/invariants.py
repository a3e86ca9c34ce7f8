"""What must hold between plugin runs: the campaigns' invariant checker.

The campaigns keep a model of what the runtime believes (:class:`Attachment`: one container on
one network) and compare it with what is really there (:class:`World`: the simulator's
endpoints and namespace attachments, host-local's allocations on disk). The rules, per CNI:

* ``ADDED`` (the last successful verb was ADD): exactly one endpoint ``<container>_<network>``,
  on that network, attached to the container's namespace and to no other, with the address of
  the ADD result, which host-local holds for that container (and no second one).
* ``ABSENT`` (never added, last ADD failed, or DEL succeeded): no endpoint of that name, no
  address held for the container on that network.
* ``DELETING`` (a DEL failed or a plugin was killed: the runtime retries DEL): anything
  between ``ADDED`` and ``ABSENT`` - at most one endpoint, on the right network, attached
  nowhere but the container's namespace, at most one address held.
* Nothing else: no endpoint no attachment explains, no namespace holding an unknown endpoint,
  no address held for a container the model does not know, no two endpoints with one address.

Also here: one plugin process's output is valid CNI (:func:`output_problems`), the state file
passes ``PRAGMA integrity_check`` (:func:`integrity_problems`), and no process still works on
the state file (:func:`stray_processes`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..plugins.wp_harness import Outcome, Sim

ABSENT = "absent"
ADDED = "added"
DELETING = "deleting"

TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Attachment:
    """One container on one network, as the runtime sees it."""

    container: str
    network: str
    namespace: str
    ifname: str = "eth0"
    state: str = ABSENT
    address: str = ""
    result: dict[str, Any] | None = None

    @property
    def endpoint_name(self) -> str:
        return f"{self.container}_{self.network}"

    def __str__(self) -> str:
        return f"{self.endpoint_name}[{self.state}]"


@dataclass
class World:
    """A snapshot of the simulated HNS and host-local's data directory."""

    networks: dict[str, str]  # network ID (lowercase) -> name
    endpoints: list[dict[str, Any]]
    attached: dict[str, list[str]]  # namespace ID -> endpoint IDs (lowercase)
    held: dict[tuple[str, str], tuple[str, str]]  # (network name, address) -> (container, ifname)
    unreadable: list[str] = field(default_factory=list)

    @classmethod
    def observe(cls, sim: Sim) -> World:
        networks = {str(n["ID"]).lower(): str(n.get("Name", "")) for n in sim.ops.list_networks()}
        attached: dict[str, list[str]] = {}
        for namespace in sim.ops.list_namespaces():
            ids = [
                str(r.get("Data", {}).get("ID", "")).lower()
                for r in namespace.get("Resources", [])
                if r.get("Type") == "Endpoint"
            ]
            attached[str(namespace["ID"]).lower()] = ids
        held, unreadable = held_addresses(sim.ipam_dir)
        return cls(networks, sim.endpoints(), attached, held, unreadable)

    def named(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.endpoints if str(e.get("Name", "")) == name]

    def namespaces_of(self, endpoint_id: str) -> list[str]:
        return [ns for ns, ids in self.attached.items() if endpoint_id.lower() in ids]

    def held_by(self, network: str, container: str, ifname: str) -> list[str]:
        return sorted(
            address
            for (net, address), owner in self.held.items()
            if net == network and owner == (container, ifname)
        )

    def leftovers(self) -> list[str]:
        """What exists at all: endpoints, attachments, held addresses (empty when clean)."""
        out = [f"endpoint {e.get('Name')} ({e.get('ID')})" for e in self.endpoints]
        out += [f"namespace {ns} holds {ids}" for ns, ids in self.attached.items() if ids]
        out += [f"host-local holds {a} on {n} for {o[0]}/{o[1]}" for (n, a), o in self.held.items()]
        out += [f"unreadable host-local file {p}" for p in self.unreadable]
        return out


def held_addresses(
    ipam_dir: Path,
) -> tuple[dict[tuple[str, str], tuple[str, str]], list[str]]:
    """host-local's allocations: one file per address, ``<container>\\r\\n<ifname>`` inside."""
    held: dict[tuple[str, str], tuple[str, str]] = {}
    unreadable: list[str] = []
    if not ipam_dir.is_dir():
        return held, unreadable
    for network_dir in sorted(p for p in ipam_dir.iterdir() if p.is_dir()):
        for path in sorted(network_dir.iterdir()):
            if path.name == "lock" or path.name.startswith("last_reserved_ip"):
                continue
            try:
                lines = path.read_bytes().decode().splitlines()
            except (OSError, UnicodeDecodeError):
                unreadable.append(str(path))
                continue
            container, ifname = [*lines, "", ""][:2]
            held[(network_dir.name, path.name)] = (container.strip(), ifname.strip())
    return held, unreadable


def allocations_under(root: Path) -> list[str]:
    """host-local allocations anywhere below ``root`` (a ``dataDir`` the fuzz made relative
    lands in the plugin's working directory)."""
    if not root.is_dir():
        return []
    found = []
    for lock in sorted(root.rglob("lock")):
        held, unreadable = held_addresses(lock.parent.parent)
        found += [f"host-local holds {a} on {n} for {o[0]}/{o[1]} under {lock.parent}"
                  for (n, a), o in held.items() if n == lock.parent.name]  # fmt: skip
        found += [f"unreadable host-local file {u}" for u in unreadable]
    return found


def _ips(endpoint: Mapping[str, Any]) -> list[str]:
    return sorted(str(c.get("IpAddress", "")) for c in endpoint.get("IpConfigurations") or [])


def check_world(world: World, attachments: Iterable[Attachment]) -> list[str]:
    """Every rule of the module documentation that ``world`` breaks (empty: all hold)."""
    problems: list[str] = []
    known = list(attachments)
    names = {a.endpoint_name for a in known}
    ids_by_name = {str(e.get("Name")): str(e.get("ID", "")).lower() for e in world.endpoints}
    for attachment in known:
        problems += _check_attachment(world, attachment)
    for endpoint in world.endpoints:
        if str(endpoint.get("Name")) not in names:
            problems.append(f"endpoint {endpoint.get('Name')} ({endpoint.get('ID')}) belongs to "
                            "no container")  # fmt: skip
    all_ids = set(ids_by_name.values())
    owners = {a.namespace.lower(): a.container for a in known}
    for namespace, ids in world.attached.items():
        for endpoint_id in ids:
            if endpoint_id not in all_ids:
                problems.append(f"namespace {namespace} holds endpoint {endpoint_id} that does "
                                "not exist")  # fmt: skip
        if namespace not in owners and ids:
            problems.append(f"namespace {namespace} of no container holds endpoints {ids}")
    containers = {(a.network, a.container, a.ifname) for a in known if a.state != ABSENT}
    for (network, address), (container, ifname) in world.held.items():
        if (network, container, ifname) not in containers:
            problems.append(f"host-local holds {address} on {network} for {container}/{ifname}, "
                            "which has no attachment")  # fmt: skip
    seen: dict[tuple[str, str], str] = {}
    for endpoint in world.endpoints:
        for ip in _ips(endpoint):
            key = (str(endpoint.get("HostComputeNetwork", "")).lower(), ip)
            if key in seen:
                other = endpoint.get("Name")
                problems.append(f"address {ip} on two endpoints: {seen[key]}, {other}")
            seen[key] = str(endpoint.get("Name"))
    problems += [f"unreadable host-local file {p}" for p in world.unreadable]
    return problems


def _check_attachment(world: World, a: Attachment) -> list[str]:
    problems: list[str] = []
    endpoints = world.named(a.endpoint_name)
    held = world.held_by(a.network, a.container, a.ifname)
    if a.state == ABSENT:
        if endpoints:
            problems.append(f"{a}: endpoint {a.endpoint_name} exists")
        if held:
            problems.append(f"{a}: host-local still holds {held}")
        return problems
    if a.state == ADDED and len(endpoints) != 1:
        return [f"{a}: {len(endpoints)} endpoints named {a.endpoint_name}, want exactly one"]
    if len(endpoints) > 1:
        return [f"{a}: {len(endpoints)} endpoints named {a.endpoint_name}, want at most one"]
    if len(held) > 1:
        problems.append(f"{a}: host-local holds {len(held)} addresses {held}, want at most one")
    if not endpoints:
        return problems  # DELETING with the endpoint already gone
    (endpoint,) = endpoints
    endpoint_id = str(endpoint.get("ID", "")).lower()
    network = world.networks.get(str(endpoint.get("HostComputeNetwork", "")).lower())
    if network != a.network:
        problems.append(f"{a}: endpoint is on network {network!r}")
    namespaces = world.namespaces_of(endpoint_id)
    if a.state == ADDED:
        if namespaces != [a.namespace.lower()]:
            problems.append(f"{a}: endpoint attached to {namespaces}, want [{a.namespace}]")
        if _ips(endpoint) != [a.address]:
            problems.append(f"{a}: endpoint has {_ips(endpoint)}, the ADD result {a.address}")
        if held != [a.address]:
            problems.append(f"{a}: host-local holds {held} for it, want [{a.address}]")
    elif any(ns != a.namespace.lower() for ns in namespaces):
        problems.append(f"{a}: endpoint attached to {namespaces}, not only to {a.namespace}")
    return problems


# -- one process ---------------------------------------------------------------------------


def output_problems(outcome: Outcome, verb: str) -> list[str]:
    """Why ``outcome`` is not what a CNI plugin may print (empty: it is fine).

    Success: ADD prints a result object, the other verbs print nothing. Failure: a non-zero
    exit and an error object with an integer ``code`` and a string ``msg``. A process killed
    by a signal (a fault's ``kill``) may print nothing at all. Never a Python traceback.
    """
    problems: list[str] = []
    if TRACEBACK in outcome.stderr:
        problems.append(f"traceback on stderr: {outcome.stderr[-600:]!r}")
    if outcome.exit_code < 0:
        return problems  # killed: whatever it managed to write is not an answer
    try:
        data = json.loads(outcome.stdout) if outcome.stdout.strip() else None
    except ValueError as exc:
        return [*problems, f"stdout is not JSON ({exc}): {outcome.stdout[:300]!r}"]
    if outcome.exit_code == 0:
        if verb == "ADD":
            if not isinstance(data, dict) or not isinstance(data.get("cniVersion"), str):
                problems.append(f"ADD succeeded without a result object: {outcome.stdout[:300]!r}")
        elif verb != "VERSION" and data is not None:
            problems.append(f"{verb} succeeded but printed {outcome.stdout[:300]!r}")
        return problems
    if not isinstance(data, dict):
        return [*problems, f"exit {outcome.exit_code} without an error object: "
                           f"{outcome.stdout[:300]!r}"]  # fmt: skip
    code, msg = data.get("code"), data.get("msg")
    if not isinstance(code, int) or isinstance(code, bool) or code < 1:
        problems.append(f"error code {code!r} is not a positive integer")
    if not isinstance(msg, str):
        problems.append(f"error msg {msg!r} is not a string")
    if "details" in data and not isinstance(data["details"], str):
        problems.append(f"error details {data['details']!r} is not a string")
    return problems


# -- the state file and processes ------------------------------------------------------------


def integrity_problems(state: Path) -> list[str]:
    """``PRAGMA integrity_check`` on the state file, opened read-only (empty: ``ok``)."""
    if not state.exists():
        return []
    connection = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=60)
    try:
        rows = [str(r[0]) for r in connection.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [f"integrity_check of {state.name}: {exc}"]
    finally:
        connection.close()
    return [] if rows == ["ok"] else [f"integrity_check of {state.name}: {rows}"]


def stray_processes(state: Path) -> list[str]:
    """Processes (other than this one) whose environment names ``state``: a plugin or IPAM
    child still running after its runtime moved on."""
    marker = f"HCNPY_SIM_STATE={state}".encode()
    own = os.getpid()
    found: list[str] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == own:
            continue
        try:
            environ = (entry / "environ").read_bytes()
            if marker not in environ.split(b"\0"):
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("replace")
            status = (entry / "stat").read_text().split(") ", 1)[-1][:1]
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if status != "Z":
            found.append(f"pid {entry.name}: {cmdline.strip()}")
    return found
