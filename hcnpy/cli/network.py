"""``hcnpy network list|show|create|delete``."""

from __future__ import annotations

import argparse
from typing import Any

from .context import Context, filter_option, json_option, query_from
from .errors import UsageError
from .inputs import read_object, subnet_document

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``network`` command group to the top-level subparsers."""
    group = commands.add_parser("network", help="HNS networks (Get-HnsNetwork)")
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = sub.add_parser("list", help="list networks")
    filter_option(listing)
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show one network")
    show.add_argument("network", metavar="NETWORK", help="network ID or name")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser(
        "create",
        help="create a network from flags or a V2 JSON file",
        description=(
            "Create a network. Give --subnet (and --gateway) once per subnet, in pairs: "
            "the N-th --gateway belongs to the N-th --subnet."
        ),
    )
    create.add_argument("--name", help="network name (overrides the file's Name)")
    create.add_argument("--type", help="NAT, Transparent, L2Bridge, Overlay, ... (default NAT)")
    create.add_argument(
        "--subnet", action="append", default=[], metavar="PREFIX", help="e.g. 10.0.0.0/16"
    )
    create.add_argument(
        "--gateway", action="append", default=[], metavar="IP", help="e.g. 10.0.0.1"
    )
    create.add_argument("--file", metavar="FILE", help="a V2 HostComputeNetwork JSON document")
    json_option(create)
    create.set_defaults(handler=_create)

    delete = sub.add_parser("delete", help="delete a network")
    delete.add_argument("network", metavar="NETWORK", help="network ID or name")
    delete.add_argument(
        "--missing-ok", action="store_true", help="succeed when the network does not exist"
    )
    delete.set_defaults(handler=_delete)


def _list(ctx: Context) -> int:
    ctx.show_objects("network", ctx.ops.list_networks(query_from(ctx.args)))
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("network", ctx.network(ctx.args.network))
    return 0


def document(args: argparse.Namespace) -> dict[str, Any]:
    """The V2 network document the ``create`` flags describe."""
    if args.file:
        if args.type or args.subnet or args.gateway:
            raise UsageError("--file cannot be combined with --type, --subnet or --gateway")
        from_file = read_object(args.file, "network file")
        if args.name:
            from_file["Name"] = args.name
        return from_file
    if not args.name:
        raise UsageError("network create needs --name (or --file)")
    if len(args.gateway) > len(args.subnet):
        raise UsageError("each --gateway needs a --subnet before it")
    doc: dict[str, Any] = {"Name": args.name, "Type": args.type or "NAT"}
    if args.subnet:
        gateways: list[str | None] = [*args.gateway]
        gateways += [None] * (len(args.subnet) - len(gateways))
        subnets = [subnet_document(p, g) for p, g in zip(args.subnet, gateways, strict=True)]
        doc["Ipams"] = [{"Type": "Static", "Subnets": subnets}]
    doc["SchemaVersion"] = {"Major": 2, "Minor": 0}
    return doc


def _create(ctx: Context) -> int:
    network = ctx.ops.create_network(document(ctx.args))
    ctx.show_object("network", network, detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    return ctx.delete_by_ref("network", ctx.args.network, ctx.network_id, ctx.ops.delete_network)
