"""Network configuration as a plugin receives it on stdin.

Subclass :class:`NetConf` to declare plugin-specific keys::

    class BridgeConf(cniskel.NetConf):
        case_insensitive_keys = True          # match keys like Go does
        bridge: str = "cni0"
        is_gateway: bool = cniskel.field(key="isGateway", default=False)

and set ``config_class = BridgeConf`` on the plugin. Unknown keys are kept in
``conf.extra`` (and reported, see ``Plugin.unknown_config_keys``); the whole object
stays available as ``conf.raw``.

Only the keys Go's ``types.NetConf`` declares are type-checked by this base class
(``cniVersion``, ``name``, ``type``, ``capabilities``, ``ipam``, ``dns``,
``prevResult``, ``cni.dev/valid-attachments``). ``ipMasq``, ``args``,
``runtimeConfig`` and ``cni.dev/attachments`` are *lenient*: a value of the wrong
type leaves the default, as a Go plugin that never declared them would ignore it.
Declare such a key again in a subclass to make it strict.
"""

from __future__ import annotations

from cniskel.errors import CniError
from cniskel.model import Model, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


class IPAMConf(Model):
    """The ``ipam`` section; IPAM-specific keys land in :attr:`extra`."""

    type: str = ""


class DNSConf(Model):
    """The ``dns`` section of a configuration."""

    nameservers: list[str] = field(factory=list)
    domain: str = ""
    search: list[str] = field(factory=list)
    options: list[str] = field(factory=list)


class Label(Model):
    """One ``args.cni.labels`` entry."""

    key: str = ""
    value: str = ""


class CniConfArgs(Model):
    """``args.cni``: the conventions' ``ips`` and ``labels``."""

    ips: list[str] = field(factory=list)
    labels: list[Label] = field(factory=list)


class ConfArgs(Model):
    """The ``args`` key (runtime-provided data plugins may ignore)."""

    cni: CniConfArgs | None = None


class PortMapping(Model):
    """``runtimeConfig.portMappings`` entry."""

    host_port: int = 0
    container_port: int = 0
    protocol: str = ""
    host_ip: str = field(key="hostIP", default="")


class IPRange(Model):
    """``runtimeConfig.ipRanges`` pool entry."""

    subnet: str = ""
    range_start: str = ""
    range_end: str = ""
    gateway: str = ""


class Bandwidth(Model):
    """``runtimeConfig.bandwidth`` (bits per second, bits)."""

    ingress_rate: int = 0
    ingress_burst: int = 0
    egress_rate: int = 0
    egress_burst: int = 0


class DNSCapability(Model):
    """``runtimeConfig.dns`` (note: ``servers``/``searches``, not the result's names)."""

    servers: list[str] = field(factory=list)
    searches: list[str] = field(factory=list)
    options: list[str] = field(factory=list)


class RuntimeConfig(Model):
    """``runtimeConfig``: the capability arguments the runtime passed."""

    port_mappings: list[PortMapping] | None = None
    ip_ranges: list[list[IPRange]] | None = None
    bandwidth: Bandwidth | None = None
    dns: DNSCapability | None = None
    ips: list[str] | None = None
    mac: str | None = None
    infiniband_guid: str | None = field(key="infinibandGUID", default=None)
    device_id: str | None = field(key="deviceID", default=None)
    aliases: list[str] | None = None
    cgroup_path: str | None = None


class GCAttachment(Model):
    """A still-valid attachment passed to GC."""

    container_id: str = field(key="containerID", default="")
    ifname: str = field(key="ifname", default="")


class NetConf(Model):
    """The plugin configuration: the well-known keys; subclass to add your own."""

    cni_version: str = field(key="cniVersion", default="")
    name: str = ""
    type: str = ""
    capabilities: dict[str, bool] = field(factory=dict)
    ipam: IPAMConf | None = None
    dns: DNSConf | None = None
    ip_masq: bool = field(default=False, lenient=True)
    args: ConfArgs | None = field(default=None, lenient=True)
    runtime_config: RuntimeConfig = field(factory=RuntimeConfig, lenient=True)
    prev_result: dict[str, object] | None = None
    gc_valid_attachments: list[GCAttachment] | None = field(
        key="cni.dev/valid-attachments", default=None
    )
    gc_attachments: list[GCAttachment] | None = field(
        key="cni.dev/attachments", default=None, lenient=True
    )

    @property
    def valid_attachments(self) -> list[GCAttachment]:
        """GC's valid attachments from either key; absent or ``null`` is empty."""
        if self.gc_valid_attachments is not None:
            return self.gc_valid_attachments
        return self.gc_attachments or []

    @classmethod
    def skeleton(cls, data: Mapping[str, object]) -> NetConf:
        """Only what the skeleton itself reads: ``cniVersion``, ``name``, ``type`` and
        GC's attachment lists (``prevResult`` is parsed from ``raw`` when asked for).

        For plugins that parse their configuration themselves (``parse_config =
        False``): a wrongly-typed attachment list is ignored rather than reported;
        ``raw`` is the whole decoded object.
        """
        from hcnpy.jsonkeys import fold

        wanted = {fold(key) for key in _SKELETON_KEYS}
        subset = {k: v for k, v in data.items() if isinstance(k, str) and fold(k) in wanted}
        try:
            conf = NetConf.from_dict(subset)
        except CniError:
            names = {fold(key) for key in ("cniVersion", "name", "type")}
            plain = {k: v for k, v in subset.items() if fold(k) in names and isinstance(v, str)}
            conf = NetConf.from_dict(plain)
        conf.raw = dict(data)
        conf.extra = {}
        return conf


_SKELETON_KEYS = (
    "cniVersion",
    "name",
    "type",
    "cni.dev/valid-attachments",
    "cni.dev/attachments",
)
