"""``hcnpy info``: backend, library path, HNS version and the feature table."""

from __future__ import annotations

from typing import Any

from ..errors import HcnError
from ..features import FEATURE_RANGES, Feature, HnsVersion, is_supported
from .context import Context, json_option
from .errors import one_line

__all__ = ["describe_ranges", "register"]

_OPEN_END = 2**31 - 1


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


def _info(ctx: Context) -> int:
    ops = ctx.ops
    version: HnsVersion | None = None
    problem = ""
    try:
        version = ops.hns_version()
    except HcnError as exc:
        problem = one_line(exc).removeprefix("hcnpy: ")
    features = sorted(Feature, key=lambda f: f.value.lower())
    supported = {f: version is not None and is_supported(f, version) for f in features}
    if ctx.json:
        ctx.emit_json(
            {
                "Backend": ops.backend,
                "LibraryPath": ops.library_path,
                "HnsVersion": (
                    {"Major": version.major, "Minor": version.minor} if version else None
                ),
                "Error": problem or None,
                "SupportedFeatures": {f.value: supported[f] for f in features},
            }
        )
        return 0
    shown = str(version) if version is not None else f"unavailable ({problem})"
    ctx.say(f"Backend      : {ops.backend}")
    ctx.say(f"Library      : {ops.library_path}")
    ctx.say(f"HNS version  : {shown}")
    ctx.say("")
    width = max(len(f.value) for f in features)
    ctx.say(f"{'Feature'.ljust(width)}  Supported  HNS versions")
    ctx.say(f"{'-' * width}  ---------  ------------")
    for feature in features:
        mark = "yes" if supported[feature] else "no"
        ctx.say(f"{feature.value.ljust(width)}  {mark.ljust(9)}  {describe_ranges(feature)}")
    return 0
