"""The CNI error object as an exception.

Kept free of heavy imports (no ``enum``): :class:`cniskel.ErrorCode` lives in
:mod:`cniskel.codes` and is an ``int``, so either may be passed as ``code``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


class CniError(Exception):
    """A CNI error result: ``code``, short ``msg`` and optional long ``details``.

    Raise it from a plugin verb to report exactly this error; any other
    exception is reported by the dispatcher as code 999 with ``str(exc)``.
    """

    def __init__(self, code: int, msg: str, details: str = "") -> None:
        super().__init__(code, msg, details)
        self.code = int(code)
        self.msg = msg
        self.details = details

    def __str__(self) -> str:
        # Go's types.Error.Error(): "msg" or "msg; details".
        return f"{self.msg}; {self.details}" if self.details else self.msg

    def __repr__(self) -> str:
        return f"CniError({self.code!r}, {self.msg!r}, {self.details!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CniError):
            return NotImplemented
        return (self.code, self.msg, self.details) == (other.code, other.msg, other.details)

    __hash__ = Exception.__hash__

    def to_dict(self, cni_version: str | None = None) -> dict[str, object]:
        """The error object; ``cniVersion`` is included only when given (see docs)."""
        out: dict[str, object] = {}
        if cni_version is not None:
            out["cniVersion"] = cni_version
        out["code"] = self.code
        out["msg"] = self.msg
        if self.details:
            out["details"] = self.details
        return out

    def to_json(self, cni_version: str | None = None) -> bytes:
        """Serialise like Go's ``types.Error.Print``: 4-space indent, no newline."""
        from cniskel._gojson import marshal_indent

        return marshal_indent(self.to_dict(cni_version))

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> CniError:
        """Build from a decoded error object (unknown keys ignored)."""
        code = data.get("code", 0)
        msg = data.get("msg", "")
        details = data.get("details", "")
        return cls(
            code if isinstance(code, int) and not isinstance(code, bool) else 0,
            msg if isinstance(msg, str) else "",
            details if isinstance(details, str) else "",
        )
