"""``hcnpy info``: backend, library path, HNS version and the feature table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import HcnError
from ..features import FEATURE_RANGES, Feature, HnsVersion, is_supported
from ..hresult import describe
from .context import Context, json_option

if TYPE_CHECKING:
    from ..ops import Ops

__all__ = ["VersionUnavailable", "describe_ranges", "register", "why_no_version"]

_OPEN_END = 2**31 - 1
_NIL_ID = "00000000-0000-0000-0000-000000000000"


def register(commands: Any) -> None:
    """Add ``info`` to the top-level subparsers."""
    info = commands.add_parser("info", help="backend, library, HNS version and features")
    json_option(info)
    info.set_defaults(handler=_info)


def describe_ranges(feature: Feature) -> str:
    """The HNS versions that support ``feature``: ``">= 9.2"``, ``"9.3-9.x, >= 10.2"``."""
    parts = []
    for low, high in FEATURE_RANGES[feature]:
        if high.major == _OPEN_END:
            parts.append(f">= {low}")
        elif high.minor == _OPEN_END:
            parts.append(f"{low}-{high.major}.x")
        else:
            parts.append(f"{low}-{high}")
    return ", ".join(parts)


class VersionUnavailable(Exception):
    """The HNS version could not be read; the message says why."""


def why_no_version(ops: Ops, error: HcnError) -> str:
    """Why ``hns_version()`` failed, as precisely as HNS will say.

    ``HNSCall`` failures come without HNS's error record. When that is all there is, one
    ``HcnEnumerateNetworks`` that matches nothing is asked too: if it fails with a record
    (a stopped service, a misconfigured simulator), the record is the real cause.
    """
    from ..ops import make_query

    failure = f"{error.operation or 'HNSCall'} failed: {describe(error.hresult)}"
    # Only a bare failure: a reply that said why, or a timeout, has its own message.
    if error.error_record is not None or failure not in str(error):
        return str(error)
    try:
        ops.list_networks(make_query({"ID": _NIL_ID}))
    except HcnError as probe:
        record = probe.error_record
        why = record and (record.detail or record.error)  # the simulator says which rule
        if why:
            return f"{why} ({failure})"
    return str(error)


def _info(ctx: Context) -> int:
    ops = ctx.ops
    version: HnsVersion | None = None
    problem = ""
    try:
        version = ops.hns_version()
    except HcnError as exc:
        problem = f"cannot read the HNS version: {why_no_version(ops, exc)}"
    features = sorted(Feature, key=lambda f: f.value.lower())
    if ctx.json:
        ctx.emit_json(
            {
                "Backend": ops.backend,
                "LibraryPath": ops.library_path,
                "HnsVersion": (
                    {"Major": version.major, "Minor": version.minor}
                    if version is not None
                    else None
                ),
                "Error": problem or None,
                "SupportedFeatures": (
                    {f.value: is_supported(f, version) for f in features}
                    if version is not None
                    else None
                ),
            }
        )
    else:
        ctx.say(f"Backend      : {ops.backend}")
        ctx.say(f"Library      : {ops.library_path}")
        ctx.say(f"HNS version  : {version if version is not None else 'unavailable'}")
        if version is not None:
            ctx.say("")
            ctx.say(_feature_table(features, version))
    if version is None:
        raise VersionUnavailable(problem)
    return 0


def _feature_table(features: list[Feature], version: HnsVersion) -> str:
    width = max(len(f.value) for f in features)
    lines = [
        f"{'Feature'.ljust(width)}  Supported  HNS versions",
        f"{'-' * width}  ---------  ------------",
    ]
    for feature in features:
        mark = "yes" if is_supported(feature, version) else "no"
        lines.append(f"{feature.value.ljust(width)}  {mark.ljust(9)}  {describe_ranges(feature)}")
    return "\n".join(lines)
