"""What each CNI verb does, step by step, for the plugin declared in ``core.py``.

* ADD     - find the network (it must exist unless ``optionalFlags.autoCreateNetwork``),
            check its type, reuse or replace an existing endpoint, delegate IPAM, create the
            endpoint, attach it to the container's namespace, return the result; every step
            that fails undoes the ones before it (endpoint deleted, IPAM address released).
* DEL     - detach and delete the endpoint, then release the IPAM address; idempotent.
* CHECK   - the endpoint exists, is on the network, is attached to ``CNI_NETNS`` and has
            the addresses of ``prevResult``; then CHECK the IPAM plugin.
* GC      - delete this network's endpoints whose container is not a valid attachment;
            then GC the IPAM plugin.
* STATUS  - code 50 when HNS cannot be reached or the network is missing; then STATUS the
            IPAM plugin.

ADD, DEL and CHECK hold the container's lock (``locking.py``) while they work.
Imported only when a verb runs, so that VERSION stays cheap.
"""

from __future__ import annotations

import sys

from cniskel.result import Result
from hcnpy.errors import HcnError, NotFoundError
from hcnpy.lookup_errors import NetworkNotFoundError

from . import addressing, config, hns, policies, results
from .errors import (
    ERR_ENV,
    ERR_GENERAL,
    ERR_INVALID_CONFIG,
    ERR_NETWORK_NOT_FOUND,
    ERR_NOT_AVAILABLE,
    PluginError,
)
from .locking import FileLock

TYPE_CHECKING = False  # typing.TYPE_CHECKING would import typing (milliseconds) on every run
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeAlias

    from cniskel.context import Context
    from hcnpy.bindings import Handle

    from .core import WindowsPlugin

__all__ = ["Operation", "namespace_id"]

Doc: TypeAlias = "dict[str, Any]"


def _guid(text: str) -> bool:
    digits = text.strip("{}").lower()
    parts = digits.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdef" for c in digits.replace("-", "")
    )


def namespace_id(netns: str) -> str:
    """The HNS namespace GUID in ``CNI_NETNS``, or ``""`` when there is none.

    containerd passes the bare GUID. Tools modelled on cnitool turn their NETNS argument
    into an absolute path, so a path whose last component is a GUID is accepted too.
    """
    text = netns.strip()
    last = text.replace("\\", "/").rsplit("/", 1)[-1]
    for candidate in (text, last):
        if _guid(candidate):
            return candidate.strip("{}")
    return ""


def log(message: str) -> None:
    """Diagnostics go to stderr (the runtime logs it), never to a file in the CWD."""
    import contextlib  # only when there is something to say: keeps start-up lean

    with contextlib.suppress(OSError):
        sys.stderr.write(f"winplugins: {message}\n")


