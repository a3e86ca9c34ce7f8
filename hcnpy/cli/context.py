"""What every command gets: parsed options, a lazily loaded :class:`hcnpy.ops.Ops`, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import NotFoundError
from . import tables
from .resolve import KINDS, resolve, resolve_id

if TYPE_CHECKING:
    from ..ops import JsonDict, Ops

__all__ = ["Context", "filter_option", "json_option", "query_from"]


class Context:
    """One command invocation: its options, its HCN connection and its output stream."""

    def __init__(self, args: argparse.Namespace, out: TextIO | None = None) -> None:
        self.args = args
        self.out = out if out is not None else sys.stdout
        self._ops: Ops | None = None

    @property
    def ops(self) -> Ops:
        """The wire-level operations, connected on first use (``--backend``, ``--timeout``)."""
        if self._ops is None:
            from ..ops import connect

            self._ops = connect(self.args.backend, timeout=self.args.timeout)
        return self._ops

    @property
    def json(self) -> bool:
        """True when the command was given ``--json``."""
        return bool(getattr(self.args, "json", False))

    def say(self, text: str) -> None:
        """Print one line (or block) of readable output."""
        print(text, file=self.out)

    def emit_json(self, value: Any) -> None:
        """Print HNS-style V2 JSON (PascalCase keys as HNS returns them), indented."""
        print(json.dumps(value, indent=2), file=self.out)

    def network_names(self) -> dict[str, str]:
        """Lower-case network ID -> name, for the endpoint table's Network column."""
        names: dict[str, str] = {}
        for network in self.ops.list_networks():
            network_id = tables.field(network, "ID")
            if isinstance(network_id, str):
                names[network_id.lower()] = str(tables.field(network, "Name") or network_id)
        return names

    def show_objects(self, kind: str, docs: Sequence[Mapping[str, Any]]) -> None:
        """Print a list: a JSON array with ``--json``, else a table."""
        if self.json:
            self.emit_json(list(docs))
            return
        if not docs:
            self.say(f"(no {KINDS[kind].name}s)")
            return
        names = self.network_names() if kind == "endpoint" else None
        self.say(tables.render(kind, docs, names))

    def show_object(self, kind: str, doc: Mapping[str, Any], *, detailed: bool = True) -> None:
        """Print one object: JSON with ``--json``, else ``Label : value`` lines or a row."""
        if self.json:
            self.emit_json(doc)
            return
        names = self.network_names() if kind == "endpoint" else None
        if detailed:
            self.say(tables.render_details(tables.details(kind, doc, names)))
        else:
            self.say(tables.render(kind, [doc], names))

    def resolve(self, kind: str, ref: str) -> JsonDict:
        """The ``kind`` object ``ref`` names (see :mod:`hcnpy.cli.resolve`)."""
        return resolve(self.ops, kind, ref)

    def resolve_id(self, kind: str, ref: str) -> str:
        """The ID of the ``kind`` object ``ref`` names."""
        return resolve_id(self.ops, kind, ref)

    def delete(self, kind: str, ref: str, delete: Callable[[str], None]) -> int:
        """Delete the ``kind`` object ``ref`` names; ``--missing-ok`` makes a miss success.

        Says "Deleted" only for an object that was there and is now gone.
        """
        missing_ok: bool = self.args.missing_ok
        try:
            target = self.resolve_id(kind, ref)
        except NotFoundError as exc:
            if not missing_ok:
                raise
            self.say(f"{exc}: nothing deleted")
            return 0
        try:
            delete(target)
        except NotFoundError:
            if not missing_ok:
                raise
            self.say(f"{KINDS[kind].title} {target} is already gone: nothing deleted")
            return 0
        self.say(f"Deleted {KINDS[kind].name} {target}")
        return 0


def json_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--json`` (print HNS-style V2 JSON instead of a table)."""
    parser.add_argument(
        "--json", action="store_true", help="print HNS-style V2 JSON instead of a table"
    )


def filter_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--filter JSON`` (a HostComputeQuery filter such as '{"Name": "x"}')."""
    parser.add_argument(
        "--filter",
        metavar="JSON",
        help='only objects matching this query filter, e.g. \'{"Name": "natNet"}\'',
    )


def query_from(args: argparse.Namespace) -> dict[str, Any] | None:
    """The HostComputeQuery for ``--filter``, or ``None`` for "everything"."""
    from .errors import UsageError

    text = getattr(args, "filter", None)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--filter is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError("--filter must be a JSON object")
    return {
        "SchemaVersion": {"Major": 2, "Minor": 0},
        "Filter": json.dumps(value, separators=(",", ":")),
    }
