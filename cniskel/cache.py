"""The runtime's result cache, in libcni's on-disk format.

``<cache_dir>/results/<network>-<containerID>-<ifname>`` holds a compact JSON
object with ``kind`` = ``"cniCacheV1"``, the attachment's identity, the network
config bytes (base64, as Go serialises ``[]byte``) and the final ADD result.
Files written by libcni are readable here and the other way round; legacy
files holding a bare result are read too.

Entries are written 0600 in a 0700 directory and never through a symlink
(:mod:`hcnpy.safefiles`): the cache holds every attachment's config, and the
runtime runs as root.
"""

from __future__ import annotations

import base64
import contextlib
import os

from cniskel._gojson import GoDecodeError, loads, marshal
from cniskel.result import Result, ResultError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

KIND = "cniCacheV1"
DEFAULT_CACHE_DIR = "/var/lib/cni"


def _sorted_deep(value: object) -> object:
    # The Go side stores the result through map[string]interface{}: sorted keys.
    if isinstance(value, dict):
        return {k: _sorted_deep(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_deep(v) for v in value]
    return value


class CachedAttachment:
    """One cache entry (libcni's ``NetworkAttachment`` plus the raw result)."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self.container_id = str(data.get("containerId", ""))
        self.network = str(data.get("networkName", ""))
        self.ifname = str(data.get("ifName", ""))
        self.netns = str(data.get("netns", "") or "")
        config = data.get("config", "")
        self.config = base64.b64decode(config) if isinstance(config, str) else b""
        args = data.get("cniArgs")
        pairs = args if isinstance(args, list) else []
        self.cni_args = [
            (str(p[0]), str(p[1])) for p in pairs if isinstance(p, list) and len(p) == 2
        ]
        caps = data.get("capabilityArgs") or {}
        self.capability_args: dict[str, object] = dict(caps) if isinstance(caps, dict) else {}
        raw_result = data.get("result")
        self.raw_result: dict[str, object] | None = (
            raw_result if isinstance(raw_result, dict) else None
        )


class ResultCache:
    """Read and write cached ADD results under ``cache_dir``."""

    def __init__(self, cache_dir: str = DEFAULT_CACHE_DIR) -> None:
        self.cache_dir = cache_dir

    def path(self, network: str, container_id: str, ifname: str) -> str:
        """The cache file of one attachment."""
        return os.path.join(self.cache_dir, "results", f"{network}-{container_id}-{ifname}")

    def add(
        self,
        result: Result,
        config: bytes,
        network: str,
        *,
        container_id: str,
        ifname: str,
        netns: str = "",
        cni_args: Sequence[tuple[str, str]] = (),
        capability_args: Mapping[str, object] | None = None,
    ) -> None:
        """Store the final ADD ``result`` of an attachment."""
        entry: dict[str, object] = {
            "kind": KIND,
            "containerId": container_id,
            "config": base64.b64encode(config).decode("ascii"),
            "ifName": ifname,
            "networkName": network,
        }
        if netns:
            entry["netns"] = netns
        if cni_args:
            entry["cniArgs"] = [[k, v] for k, v in cni_args]
        if capability_args:
            entry["capabilityArgs"] = _sorted_deep(dict(capability_args))
        entry["result"] = _sorted_deep(result.to_dict())
        path = self.path(network, container_id, ifname)
        from hcnpy.safefiles import open_private, refuse_symlink

        directory = os.path.dirname(path)
        refuse_symlink(directory)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal(entry))

    def read(self, network: str, container_id: str, ifname: str) -> bytes | None:
        """The raw cache file, or None when there is none (or it is a symlink)."""
        return _read_entry(self.path(network, container_id, ifname))

    def result(
        self, network: str, cni_version: str, container_id: str, ifname: str
    ) -> Result | None:
        """The cached result converted to ``cni_version``; None when not cached.

        Raises :class:`~cniskel.result.ResultError` for an unreadable entry.
        """
        data = self.read(network, container_id, ifname)
        if data is None:
            return None
        try:
            decoded = loads(data)
        except GoDecodeError as exc:
            raise ResultError(
                f"failed to unmarshal cached network {network!r} config: {exc}"
            ) from None
        if isinstance(decoded, dict) and decoded.get("kind") == KIND:
            decoded = decoded.get("result")
        if not isinstance(decoded, dict):
            raise ResultError(f"cached result of network {network!r} is not an object")
        version = decoded.get("cniVersion") or "0.1.0"
        result = Result.from_dict(decoded, str(version))
        try:
            return result.convert(cni_version)
        except ResultError as exc:
            raise ResultError(
                f'failed to convert cached result to config version "{cni_version}": {exc}'
            ) from None

    def delete(self, network: str, container_id: str, ifname: str) -> None:
        """Remove an attachment's entry (missing is fine)."""
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path(network, container_id, ifname))

    def attachments(self, container_id: str = "") -> list[CachedAttachment]:
        """Every readable ``cniCacheV1`` entry, optionally for one container."""
        directory = os.path.join(self.cache_dir, "results")
        try:
            names = sorted(os.listdir(directory))
        except FileNotFoundError:
            return []
        found = []
        for name in names:
            data = _read_entry(os.path.join(directory, name))
            try:
                decoded = loads(data) if data is not None else None
            except GoDecodeError:
                continue
            if not isinstance(decoded, dict) or decoded.get("kind") != KIND:
                continue
            attachment = CachedAttachment(decoded)
            if container_id and attachment.container_id != container_id:
                continue
            found.append(attachment)
        return found


def _read_entry(path: str) -> bytes | None:
    """A cache file's bytes; None when it is missing, unreadable or a symlink."""
    from hcnpy.safefiles import open_private

    try:
        fd = open_private(path, os.O_RDONLY)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
