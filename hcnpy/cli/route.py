"""``hcnpy route list|show|create|delete`` (SDN routes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from .context import Context, filter_option, json_option, query_from
from .errors import UsageError
from .inputs import read_object
from .typed import checked, decode, prechecked

if TYPE_CHECKING:
    from ..models.route import SdnRoute

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
    create.add_argument(
        "--endpoint",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="endpoint ID or name (repeatable)",
    )
    create.add_argument("--destination", metavar="PREFIX", help="e.g. 10.1.0.0/16")
    create.add_argument("--next-hop", metavar="IP", help="e.g. 10.0.0.1")
    create.add_argument("--encap", action="store_true", help="set NeedEncap")
    json_option(create)
    create.set_defaults(handler=_create)

    delete = sub.add_parser("delete", help="delete an SDN route")
    delete.add_argument("route", metavar="ROUTE_ID")
    delete.add_argument(
        "--missing-ok", action="store_true", help="succeed when the route does not exist"
    )
    delete.set_defaults(handler=_delete)


def _list(ctx: Context) -> int:
    ctx.show_objects("route", ctx.ops.list_routes(query_from(ctx.args)))
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("route", ctx.resolve("route", ctx.args.route))
    return 0


def _from_flags(ctx: Context) -> SdnRoute:
    from ..models.policies.shared import SDNRoutePolicySetting
    from ..models.route import SdnRoute

    args = ctx.args
    if not (args.endpoint and args.destination and args.next_hop):
        raise UsageError("route create needs --file, or --endpoint, --destination, --next-hop")
    setting = SDNRoutePolicySetting(
        destination_prefix=args.destination,
        next_hop=args.next_hop,
        need_encap=True if args.encap else None,
    )
    draft = prechecked(SdnRoute(routes=(setting,)), "route")
    endpoint_ids = tuple(ctx.resolve_id("endpoint", ref) for ref in args.endpoint)
    return attrs.evolve(draft, host_compute_endpoints=endpoint_ids)


def _create(ctx: Context) -> int:
    from ..models.route import SdnRoute

    args = ctx.args
    if args.file:
        if args.endpoint or args.destination or args.next_hop or args.encap:
            raise UsageError(
                "--file cannot be combined with --endpoint/--destination/--next-hop/--encap"
            )
        route = decode(SdnRoute, read_object(args.file, "route file"), "route file")
    else:
        route = _from_flags(ctx)
    doc = checked(ctx.ops, route, "route", for_create=True)
    ctx.show_object("route", ctx.ops.create_route(doc), detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    return ctx.delete("route", ctx.args.route, ctx.ops.delete_route)
