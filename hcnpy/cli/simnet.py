"""``hcnpy sim datapath`` and ``hcnpy sim exec``: the simulator's Linux datapath for operators.

``sim datapath`` shows an instance's namespaces, rebuilds its kernel state from the state file
(``--reconcile``) or removes it (``--cleanup``); ``sim exec`` runs a command inside an HNS
namespace's Linux namespace, the simulated host (``--host``) or the outside network
(``--external``). See ``docs/hcnpy/datapath.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..guid import is_guid
from .context import Context
from .errors import UsageError

__all__ = ["register"]


def register(sim: Any) -> None:
    """Add ``datapath`` and ``exec`` to the ``sim`` command group's subparsers."""
    datapath = sim.add_parser(
        "datapath",
        help="the Linux datapath (HCNPY_SIM_DATAPATH=netns): status, --reconcile, --cleanup",
        description=(
            "Without options: which Linux namespaces this state file's simulated HNS has. "
            "--reconcile rebuilds the kernel state from the state file; --cleanup removes "
            "everything the datapath created. Both need root."
        ),
    )
    action = datapath.add_mutually_exclusive_group()
    action.add_argument(
        "--reconcile", action="store_true", help="rebuild the kernel state from the state file"
    )
    action.add_argument(
        "--cleanup", action="store_true", help="delete every namespace the datapath created"
    )
    datapath.add_argument(
        "--all-instances",
        action="store_true",
        help="with --cleanup: every simulated HNS's namespaces, not only this state file's",
    )
    datapath.add_argument("--json", action="store_true", help="print the status as JSON")
    datapath.set_defaults(handler=_datapath)

    run = sim.add_parser(
        "exec",
        help="run a command in an HNS namespace, the simulated host or the outside network",
        description=(
            "hcnpy sim exec NAMESPACE_ID -- CMD ...   |   --host -- CMD ...   |   "
            "--external -- CMD ...   (needs root and the datapath's namespaces)"
        ),
    )
    where = run.add_mutually_exclusive_group()
    where.add_argument("--host", action="store_true", help="in the simulated Windows host")
    where.add_argument("--external", action="store_true", help="in the outside network")
    run.add_argument(
        "argv", nargs=argparse.REMAINDER, metavar="[NAMESPACE_ID] -- CMD", help="what to run"
    )
    run.set_defaults(handler=_exec)


def _state_path() -> str:
    from ..sim.state import resolve_state_path

    return resolve_state_path()


def _datapath(ctx: Context) -> int:
    args = ctx.args
    if args.all_instances and not args.cleanup:
        raise UsageError("--all-instances goes with --cleanup")
    if args.reconcile:
        return _reconcile(ctx)
    if args.cleanup:
        return _cleanup(ctx, args.all_instances)
    return _status(ctx)


def _status(ctx: Context) -> int:
    from ..sim.datapath import DATAPATH_ENV
    from ..sim.datapath.names import Names
    from ..sim.state import Store

    path = _state_path()
    names = Names.for_state(path)
    store = Store(path)
    try:
        with store.transaction(write=False) as tx:
            hns_namespaces = [oid for oid, _ in tx.all("Namespace")]
    finally:
        store.close()
    present = names.all_present()
    mirrored = [oid for oid in hns_namespaces if names.namespace(oid) in present]
    known = {names.host, names.external} | {names.namespace(oid) for oid in hns_namespaces}
    stale = [name for name in present if name not in known]
    status: dict[str, Any] = {
        "StateFile": path,
        "Prefix": names.prefix,
        "Switch": f"{DATAPATH_ENV}={os.environ.get(DATAPATH_ENV, '')}",
        "Host": names.host if names.host in present else None,
        "External": names.external if names.external in present else None,
        "HnsNamespaces": len(hns_namespaces),
        "Mirrored": len(mirrored),
        "Stale": stale,
    }
    if ctx.json:
        ctx.emit_json(status)
        return 0
    ctx.say(f"State file  : {path}")
    ctx.say(f"Prefix      : {names.prefix}  (every namespace of this simulated HNS)")
    ctx.say(f"Switch      : {status['Switch']}")
    ctx.say(f"Host        : {status['Host'] or '(none)'}")
    ctx.say(f"External    : {status['External'] or '(none)'}")
    ctx.say(f"Namespaces  : {len(mirrored)} of {len(hns_namespaces)} HNS namespaces mirrored")
    if stale:
        ctx.say(f"Stale       : {', '.join(stale)} (hcnpy sim datapath --reconcile)")
    return 0


def _reconcile(ctx: Context) -> int:
    from ..sim.datapath import open_datapath
    from ..sim.state import Store

    path = _state_path()
    datapath = open_datapath(path)
    store = Store(path)
    try:
        with store.transaction(write=True) as tx:  # no plugin changes the state meanwhile
            problems = datapath.reconcile(tx)
    finally:
        store.close()
    for problem in problems:
        print(f"hcnpy: not mirrored: {problem}", file=sys.stderr)
    ctx.say(f"Reconciled {datapath.names.prefix}* with {path}")
    return 1 if problems else 0


def _cleanup(ctx: Context, every_instance: bool) -> int:
    from ..sim.datapath import open_datapath
    from ..sim.state import Store

    path = _state_path()
    datapath = open_datapath(path)
    store = Store(path)
    try:
        with store.transaction(write=True):
            removed = datapath.cleanup(every_instance)
    finally:
        store.close()
    ctx.say(f"Removed {len(removed)} namespace(s)" + "".join(f"\n  {n}" for n in removed))
    return 0


def _exec(ctx: Context) -> int:
    from ..sim.datapath import open_datapath
    from ..sim.datapath.names import Names

    argv = list(ctx.args.argv)
    split = argv.index("--") if "--" in argv else -1
    target, command = argv[: max(split, 0)], argv[split + 1 :]
    if not command:
        raise UsageError("nothing to run: hcnpy sim exec [NAMESPACE_ID|--host|--external] -- CMD")
    if ctx.args.host or ctx.args.external:
        if target:
            raise UsageError(f"give a namespace ID or --host/--external, not both ({target[0]})")
    elif len(target) != 1 or not is_guid(target[0]):
        raise UsageError("give one HNS namespace ID (a GUID), --host or --external before --")
    path = _state_path()
    names = Names.for_state(path)
    if ctx.args.host:
        netns = names.host
    elif ctx.args.external:
        netns = names.external
    else:
        netns = _namespace_netns(names, path, target[0])
    if not names.exists(netns):
        raise UsageError(
            f"{netns} does not exist: the datapath is off or its state was lost "
            "(HCNPY_SIM_DATAPATH=netns; hcnpy sim datapath --reconcile builds it)"
        )
    nsenter = open_datapath(path).kernel.tools.nsenter
    sys.stdout.flush()
    os.execv(nsenter, [nsenter, f"--net={names.path(netns)}", "--", *command])
    return 0  # not reached


def _namespace_netns(names: Any, path: str, text: str) -> str:
    import uuid

    from ..sim.state import Store

    namespace_id = str(uuid.UUID(text))
    store = Store(path)
    try:
        with store.transaction(write=False) as tx:
            known = tx.get("Namespace", namespace_id) is not None
    finally:
        store.close()
    if not known:
        raise UsageError(f"no HNS namespace {namespace_id} in {path}")
    return str(names.namespace(namespace_id))