class Operation:
    """One invocation of a verb: the plugin's declarations and the CNI context."""

    def __init__(self, plugin: WindowsPlugin, ctx: Context) -> None:
        self.plugin = plugin
        self.ctx = ctx
        self.netns = namespace_id(ctx.netns)

    # -- shared steps ---------------------------------------------------------------------

    def parse(self) -> config.NetConf:
        """The full configuration, checked against what this plugin supports."""
        conf = config.parse(self.ctx.stdin)
        plugin = self.plugin
        if conf.type and plugin.config_types:
            accepted = {t.lower() for t in plugin.config_types}
            if conf.type.lower() not in accepted:
                raise PluginError(
                    ERR_INVALID_CONFIG,
                    f"type {conf.type!r} is not handled by the {plugin.name()} plugin",
                    f"this plugin answers to: {', '.join(plugin.config_types)}",
                )
        if conf.flags.enable_dual_stack and not plugin.dual_stack_network_types:
            raise PluginError(
                ERR_INVALID_CONFIG,
                f"optionalFlags.enableDualStack is not supported by the {plugin.name()} plugin",
                "dual stack needs the sdnbridge plugin on an L2Bridge network",
            )
        return conf

    def check_network_type(
        self, network: Mapping[str, Any], conf: config.NetConf, code: int
    ) -> None:
        """The network must be of a type this plugin drives (quirk 12: never assumed)."""
        plugin = self.plugin
        kind = hns.network_type(network)
        allowed = {t.lower() for t in plugin.network_types}
        if allowed and kind.lower() not in allowed:
            raise PluginError(
                code,
                f"HNS network {conf.name!r} is of type {kind}, the {plugin.name()} plugin "
                f"needs {' or '.join(plugin.network_types)}",
                "point the configuration's name at a network of the right type, or use the "
                "plugin that matches the network (nat: NAT, sdnbridge: L2Bridge/L2Tunnel, "
                "sdnoverlay: Overlay)",
            )
        if conf.flags.enable_dual_stack:
            dual = {t.lower() for t in plugin.dual_stack_network_types}
            if kind.lower() not in dual:
                raise PluginError(
                    code,
                    "optionalFlags.enableDualStack needs an "
                    f"{' or '.join(plugin.dual_stack_network_types)} network; "
                    f"{conf.name!r} is {kind}",
                )

    @staticmethod
    def network_missing(conf: config.NetConf, err: Exception) -> PluginError:
        return PluginError(
            ERR_NETWORK_NOT_FOUND,
            f"HNS network {conf.name!r} not found",
            "the network named by the configuration's 'name' must exist before ADD: create it "
            "(hcnpy network create / New-HnsNetwork), or set optionalFlags.autoCreateNetwork "
            f"to let the plugin create it ({err})",
        )

    def delegate_env(self) -> dict[str, str]:
        """The environment for an IPAM delegate: the one this plugin was invoked with."""
        return dict(self.ctx.env)

    # -- ADD --------------------------------------------------------------------------------

    def add(self) -> Result:
        ctx = self.ctx
        conf = self.parse()
        if not self.netns:
            raise PluginError(
                ERR_ENV, f"CNI_NETNS must be the GUID of an HNS namespace, got {ctx.netns!r}"
            )
        with FileLock(ctx.container_id):
            api = hns.Hns()
            network, handle = self.find_network(api, conf)
            try:
                self.check_network_type(network, conf, ERR_INVALID_CONFIG)
                name = hns.endpoint_name(ctx.container_id, conf.name)
                existing = api.endpoint_by_name(name)
                if existing is not None:
                    if hns.same_id(hns.endpoint_network(existing), hns.endpoint_id(network)):
                        return self.readd(api, network, existing)
                    log(f"replacing endpoint {name} left on another network")
                    api.remove_endpoint(existing)  # quirk 4: never two endpoints of one name
                return self.create(api, conf, network, handle, name)
            finally:
                api.close_handle(handle)

    def find_network(self, api: hns.Hns, conf: config.NetConf) -> tuple[Doc, Handle]:
        """The network named by the configuration, with an open handle; code 81 if missing."""
        try:
            return api.open_network(conf.name)
        except NetworkNotFoundError as err:
            if not conf.flags.auto_create_network:
                raise self.network_missing(conf, err) from None
        # optionalFlags.autoCreateNetwork: create it from the configuration (reference §1.6).
        if conf.flags.enable_dual_stack:
            raise PluginError(
                ERR_INVALID_CONFIG,
                "optionalFlags.autoCreateNetwork cannot create a dual-stack network",
                "create the L2Bridge network with both subnets first",
            )
        with FileLock("_network_" + conf.name):  # two first ADDs must not create it twice
            try:
                api.network(conf.name)
            except NetworkNotFoundError:
                log(f"creating HNS network {conf.name!r} (optionalFlags.autoCreateNetwork)")
                api.create_network(self.network_document(conf))
        return api.open_network(conf.name)

    def network_document(self, conf: config.NetConf) -> Doc:
        doc: Doc = {"Name": conf.name, "Type": self.plugin.network_types[0]}
        if conf.ipam.subnet:
            prefix = str(addressing.network_of(conf.ipam.subnet))
            version = addressing.family(prefix)
            gateway = addressing.plan_gateways(conf, None).gateway(version)
            subnet: Doc = {"IpAddressPrefix": prefix}
            if gateway:
                subnet["Routes"] = [
                    {"NextHop": gateway, "DestinationPrefix": addressing.default_route(version)}
                ]
            doc["Ipams"] = [{"Type": "Static", "Subnets": [subnet]}]
        dns = hns_dns(conf.dns)
        if dns:
            doc["Dns"] = dns
        if conf.network_policies:
            doc["Policies"] = conf.network_policies
        return doc

    def readd(self, api: hns.Hns, network: Doc, endpoint: Doc) -> Result:
        """ADD for an endpoint that already exists: make sure it is attached (quirk 3), and
        answer the same result as the first ADD."""
        ep_id = hns.endpoint_id(endpoint)
        attached = api.namespace_endpoints(self.netns)
        if not any(hns.same_id(ep_id, other) for other in attached):
            old = hns.endpoint_namespace(endpoint)
            if old and not hns.same_id(old, self.netns):
                api.detach(old, ep_id)
            log(f"endpoint {hns.text(endpoint, 'Name')} was not attached; attaching it")
            api.attach(self.netns, ep_id)
        return as_result(results.build(network, endpoint, self.ctx.ifname, self.netns))

    def create(
        self, api: hns.Hns, conf: config.NetConf, network: Doc, handle: Handle | None, name: str
    ) -> Result:
        ctx = self.ctx
        dsr = self.loopback_dsr(api, conf)
        ipam_result: Mapping[str, Any] | None = None
        try:
            if conf.ipam.type:
                # The raw stdin, so IPAM-specific keys (host-local "ranges") reach the plugin.
                from cniskel import invoke

                delegated = invoke.delegate_add(conf.ipam.type, ctx.stdin, self.delegate_env())
                ipam_result = delegated.to_dict("1.1.0")
            plan = addressing.plan_gateways(conf, ipam_result)
            addressing.fill_from_network(plan, conf, network, ipam_result is not None)
            dns = addressing.endpoint_dns(conf, config.parse_k8s_namespace(ctx.args.raw))
            doc = self.endpoint_document(conf, name, plan, dns, dsr)
            endpoint = self.create_and_attach(api, network, handle, doc, plan, dsr)
            return as_result(
                results.build(network, endpoint, ctx.ifname, self.netns, dns=dns, planned=plan)
            )
        except BaseException:
            if conf.ipam.type:
                self.release_ipam(conf)
            raise

    def release_ipam(self, conf: config.NetConf) -> None:
        """DEL the IPAM delegate after a failed ADD (also when its own ADD failed, as the
        spec asks)."""
        from cniskel import invoke

        try:
            invoke.delegate_del(conf.ipam.type, self.ctx.stdin, self.delegate_env())
        except Exception as exc:  # the ADD error is what the runtime needs to see
            log(f"releasing the IPAM address after a failed ADD: {exc}")

    def loopback_dsr(self, api: hns.Hns, conf: config.NetConf) -> bool:
        """Whether to add the loopback DSR policy; reads the HNS version only when asked."""
        if not conf.wants_loopback_dsr:
            return False
        if api.dsr_supported():
            return True
        if conf.flags.loopback_dsr:
            raise PluginError(
                ERR_INVALID_CONFIG,
                "optionalFlags.loopbackDSR is set but this host's HNS does not support DSR",
                f"HNS version {api.hns_version()}; DSR needs 9.3-9.x or 10.2 or newer. "
                "Remove loopbackDSR from the configuration or update Windows.",
            )
        log("loopbackDSR skipped: this host's HNS does not support DSR")
        return False

    def endpoint_document(
        self,
        conf: config.NetConf,
        name: str,
        plan: addressing.Addresses,
        dns: config.DNS,
        dsr: bool,
    ) -> Doc:
        """The HCN endpoint JSON (reference §1.5, without its empty default route)."""
        # The ID is chosen here: knowing it before HcnCreateEndpoint lets a failed ADD clean
        # up even when querying the new endpoint failed.
        doc: Doc = {"ID": hns.new_id(), "Name": name}
        if plan.ips():
            doc["IpConfigurations"] = [{"IpAddress": ip} for ip in plan.ips()]
        routes = [
            {"NextHop": gw, "DestinationPrefix": addressing.default_route(v)}
            for v, gw in ((4, plan.gw4), (6, plan.gw6))
            if gw
        ]
        if routes:
            doc["Routes"] = routes
        hns_dns_doc = hns_dns(dns)
        if hns_dns_doc:
            doc["Dns"] = hns_dns_doc
        endpoint_policies = port_mapping_policies(conf)
        endpoint_policies += conf.endpoint_policies
        if dsr:
            for ip in plan.ips():
                endpoint_policies = policies.apply_loopback_dsr(endpoint_policies, ip)
        if endpoint_policies:
            doc["Policies"] = endpoint_policies
        return doc

    def create_and_attach(
        self,
        api: hns.Hns,
        network: Doc,
        handle: Handle | None,
        doc: Doc,
        plan: addressing.Addresses,
        dsr: bool,
    ) -> Doc:
        """Create the endpoint and attach it; on any failure delete it again (quirk 3)."""
        ep_id = str(doc["ID"])
        try:
            endpoint = api.create_endpoint(network, handle, doc)
            ep_id = hns.endpoint_id(endpoint) or ep_id
            if dsr and not plan.ips():
                # HNS chose the address: now that it is known, add the loopback policy
                # (quirk 6: the reference wrote "<nil>" here).
                extra: list[Doc] = []
                for ip, _ in results.endpoint_ips(endpoint):
                    extra = policies.apply_loopback_dsr(extra, ip)
                if extra:
                    endpoint = api.add_policies(ep_id, extra)
            api.attach(self.netns, ep_id)
        except BaseException as err:
            self.undo_endpoint(api, ep_id, str(doc["Name"]))
            if isinstance(err, NotFoundError) and "amespace" in str(err):
                raise PluginError(
                    ERR_ENV, f"CNI_NETNS: HNS namespace {self.netns} does not exist", str(err)
                ) from None
            raise
        return endpoint

    @staticmethod
    def undo_endpoint(api: hns.Hns, ep_id: str, name: str) -> None:
        try:
            api.delete_endpoint(ep_id)
            leftover = api.endpoint_by_name(name)
            if leftover is not None:
                api.remove_endpoint(leftover)
        except HcnError as exc:
            log(f"could not delete endpoint {name} after a failed ADD: {exc}")

    # -- DEL --------------------------------------------------------------------------------

    def delete(self) -> None:
        """Quirk 10: only ``name`` and ``ipam.type`` are read, nothing DEL does not need."""
        ctx = self.ctx
        conf = config.parse_for_delete(ctx.stdin)
        name = hns.endpoint_name(ctx.container_id, conf.name)
        with FileLock(ctx.container_id):
            api = hns.Hns()
            endpoint = api.endpoint_by_name(name)
            if endpoint is not None:
                api.remove_endpoint(endpoint, self.netns)
            # The address is released after the endpoint is gone, never while it is in use.
            if conf.ipam.type:
                from cniskel import invoke

                invoke.delegate_del(conf.ipam.type, ctx.stdin, self.delegate_env())

    # -- CHECK ------------------------------------------------------------------------------

    def check(self) -> None:
        ctx = self.ctx
        conf = self.parse()
        prev = ctx.prev_result
        if prev is None:
            raise PluginError(ERR_INVALID_CONFIG, "CHECK needs prevResult in the configuration")
        name = hns.endpoint_name(ctx.container_id, conf.name)
        with FileLock(ctx.container_id):
            api = hns.Hns()
            try:
                network = api.network(conf.name)
            except NetworkNotFoundError as err:
                raise self.network_missing(conf, err) from None
            self.check_network_type(network, conf, ERR_INVALID_CONFIG)
            endpoint = api.endpoint_by_name(name)
            if endpoint is None:
                raise PluginError(ERR_GENERAL, f"CHECK: endpoint {name} does not exist")
            ep_id = hns.endpoint_id(endpoint)
            if not hns.same_id(hns.endpoint_network(endpoint), hns.endpoint_id(network)):
                raise PluginError(
                    ERR_GENERAL, f"CHECK: endpoint {name} is not on network {conf.name!r}"
                )
            attached = api.namespace_endpoints(self.netns) if self.netns else []
            if not any(hns.same_id(ep_id, other) for other in attached):
                raise PluginError(
                    ERR_GENERAL, f"CHECK: endpoint {name} is not attached to namespace {ctx.netns}"
                )
            have = sorted(ip for ip, _ in results.endpoint_ips(endpoint))
            want = sorted(str(ip.address.ip) for ip in prev.ips)
            if want and have != want:
                raise PluginError(
                    ERR_GENERAL,
                    f"CHECK: endpoint {name} has addresses {have}, prevResult says {want}",
                )
            mac = results.format_mac(hns.text(endpoint, "MacAddress"))
            for iface in prev.interfaces:
                if iface.mac and mac and iface.mac.lower() != mac:
                    raise PluginError(
                        ERR_GENERAL,
                        f"CHECK: endpoint {name} has MAC {mac}, prevResult says {iface.mac}",
                    )
        if conf.ipam.type:
            from cniskel import invoke

            invoke.delegate_check(conf.ipam.type, ctx.stdin, self.delegate_env())

    # -- GC ---------------------------------------------------------------------------------

    def gc(self) -> None:
        """Delete this network's endpoints ``<container>_<network>`` whose container is not
        among the valid attachments (endpoints leaked by failed or lost DELs)."""
        ctx = self.ctx
        conf = config.parse_for_delete(ctx.stdin)
        valid = {a.container_id for a in ctx.valid_attachments}
        api = hns.Hns()
        try:
            network: Doc | None = api.network(conf.name)
        except NetworkNotFoundError:
            network = None
        if network is not None:
            suffix = "_" + conf.name
            for endpoint in api.endpoints_of_network(hns.endpoint_id(network)):
                name = hns.text(endpoint, "Name")
                container = name[: -len(suffix)] if name.endswith(suffix) else ""
                if not container or container in valid or hns.is_remote(endpoint):
                    continue
                lock = FileLock(container)
                if not lock.acquire(blocking=False):
                    continue  # an operation on that container is running: not leaked
                try:
                    log(f"GC: deleting leaked endpoint {name}")
                    api.remove_endpoint(endpoint)
                finally:
                    lock.release()
        if conf.ipam.type:
            from cniskel import invoke

            invoke.delegate_gc(conf.ipam.type, ctx.stdin, self.delegate_env())

    # -- STATUS -----------------------------------------------------------------------------

    def status(self) -> None:
        ctx = self.ctx
        conf = config.parse_for_delete(ctx.stdin)
        try:
            network = hns.Hns().network(conf.name)
        except NetworkNotFoundError:
            raise PluginError(
                ERR_NOT_AVAILABLE,
                f"HNS network {conf.name!r} does not exist",
                "create the network (hcnpy network create / New-HnsNetwork)",
            ) from None
        except HcnError as err:
            raise PluginError(ERR_NOT_AVAILABLE, "HNS cannot be reached", str(err)) from None
        self.check_network_type(network, conf, ERR_NOT_AVAILABLE)
        if conf.ipam.type:
            from cniskel import invoke

            invoke.delegate_status(conf.ipam.type, ctx.stdin, self.delegate_env())


