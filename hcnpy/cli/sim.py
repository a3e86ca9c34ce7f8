"""``hcnpy sim reset`` and ``hcnpy sim version [X.Y]``: manage the simulated HNS's state.

``hcnpy sim datapath`` and ``hcnpy sim exec`` (the Linux datapath) live in :mod:`.simnet`.
"""

from __future__ import annotations

from typing import Any

from . import simnet
from .context import Context
from .errors import UsageError

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``sim`` command group to the top-level subparsers."""
    group = commands.add_parser(
        "sim",
        help="the simulated HNS (state file from HCNPY_SIM_STATE)",
        description=(
            "Manage the simulated HNS. The state file is $HCNPY_SIM_STATE, or the default "
            "under $XDG_STATE_HOME/hcnpy/."
        ),
    )
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reset = sub.add_parser("reset", help="delete every simulated object and allocation")
    reset.set_defaults(handler=_reset)
    version = sub.add_parser("version", help="show or set the simulated HNS version")
    version.add_argument("version", nargs="?", metavar="X.Y", help="e.g. 9.2 or 15.5")
    version.add_argument(
        "--default", action="store_true", help="return to the built-in default version"
    )
    version.set_defaults(handler=_version)
    simnet.register(sub)


def _reset(ctx: Context) -> int:
    from ..sim import state
    from ..sim.datapath import from_environment

    path = state.resolve_state_path()
    datapath = from_environment(path)  # with the datapath on, the kernel side goes too
    state.reset(path)
    if datapath is not None:
        datapath.cleanup()
    ctx.say(f"Reset simulated HNS state {path}")
    return 0


def _version(ctx: Context) -> int:
    from ..sim import state
    from ..sim.versions import SimVersion

    if ctx.args.version and ctx.args.default:
        raise UsageError("give X.Y or --default, not both")
    if ctx.args.version:
        try:
            wanted = SimVersion.parse(ctx.args.version)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        state.set_version(wanted)
    elif ctx.args.default:
        state.set_version(None)
    ctx.say(str(state.get_version()))
    return 0
