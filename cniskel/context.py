"""The per-invocation context handed to plugin verbs."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TypeVar

    from cniskel.args import ArgsSpec, CniArgs
    from cniskel.netconf import GCAttachment, NetConf, RuntimeConfig
    from cniskel.result import Result

    C = TypeVar("C", bound=NetConf)
    A = TypeVar("A", bound=ArgsSpec)


class Context:
    """Everything a verb needs: the ``CNI_*`` values, stdin and the parsed config.

    ``stdin`` is the raw bytes; ``raw_config`` the object decoded from them (once);
    ``config`` the plugin's typed view (``Plugin.config_class``); ``args`` the
    ``CNI_ARGS`` (typed as ``Plugin.args_class`` in ``args.typed``).

    ``env`` is the whole environment the plugin was invoked with (``CNI_*`` values
    normalised), ready to hand to a delegate.

    ``config`` is an instance of the plugin's ``config_class``; ``cni_version``
    is the config's version (``"0.1.0"`` when it declares none);
    ``prev_result`` is parsed on first access, in the config's version.
    """

    def __init__(
        self,
        *,
        command: str,
        container_id: str = "",
        netns: str = "",
        ifname: str = "",
        args: str | CniArgs = "",
        path: str = "",
        netns_override: str = "",
        stdin: bytes = b"",
        config: NetConf,
        cni_version: str = "0.1.0",
        env: Mapping[str, str] | None = None,
    ) -> None:
        from cniskel.args import CniArgs

        self.command = command
        self.container_id = container_id
        self.netns = netns
        self.ifname = ifname
        self.args: CniArgs = CniArgs(args) if isinstance(args, str) else args
        self.path = split_path_list(path)
        self.netns_override = netns_override
        self.stdin = stdin
        self.config = config
        self.cni_version = cni_version
        self.env: Mapping[str, str] = env if env is not None else {}
        self._prev_result: Result | None = None
        self._prev_parsed = False

    def args_as(self, spec: type[A]) -> A:
        """``CNI_ARGS`` typed as ``spec``: the plugin's ``args_class`` instance, parsed once.

        Any other spec is parsed on first use and cached. Raises
        :class:`~cniskel.args.ArgsError` for a malformed string.
        """
        return self.args.load(spec)

    @property
    def hns_namespace(self) -> str:
        """The HNS namespace GUID in ``CNI_NETNS``: a GUID, or a path ending in one.

        ``cniskel add`` (like cnitool) turns NETNS into an absolute path, so a
        runtime-style ``/some/dir/<guid>`` is accepted. Raises
        :class:`~cniskel.CniError` code 4 (invalid environment variables) otherwise.
        """
        from cniskel.codes import ErrorCode
        from cniskel.errors import CniError
        from hcnpy.guid import is_guid

        last = self.netns.replace("\\", "/").rstrip("/").rpartition("/")[2]
        if is_guid(last):
            return last
        raise CniError(
            ErrorCode.INVALID_ENVIRONMENT_VARIABLES,
            "CNI_NETNS is not an HNS namespace GUID",
            f"CNI_NETNS={self.netns!r}: expected a GUID or a path whose last part is one",
        )

    def config_as(self, config_class: type[C]) -> C:
        """``config`` typed as the plugin's own class (raises TypeError otherwise)."""
        if not isinstance(self.config, config_class):
            raise TypeError(f"config is {type(self.config).__name__}, not {config_class.__name__}")
        return self.config

    @property
    def raw_config(self) -> dict[str, object]:
        """The decoded stdin object, unchanged."""
        return self.config.raw

    @property
    def runtime_config(self) -> RuntimeConfig:
        """``runtimeConfig`` (capability arguments); empty when absent."""
        return self.config.runtime_config

    @property
    def valid_attachments(self) -> list[GCAttachment]:
        """GC's valid attachments (either key; ``null`` or absent is empty)."""
        return self.config.valid_attachments

    @property
    def prev_result(self) -> Result | None:
        """``prevResult`` parsed in the config's version, or None when absent.

        Raises :class:`~cniskel.CniError` (code 6) when it cannot be parsed.
        """
        if not self._prev_parsed:
            self._prev_result = parse_prev_result(self.config.raw, self.config.cni_version)
            self._prev_parsed = True
        return self._prev_result

    def __repr__(self) -> str:
        return (
            f"Context(command={self.command!r}, container_id={self.container_id!r}, "
            f"netns={self.netns!r}, ifname={self.ifname!r}, args={self.args.raw!r})"
        )


def split_path_list(value: str, separator: str = os.pathsep) -> list[str]:
    """Split a ``CNI_PATH``-style list (Go ``filepath.SplitList``: ``""`` is empty)."""
    return value.split(separator) if value else []


def parse_prev_result(raw_config: Mapping[str, object], config_version: str) -> Result | None:
    """Go's ``version.ParsePrevResult`` after decoding the config into ``types.NetConf``.

    ``prevResult`` goes through Go's ``map[string]interface{}``: numbers become float64
    (``1.0`` is ``1``; a number beyond float64 is an error), keys are sorted, a missing
    or empty ``CNIVersion`` key (exactly so spelt) is set to ``config_version``, and the
    result is created in ``config_version``. Errors are :class:`~cniskel.CniError` code 6
    ``could not parse prevResult: ...`` with Go's wording.
    """
    from cniskel._godecode import ANY, Field, Map, Struct, go_map_roundtrip, unmarshal
    from cniskel.codes import ErrorCode
    from cniskel.errors import CniError
    from cniskel.result import Result, ResultError

    schema = Struct("NetConf", "types.NetConf", [Field("prevResult", Map(ANY, _MAP_TYPE))])
    try:
        raw = unmarshal(raw_config, schema)["prevResult"]
    except Exception as exc:  # a Go type error (float64 overflow, not an object)
        raise CniError(ErrorCode.DECODING_FAILURE, f"could not parse prevResult: {exc}") from None
    if raw is None:
        return None
    if raw.get("CNIVersion", "") == "":
        raw["CNIVersion"] = config_version
    try:
        return Result.from_dict(go_map_roundtrip(raw), config_version)
    except ResultError as exc:
        raise CniError(ErrorCode.DECODING_FAILURE, f"could not parse prevResult: {exc}") from None


_MAP_TYPE = "map[string]interface {}"
