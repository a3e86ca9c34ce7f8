"""Rebuild an instance's kernel state from the simulated HNS's state (``--reconcile``).

Used after a crash (a plugin killed between its HNS call and the commit cannot leave the state
half-written, but a machine reboot or a stray ``ip netns delete`` loses kernel state), and when
the datapath is switched on for a state file that already has objects. Everything the state
holds is created or rewritten; everything of the instance the state does not hold is removed.
"""

from __future__ import annotations

from . import hostnat, links, names
from .acl import table_script
from .errors import DatapathError
from .kernel import MISSING
from .model import EndpointView, NetworkView
from .names import ACL_TABLE_PREFIX, HOST_UPLINK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from .kernel import Kernel
    from .model import StateView
    from .names import Names

    class Mirror(Protocol):
        """What a reconcile run uses of :class:`hcnpy.sim.datapath.datapath.Datapath`."""

        kernel: Kernel
        names: Names

        @property
        def host(self) -> str: ...
        def attached(self, state: StateView) -> dict[str, list[str]]: ...
        def build_world(self) -> None: ...
        def new_namespaces(self, netns_names: list[str]) -> None: ...
        def sync_external_routes(self, state: StateView) -> None: ...
        def host_elements(
            self, state: StateView, skip_network: str = "", skip_endpoint: str = ""
        ) -> hostnat.Elements: ...

__all__ = ["Reconciler"]


class Reconciler:
    """One reconcile run; :meth:`run` returns what could not be mirrored."""

    def __init__(self, datapath: Mirror, state: StateView) -> None:
        self.dp = datapath
        self.state = state
        self.kernel = datapath.kernel
        self.names = datapath.names
        self.problems: list[str] = []
        self.networks: dict[str, NetworkView] = {}
        #: endpoint ID -> (its view, its network's view, its namespace ID)
        self.endpoints: dict[str, tuple[EndpointView, NetworkView, str]] = {}

    def run(self) -> list[str]:
        """Do it; every step runs even when an object fails to parse."""
        self._read_state()
        self._world()
        self._namespaces()
        self._networks()
        self.dp.sync_external_routes(self.state)
        self._endpoints()
        self.kernel.nft(self.dp.host, hostnat.rebuild_script(self.dp.host_elements(self.state)))
        return self.problems

    def _read_state(self) -> None:
        for oid, doc in self.state.all("Network"):
            try:
                self.networks[oid] = NetworkView.from_doc(oid, doc)
            except DatapathError as exc:
                self.problems.append(exc.detail)
        for ns_id, endpoint_ids in self.dp.attached(self.state).items():
            for ep_id in endpoint_ids:
                found = self.state.get("Endpoint", ep_id)
                network = self.networks.get(str((found or {}).get("HostComputeNetwork")))
                if found is None or network is None:
                    continue
                try:
                    view = EndpointView.from_doc(ep_id, found, network)
                except DatapathError as exc:
                    self.problems.append(exc.detail)
                    continue
                self.endpoints[ep_id] = (view, network, ns_id)

    def _world(self) -> None:
        host, external = self.names.host, self.names.external
        present = self.names.exists(host) and self.names.exists(external)
        if not present or self.kernel.link(host, HOST_UPLINK) is None:
            self.dp.build_world()

    def _namespaces(self) -> None:
        wanted = {self.names.namespace(ns_id) for ns_id, _ in self.state.all("Namespace")}
        wanted |= {self.names.host, self.names.external}
        present = set(self.names.all_present())
        self.kernel.delete_namespaces(sorted(present - wanted))
        missing = sorted(wanted - present - {self.names.host, self.names.external})
        if missing:
            self.dp.new_namespaces(missing)

    def _networks(self) -> None:
        present = {
            str(link["ifname"])
            for link in self.kernel.links(self.dp.host)
            if names.is_role(str(link.get("ifname")), "bridge")
        }
        wanted = {view.bridge: view for view in self.networks.values()}
        lines = [f"link del {bridge}" for bridge in sorted(present - set(wanted))]
        for bridge, view in wanted.items():
            if bridge in present:
                lines.append(f"addr flush dev {bridge} scope global")
                lines += [line for line in links.bridge_lines(view) if " type bridge" not in line]
            else:
                lines += links.bridge_lines(view)
        self.kernel.ip(self.dp.host, lines)

    def _endpoints(self) -> None:
        host = self.dp.host
        # Host ends that belong to no attached endpoint, or to one now in another namespace.
        stale = []
        kept = set()
        for link in self.kernel.links(host):
            name = str(link.get("ifname"))
            if not names.is_role(name, "host_port"):
                continue
            ep_id = names.id_of_interface(name, "host_port", list(self.endpoints))
            if ep_id is None or link.get("ifalias") != self.endpoints[ep_id][2]:
                stale.append(f"link del {name}")
            else:
                kept.add(name)
        self.kernel.ip(host, stale, MISSING)
        by_namespace: dict[str, list[str]] = {}
        for ep_id, (_, _, ns_id) in self.endpoints.items():
            by_namespace.setdefault(ns_id, []).append(ep_id)
        for ns_id, _ in self.state.all("Namespace"):
            self._namespace(ns_id, by_namespace.get(ns_id, []), kept)

    def _namespace(self, ns_id: str, endpoint_ids: list[str], host_ports: set[str]) -> None:
        netns = self.names.namespace(ns_id)
        present = {
            str(link["ifname"])
            for link in self.kernel.links(netns)
            if names.is_role(str(link.get("ifname")), "container_port")
        }
        # An end whose peer is not in the host namespace (a host namespace deleted and rebuilt
        # while the old one was still being torn down) is rebuilt from scratch.
        orphans = sorted(p for p in present if names.host_port_of(p) not in host_ports)
        self.kernel.ip(netns, [f"link del {port}" for port in orphans], MISSING)
        present -= set(orphans)
        host_lines: list[str] = []
        inside: list[str] = []
        wanted_ports = set()
        for ep_id in endpoint_ids:
            endpoint, network, _ = self.endpoints[ep_id]
            wanted_ports.add(endpoint.port)
            create = links.endpoint_host_lines(endpoint, network, netns, ns_id)
            if endpoint.port in present:
                host_lines += [line for line in create if " type veth " not in line]
            else:
                host_lines += create
            inside += links.endpoint_lines(endpoint, replace=endpoint.port in present)
        gone = [f"link del {names.host_port_of(p)}" for p in sorted(present - wanted_ports)]
        self.kernel.ip(self.dp.host, gone, MISSING)
        self.kernel.ip(self.dp.host, host_lines)
        self.kernel.ip(netns, inside)
        script = "".join(
            f"delete table inet {table}\n"
            for table in self.kernel.nft_tables(netns)
            if table.startswith(ACL_TABLE_PREFIX)
        )
        for ep_id in endpoint_ids:
            script += table_script(ep_id, self.endpoints[ep_id][0].acls)
        self.kernel.nft(netns, script)
