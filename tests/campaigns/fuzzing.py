"""Inputs for the process fuzz: a realistic configuration, every place in it, the wrong things
to put there, and environments a confused runtime might pass.

JSON that Python cannot produce (an integer of 5000 digits, ``1e400``, a list nested 10,000
deep) is spliced into the serialized text through a placeholder string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NETWORK = "bridgeNet"
SUBNET = ("10.244.1.0/24", "10.244.1.1")


@dataclass(frozen=True)
class Raw:
    """JSON text to splice in verbatim."""

    text: str


#: What replaces a value: JSON-able values, or :class:`Raw` text.
REPLACEMENTS: dict[str, Any] = {
    "null": None,
    "number": 7,
    "huge-int": Raw("9" * 5000),
    "1e400": Raw("1e400"),
    "string": "not-what-you-expected",
    "list": [1, "two", None],
    "object": {"unexpected": {"nested": True}},
    "deep-list": Raw("[" * 10_000 + "]" * 10_000),
}

_PLACEHOLDER = "\u2063fuzz-raw\u2063"


def realistic_conf(ipam_dir: Path) -> dict[str, Any]:
    """An sdnbridge configuration as a Kubernetes node has it, with host-local IPAM and
    the runtime's port mappings and DNS (examples/configs/sdnbridge-host-local.conf)."""
    return {
        "cniVersion": "1.0.0",
        "name": NETWORK,
        "type": "sdnbridge",
        "capabilities": {"portMappings": True, "dns": True},
        "optionalFlags": {"forceBridgeGateway": True, "allowAclPortMapping": True},
        "ipam": {
            "type": "host-local",
            "ranges": [
                [{"subnet": SUBNET[0], "rangeStart": "10.244.1.10", "rangeEnd": "10.244.1.250"}]
            ],
            "dataDir": str(ipam_dir),
        },
        "dns": {"nameservers": ["10.96.0.10"], "search": ["svc.cluster.local"]},
        "AdditionalArgs": [
            _policy("OutBoundNAT", {"Exceptions": ["10.244.0.0/16", "10.96.0.0/12"]}),
            _policy("SDNRoute", {"DestinationPrefix": "10.96.0.0/12", "NeedEncap": True}),
        ],
        "runtimeConfig": {
            "portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}],
            "dns": {"servers": ["10.96.0.10"], "searches": ["default.svc.cluster.local"]},
        },
    }


def _policy(kind: str, settings: dict[str, Any]) -> dict[str, Any]:
    return {"Name": "EndpointPolicy", "Value": {"Type": kind, "Settings": settings}}


Path_ = tuple[str | int, ...]


def paths(doc: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every key of every object and every index of every list, depth first."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def path_id(path: Path_) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def replaced(doc: dict[str, Any], path: Path_, value: Any) -> bytes:
    """``doc`` serialized with the value at ``path`` replaced by ``value`` (maybe Raw)."""
    copy = json.loads(json.dumps(doc))
    parent: Any = copy
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = _PLACEHOLDER if isinstance(value, Raw) else value
    text = json.dumps(copy)
    if isinstance(value, Raw):
        text = text.replace(json.dumps(_PLACEHOLDER), value.text)
    return text.encode()


#: Values a confused runtime may put in one CNI_* variable (None: leave the variable out).
ODD_ENV_VALUES: dict[str, list[bytes | None]] = {
    "CNI_COMMAND": [None, b"", b"add", b"NOPE", b"ADD;DEL", b"VERSION ", b"\xff\xfeADD"],
    "CNI_CONTAINERID": [None, b"", b"../../etc/passwd", b"a b", b"x" * 5000, b"\xc3\x28bad",
                        b"-leading-dash", b"\t"],
    "CNI_NETNS": [None, b"", b"/var/run/netns/missing", b"not-a-guid",
                  b"00000000-0000-0000-0000-000000000000", b"{bad-guid}", b"\xe2\x82"],
    "CNI_IFNAME": [None, b"", b"eth0/../x", b"x" * 300, b"eth 0", b"\xf0\x28\x8c\x28"],
    "CNI_PATH": [None, b"", b"/nonexistent", b"::::", b"\xff"],
    "CNI_ARGS": [b"", b"IgnoreUnknown=1;K8S_POD_NAMESPACE", b"=;=;=", b"K8S_POD_NAME=\xff",
                 b"a=b=c;;;d=e", b"K8S_POD_NAMESPACE=" + b"n" * 10_000],
}  # fmt: skip
