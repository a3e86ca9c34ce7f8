"""The datapath: keeps the kernel in step with the simulated HNS's state.

The engine calls :meth:`Datapath.after_write` inside each write transaction, after a successful
create/modify/delete and before the commit; an exception rolls the HNS call back. Writes are
serialised by SQLite (``BEGIN IMMEDIATE``), so the kernel follows the state in commit order
even with many plugin processes.

What each change does (``docs/hcnpy/datapath.md`` has the whole picture):

* Network create: a bridge ``hcsb…`` in the host namespace with the gateway address(es); NAT
  and routing elements in the host's nftables table; routes in the outside namespace.
* Namespace create: a Linux namespace ``hcnsim-<tag>-<namespace ID>``.
* Endpoint attach (namespace modify): a veth pair (``hcsv…`` on the bridge, ``hcse…`` in the
  namespace) with the endpoint's MAC, addresses and routes; its port mappings and outbound NAT
  in the host table; its ACLs as a table in its namespace. Detach removes all of that.
* Endpoint modify: its ACL table and host elements are rewritten.
* Deletes remove what the object had; an unattached endpoint has nothing in the kernel.
"""

from __future__ import annotations

from . import hostnat, links, names, world
from .acl import remove_script, table_script
from .errors import DatapathError
from .kernel import MISSING, Kernel
from .model import EndpointView, NetworkView
from .names import Names
from .tools import find_tools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .model import StateView


__all__ = ["Datapath"]

_HOST_RULE_POLICIES = frozenset({"PortMapping", "OutBoundNAT"})


class _Undo:
    """Best-effort reversal of the kernel changes of a call that failed half-way."""

    def __init__(self) -> None:
        self._steps: list[Callable[[], None]] = []

    def push(self, step: Callable[[], None]) -> None:
        self._steps.append(step)

    def run(self) -> None:
        for step in reversed(self._steps):
            try:
                step()
            except DatapathError:
                continue  # the rest of the undo still runs; --reconcile repairs the rest


def _policy_types(doc: dict[str, Any] | None) -> set[str]:
    if doc is None:
        return set()
    return {str(p.get("Type")) for p in doc.get("Policies") or [] if isinstance(p, dict)}


