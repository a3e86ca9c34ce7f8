"""hello-hns: a Windows CNI plugin in one file, built on cniskel and hcnpy.

ADD puts the container on an existing HNS network: it creates an endpoint (HNS picks the
address and MAC), publishes the runtime's port mappings, and attaches the endpoint to the
container's HNS namespace. DEL undoes that and succeeds when there is nothing left to undo.
On Windows it drives the real Host Network Service; elsewhere hcnpy's simulated HNS.
"""

from __future__ import annotations

import uuid

import cniskel

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

PROTOCOLS = {"tcp": 6, "udp": 17}


class HelloConf(cniskel.NetConf):
    """The configuration: ``network`` names the HNS network (default: ``name``)."""

    network: str = ""


class HelloPlugin(cniskel.Plugin):
    about = "hello-hns: the hcnpy tutorial plugin"
    config_class = HelloConf

    def add(self, ctx: cniskel.Context) -> cniskel.Result:
        import hcnpy.ops  # here, not at the top: VERSION then stays fast
        from hcnpy.errors import HcnError, NotFoundError

        conf = ctx.config_as(HelloConf)
        namespace = namespace_id(ctx.netns)
        ops = hcnpy.ops.connect(timeout=30)
        try:
            network = ops.get_network_by_name(conf.network or conf.name)
        except NotFoundError:
            raise cniskel.CniError(
                cniskel.ErrorCode.INVALID_NETWORK_CONFIG,
                f"no HNS network named {conf.network or conf.name!r}",
            ) from None
        # A retried ADD: start again from scratch rather than trust a half-made endpoint.
        name = endpoint_name(ctx.container_id, conf.name)
        try:
            stale = ops.get_endpoint_by_name(name)
            ops.delete_endpoint(stale["ID"], missing_ok=True)
        except NotFoundError:
            pass
        policies = [port_mapping(m) for m in ctx.runtime_config.port_mappings or []]
        try:
            endpoint = ops.create_endpoint(network["ID"], {"Name": name, "Policies": policies})
        except HcnError as exc:  # e.g. the host port is taken: 0x803B0013
            raise cniskel.CniError(cniskel.ErrorCode.INTERNAL, "creating the endpoint failed",
                                   details=str(exc)) from None
        try:
            ops.add_namespace_endpoint(namespace, endpoint["ID"])
        except HcnError as exc:
            ops.delete_endpoint(endpoint["ID"], missing_ok=True)  # leave nothing behind
            raise cniskel.CniError(cniskel.ErrorCode.INTERNAL, "attaching the endpoint failed",
                                   details=str(exc)) from None
        return make_result(ctx, endpoint, namespace)

    def delete(self, ctx: cniskel.Context) -> None:
        import hcnpy.ops
        from hcnpy.errors import HcnError, NotFoundError

        conf = ctx.config_as(HelloConf)
        ops = hcnpy.ops.connect(timeout=30)
        try:
            endpoint = ops.get_endpoint_by_name(endpoint_name(ctx.container_id, conf.name))
            if endpoint.get("HostComputeNamespace"):
                ops.remove_namespace_endpoint(
                    endpoint["HostComputeNamespace"], endpoint["ID"], missing_ok=True
                )
            ops.delete_endpoint(endpoint["ID"], missing_ok=True)
        except NotFoundError:
            return  # already gone: DEL must succeed
        except HcnError as exc:
            # 11 asks the runtime to retry DEL later.
            raise cniskel.CniError(cniskel.ErrorCode.TRY_AGAIN_LATER, "HNS failed",
                                   details=str(exc)) from None


def endpoint_name(container_id: str, network_name: str) -> str:
    """One endpoint per container and network, named as the Windows plugins name theirs:
    ``<container ID>_<network name>`` (the configuration's ``name``)."""
    return f"{container_id}_{network_name}"


def namespace_id(netns: str) -> str:
    """The HNS namespace GUID in ``CNI_NETNS`` (a path ending in it is accepted too)."""
    last = netns.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    try:
        return str(uuid.UUID(last))
    except ValueError:
        raise cniskel.CniError(
            cniskel.ErrorCode.INVALID_ENVIRONMENT_VARIABLES,
            f"CNI_NETNS is not an HNS namespace ID: {netns!r}",
        ) from None


def port_mapping(mapping: cniskel.PortMapping) -> dict[str, object]:
    """A runtime port mapping as an HNS ``PortMapping`` endpoint policy."""
    protocol = PROTOCOLS.get(mapping.protocol.lower() or "tcp")
    if protocol is None:
        raise cniskel.CniError(
            cniskel.ErrorCode.INVALID_NETWORK_CONFIG, f"unknown protocol {mapping.protocol!r}"
        )
    settings: dict[str, object] = {
        "Protocol": protocol,
        "InternalPort": mapping.container_port,
        "ExternalPort": mapping.host_port,
    }
    if mapping.host_ip:
        settings["VIP"] = mapping.host_ip
    return {"Type": "PortMapping", "Settings": settings}


def make_result(ctx: cniskel.Context, endpoint: dict[str, Any], namespace: str) -> cniskel.Result:
    """The CNI result from HNS's answer: the interface, its addresses and gateways."""
    mac = endpoint.get("MacAddress", "").replace("-", ":").lower()  # HNS writes 00-15-5D-..
    interface = cniskel.Interface(ctx.ifname, mac=mac, sandbox=namespace)
    gateways = {  # is_ipv6 -> the NextHop of that family's default route
        ":" in route["NextHop"]: route["NextHop"]
        for route in endpoint.get("Routes") or []
        if route.get("DestinationPrefix") in ("0.0.0.0/0", "::/0") and route.get("NextHop")
    }
    ips = [
        cniskel.IPConfig(
            f"{config['IpAddress']}/{config['PrefixLength']}",
            gateways.get(":" in config["IpAddress"]),
            interface=0,
        )
        for config in endpoint.get("IpConfigurations") or []
    ]
    return cniskel.Result(interfaces=[interface], ips=ips)


def main() -> None:
    HelloPlugin.main()


if __name__ == "__main__":
    main()
