"""What the dispatcher needs of a plugin, as a protocol (for type checking only).

The dispatcher sits below :mod:`cniskel.plugin` (``Plugin.main`` calls it), so it
names the plugin through this protocol instead of importing the class.
"""

from __future__ import annotations

from typing import Protocol

from cniskel.args import ArgsSpec
from cniskel.context import Context
from cniskel.netconf import NetConf


class PluginLike(Protocol):
    """The attributes and verbs :func:`cniskel.dispatch.dispatch` uses."""

    supported_versions: tuple[str, ...] | list[str]
    about: str
    config_class: type[NetConf] | None
    parse_config: bool
    args_class: type[ArgsSpec] | None
    unknown_config_keys: str
    require_cni_path: bool
    version_echo_request: bool
    error_cni_version: bool
    netns_check: bool

    def add(self, ctx: Context) -> object: ...

    def delete(self, ctx: Context) -> None: ...

    def check(self, ctx: Context) -> None: ...

    def gc(self, ctx: Context) -> None: ...

    def status(self, ctx: Context) -> None: ...
