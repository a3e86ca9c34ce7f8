"""``hcnpy loadbalancer list|show|create|delete`` and backend add/remove."""

from __future__ import annotations

from typing import Any

from .context import Context, filter_option, json_option, query_from
from .inputs import read_object
from .typed import checked, decode

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``loadbalancer`` command group to the top-level subparsers."""
    group = commands.add_parser("loadbalancer", help="HNS load balancers")
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = sub.add_parser("list", help="list load balancers")
    filter_option(listing)
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show one load balancer")
    show.add_argument("load_balancer", metavar="LOADBALANCER_ID")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="create a load balancer from a V2 JSON file")
    create.add_argument("--file", required=True, metavar="FILE")
    json_option(create)
    create.set_defaults(handler=_create)

    delete = sub.add_parser("delete", help="delete a load balancer")
    delete.add_argument("load_balancer", metavar="LOADBALANCER_ID")
    delete.add_argument("--missing-ok", action="store_true")
    delete.set_defaults(handler=_delete)

    for verb, handler in (("add-backend", _add), ("remove-backend", _remove)):
        command = sub.add_parser(verb, help=f"{verb.split('-')[0]} a backend endpoint")
        command.add_argument("load_balancer", metavar="LOADBALANCER_ID")
        command.add_argument("endpoint", metavar="ENDPOINT", help="endpoint ID or name")
        json_option(command)
        command.set_defaults(handler=handler)


def _list(ctx: Context) -> int:
    ctx.show_objects("loadbalancer", ctx.ops.list_load_balancers(query_from(ctx.args)))
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("loadbalancer", ctx.resolve("loadbalancer", ctx.args.load_balancer))
    return 0


def _create(ctx: Context) -> int:
    from ..models.loadbalancer import LoadBalancer

    what = "load balancer file"
    balancer = decode(LoadBalancer, read_object(ctx.args.file, what), what)
    doc = checked(ctx.ops, balancer, "load balancer", for_create=True)
    ctx.show_object("loadbalancer", ctx.ops.create_load_balancer(doc), detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    return ctx.delete("loadbalancer", ctx.args.load_balancer, ctx.ops.delete_load_balancer)


def _add(ctx: Context) -> int:
    lb_id, endpoint_id = _targets(ctx)
    lb = ctx.ops.add_load_balancer_endpoint(lb_id, endpoint_id)
    ctx.show_object("loadbalancer", lb, detailed=False)
    return 0


def _remove(ctx: Context) -> int:
    lb_id, endpoint_id = _targets(ctx)
    lb = ctx.ops.remove_load_balancer_endpoint(lb_id, endpoint_id)
    ctx.show_object("loadbalancer", lb, detailed=False)
    return 0


def _targets(ctx: Context) -> tuple[str, str]:
    lb_id = ctx.resolve_id("loadbalancer", ctx.args.load_balancer)
    return lb_id, ctx.resolve_id("endpoint", ctx.args.endpoint)
