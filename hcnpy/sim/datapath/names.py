"""The names of every kernel object the datapath creates, and how to tell them apart.

One simulated HNS (one state file) is one *instance*. Its network namespaces are named
``hcnsim-<tag>-…``, where the tag is derived from the state file's real path, so two state files
(two pytest workers, two developers' sandboxes) never share a kernel object. Everything else
(bridges, veths, nftables tables) lives inside those namespaces and carries the prefix ``hcs``
(interfaces, at most 15 characters) or ``hcnsim`` (nftables tables); nothing is ever created in
the machine's own namespace.
"""

from __future__ import annotations

import binascii
import os

__all__ = [
    "ACL_TABLE_PREFIX",
    "HOST_TABLE",
    "HOST_UPLINK",
    "NETNS_DIR",
    "NETNS_PREFIX",
    "UPLINK_PEER",
    "Names",
    "acl_table",
    "bridge",
    "container_port",
    "host_port",
    "host_port_of",
    "id_of_interface",
    "instance_tag",
    "is_role",
    "list_netns",
    "object_id_hex",
]

#: Where ``ip netns`` keeps its named namespaces.
NETNS_DIR = "/run/netns"
#: Every namespace of every instance starts with this.
NETNS_PREFIX = "hcnsim-"
#: The simulated host's side of its link to the outside network.
HOST_UPLINK = "hcsx-ext"
#: The outside network's side of that link.
UPLINK_PEER = "hcsx-host"
#: The nftables table (family ``inet``) of the simulated host: NAT, port mappings, forwarding.
HOST_TABLE = "hcnsim"
#: An endpoint's ACL table (family ``inet``, in the endpoint's namespace) is this + its ID.
ACL_TABLE_PREFIX = "hcnsim_acl_"

_ID_CHARS = 11  # 4 + 11 = 15, the kernel's limit for interface names
_ROLES = {"bridge": "hcsb", "host_port": "hcsv", "container_port": "hcse"}


def instance_tag(state_path: str) -> str:
    """Eight hex digits naming the instance of the state file ``state_path``."""
    real = os.path.realpath(os.path.abspath(state_path))
    return f"{binascii.crc32(real.encode('utf-8', 'surrogateescape')):08x}"


def _hex(object_id: str) -> str:
    return object_id.replace("-", "").lower()[:_ID_CHARS]


def bridge(network_id: str) -> str:
    """The bridge of an HNS network (in the simulated host's namespace)."""
    return _ROLES["bridge"] + _hex(network_id)


def host_port(endpoint_id: str) -> str:
    """The simulated host's end of an endpoint's veth pair (a port of the network's bridge)."""
    return _ROLES["host_port"] + _hex(endpoint_id)


def container_port(endpoint_id: str) -> str:
    """The endpoint's own end of its veth pair, inside the HNS namespace's Linux namespace."""
    return _ROLES["container_port"] + _hex(endpoint_id)


def host_port_of(container_port_name: str) -> str:
    """The host end of the veth pair whose namespace end is ``container_port_name``."""
    return _ROLES["host_port"] + container_port_name[len(_ROLES["container_port"]) :]


def id_of_interface(name: str, role: str, candidates: list[str]) -> str | None:
    """Which of ``candidates`` (object IDs) the interface ``name`` of ``role`` belongs to."""
    stem = _ROLES[role]
    if not name.startswith(stem):
        return None
    return next((oid for oid in candidates if _hex(oid) == name[len(stem) :]), None)


def is_role(name: str, role: str) -> bool:
    """True when ``name`` is an interface of ``role`` (``bridge``, ``host_port``, …)."""
    stem = _ROLES[role]
    return name.startswith(stem) and len(name) == len(stem) + _ID_CHARS


def acl_table(endpoint_id: str) -> str:
    """The nftables table holding an endpoint's ACL rules."""
    return ACL_TABLE_PREFIX + object_id_hex(endpoint_id)


def object_id_hex(object_id: str) -> str:
    """All 32 hex digits of an object ID."""
    return object_id.replace("-", "").lower()


class Names:
    """The namespace names of one instance."""

    __slots__ = ("prefix", "tag")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.prefix = f"{NETNS_PREFIX}{tag}-"

    @classmethod
    def for_state(cls, state_path: str) -> Names:
        """The names of the instance whose state file is ``state_path``."""
        return cls(instance_tag(state_path))

    @property
    def host(self) -> str:
        """The namespace that plays the Windows host (its HNS virtual switch side)."""
        return self.prefix + "host"

    @property
    def external(self) -> str:
        """The namespace that plays the network outside the host."""
        return self.prefix + "ext"

    def namespace(self, namespace_id: str) -> str:
        """The Linux namespace of an HNS namespace."""
        return self.prefix + namespace_id.lower()

    def namespace_id(self, netns: str) -> str | None:
        """The HNS namespace ID a namespace name stands for (``None`` for host/ext/others)."""
        if not netns.startswith(self.prefix):
            return None
        rest = netns[len(self.prefix) :]
        return rest if len(rest) == 36 and rest.count("-") == 4 else None

    def owns(self, netns: str) -> bool:
        """True for every namespace name of this instance."""
        return netns.startswith(self.prefix)

    @staticmethod
    def path(netns: str) -> str:
        """The file ``ip netns`` bind-mounts the namespace on."""
        return os.path.join(NETNS_DIR, netns)

    def exists(self, netns: str) -> bool:
        """True when the named namespace exists."""
        return os.path.exists(self.path(netns))

    def all_present(self) -> list[str]:
        """Every namespace of this instance that exists now."""
        return [name for name in list_netns() if self.owns(name)]


def list_netns() -> list[str]:
    """Every named network namespace on the machine (sorted)."""
    try:
        return sorted(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return []
