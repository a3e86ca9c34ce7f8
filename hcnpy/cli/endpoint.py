"""``hcnpy endpoint list|show|create|delete``."""

from __future__ import annotations

import argparse
import ipaddress
from typing import Any

from .context import Context, filter_option, json_option, object_id, query_from
from .errors import UsageError
from .inputs import parse_port_mapping, read_policies

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``endpoint`` command group to the top-level subparsers."""
    group = commands.add_parser("endpoint", help="HNS endpoints (Get-HnsEndpoint)")
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = sub.add_parser("list", help="list endpoints")
    listing.add_argument("--network", metavar="NETWORK", help="only this network's (ID or name)")
    filter_option(listing)
    json_option(listing)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show one endpoint")
    show.add_argument("endpoint", metavar="ENDPOINT", help="endpoint ID or name")
    json_option(show)
    show.set_defaults(handler=_show)

    create = sub.add_parser("create", help="create an endpoint on a network")
    create.add_argument("--network", required=True, metavar="NETWORK", help="ID or name")
    create.add_argument("--name", help="endpoint name")
    create.add_argument("--ip", metavar="IP", help="static IP (default: allocated by HNS)")
    create.add_argument("--mac", metavar="MAC", help="static MAC, e.g. 00-15-5D-52-C0-10")
    create.add_argument(
        "--policy-file",
        metavar="FILE",
        help='JSON list of V2 policies [{"Type": ..., "Settings": {...}}]',
    )
    create.add_argument(
        "--port-mapping",
        action="append",
        default=[],
        metavar="EXT:INT[/PROTO]",
        help="publish a host port, e.g. 8080:80/tcp (repeatable)",
    )
    create.add_argument("--remote", action="store_true", help="create a remote endpoint")
    json_option(create)
    create.set_defaults(handler=_create)

    delete = sub.add_parser("delete", help="delete an endpoint")
    delete.add_argument("endpoint", metavar="ENDPOINT", help="endpoint ID or name")
    delete.add_argument(
        "--missing-ok", action="store_true", help="succeed when the endpoint does not exist"
    )
    delete.set_defaults(handler=_delete)


def _list(ctx: Context) -> int:
    if ctx.args.network:
        if ctx.args.filter:
            raise UsageError("--network and --filter cannot be combined")
        network_id = object_id(ctx.network(ctx.args.network))
        endpoints = ctx.ops.list_endpoints_of_network(network_id)
    else:
        endpoints = ctx.ops.list_endpoints(query_from(ctx.args))
    ctx.show_objects("endpoint", endpoints)
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("endpoint", ctx.endpoint(ctx.args.endpoint))
    return 0


def document(args: argparse.Namespace) -> dict[str, Any]:
    """The V2 endpoint document the ``create`` flags describe."""
    doc: dict[str, Any] = {}
    if args.name:
        doc["Name"] = args.name
    if args.ip:
        try:
            address = ipaddress.ip_address(args.ip)
        except ValueError as exc:
            raise UsageError(f"bad --ip {args.ip!r}: {exc}") from None
        doc["IpConfigurations"] = [{"IpAddress": str(address)}]
    if args.mac:
        doc["MacAddress"] = args.mac
    policies = read_policies(args.policy_file) if args.policy_file else []
    policies += [parse_port_mapping(p) for p in args.port_mapping]
    if policies:
        doc["Policies"] = policies
    doc["SchemaVersion"] = {"Major": 2, "Minor": 0}
    return doc


def _create(ctx: Context) -> int:
    doc = document(ctx.args)
    network_id = ctx.network_id(ctx.args.network)
    if ctx.args.remote:
        endpoint = ctx.ops.create_remote_endpoint(network_id, doc)
    else:
        endpoint = ctx.ops.create_endpoint(network_id, doc)
    ctx.show_object("endpoint", endpoint, detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    ops = ctx.ops
    return ctx.delete_by_ref("endpoint", ctx.args.endpoint, ctx.endpoint_id, ops.delete_endpoint)
