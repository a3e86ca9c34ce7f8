"""Reading HNS JSON documents the way HNS does: plain dicts, keys matched case-insensitively.

Every helper fails through a rule of :mod:`hcnpy.sim.rules` (by default the document-syntax
rules), which the engine turns into an HRESULT and error record.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import jsontext
from ..guid import guid
from . import rules as R
from .rules import HnsFailure, Rule, violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn, TypeAlias

__all__ = [
    "HnsFailure",
    "JsonObj",
    "canon",
    "dumps",
    "opt_bool",
    "opt_int",
    "opt_list",
    "opt_obj",
    "opt_str",
    "parse_document",
    "parse_guid",
    "schema_version",
]

JsonObj: TypeAlias = "dict[str, Any]"

_TYPE = R.DOC_FIELD_TYPE


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def parse_document(text: str | None, what: str) -> JsonObj:
    """Parse a settings/query document; ``None`` or blank is ``{}``; non-objects are invalid."""
    if text is None or not text.strip():
        return {}
    try:
        value = jsontext.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        violate(R.DOC_NOT_JSON, f"{what}: not valid JSON: {exc}")
    if not isinstance(value, dict):
        violate(R.DOC_NOT_OBJECT, f"{what}: want a JSON object, got {type(value).__name__}")
    return value


def dumps(value: object) -> str:
    """Compact JSON, as HNS answers."""
    return jsontext.dumps(value, separators=(",", ":"))


def canon(obj: JsonObj, keys: Iterable[str]) -> JsonObj:
    """Copy ``obj`` renaming keys that match ``keys`` case-insensitively to their canonical case.

    Keys that match nothing are kept as given (the simulator echoes fields it does not read).
    """
    by_lower = {key.lower(): key for key in keys}
    return {by_lower.get(key.lower(), key): value for key, value in obj.items()}


def opt_obj(doc: JsonObj, key: str, where: str, rule: Rule = _TYPE) -> JsonObj | None:
    """``doc[key]`` as an object, ``None`` when absent or null."""
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        violate(rule, f"{where}.{key}: want an object")
    return value


def opt_list(doc: JsonObj, key: str, where: str, rule: Rule = _TYPE) -> list[Any]:
    """``doc[key]`` as a list, ``[]`` when absent or null."""
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        violate(rule, f"{where}.{key}: want an array")
    return value


def opt_str(doc: JsonObj, key: str, where: str, rule: Rule = _TYPE) -> str | None:
    """``doc[key]`` as a string, ``None`` when absent or null."""
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        violate(rule, f"{where}.{key}: want a string")
    return value


def opt_int(
    doc: JsonObj,
    key: str,
    where: str,
    low: int = 0,
    high: int = 2**32 - 1,
    rule: Rule = _TYPE,
) -> int | None:
    """``doc[key]`` as an integer within ``low..high`` (a typed decoder rejects overflow too)."""
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        violate(rule, f"{where}.{key}: want an integer")
    if not low <= value <= high:
        violate(rule, f"{where}.{key}: {value} is outside {low}..{high}")
    return value


def opt_bool(doc: JsonObj, key: str, where: str, rule: Rule = _TYPE) -> bool | None:
    """``doc[key]`` as a boolean."""
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        violate(rule, f"{where}.{key}: want true or false")
    return value


def parse_guid(value: object, where: str, rule: Rule = R.DOC_GUID_FIELD) -> str:
    """A GUID string (braces and any case accepted) as HNS prints it: lowercase, no braces."""
    if isinstance(value, str):
        try:
            return str(guid(value.strip()))
        except ValueError:
            pass
    violate(rule, f"{where}: {value!r} is not a GUID")


def schema_version(doc: JsonObj, where: str) -> JsonObj | None:
    """The document's ``SchemaVersion`` as ``{"Major": m, "Minor": n}``, or ``None``."""
    raw = opt_obj(canon(doc, ["SchemaVersion"]), "SchemaVersion", where)
    if raw is None:
        return None
    version = canon(raw, ["Major", "Minor"])
    major = opt_int(version, "Major", f"{where}.SchemaVersion") or 0
    minor = opt_int(version, "Minor", f"{where}.SchemaVersion") or 0
    return {"Major": major, "Minor": minor}
