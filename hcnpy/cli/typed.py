"""Requests as typed models, checked exactly as the typed client checks them.

The commands build :mod:`hcnpy` models from their flags and files, then run what
:class:`hcnpy.client.Client` runs before it sends anything: :func:`hcnpy.validate` and the
HNS-version check of :func:`hcnpy.required_features`. So the CLI refuses what the client
refuses, with the client's message; it still prints the documents HNS returns, as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ValidationError
from .errors import UsageError

if TYPE_CHECKING:
    from ..models._base import Model
    from ..ops import Ops

__all__ = ["InvalidInput", "checked", "decode", "prechecked"]

M = TypeVar("M", bound="Model")


class InvalidInput(UsageError):
    """A request the client-side validation refuses; ``validation`` is the client's error."""

    def __init__(self, what: str, validation: ValidationError, hint: str = "") -> None:
        self.what = what
        self.validation = validation
        super().__init__(f"invalid {what}: {validation}{'; ' + hint if hint else ''}")


def decode(cls: type[M], doc: Mapping[str, Any], what: str) -> M:
    """``doc`` (V2 JSON, e.g. from a file) as a ``cls`` model; a bad field is refused."""
    from ..convert import from_dict

    try:
        return from_dict(cls, doc)
    except ValidationError as exc:
        raise InvalidInput(what, exc) from None


def prechecked(model: M, what: str) -> M:
    """``model`` once it passes the validation that needs no HNS (nor the objects it names).

    Commands run this before they look anything up, so bad input is refused first.
    """
    from ..validation import validate

    try:
        validate(model)
    except ValidationError as exc:
        raise InvalidInput(what, exc) from None
    return model


def checked(ops: Ops, model: Model, what: str, *, for_create: bool = False) -> dict[str, Any]:
    """Validate ``model`` and check its features like the client; returns its V2 JSON."""
    from ..convert import to_dict
    from ..models.gates import required_features
    from ..validation import validate

    try:
        validate(model, for_create=for_create)
    except ValidationError as exc:
        raise InvalidInput(what, exc) from None
    needed = required_features(model)
    if needed:
        ops.require(needed)
    return to_dict(model)
