"""The ``hcnpy`` command: show and change HNS state (``Get-HnsNetwork``/``hnsdiag`` for hcnpy).

``main(argv)`` returns the exit status: 0 on success, 1 when an operation failed (one line
on stderr naming the HRESULT), 2 for usage errors (bad arguments or input files, requests
the client-side validation refuses, ambiguous names).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..backends import known_backends
from . import conformance, endpoint, info, loadbalancer, namespace, network, policy, route, sim
from .context import Context
from .errors import EXIT_USAGE, exit_status, one_line

__all__ = ["build_parser", "main"]

_GROUPS = (info, network, endpoint, namespace, loadbalancer, route, policy, sim, conformance)
#: The values of --backend and HCNPY_BACKEND (what ``hcnpy.ops.connect`` accepts).
BACKENDS = known_backends()

EPILOG = f"""\
objects: NETWORK and ENDPOINT arguments take an ID or a name; namespaces, load balancers
and SDN routes have no names and take an ID.

environment:
  HCNPY_BACKEND          {"|".join(BACKENDS)} (default: hcn on Windows, else sim)
  HCNPY_SIM_STATE        the simulator's state file
  HCNPY_SIM_HNS_VERSION  pin the simulated HNS version (X.Y)

exit status: 0 success, 1 an HNS operation failed, 2 usage error (bad arguments or input
file, a request the client-side validation refuses, an ambiguous name)."""


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the timeout must be more than 0 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="hcnpy",
        description="Show and change Windows Host Compute Network (HNS) state.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help="give up on an HNS operation after this long (HNS calls can hang)",
    )
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="real HCN or the simulator (default: $HCNPY_BACKEND, else by OS)",
    )
    commands = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    for group in _GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    ctx = Context(args)
    try:
        status: int = args.handler(ctx)
    except KeyboardInterrupt:
        print("hcnpy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # every failure becomes one line, never a traceback
        print(one_line(exc), file=sys.stderr)
        return exit_status(exc)
    return status