def port_mapping_policies(conf: config.NetConf) -> list[Doc]:
    """One PortMapping policy per ``runtimeConfig.portMappings`` entry (reference §1.7).

    ``localRoutedPortMapping`` sets flag 1; a v6 ``hostIP`` sets flag 2; with dual stack a
    mapping without ``hostIP`` gets an IPv6 twin (flag 2, no VIP); ``allowAclPortMapping``
    adds an inbound Allow ACL per mapping.
    """
    out: list[Doc] = []
    local = conf.flags.local_routed_port_mapping
    for pm in conf.port_mappings:
        v6_host = ":" in pm.host_ip
        out.append(
            policies.port_mapping(
                pm.host_port, pm.container_port, pm.protocol, pm.host_ip,
                local_routed=local, ipv6=v6_host,
            )
        )  # fmt: skip
        if conf.flags.enable_dual_stack and not pm.host_ip:
            out.append(
                policies.port_mapping(
                    pm.host_port, pm.container_port, pm.protocol, local_routed=local, ipv6=True
                )
            )
        if conf.flags.allow_acl_port_mapping:
            out.append(policies.port_mapping_acl(pm.container_port, pm.protocol))
    return out


def hns_dns(dns: config.DNS) -> Doc:
    """DNS settings as HCN's ``Dns`` object (empty fields left out)."""
    out: Doc = {}
    if dns.domain:
        out["Domain"] = dns.domain
    if dns.search:
        out["Search"] = list(dns.search)
    if dns.nameservers:
        out["ServerList"] = list(dns.nameservers)
    if dns.options:
        out["Options"] = list(dns.options)
    return out


def as_result(data: Mapping[str, Any]) -> Result:
    return Result.from_dict({"cniVersion": "1.1.0", **data}, "1.1.0")
