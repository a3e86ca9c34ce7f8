"""Reading the JSON files and flag values the commands take (``-`` means standard input)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from .errors import UsageError

__all__ = [
    "parse_port_mapping",
    "read_json",
    "read_object",
    "read_policies",
]

_PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17}


def read_json(path: str, what: str) -> Any:
    """Parse the JSON in ``path``; a missing file or bad JSON is a usage error."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{what} {path} is not valid JSON: {exc}") from exc


def read_object(path: str, what: str) -> dict[str, Any]:
    """A file holding one JSON object (a V2 document)."""
    value = read_json(path, what)
    if not isinstance(value, dict):
        raise UsageError(f"{what} {path} must hold a JSON object")
    return value


def read_policies(path: str) -> list[dict[str, Any]]:
    """A file holding a JSON list of ``{"Type": …, "Settings": {…}}`` policies."""
    value = read_json(path, "policy file")
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(_is_policy(p) for p in value):
        raise UsageError(
            f'policy file {path} must hold a JSON list of {{"Type": ..., "Settings": {{...}}}}'
        )
    return value


def _is_policy(value: Any) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("Type"), str)


def parse_port_mapping(text: str) -> dict[str, Any]:
    """``EXTERNAL:INTERNAL[/tcp|udp]`` -> a ``PortMapping`` endpoint policy."""
    ports, _, protocol = text.partition("/")
    external, sep, internal = ports.partition(":")
    try:
        if not sep:
            raise ValueError(text)
        external_port, internal_port = int(external), int(internal)
        number = _PROTOCOL_NUMBERS[(protocol or "tcp").lower()]
    except (ValueError, KeyError):
        raise UsageError(f"bad --port-mapping {text!r}: want EXTERNAL:INTERNAL[/tcp|udp]") from None
    if not (0 < external_port < 65536 and 0 < internal_port < 65536):
        raise UsageError(f"bad --port-mapping {text!r}: ports are 1-65535")
    return {
        "Type": "PortMapping",
        "Settings": {
            "Protocol": number,
            "InternalPort": internal_port,
            "ExternalPort": external_port,
        },
    }
