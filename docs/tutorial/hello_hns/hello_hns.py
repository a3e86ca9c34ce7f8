"""hello-hns: a Windows CNI plugin in one file, built on cniskel and hcnpy.

ADD puts the container on an existing HNS network: it creates an endpoint (HNS picks the
address and MAC), publishes the runtime's port mappings, and attaches the endpoint to the
container's HNS namespace. DEL undoes that and succeeds when there is nothing left to undo.
On Windows it drives the real Host Network Service; elsewhere hcnpy's simulated HNS.
"""

from __future__ import annotations

import cniskel

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from hcnpy.ops import Ops


class HelloConf(cniskel.NetConf):
    """The configuration: ``network`` names the HNS network (default: ``name``)."""

    network: str = ""


class HelloPlugin(cniskel.Plugin):
    about = "hello-hns: the hcnpy tutorial plugin"
    config_class = HelloConf

    def add(self, ctx: cniskel.Context) -> cniskel.Result:
        import hcnpy.cni  # here, not at the top: VERSION then stays fast
        import hcnpy.ops
        from hcnpy.errors import HcnError, NotFoundError

        conf = ctx.config_as(HelloConf)
        namespace = ctx.hns_namespace  # the GUID in CNI_NETNS, else CNI error 4
        try:
            policies = hcnpy.cni.port_mapping_policies(ctx.runtime_config.port_mappings or [])
        except ValueError as exc:  # e.g. "portMappings[0]: host port 0 is not a port number"
            raise cniskel.CniError(cniskel.ErrorCode.INVALID_NETWORK_CONFIG, str(exc)) from None
        ops = hcnpy.ops.connect(timeout=30)
        try:
            network = ops.get_network_by_name(conf.network or conf.name)
        except NotFoundError:
            raise cniskel.CniError(
                cniskel.ErrorCode.INVALID_NETWORK_CONFIG,
                f"no HNS network named {conf.network or conf.name!r}",
            ) from None
        name = endpoint_name(ctx)
        try:
            remove_endpoint(ops, name)  # a retried ADD starts from scratch
            endpoint = ops.create_endpoint(network["ID"], {"Name": name, "Policies": policies})
        except HcnError as exc:  # e.g. the host port is taken: 0x803B0013
            raise hns_failed("creating the endpoint failed", exc) from None
        try:
            ops.add_namespace_endpoint(namespace, endpoint["ID"], refresh=False)
        except HcnError as exc:
            ops.delete_endpoint(endpoint["ID"], missing_ok=True)  # a failed ADD leaves nothing
            raise hns_failed("attaching the endpoint failed", exc) from None
        result = hcnpy.cni.result_from_endpoint(endpoint, ifname=ctx.ifname, sandbox=namespace)
        return cniskel.Result.from_dict(result)

    def delete(self, ctx: cniskel.Context) -> None:
        import hcnpy.ops
        from hcnpy.errors import HcnError

        try:
            remove_endpoint(hcnpy.ops.connect(timeout=30), endpoint_name(ctx))
        except HcnError as exc:  # 11 asks the runtime to retry DEL later
            code = cniskel.ErrorCode.TRY_AGAIN_LATER
            raise cniskel.CniError(code, "HNS failed", details=str(exc)) from None


def endpoint_name(ctx: cniskel.Context) -> str:
    """One endpoint per container and network, named as the Windows plugins name theirs:
    ``<container ID>_<network name>`` (the configuration's ``name``)."""
    return f"{ctx.container_id}_{ctx.config.name}"


def remove_endpoint(ops: Ops, name: str) -> None:
    """Detach the endpoint called ``name`` from its namespace and delete it, if it exists."""
    from hcnpy.errors import NotFoundError

    try:
        endpoint = ops.get_endpoint_by_name(name)
    except NotFoundError:
        return
    if endpoint.get("HostComputeNamespace"):  # the runtime may have deleted the namespace
        ops.remove_namespace_endpoint(
            endpoint["HostComputeNamespace"], endpoint["ID"], missing_ok=True, refresh=False
        )
    ops.delete_endpoint(endpoint["ID"], missing_ok=True)


def hns_failed(what: str, exc: Exception) -> cniskel.CniError:
    """CNI error 999 for a failed HNS call; ``details`` carries HNS's message and HRESULT."""
    return cniskel.CniError(cniskel.ErrorCode.INTERNAL, what, details=str(exc))


def main() -> None:
    HelloPlugin.main()


if __name__ == "__main__":
    main()
