"""``hcnpy namespace list|show|create|delete|attach|detach``."""

from __future__ import annotations

from typing import Any

from ..errors import NotFoundError
from .context import Context, filter_option, json_option, query_from
from .typed import checked

__all__ = ["register"]

NAMESPACE_TYPES = ("Host", "HostDefault", "Guest", "GuestDefault")


def register(commands: Any) -> None:
    """Add the ``namespace`` command group to the top-level subparsers."""
    group = commands.add_parser("namespace", help="HNS namespaces (network compartments)")
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = sub.add_parser("list", help="list namespaces")
    filter_option(listing)
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show one namespace")
    show.add_argument("namespace", metavar="NAMESPACE_ID")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="create a namespace")
    create.add_argument(
        "--type", choices=NAMESPACE_TYPES, help="namespace type (default: HNS picks Host)"
    )
    json_option(create)
    create.set_defaults(handler=_create)

    delete = sub.add_parser("delete", help="delete a namespace")
    delete.add_argument("namespace", metavar="NAMESPACE_ID")
    delete.add_argument(
        "--missing-ok", action="store_true", help="succeed when the namespace does not exist"
    )
    delete.set_defaults(handler=_delete)

    for verb, handler, text in (
        ("attach", _attach, "attach an endpoint to a namespace"),
        ("detach", _detach, "detach an endpoint from a namespace"),
    ):
        command = sub.add_parser(verb, help=text)
        command.add_argument("namespace", metavar="NAMESPACE_ID")
        command.add_argument("endpoint", metavar="ENDPOINT", help="endpoint ID or name")
        if verb == "detach":
            command.add_argument(
                "--missing-ok",
                action="store_true",
                help="succeed when the namespace or endpoint is already gone",
            )
        command.set_defaults(handler=handler)


def _list(ctx: Context) -> int:
    ctx.show_objects("namespace", ctx.ops.list_namespaces(query_from(ctx.args)))
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("namespace", ctx.resolve("namespace", ctx.args.namespace))
    return 0


def _create(ctx: Context) -> int:
    from ..models.namespace import Namespace

    namespace = Namespace(type=ctx.args.type) if ctx.args.type else Namespace()
    doc = checked(ctx.ops, namespace, "namespace", for_create=True)
    ctx.show_object("namespace", ctx.ops.create_namespace(doc), detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    return ctx.delete("namespace", ctx.args.namespace, ctx.ops.delete_namespace)


def _attach(ctx: Context) -> int:
    namespace_id = ctx.resolve_id("namespace", ctx.args.namespace)
    endpoint_id = ctx.resolve_id("endpoint", ctx.args.endpoint)
    ctx.ops.add_namespace_endpoint(namespace_id, endpoint_id)
    ctx.say(f"Attached endpoint {endpoint_id} to namespace {namespace_id}")
    return 0


def _detach(ctx: Context) -> int:
    missing_ok: bool = ctx.args.missing_ok
    try:
        namespace_id = ctx.resolve_id("namespace", ctx.args.namespace)
        endpoint_id = ctx.resolve_id("endpoint", ctx.args.endpoint)
    except NotFoundError as exc:
        if not missing_ok:
            raise
        ctx.say(f"{exc}: nothing detached")
        return 0
    try:
        ctx.ops.remove_namespace_endpoint(namespace_id, endpoint_id)
    except NotFoundError:
        if not missing_ok:
            raise
        ctx.say(f"Namespace {namespace_id} or endpoint {endpoint_id} is gone: nothing detached")
        return 0
    ctx.say(f"Detached endpoint {endpoint_id} from namespace {namespace_id}")
    return 0
