"""``hcnpy policy add|remove|update`` on an endpoint or a network."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .context import Context, json_option
from .errors import UsageError
from .inputs import read_policies
from .typed import checked, decode, prechecked

__all__ = ["register"]

_REQUESTS = {"add": "Add", "remove": "Remove", "update": "Update"}


def register(commands: Any) -> None:
    """Add the ``policy`` command group to the top-level subparsers."""
    group = commands.add_parser("policy", help="add or remove endpoint and network policies")
    sub = group.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb, text in (
        ("add", "add policies"),
        ("remove", "remove policies"),
        ("update", "update endpoint policies (endpoints only)"),
    ):
        command = sub.add_parser(verb, help=text)
        target = command.add_mutually_exclusive_group(required=True)
        target.add_argument("--endpoint", metavar="ENDPOINT", help="endpoint ID or name")
        target.add_argument("--network", metavar="NETWORK", help="network ID or name")
        command.add_argument(
            "--file", metavar="FILE", help='JSON list of [{"Type": ..., "Settings": {...}}]'
        )
        command.add_argument("--type", metavar="TYPE", help="one policy of this type")
        command.add_argument("--settings", metavar="JSON", help="its Settings object")
        json_option(command)
        command.set_defaults(handler=_apply)


def policies_from(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The policies named by ``--file`` or ``--type``/``--settings``."""
    if args.file:
        if args.type or args.settings:
            raise UsageError("--file cannot be combined with --type/--settings")
        return read_policies(args.file)
    if not args.type:
        raise UsageError("give --file, or --type (and optionally --settings)")
    policy: dict[str, Any] = {"Type": args.type}
    if args.settings:
        try:
            settings = json.loads(args.settings)
        except ValueError as exc:
            raise UsageError(f"--settings is not valid JSON: {exc}") from None
        if not isinstance(settings, dict):
            raise UsageError("--settings must be a JSON object")
        policy["Settings"] = settings
    return [policy]


def _typed(ctx: Context, kind: str, policies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The policies as the client sends them: validated for Add and Update (like
    ``apply_policies``/``add_policies``), only decoded for Remove (like ``remove_policies``)."""
    from ..models.policies.base import EndpointPolicy, NetworkPolicy

    model = EndpointPolicy if kind == "endpoint" else NetworkPolicy
    what = f"{kind} policy"
    typed = [decode(model, p, what) for p in policies]
    if ctx.args.command == "remove":
        from ..convert import to_dict

        return [to_dict(p) for p in typed]
    for policy in typed:
        prechecked(policy, what)  # every policy's own problems before any HNS call
    return [checked(ctx.ops, p, what) for p in typed]


def _apply(ctx: Context) -> int:
    args = ctx.args
    request = _REQUESTS[args.command]
    policies = policies_from(args)
    if args.endpoint:
        docs = _typed(ctx, "endpoint", policies)
        endpoint_id = ctx.resolve_id("endpoint", args.endpoint)
        result = ctx.ops.apply_endpoint_policies(endpoint_id, request, docs)
        kind, target = "endpoint", endpoint_id
    else:
        if request == "Update":
            raise UsageError("policy update applies to endpoints only")
        docs = _typed(ctx, "network", policies)
        network_id = ctx.resolve_id("network", args.network)
        if request == "Add":
            result = ctx.ops.add_network_policies(network_id, docs)
        else:
            result = ctx.ops.remove_network_policies(network_id, docs)
        kind, target = "network", network_id
    if ctx.json:
        ctx.emit_json(result)
    else:
        verb = {"Add": "Added", "Remove": "Removed", "Update": "Updated"}[request]
        count = f"{len(policies)} polic{'y' if len(policies) == 1 else 'ies'}"
        preposition = "to" if request == "Add" else "on" if request == "Update" else "from"
        ctx.say(f"{verb} {count} {preposition} {kind} {target}")
    return 0
