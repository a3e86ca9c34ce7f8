"""What each CNI verb does, step by step, for the plugin declared in ``core.py``.

* ADD     - find the network (it must exist unless ``optionalFlags.autoCreateNetwork``),
            check its type, reuse the container's endpoint if it is already there, delegate
            IPAM, create the endpoint, attach it to the container's namespace, return the
            result; a step that fails undoes the ones before it (endpoint deleted, IPAM
            address released), so a failed ADD leaves nothing.
* DEL     - detach and delete the container's endpoint, then release the IPAM address;
            idempotent.
* CHECK   - the endpoint exists, is on the network, is attached to ``CNI_NETNS`` and has
            the addresses of ``prevResult``; then CHECK the IPAM plugin.
* GC      - delete this network's endpoints whose container is not a valid attachment;
            then GC the IPAM plugin.
* STATUS  - code 50 when HNS cannot be reached or the network is missing; then STATUS the
            IPAM plugin.

The container's endpoint has an ID derived from the container and the network
(``hns.endpoint_id``), so it is found with one open and never confused with another
container's. Every HNS call of a verb shares one deadline, ``hnsTimeoutSeconds`` from the
verb's start; when it passes, the verb undoes its work (with a fresh budget) and fails
with code 11. ADD, DEL and CHECK hold the container's lock (``locking.py``) while they
work, and an IPAM delegate inherits it. Imported only when a verb runs, so that VERSION
stays cheap.
"""

from __future__ import annotations

import sys
import time

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
    from cniskel.result import Result
    from hcnpy.bindings import Handle

    from .spec import Declarations

__all__ = ["Operation", "hns_dns", "port_mapping_policies"]

Doc: TypeAlias = "dict[str, Any]"


def log(message: str) -> None:
    """Diagnostics go to stderr (the runtime logs it), never to a file in the CWD."""
    import contextlib  # only when there is something to say: keeps start-up lean

    with contextlib.suppress(OSError):
        sys.stderr.write(f"winplugins: {message}\n")


