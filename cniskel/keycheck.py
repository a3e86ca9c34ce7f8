"""Unknown configuration keys: a warning naming the closest known key, or an error.

Go's decoder silently drops a key no field declares, so ``allowPort`` for
``allowPorts`` or ``"Network"`` for a case-sensitive ``network`` goes unnoticed.
:func:`check_keys` takes the set of keys a plugin knows, so the example plugins
(or any plugin parsing its own configuration) can use the same hook::

    from cniskel.keycheck import check_keys

    check_keys(raw_config, {"name", "type", "allowPorts"}, mode="warn")

cniskel calls it for a plugin's typed configuration (``Plugin.config_class``) with
``Plugin.unknown_config_keys`` as the mode.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import IO

MODES = ("warn", "error", "ignore")


def unknown_keys(obj: Mapping[str, object], known: Iterable[str], *, fold: bool) -> list[str]:
    """Keys of ``obj`` no known key matches (case-insensitively when ``fold``), in order."""
    if fold:
        from hcnpy.jsonkeys import fold as fold_key

        wanted = {fold_key(key) for key in known}
        return [key for key in obj if fold_key(key) not in wanted]
    known_set = set(known)
    return [key for key in obj if key not in known_set]


def closest(key: str, known: Iterable[str]) -> str | None:
    """The known key ``key`` most probably meant (same letters in another case first)."""
    candidates = list(known)
    lowered = key.lower()
    for candidate in candidates:
        if candidate.lower() == lowered:
            return candidate
    import difflib

    by_lower = {candidate.lower(): candidate for candidate in candidates}
    matches = difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=0.75)
    return by_lower[matches[0]] if matches else None


def describe(key: str, known: Iterable[str], where: str = "") -> str:
    """``unknown configuration key "x" (did you mean "y"?)``."""
    from cniskel._goquote import go_quote

    place = f" in {where}" if where else ""
    text = f"unknown configuration key {go_quote(key)}{place}"
    suggestion = closest(key, known)
    return f"{text} (did you mean {go_quote(suggestion)}?)" if suggestion else text


def check_keys(
    obj: Mapping[str, object],
    known: Iterable[str],
    *,
    mode: str = "warn",
    fold: bool = False,
    where: str = "",
    stderr: IO[bytes] | IO[str] | None = None,
) -> list[str]:
    """Report the keys of ``obj`` outside ``known``; returns them.

    ``mode``: ``"warn"`` writes one ``warning: ...`` line per key to ``stderr``
    (default: this process's); ``"error"`` raises :class:`~cniskel.CniError` code 7
    (invalid network config) for the first; ``"ignore"`` only returns them.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    known = list(known)
    found = unknown_keys(obj, known, fold=fold)
    if not found or mode == "ignore":
        return found
    if mode == "error":
        from cniskel.codes import ErrorCode
        from cniskel.errors import CniError

        raise CniError(ErrorCode.INVALID_NETWORK_CONFIG, describe(found[0], known, where))
    import contextlib
    import sys

    from cniskel._reply import write

    out = stderr if stderr is not None else sys.stderr.buffer
    text = "".join(f"warning: {describe(key, known, where)}\n" for key in found)
    with contextlib.suppress(OSError):  # a closed stderr must not fail the plugin
        write(out, text.encode("utf-8", "replace"))
    return found
