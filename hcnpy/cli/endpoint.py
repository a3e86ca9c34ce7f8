"""``hcnpy endpoint list|show|create|delete``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .context import Context, filter_option, json_option, query_from
from .errors import UsageError
from .inputs import parse_port_mapping, read_policies
from .typed import checked, decode, prechecked

if TYPE_CHECKING:
    from ..models.endpoint import Endpoint

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
        network_id = ctx.resolve_id("network", ctx.args.network)
        endpoints = ctx.ops.list_endpoints_of_network(network_id)
    else:
        endpoints = ctx.ops.list_endpoints(query_from(ctx.args))
    ctx.show_objects("endpoint", endpoints)
    return 0


def _show(ctx: Context) -> int:
    ctx.show_object("endpoint", ctx.resolve("endpoint", ctx.args.endpoint))
    return 0


def model(args: argparse.Namespace) -> Endpoint:
    """The endpoint the ``create`` flags describe (its network is set once resolved)."""
    from ..models.endpoint import Endpoint, EndpointFlags, IpConfig
    from ..models.policies.base import EndpointPolicy

    policies = read_policies(args.policy_file) if args.policy_file else []
    policies += [parse_port_mapping(p) for p in args.port_mapping]
    return Endpoint(
        name=args.name,
        ip_configurations=(IpConfig(ip_address=args.ip),) if args.ip else (),
        mac_address=args.mac,
        policies=tuple(decode(EndpointPolicy, p, "endpoint policy") for p in policies),
        flags=EndpointFlags.REMOTE_ENDPOINT if args.remote else EndpointFlags.NONE,
    )


def _create(ctx: Context) -> int:
    import attrs

    draft = prechecked(model(ctx.args), "endpoint")
    network_id = ctx.resolve_id("network", ctx.args.network)
    on_network = attrs.evolve(draft, host_compute_network=network_id)
    doc = checked(ctx.ops, on_network, "endpoint", for_create=True)
    ctx.show_object("endpoint", ctx.ops.create_endpoint(network_id, doc), detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    return ctx.delete("endpoint", ctx.args.endpoint, ctx.ops.delete_endpoint)
