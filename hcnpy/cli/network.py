"""``hcnpy network list|show|create|delete``."""

from __future__ import annotations

import argparse
import ipaddress
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .context import Context, filter_option, json_option, query_from
from .errors import UsageError
from .inputs import read_object
from .typed import InvalidInput, checked, decode

if TYPE_CHECKING:
    from ..models.network import Network

__all__ = ["SubnetSpec", "register", "subnets_from"]

#: A ``--subnet`` and the ``--gateway`` that followed it, if any.
SubnetSpec = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str | None]


class _InOrder(argparse.Action):
    """Record ``--subnet``/``--gateway`` in command-line order: a gateway pairs with the
    subnet before it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        given = list(getattr(namespace, self.dest, None) or [])
        given.append((option_string, values))
        setattr(namespace, self.dest, given)


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
            "Create a network. Give --subnet once per subnet, each followed by its --gateway "
            "(an address in that subnet; it becomes the subnet's default route)."
        ),
    )
    create.add_argument("--name", help="network name (overrides the file's Name)")
    create.add_argument("--type", help="NAT, Transparent, L2Bridge, Overlay, ... (default NAT)")
    create.add_argument(
        "--subnet", action=_InOrder, dest="addressing", metavar="PREFIX", help="e.g. 10.0.0.0/16"
    )
    create.add_argument(
        "--gateway",
        action=_InOrder,
        dest="addressing",
        metavar="IP",
        help="the gateway of the --subnet before it, e.g. 10.0.0.1",
    )
    create.add_argument("--file", metavar="FILE", help="a V2 HostComputeNetwork JSON document")
    json_option(create)
    create.set_defaults(handler=_create, addressing=[])

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
    ctx.show_object("network", ctx.resolve("network", ctx.args.network))
    return 0


def subnets_from(addressing: Sequence[tuple[str, str]]) -> list[SubnetSpec]:
    """Pair each ``--subnet`` with the ``--gateway`` after it, checking both."""
    subnets: list[SubnetSpec] = []
    for option, value in addressing:
        if option == "--subnet":
            try:
                subnets.append((ipaddress.ip_network(value, strict=True), None))
            except ValueError as exc:
                raise UsageError(f"bad --subnet {value!r}: {exc}") from None
            continue
        if not subnets:
            raise UsageError(f"--gateway {value} comes before any --subnet: give --subnet first")
        prefix, earlier = subnets[-1]
        if earlier is not None:
            raise UsageError(
                f"--subnet {prefix} has two gateways ({earlier}, {value}): give one --gateway "
                "after each --subnet"
            )
        try:
            gateway = ipaddress.ip_address(value)
        except ValueError:
            raise UsageError(f"bad --gateway {value!r}: not an IP address") from None
        if gateway not in prefix:
            raise UsageError(f"--gateway {value} is not in --subnet {prefix}")
        subnets[-1] = (prefix, str(gateway))
    return subnets


def _from_flags(args: argparse.Namespace) -> tuple[Network, list[SubnetSpec]]:
    from ..models.common import Route
    from ..models.network import Ipam, Network, Subnet

    if not args.name:
        raise UsageError("network create needs --name (or --file)")
    subnets = subnets_from(args.addressing)
    typed_subnets = tuple(
        Subnet(
            ip_address_prefix=str(prefix),
            routes=(
                ()
                if gateway is None
                else (
                    Route(
                        next_hop=gateway,
                        destination_prefix="0.0.0.0/0" if prefix.version == 4 else "::/0",
                    ),
                )
            ),
        )
        for prefix, gateway in subnets
    )
    ipams = (Ipam(subnets=typed_subnets),) if typed_subnets else ()
    return Network(name=args.name, type=args.type or "NAT", ipams=ipams), subnets


def _from_file(args: argparse.Namespace) -> Network:
    import attrs

    from ..models.network import Network

    if args.type or args.addressing:
        raise UsageError("--file cannot be combined with --type, --subnet or --gateway")
    network = decode(Network, read_object(args.file, "network file"), "network file")
    return attrs.evolve(network, name=args.name) if args.name else network


_SUBNET_PATH = re.compile(r"ipams\[0\]\.subnets\[(\d+)\]\.routes")


def document(ctx: Context) -> dict[str, Any]:
    """The V2 network document ``create`` sends, validated as the typed client does."""
    if ctx.args.file:
        return checked(ctx.ops, _from_file(ctx.args), "network", for_create=True)
    network, subnets = _from_flags(ctx.args)
    try:
        return checked(ctx.ops, network, "network", for_create=True)
    except InvalidInput as exc:
        match = _SUBNET_PATH.fullmatch(exc.validation.path)
        if match is None:
            raise
        prefix = subnets[int(match.group(1))][0]
        hint = f"give a --gateway after --subnet {prefix}"
        raise InvalidInput(exc.what, exc.validation, hint) from None


def _create(ctx: Context) -> int:
    network = ctx.ops.create_network(document(ctx))
    ctx.show_object("network", network, detailed=False)
    return 0


def _delete(ctx: Context) -> int:
    return ctx.delete("network", ctx.args.network, ctx.ops.delete_network)
