"""Turn an exception into the CLI's one-line error message and exit status."""

from __future__ import annotations

import json

from ..errors import HcnError, ValidationError
from ..hresult import describe

__all__ = [
    "EXIT_FAILURE",
    "EXIT_USAGE",
    "AmbiguousReference",
    "UsageError",
    "exit_status",
    "one_line",
]

EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command line (or a file it names) is wrong; exits with status 2."""


class AmbiguousReference(UsageError):
    """A name matches more than one object; the message lists their IDs."""

    def __init__(self, kind: str, name: str, ids: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.ids = ids
        super().__init__(
            f'{len(ids)} {kind}s are named "{name}" ({", ".join(ids)}): give the ID of the '
            "one you mean"
        )


def _flatten(text: str) -> str:
    return " ".join(text.split())


def one_line(error: BaseException) -> str:
    """``hcnpy: <what failed>: <HRESULT name> (0x…): <why>`` on a single line."""
    if isinstance(error, HcnError):
        message = str(error)
        code = describe(error.hresult)
        if code not in message:
            message = f"{message}: {code}"
    elif isinstance(error, ValidationError):
        message = f"invalid request: {error}"
    elif isinstance(error, json.JSONDecodeError):
        message = f"invalid JSON: {error}"
    elif isinstance(error, OSError) and error.filename is not None:
        reason = error.strerror or str(error)
        message = f"{error.filename}: {reason}"
    else:
        message = str(error) or type(error).__name__
    return f"hcnpy: {_flatten(message)}"


def exit_status(error: BaseException) -> int:
    """2 for usage errors (including requests the client-side validation refuses), else 1."""
    return EXIT_USAGE if isinstance(error, UsageError | ValidationError) else EXIT_FAILURE
