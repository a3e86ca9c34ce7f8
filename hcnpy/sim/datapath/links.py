"""``ip -batch`` lines for networks (bridges) and endpoints (veth pairs): pure functions."""

from __future__ import annotations

from . import world

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import EndpointView, NetworkView

__all__ = [
    "bridge_lines",
    "endpoint_host_lines",
    "endpoint_lines",
    "external_route_lines",
]


def _address(interface: object, version: int) -> str:
    # IPv6 addresses skip duplicate address detection: usable at once, as on Windows.
    return f"{interface}" + (" nodad" if version == 6 else "")


def bridge_lines(network: NetworkView) -> list[str]:
    """Create the network's bridge with its gateway address(es), in the host namespace."""
    bridge = network.bridge
    lines = [f"link add name {bridge} type bridge"]
    lines += [f"addr add {_address(gw, gw.version)} dev {bridge}" for gw in network.gateways]
    lines.append(f"link set {bridge} up")
    return lines


def external_route_lines(network: NetworkView) -> list[str]:
    """Routes in the outside namespace for a network the outside reaches without NAT."""
    if network.mode != "routed":
        return []
    return [world.external_route(str(subnet)) for subnet in network.subnets]


def endpoint_host_lines(
    endpoint: EndpointView, network: NetworkView, netns: str, ns_id: str
) -> list[str]:
    """Create the endpoint's veth pair from the host namespace: one end on the bridge, the
    other moved into ``netns``. The host end's alias records the HNS namespace ID.

    The first line fails, before anything is created, when the bridge is missing.
    """
    host, port = endpoint.host_port, endpoint.port
    return [
        f"link set {network.bridge} up",
        f"link add name {host} type veth peer name {port} netns {netns}",
        f"link set {host} alias {ns_id}",
        f"link set {host} master {network.bridge}",
        f"link set {host} up",
    ]


def endpoint_lines(endpoint: EndpointView, replace: bool = False) -> list[str]:
    """Configure the endpoint's end inside its namespace: MAC, addresses, up, routes.

    ``replace`` first drops whatever addresses the interface had (for reconciling).
    """
    port = endpoint.port
    lines = ["link set lo up"]
    lines.append(f"link set {port} alias {endpoint.id}")
    if endpoint.mac:
        lines.append(f"link set {port} address {endpoint.mac}")
    if replace:
        lines.append(f"addr flush dev {port} scope global")
    lines += [f"addr add {_address(a, a.version)} dev {port}" for a in endpoint.addresses]
    lines.append(f"link set {port} up")
    for route in endpoint.routes:
        if not any(a.version == route.prefix.version for a in endpoint.addresses):
            continue  # a route of a family the endpoint has no address of
        line = f"route replace {route.prefix}"
        line += f" via {route.next_hop} dev {port} onlink" if route.next_hop else f" dev {port}"
        if route.metric:
            line += f" metric {route.metric}"
        lines.append(line)
    return lines
