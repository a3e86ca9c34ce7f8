"""The plugin base class.

This module is on the VERSION fast path: it imports only ``os`` and ``sys``
(both already loaded by the interpreter) and cniskel's dependency-free parts.
"""

from __future__ import annotations

import os
import sys

from cniskel._version import ALL_VERSIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cniskel.args import ArgsSpec
    from cniskel.context import Context
    from cniskel.netconf import NetConf
    from cniskel.result import Result


class Plugin:
    """Subclass and override the verbs you implement.

    A verb you do not override behaves like the reference's nil callback:
    success with no output. ``add`` returns a :class:`~cniskel.Result` (printed
    in the config's ``cniVersion``); raise :class:`~cniskel.CniError` to
    report an error; any other exception is reported as code 999.
    """

    #: Spec versions the plugin accepts; reconciliation is by exact membership.
    supported_versions: tuple[str, ...] | list[str] = ALL_VERSIONS
    #: Printed (with the supported versions) to stderr when run with no CNI_COMMAND.
    about: str = ""
    #: The class stdin is decoded into (``ctx.config``); a :class:`~cniskel.NetConf` subclass.
    #: Stdin is parsed once: ``ctx.stdin`` holds the raw bytes, ``ctx.raw_config`` the
    #: decoded object and ``ctx.config`` this typed view of it.
    config_class: type[NetConf] | None = None
    #: False: the plugin parses its configuration itself (from ``ctx.stdin`` or
    #: ``ctx.raw_config``); ``ctx.config`` then holds only ``cniVersion``, ``name`` and
    #: ``type``, and nothing else is type-checked or reported.
    parse_config: bool = True
    #: A :class:`~cniskel.args.ArgsSpec` subclass: ``CNI_ARGS`` is parsed once into it
    #: before the verb runs (``ctx.args.typed``, ``ctx.args_as(MyArgs)``); a malformed
    #: value is code 4 (invalid environment variables).
    args_class: type[ArgsSpec] | None = None
    #: Top-level keys of stdin that the typed configuration does not declare:
    #: ``"warn"`` (a line on stderr naming the closest known key), ``"error"`` (code 7)
    #: or ``"ignore"``. See :mod:`cniskel.keycheck`.
    unknown_config_keys: str = "warn"
    #: Divergence switches, see docs/cniskel/divergences.md.
    require_cni_path: bool = True
    version_echo_request: bool = False
    error_cni_version: bool = False
    netns_check: bool = True

    def add(self, ctx: Context) -> Result | None:
        """ADD: set up the attachment and return its result."""
        return None

    def delete(self, ctx: Context) -> None:
        """DEL: release everything; must succeed when things are already gone."""

    def check(self, ctx: Context) -> None:
        """CHECK (config >= 0.4.0): raise if the attachment is not as ``ctx.prev_result`` says."""

    def gc(self, ctx: Context) -> None:
        """GC (config >= 1.1.0): release resources not in ``ctx.valid_attachments``."""

    def status(self, ctx: Context) -> None:
        """STATUS (config >= 1.1.0): raise code 50/51 when ADD cannot be served."""

    @classmethod
    def main(cls) -> None:
        """Process entry point: dispatch using the real environment and exit."""
        from cniskel.dispatch import dispatch

        code = dispatch(
            cls(),
            os.environ,
            sys.stdin.buffer,
            sys.stdout.buffer,
            sys.stderr.buffer,
            guard_stdout=True,
        )
        sys.stdout.flush()
        sys.exit(code)


# The dispatcher treats a verb that still is one of these as not implemented (the
# reference's nil callback); it recognises them by this mark, without importing Plugin.
for _verb in (Plugin.add, Plugin.delete, Plugin.check, Plugin.gc, Plugin.status):
    setattr(_verb, "_cniskel_default_verb", True)  # noqa: B010
del _verb
