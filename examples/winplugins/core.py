"""The shared core of nat, sdnbridge and sdnoverlay: one plugin class, three declarations.

A concrete plugin (see ``nat.py``) subclasses :class:`WindowsPlugin` and declares which
configuration ``type`` values it answers to and which HNS network types it drives. The verbs
themselves are in ``flows.py``; this module turns every failure into a CNI error (never a
traceback) and keeps VERSION cheap: it imports only the skeleton, and ``flows`` (with hcnpy
and the HCN library) is loaded when a verb actually runs. The configuration is decoded once,
by the skeleton; ``config.py`` reads the decoded object.
"""

from __future__ import annotations

import gc

from cniskel.errors import CniError
from cniskel.plugin import Plugin

from .errors import ERR_GENERAL, PluginError
from .spec import Declarations

TYPE_CHECKING = False  # typing.TYPE_CHECKING would import typing (milliseconds) on VERSION
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    from cniskel.context import Context
    from cniskel.result import Result

    from .flows import Operation

    T = TypeVar("T")

__all__ = ["SUPPORTED_VERSIONS", "WindowsPlugin", "leave", "run"]

#: 0.1.0 is left out on purpose: it is what a configuration *without* ``cniVersion`` means,
#: and the reference never accepted it. Such a configuration gets code 1 naming these.
SUPPORTED_VERSIONS = ("0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")


class WindowsPlugin(Plugin):
    """The Windows CNI plugin; a subclass declares what it handles (see ``nat.py``)."""

    #: Config ``type`` values this plugin answers to (compared case-insensitively).
    config_types: tuple[str, ...] = ()
    #: HNS network types (the network's ``Type``) this plugin can attach containers to.
    network_types: tuple[str, ...] = ()
    #: Network types on which ``optionalFlags.enableDualStack`` is allowed (empty: none).
    dual_stack_network_types: tuple[str, ...] = ()

    supported_versions = SUPPORTED_VERSIONS
    # config.py parses the configuration from ctx.raw_config (decoded once, by cniskel);
    # the skeleton reads only what it needs itself (name, cniVersion, GC's attachments).
    parse_config = False
    #: Unknown top-level and ``optionalFlags`` keys: ``"warn"`` (stderr), ``"error"`` (code
    #: 7) or ``"ignore"``; checked by ``config.py``, which knows the plugins' keys.
    unknown_config_keys = "warn"

    def declarations(self) -> Declarations:
        """What this plugin declared, as the verbs in ``flows.py`` read it."""
        return Declarations(
            self.config_types,
            self.network_types,
            self.dual_stack_network_types,
            self.unknown_config_keys,
        )

    def name(self) -> str:
        return self.declarations().name

    # -- the verbs: each one runs the matching step list of flows.Operation ---------------

    def add(self, ctx: Context) -> Result:
        return self._run(ctx, "ADD", lambda op: op.add())

    def delete(self, ctx: Context) -> None:
        self._run(ctx, "DEL", lambda op: op.delete(), deleting=True)

    def check(self, ctx: Context) -> None:
        self._run(ctx, "CHECK", lambda op: op.check())

    def gc(self, ctx: Context) -> None:
        self._run(ctx, "GC", lambda op: op.gc(), deleting=True)

    def status(self, ctx: Context) -> None:
        self._run(ctx, "STATUS", lambda op: op.status())

    def _run(
        self,
        ctx: Context,
        verb: str,
        step: Callable[[Operation], T],
        *,
        deleting: bool = False,
    ) -> T:
        """Run a verb; every failure leaves as a CNI error, never as a traceback."""
        try:
            from .flows import Operation

            return step(Operation(self.declarations(), ctx))
        except CniError:
            raise  # the skeleton's or an IPAM delegate's error, passed on unchanged
        except PluginError as err:
            raise CniError(err.code, err.msg, err.details) from None
        except Exception as exc:
            raise _translate(exc, f"{verb} {ctx.container_id}", deleting) from None


def _translate(exc: Exception, doing: str, deleting: bool) -> CniError:
    """An unexpected exception as a CNI error: HNS failures by their HRESULT (66/71/81,
    11 on DEL/GC), an IPAM plugin that could not be run, or an internal error (66)."""
    from cniskel.invoke import InvokeError
    from hcnpy.errors import HcnError

    from .errors import from_hcn_error

    if isinstance(exc, HcnError):
        mapped = from_hcn_error(exc, doing, deleting=deleting)
        return CniError(mapped.code, mapped.msg, mapped.details)
    if isinstance(exc, InvokeError):
        return CniError(ERR_GENERAL, f"{doing}: the IPAM plugin could not be run: {exc}")
    return CniError(
        ERR_GENERAL, f"{doing}: internal error in the plugin", f"{type(exc).__name__}: {exc}"
    )


def run(plugin: type[WindowsPlugin]) -> None:
    """Console-script entry point: run ``plugin`` as a CNI plugin process and exit.

    The answer is on stdout once the verb returns; the process then leaves at once
    (``os._exit`` after flushing stdout, stderr and any logging handler) instead of tearing
    the interpreter down module by module, which costs a plugin run several milliseconds and
    buys nothing: the plugin holds no state that outlives it but files it wrote and closed,
    and an HNS call a deadline gave up on must not keep the process alive.

    The cyclic garbage collector is off for the process: it lives for one verb, makes little
    garbage, and the collections its imports would trigger cost about 1 ms a run.
    """
    gc.disable()
    try:
        plugin.main()
    except SystemExit as done:
        leave(done.code)
    finally:
        # Reached only when main() raised something else (a bug): exit the normal way, but
        # keep the interpreter's final garbage collections off the objects the imports made.
        gc.freeze()


def leave(code: object) -> None:
    """Flush what the process wrote and end it now with ``code`` (as ``sys.exit`` reads it)."""
    import os
    import sys

    status = code if isinstance(code, int) else (0 if code is None else 1)
    logging = sys.modules.get("logging")
    for flush in (
        getattr(logging, "shutdown", None),
        sys.stdout.flush,
        sys.stderr.flush,
    ):
        if flush is not None:
            try:
                flush()
            except Exception:  # a closed pipe: nothing more can be said anyway
                status = status or 1
    os._exit(status)
