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
    """The attributes and verbs :func:`cniskel.dispatch.dispatch` uses (read-only)."""

    @property
    def supported_versions(self) -> tuple[str, ...] | list[str]: ...

    @property
    def about(self) -> str: ...

    @property
    def config_class(self) -> type[NetConf] | None: ...

    @property
    def parse_config(self) -> bool: ...

    @property
    def args_class(self) -> type[ArgsSpec] | None: ...

    @property
    def unknown_config_keys(self) -> str: ...

    @property
    def require_cni_path(self) -> bool: ...

    @property
    def version_echo_request(self) -> bool: ...

    @property
    def error_cni_version(self) -> bool: ...

    @property
    def netns_check(self) -> bool: ...

    def add(self, ctx: Context) -> object: ...

    def delete(self, ctx: Context) -> None: ...

    def check(self, ctx: Context) -> None: ...

    def gc(self, ctx: Context) -> None: ...

    def status(self, ctx: Context) -> None: ...
