"""``hcnpy route list|show|create|delete`` (SDN routes)."""

from __future__ import annotations

from typing import Any

from .context import Context, filter_option, json_option, query_from
from .errors import UsageError
from .inputs import read_object

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``route`` command group to the top-level subparsers."""
    group = commands.add_parser("route", help="HNS SDN routes")
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = sub.add_parser("list", help="list SDN routes")
    filter_option(listing)
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show one SDN route")
    show.add_argument("route", metavar="ROUTE_ID")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="create an SDN route")
    create.add_argument("--file", metavar="FILE", help="a V2 HostComputeRoute JSON document")
    create.add_argument("--endpoint", action="append", default=[], metavar="ENDPOINT_ID")
    create.add_argument("--destination", metavar="PREFIX", help="e.g. 10.1.0.0/16")
    create.add_argument("--next-hop", metavar="IP")
    create.add_argument("--encap", action="store_true", help="set NeedEncap")
    json_option(create)
    create.set_defaults(handler=_create)

    delete = sub.add_parser("delete", help="delete an SDN route")
    delete.add_argument("route", metavar="ROUTE_ID")
    delete.add_argument("--missing-ok", action="store_true")
    delete.set_defaults(handler=_delete)


def _list(ctx: Context) -> int:
    ctx.show_objects("route", ctx.ops.list_routes(query_from(ctx.args)))
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("route", ctx.ops.get_route(ctx.args.route))
    return 0


def _create(ctx: Context) -> int:
    args = ctx.args
    if args.file:
        if args.endpoint or args.destination or args.next_hop:
            raise UsageError("--file cannot be combined with --endpoint/--destination/--next-hop")
        route = ctx.ops.create_route(read_object(args.file, "route file"))
    else:
        if not (args.endpoint and args.destination and args.next_hop):
            raise UsageError("route create needs --file, or --endpoint, --destination, --next-hop")
        route = ctx.ops.add_route(
            args.endpoint, args.destination, args.next_hop, need_encapsulation=args.encap
        )
    ctx.show_object("route", route, detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    ctx.ops.delete_route(ctx.args.route, missing_ok=ctx.args.missing_ok)
    ctx.say(f"Deleted route {ctx.args.route}")
    return 0