class Operation:
    """One invocation of a verb: the plugin's declarations and the CNI context."""

    def __init__(self, declared: Declarations, ctx: Context) -> None:
        self.declared = declared
        self.ctx = ctx
        self.started = time.monotonic()

    # -- shared steps ---------------------------------------------------------------------

    def parse(self) -> config.NetConf:
        """The full configuration (decoded once, by cniskel), checked against what this
        plugin supports; unknown keys are reported as declared."""
        raw = self.ctx.raw_config
        conf = config.parse(raw)
        self.report_unknown_keys(raw)
        declared = self.declared
        if conf.type and declared.config_types:
            accepted = {t.lower() for t in declared.config_types}
            if conf.type.lower() not in accepted:
                raise PluginError(
                    ERR_INVALID_CONFIG,
                    f"type {conf.type!r} is not handled by the {declared.name} plugin",
                    f"this plugin answers to: {', '.join(declared.config_types)}",
                )
        if conf.flags.enable_dual_stack and not declared.dual_stack_network_types:
            raise PluginError(
                ERR_INVALID_CONFIG,
                f"optionalFlags.enableDualStack is not supported by the {declared.name} plugin",
                "dual stack needs the sdnbridge plugin on an L2Bridge network",
            )
        return conf

    def parse_for_delete(self) -> config.NetConf:
        """What DEL, GC and STATUS need; nothing else is read (or reported)."""
        return config.parse_for_delete(self.ctx.raw_config)

    def report_unknown_keys(self, raw: Mapping[str, Any]) -> None:
        mode = self.declared.unknown_keys
        if mode == "ignore":
            return
        from cniskel.keycheck import check_keys

        for where, section, known in config.key_sections(raw):
            check_keys(section, known, mode=mode, fold=True, where=where)

    def budgeted(self, conf: config.NetConf) -> hns.Hns:
        """HNS operations under the verb's deadline: ``hnsTimeoutSeconds`` from its start."""
        from hcnpy.ops import Ops

        left = conf.hns_timeout - (time.monotonic() - self.started)
        return hns.Hns(Ops().bounded(max(left, 0.0)))

    @staticmethod
    def fresh_hns(conf: config.NetConf) -> hns.Hns:
        """HNS operations with a new budget, to undo the work of a verb that ran out of time."""
        from hcnpy.ops import Ops

        return hns.Hns(Ops().bounded(conf.hns_timeout))

    def namespace(self) -> str:
        """The HNS namespace GUID of ``CNI_NETNS`` (code 4 when it is not one)."""
        return self.ctx.hns_namespace

    def namespace_if_any(self) -> str:
        """The namespace GUID, or ``""`` (DEL and GC must work without a namespace)."""
        from cniskel.errors import CniError

        try:
            return self.ctx.hns_namespace
        except CniError:
            return ""

    def k8s_namespace(self) -> str:
        """``K8S_POD_NAMESPACE`` from ``CNI_ARGS``; empty when ``CNI_ARGS`` does not parse
        (the reference ignores that failure: the value only prefixes a DNS search domain)."""
        if not self.ctx.args.raw:
            return ""  # nothing to parse (and cniskel.args need not be imported)
        from cniskel.args import ArgsError, K8sArgs

        try:
            return self.ctx.args_as(K8sArgs).K8S_POD_NAMESPACE
        except ArgsError:
            return ""

    def check_network_type(
        self, network: Mapping[str, Any], conf: config.NetConf, code: int
    ) -> None:
        """The network must be of a type this plugin drives (quirk 12: never assumed)."""
        declared = self.declared
        kind = hns.network_type(network)
        allowed = {t.lower() for t in declared.network_types}
        if allowed and kind.lower() not in allowed:
            raise PluginError(
                code,
                f"HNS network {conf.name!r} is of type {kind}, the {declared.name} plugin "
                f"needs {' or '.join(declared.network_types)}",
                "point the configuration's name at a network of the right type, or use the "
                "plugin that matches the network (nat: NAT, sdnbridge: L2Bridge/L2Tunnel, "
                "sdnoverlay: Overlay)",
            )
        if conf.flags.enable_dual_stack:
            dual = {t.lower() for t in declared.dual_stack_network_types}
            if kind.lower() not in dual:
                raise PluginError(
                    code,
                    "optionalFlags.enableDualStack needs an "
                    f"{' or '.join(declared.dual_stack_network_types)} network; "
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

    @staticmethod
    def inherited(lock: FileLock) -> tuple[int, ...]:
        """The lock's descriptor, for an IPAM delegate to hold until it exits: a DEL then
        waits for the delegate of a killed ADD instead of missing the address it allocates."""
        return (lock.fd,) if lock.fd is not None else ()

    # -- ADD --------------------------------------------------------------------------------

    def add(self) -> Result:
        ctx = self.ctx
        conf = self.parse()
        netns = self.namespace()  # checked before anything is done (issue 10, defect 6)
        with FileLock(ctx.container_id) as lock:
            api = self.budgeted(conf)
            network, handle = self.find_network(api, conf)
            try:
                self.check_network_type(network, conf, ERR_INVALID_CONFIG)
                ep_id = hns.endpoint_id(ctx.container_id, conf.name)
                existing = api.new_endpoint(ep_id)
                if existing is not None:
                    if hns.same_id(hns.endpoint_network(existing), hns.object_id(network)):
                        return self.readd(api, network, existing, netns)
                    # The network was re-created under the same name: the endpoint is this
                    # container's (its ID says so) but on a network that is gone.
                    log(f"replacing endpoint {ep_id} left on an earlier network {conf.name!r}")
                    api.remove_endpoint(existing)
                return self.create(api, conf, network, handle, ep_id, netns, lock)
            finally:
                api.release(handle)

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
        doc: Doc = {"Name": conf.name, "Type": self.declared.network_types[0]}
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

    def readd(self, api: hns.Hns, network: Doc, endpoint: Doc, netns: str) -> Result:
        """ADD for an endpoint that already exists: make sure it is attached to ``netns``
        (quirk 3), and answer the same result as the first ADD. The IPAM plugin is not
        asked again: the address the endpoint has is the one it holds."""
        ep_id = hns.object_id(endpoint)
        current = hns.endpoint_namespace(endpoint)
        if not hns.same_id(current, netns):
            if current:
                api.detach(current, ep_id)
            log(f"endpoint {hns.text(endpoint, 'Name')} was not attached to {netns}; attaching")
            api.attach(netns, ep_id)
        return results.build(network, endpoint, self.ctx.ifname, netns)

    def create(
        self,
        api: hns.Hns,
        conf: config.NetConf,
        network: Doc,
        handle: Handle | None,
        ep_id: str,
        netns: str,
        lock: FileLock,
    ) -> Result:
        ctx = self.ctx
        dsr = self.loopback_dsr(api, conf)
        delegated: Result | None = None
        try:
            if conf.ipam.type:
                # The raw stdin, so IPAM-specific keys (host-local "ranges") reach the plugin.
                from cniskel import invoke

                delegated = invoke.delegate_add(
                    conf.ipam.type, ctx.stdin, self.delegate_env(), pass_fds=self.inherited(lock)
                )
            plan = addressing.plan_gateways(conf, delegated)
            addressing.fill_from_network(plan, conf, network, delegated is not None)
            dns = addressing.endpoint_dns(conf, self.k8s_namespace())
            name = hns.endpoint_name(ctx.container_id, conf.name)
            doc = self.endpoint_document(conf, ep_id, name, plan, dns, dsr)
            endpoint = self.create_and_attach(api, conf, network, handle, doc, plan, dsr, netns)
            return results.build(network, endpoint, ctx.ifname, netns, dns=dns, planned=plan)
        except BaseException:
            if conf.ipam.type:
                self.release_ipam(conf, lock)
            raise

    def release_ipam(self, conf: config.NetConf, lock: FileLock) -> None:
        """DEL the IPAM delegate after a failed ADD (also when its own ADD failed, as the
        spec asks)."""
        from cniskel import invoke

        try:
            invoke.delegate_del(
                conf.ipam.type, self.ctx.stdin, self.delegate_env(), pass_fds=self.inherited(lock)
            )
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
        ep_id: str,
        name: str,
        plan: addressing.Addresses,
        dns: config.DNS,
        dsr: bool,
    ) -> Doc:
        """The HCN endpoint JSON (reference §1.5, without its empty default route)."""
        doc: Doc = {"ID": ep_id, "Name": name}
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
        conf: config.NetConf,
        network: Doc,
        handle: Handle | None,
        doc: Doc,
        plan: addressing.Addresses,
        dsr: bool,
        netns: str,
    ) -> Doc:
        """Create the endpoint and attach it; on any failure delete it again (quirk 3)."""
        ep_id = str(doc["ID"])
        try:
            endpoint = api.create_endpoint(network, handle, doc)
            if dsr and not plan.ips():
                # HNS chose the address: now that it is known, add the loopback policy
                # (quirk 6: the reference wrote "<nil>" here).
                from hcnpy.cni import endpoint_addresses

                extra: list[Doc] = []
                for ip, _ in endpoint_addresses(endpoint):
                    extra = policies.apply_loopback_dsr(extra, ip)
                if extra:
                    endpoint = api.add_policies(ep_id, extra)
            api.attach(netns, ep_id)
        except BaseException as err:
            self.undo_endpoint(conf, ep_id, netns)
            if isinstance(err, NotFoundError) and "amespace" in str(err):
                raise PluginError(
                    ERR_ENV, f"CNI_NETNS: HNS namespace {netns} does not exist", str(err)
                ) from None
            raise
        return endpoint

    def undo_endpoint(self, conf: config.NetConf, ep_id: str, netns: str) -> None:
        """Remove what a failed ADD may have made, with a fresh HNS budget (the verb's may
        be spent): the endpoint with the container's ID, detached first."""
        api = self.fresh_hns(conf)
        try:
            endpoint = api.endpoint(ep_id)
        except HcnError as exc:  # it cannot be read: it may exist, and be attached to netns
            log(f"could not read endpoint {ep_id} after a failed ADD ({exc}); deleting it")
            endpoint = {"ID": ep_id, "HostComputeNamespace": netns}
        if endpoint is None:
            return
        try:
            attached_to = hns.endpoint_namespace(endpoint)
            if attached_to:
                try:
                    api.detach(attached_to, ep_id)
                except HcnError as exc:  # deleting it is what matters now
                    log(f"could not detach endpoint {ep_id} after a failed ADD: {exc}")
            api.delete_endpoint(ep_id)
        except HcnError as exc:
            log(f"could not delete endpoint {ep_id} after a failed ADD: {exc}")

    # -- DEL --------------------------------------------------------------------------------

    def delete(self) -> None:
        """Quirk 10: only what DEL needs is read. Gone is success; the address is released
        after the endpoint is gone, never while it is in use."""
        ctx = self.ctx
        conf = self.parse_for_delete()
        netns = self.namespace_if_any()
        with FileLock(ctx.container_id) as lock:
            if not config.has_control_characters(conf.name):  # else no network has the name
                api = self.budgeted(conf)
                endpoint = api.endpoint(hns.endpoint_id(ctx.container_id, conf.name))
                if endpoint is None:
                    endpoint = self.legacy_endpoint(api, conf)
                if endpoint is not None:
                    api.remove_endpoint(endpoint, netns)
            if conf.ipam.type:
                from cniskel import invoke

                invoke.delegate_del(
                    conf.ipam.type, ctx.stdin, self.delegate_env(), pass_fds=self.inherited(lock)
                )

    def legacy_endpoint(self, api: hns.Hns, conf: config.NetConf) -> Doc | None:
        """The container's endpoint as an earlier release made it (a random ID)."""
        try:
            network = api.network(conf.name)
        except NetworkNotFoundError:
            return None
        name = hns.endpoint_name(self.ctx.container_id, conf.name)
        return api.legacy_endpoint(name, hns.object_id(network))

    # -- CHECK ------------------------------------------------------------------------------

    def check(self) -> None:
        ctx = self.ctx
        conf = self.parse()
        prev = ctx.prev_result
        if prev is None:
            raise PluginError(ERR_INVALID_CONFIG, "CHECK needs prevResult in the configuration")
        netns = self.namespace()
        ep_id = hns.endpoint_id(ctx.container_id, conf.name)
        with FileLock(ctx.container_id):
            api = self.budgeted(conf)
            try:
                network = api.network(conf.name)
            except NetworkNotFoundError as err:
                raise self.network_missing(conf, err) from None
            self.check_network_type(network, conf, ERR_INVALID_CONFIG)
            endpoint = api.endpoint(ep_id)
            if endpoint is None:
                endpoint = api.legacy_endpoint(
                    hns.endpoint_name(ctx.container_id, conf.name), hns.object_id(network)
                )
            self.check_endpoint(conf, network, endpoint, netns, prev)
        if conf.ipam.type:
            from cniskel import invoke

            invoke.delegate_check(conf.ipam.type, ctx.stdin, self.delegate_env())

    def check_endpoint(
        self,
        conf: config.NetConf,
        network: Doc,
        endpoint: Doc | None,
        netns: str,
        prev: Result,
    ) -> None:
        name = hns.endpoint_name(self.ctx.container_id, conf.name)
        if endpoint is None:
            raise PluginError(ERR_GENERAL, f"CHECK: endpoint {name} does not exist")
        if not hns.same_id(hns.endpoint_network(endpoint), hns.object_id(network)):
            raise PluginError(
                ERR_GENERAL, f"CHECK: endpoint {name} is not on network {conf.name!r}"
            )
        if not hns.same_id(hns.endpoint_namespace(endpoint), netns):
            raise PluginError(
                ERR_GENERAL, f"CHECK: endpoint {name} is not attached to namespace {netns}"
            )
        from hcnpy.cni import cni_mac, endpoint_addresses

        have = sorted(ip for ip, _ in endpoint_addresses(endpoint))
        want = sorted(str(ip.address.ip) for ip in prev.ips)
        if want and have != want:
            raise PluginError(
                ERR_GENERAL, f"CHECK: endpoint {name} has addresses {have}, prevResult says {want}"
            )
        mac = cni_mac(hns.text(endpoint, "MacAddress"))
        for iface in prev.interfaces:
            if iface.mac and mac and iface.mac.lower() != mac:
                raise PluginError(
                    ERR_GENERAL,
                    f"CHECK: endpoint {name} has MAC {mac}, prevResult says {iface.mac}",
                )

    # -- GC ---------------------------------------------------------------------------------

    def gc(self) -> None:
        """Delete this network's endpoints ``<container>_<network>`` whose container is not
        among the valid attachments (endpoints leaked by failed or lost DELs). Only endpoints
        on the configuration's network are looked at, so a same-named endpoint of another
        network is never taken for one of this network's containers."""
        ctx = self.ctx
        conf = self.parse_for_delete()
        valid = {a.container_id for a in ctx.valid_attachments}
        if not config.has_control_characters(conf.name):
            self.collect(self.budgeted(conf), conf, valid)
        if conf.ipam.type:
            from cniskel import invoke

            invoke.delegate_gc(conf.ipam.type, ctx.stdin, self.delegate_env())

    def collect(self, api: hns.Hns, conf: config.NetConf, valid: set[str]) -> None:
        try:
            network = api.network(conf.name)
        except NetworkNotFoundError:
            return
        suffix = "_" + conf.name
        for endpoint in api.endpoints_of_network(hns.object_id(network)):
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

    # -- STATUS -----------------------------------------------------------------------------

    def status(self) -> None:
        ctx = self.ctx
        conf = self.parse_for_delete()
        try:
            network = self.budgeted(conf).network(conf.name)
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
    from hcnpy.cni import port_mapping_policy

    out: list[Doc] = []
    local = conf.flags.local_routed_port_mapping
    for pm in conf.port_mappings:
        ports = (pm.host_port, pm.container_port, pm.protocol)
        out.append(port_mapping_policy(*ports, pm.host_ip, local_routed=local))
        if conf.flags.enable_dual_stack and not pm.host_ip:
            out.append(port_mapping_policy(*ports, local_routed=local, ipv6=True))
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