class Datapath:
    """The kernel side of one simulated HNS instance (one state file)."""

    def __init__(self, names_: Names, kernel: Kernel, ipv6: bool) -> None:
        self.names = names_
        self.kernel = kernel
        self.ipv6 = ipv6
        self._handlers: dict[tuple[str, str], Callable[[StateView, str], None]] = {
            ("Network", "create"): self._network_created,
            ("Network", "delete"): self._network_deleted,
            ("Namespace", "create"): self._namespace_created,
            ("Namespace", "modify"): self._sync_namespace,
            ("Namespace", "delete"): self._namespace_deleted,
            ("Endpoint", "modify"): self._endpoint_modified,
            ("Endpoint", "delete"): self._endpoint_deleted,
        }

    @classmethod
    def open(cls, state_path: str) -> Datapath:
        """The datapath of the instance of ``state_path``.

        Raises :class:`DatapathUnavailable` when this machine cannot run it.
        """
        return cls(Names.for_state(state_path), Kernel(find_tools()), world.has_ipv6())

    # -- the engine's entry point -------------------------------------------------------------
    def after_write(self, state: StateView, kind: str, operation: str, object_id: str) -> None:
        """Mirror a successful ``operation`` on object ``object_id`` of ``kind``.

        Network and namespace modifies without kernel meaning, endpoint creates (an unattached
        endpoint has no kernel presence), load balancers and SDN routes do nothing.
        """
        handler = self._handlers.get((kind, operation))
        if handler is not None:
            handler(state, str(object_id).lower())

    # -- helpers ---------------------------------------------------------------------------------
    @property
    def host(self) -> str:
        """The simulated host's namespace."""
        return self.names.host

    def _world_ready(self, state: StateView) -> bool:
        """True when the host and outside namespaces exist; otherwise everything is rebuilt
        from ``state`` (which then also covers the change being made) and False is returned."""
        if self.names.exists(self.names.host) and self.names.exists(self.names.external):
            return True
        self.reconcile(state)
        return False

    def _network(self, state: StateView, network_id: str) -> NetworkView:
        doc = state.get("Network", network_id)
        if doc is None:
            raise DatapathError(f"network {network_id} is not in the state")
        return NetworkView.from_doc(network_id, doc)

    def _endpoint(self, state: StateView, endpoint_id: str) -> tuple[EndpointView, NetworkView]:
        doc = state.get("Endpoint", endpoint_id)
        if doc is None:
            raise DatapathError(f"endpoint {endpoint_id} is not in the state")
        network = self._network(state, str(doc.get("HostComputeNetwork", "")))
        return EndpointView.from_doc(endpoint_id, doc, network), network

    def attached(self, state: StateView) -> dict[str, list[str]]:
        """Namespace ID -> IDs of the endpoints attached to it."""
        return {
            ns_id: [rid for rtype, rid in state.resources(ns_id) if rtype == "Endpoint"]
            for ns_id, _ in state.all("Namespace")
        }

    def host_elements(
        self, state: StateView, skip_network: str = "", skip_endpoint: str = ""
    ) -> hostnat.Elements:
        """What the host table should hold for ``state`` (objects that cannot be mirrored, and
        the ``skip_*`` ones, left out)."""
        networks: dict[str, NetworkView] = {}
        for oid, doc in state.all("Network"):
            if oid != skip_network:
                try:
                    networks[oid] = NetworkView.from_doc(oid, doc)
                except DatapathError:
                    continue
        parts = [hostnat.network_elements(networks.values())]
        for endpoints in self.attached(state).values():
            for ep_id in endpoints:
                found = state.get("Endpoint", ep_id)
                network = networks.get(str((found or {}).get("HostComputeNetwork")))
                if ep_id == skip_endpoint or found is None or network is None:
                    continue
                if not _policy_types(found) & _HOST_RULE_POLICIES:
                    continue
                try:
                    view = EndpointView.from_doc(ep_id, found, network)
                except DatapathError:
                    continue
                parts.append(hostnat.endpoint_elements(view))
        return hostnat.merge(*parts)

    # -- networks --------------------------------------------------------------------------------
    def _network_created(self, state: StateView, oid: str) -> None:
        network = self._network(state, oid)
        if not self._world_ready(state):
            return
        undo = _Undo()
        try:
            self.kernel.ip(self.host, links.bridge_lines(network))
            undo.push(lambda: self.kernel.ip(self.host, [f"link del {network.bridge}"], MISSING))
            self.kernel.nft(self.host, hostnat.add_script(hostnat.network_elements([network])))
            undo.push(
                lambda: self.kernel.nft(
                    self.host, hostnat.replace_script(self.host_elements(state, skip_network=oid))
                )
            )
            self.kernel.ip(self.names.external, links.external_route_lines(network))
        except BaseException:
            undo.run()
            raise

    def _network_deleted(self, state: StateView, oid: str) -> None:
        if not self.names.exists(self.host):
            return
        self.kernel.ip(self.host, [f"link del {names.bridge(oid)}"], MISSING)
        self.sync_external_routes(state)
        self.kernel.nft(self.host, hostnat.replace_script(self.host_elements(state)))

    def sync_external_routes(self, state: StateView) -> None:
        """Make the outside namespace route exactly the non-NAT networks' subnets to the host."""
        external = self.names.external
        wanted = set()
        for oid, doc in state.all("Network"):
            try:
                view = NetworkView.from_doc(oid, doc)
            except DatapathError:
                continue
            wanted.update(links.external_route_lines(view))
        present = self.kernel.ip_json(external, "route", "show", "proto", str(world.ROUTE_PROTOCOL))
        present += self.kernel.ip_json(
            external, "-6", "route", "show", "proto", str(world.ROUTE_PROTOCOL)
        )
        stale = [
            f"route del {route['dst']} proto {world.ROUTE_PROTOCOL}"
            for route in present
            if world.external_route(str(route.get("dst"))) not in wanted
        ]
        self.kernel.ip(external, stale + sorted(wanted), MISSING)

    # -- namespaces ----------------------------------------------------------------------------
    def _namespace_created(self, state: StateView, oid: str) -> None:
        netns = self.names.namespace(oid)
        if not self.names.exists(netns):
            self.new_namespaces([netns])

    def new_namespaces(self, netns_names: list[str]) -> None:
        """Create container namespaces: loopback up, no duplicate address detection."""
        self.kernel.add_namespaces(netns_names)
        setup = f"{self.kernel.tools.ip} link set lo up"
        if self.ipv6:
            setup = f"{world.no_dad()} && {setup}"
        for netns in netns_names:
            self.kernel.sh(netns, setup)

    def _namespace_deleted(self, state: StateView, oid: str) -> None:
        netns = self.names.namespace(oid)
        if not self.names.exists(netns):
            return
        ports = [
            link["ifname"]
            for link in self.kernel.links(netns)
            if names.is_role(str(link.get("ifname")), "container_port")
        ]
        if ports and self.names.exists(self.host):
            host_ports = [names.host_port_of(port) for port in ports]
            self.kernel.ip(self.host, [f"link del {p}" for p in host_ports], MISSING)
        self.kernel.delete_namespaces([netns])
        if ports and self.names.exists(self.host):
            self.kernel.nft(self.host, hostnat.replace_script(self.host_elements(state)))

    def _sync_namespace(self, state: StateView, oid: str) -> None:
        """Make the namespace hold exactly the endpoints attached to it in ``state``."""
        netns = self.names.namespace(oid)
        wanted = [rid for rtype, rid in state.resources(oid) if rtype == "Endpoint"]
        if not self.names.exists(netns):
            self._namespace_created(state, oid)
        present = {
            str(link.get("ifname")): str(link.get("ifalias") or "")
            for link in self.kernel.links(netns)
            if names.is_role(str(link.get("ifname")), "container_port")
        }
        wanted_ports = {names.container_port(ep_id) for ep_id in wanted}
        stale = [(port, alias) for port, alias in present.items() if port not in wanted_ports]
        if stale:
            self._remove_ports(state, netns, stale)
        # Every new endpoint is checked before the kernel is touched.
        new = [self._endpoint(state, e) for e in wanted if names.container_port(e) not in present]
        if new and self._world_ready(state):
            for endpoint, network in new:
                self._attach(state, oid, netns, endpoint, network)

    def _remove_ports(self, state: StateView, netns: str, stale: list[tuple[str, str]]) -> None:
        """Take endpoints out of ``netns``: ``stale`` is (their interface, their ID)."""
        if self.names.exists(self.host):
            host_ports = [names.host_port_of(port) for port, _ in stale]
            self.kernel.ip(self.host, [f"link del {p}" for p in host_ports], MISSING)
        rebuild = False
        acl_scripts = []
        for _, ep_id in stale:
            doc = state.get("Endpoint", ep_id) if ep_id else None
            kinds = _policy_types(doc)
            rebuild = rebuild or doc is None or bool(kinds & _HOST_RULE_POLICIES)
            if ep_id and (doc is None or "ACL" in kinds):
                acl_scripts.append(remove_script(ep_id))
        if acl_scripts:
            self.kernel.nft(netns, "".join(acl_scripts))
        if rebuild and self.names.exists(self.host):
            self.kernel.nft(self.host, hostnat.replace_script(self.host_elements(state)))

    def _attach(
        self,
        state: StateView,
        ns_id: str,
        netns: str,
        endpoint: EndpointView,
        network: NetworkView,
    ) -> None:
        ep_id = endpoint.id
        undo = _Undo()
        try:
            host_lines = links.endpoint_host_lines(endpoint, network, netns, ns_id)
            try:
                self.kernel.ip(self.host, host_lines)
            except DatapathError as exc:
                if network.bridge not in str(exc):
                    raise
                self._rebuild_bridge(network)  # the network predates the datapath: build it now
                self.kernel.ip(self.host, host_lines)
            delete = [f"link del {endpoint.host_port}"]
            undo.push(lambda: self.kernel.ip(self.host, delete, MISSING))
            self.kernel.ip(netns, links.endpoint_lines(endpoint))
            elements = hostnat.endpoint_elements(endpoint)
            if any(elements.values()):
                self.kernel.nft(self.host, hostnat.add_script(elements))
                undo.push(
                    lambda: self.kernel.nft(
                        self.host,
                        hostnat.replace_script(self.host_elements(state, skip_endpoint=ep_id)),
                    )
                )
            self.kernel.nft(netns, table_script(ep_id, endpoint.acls))
        except BaseException:
            undo.run()
            raise

    def _rebuild_bridge(self, network: NetworkView) -> None:
        self.kernel.ip(self.host, [f"link del {network.bridge}"], MISSING)
        self.kernel.ip(self.host, links.bridge_lines(network))
        self.kernel.ip(self.names.external, links.external_route_lines(network))
        self.kernel.nft(self.host, hostnat.add_script(hostnat.network_elements([network])))

    # -- endpoints -----------------------------------------------------------------------------
    def _endpoint_modified(self, state: StateView, oid: str) -> None:
        ns_id = state.namespace_of(oid)
        if ns_id is None:
            return  # not attached: nothing of it is in the kernel
        endpoint, _ = self._endpoint(state, oid)
        netns = self.names.namespace(ns_id)
        if not self._world_ready(state):
            return
        self.kernel.nft(self.host, hostnat.replace_script(self.host_elements(state)))
        self.kernel.nft(netns, remove_script(oid) + table_script(oid, endpoint.acls))

    def _endpoint_deleted(self, state: StateView, oid: str) -> None:
        if not self.names.exists(self.host):
            return
        link = self.kernel.link(self.host, names.host_port(oid))
        if link is None:
            return  # it was not attached (the normal case: a plugin detaches first)
        self.kernel.ip(self.host, [f"link del {names.host_port(oid)}"], MISSING)
        netns = self.names.namespace(str(link.get("ifalias") or ""))
        if link.get("ifalias") and self.names.exists(netns):
            self.kernel.nft(netns, remove_script(oid))
        self.kernel.nft(self.host, hostnat.replace_script(self.host_elements(state)))

    # -- whole-instance operations ---------------------------------------------------------
    def build_world(self) -> None:
        """(Re)create the host and outside namespaces, their link and the host's table."""
        host, external = self.names.host, self.names.external
        self.kernel.delete_namespaces([host, external])
        self.kernel.add_namespaces([external, host])
        try:
            self.kernel.sh(host, world.host_sysctls(self.ipv6))
            if self.ipv6:
                self.kernel.sh(external, world.no_dad())
            self.kernel.ip(external, ["link set lo up"])
            self.kernel.ip(host, world.host_lines(external, self.ipv6))
            self.kernel.ip(external, world.external_lines(self.ipv6))
            self.kernel.nft(host, hostnat.table_script())
        except BaseException:
            self.kernel.delete_namespaces([host, external])
            raise

    def reconcile(self, state: StateView) -> list[str]:
        """Rebuild the kernel state from ``state`` (after a crash, or to adopt old state).

        Creates what is missing, rewrites what exists, removes what the state no longer has.
        Returns the objects that could not be mirrored (each with the reason); everything else
        is done regardless.
        """
        from .reconcile import Reconciler

        return Reconciler(self, state).run()

    def cleanup(self, every_instance: bool = False) -> list[str]:
        """Delete every namespace of this instance (of every instance with ``every_instance``).

        Everything else the datapath made lives inside them and goes with them. Returns the
        names deleted.
        """
        if every_instance:
            doomed = [n for n in names.list_netns() if n.startswith(names.NETNS_PREFIX)]
        else:
            doomed = self.names.all_present()
        self.kernel.delete_namespaces(doomed)
        return doomed
