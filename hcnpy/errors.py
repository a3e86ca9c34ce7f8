"""The exception hierarchy and the one table that maps HRESULTs to exception classes.

Everything here is stdlib-only so the binding layer can import it on every call path. The
table and the :class:`~hcnpy.hresult.HResult` names are built on the first failure: a call
that succeeds never needs them.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import jsonkeys, jsontext
from ._hresult_bits import is_failure, normalize, to_unsigned

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .hresult import HResult

__all__ = [
    "EXCEPTION_TABLE",
    "AccessDeniedError",
    "AlreadyExistsError",
    "ErrorRecord",
    "HcnError",
    "HcnTimeout",
    "HcnUnavailable",
    "InvalidConfigurationError",
    "NotFoundError",
    "NotSupportedError",
    "PortAlreadyExistsError",
    "ValidationError",
    "error_for",
    "is_not_found",
    "is_port_already_exists",
    "raise_for",
]


class ErrorRecord:
    """The decoded ``ErrorRecord`` an HCN call returns.

    Real HNS writes ``{"Success": false, "Error": "<message> ", "ErrorCode": <uint32>}``. The
    simulated HNS adds ``"Simulator": {"Rule", "Detail"}`` saying which of its rules failed
    and why (``rule``, ``detail``). ``raw`` always holds the exact text; the other fields are
    ``None`` when the text is not JSON or lacks them.
    """

    __slots__ = ("detail", "error", "error_code", "raw", "rule", "success")

    def __init__(
        self,
        raw: str,
        error_code: int | None = None,
        error: str | None = None,
        success: bool | None = None,
        rule: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.raw = raw
        self.error_code = error_code
        self.error = error
        self.success = success
        self.rule = rule
        self.detail = detail

    @classmethod
    def parse(cls, raw: str | None) -> ErrorRecord | None:
        """Decode ``raw``; ``None`` or an empty string means "no record"."""
        if not raw:
            return None
        try:
            data = jsontext.loads(raw)
        except ValueError:
            return cls(raw)
        if not isinstance(data, Mapping):
            return cls(raw)
        code = jsonkeys.get(data, "ErrorCode")
        error = jsonkeys.get(data, "Error")
        success = jsonkeys.get(data, "Success")
        why = jsonkeys.get(data, "Simulator")
        rule = detail = None
        if isinstance(why, Mapping):
            rule = _text_or_none(jsonkeys.get(why, "Rule"))
            detail = _text_or_none(jsonkeys.get(why, "Detail"))
        return cls(
            raw,
            error_code=to_unsigned(code) if isinstance(code, int) else None,
            error=error if isinstance(error, str) else None,
            success=success if isinstance(success, bool) else None,
            rule=rule,
            detail=detail,
        )

    def __str__(self) -> str:
        if self.error_code is None and self.error is None:
            return self.raw
        from .hresult import describe

        parts = []
        if self.error_code is not None:
            parts.append(f"ErrorCode {describe(self.error_code)}")
        if self.error:
            parts.append(repr(self.error))
        text = ": ".join(parts)
        if self.detail:
            where = f"simulator rule {self.rule}" if self.rule else "simulator"
            text += f" ({where}: {self.detail})"
        return text

    def __repr__(self) -> str:
        return f"ErrorRecord({self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorRecord) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class HcnError(Exception):
    """A failed HCN call.

    Attributes: ``hresult`` (unsigned 32-bit), ``code`` (hcsshim's normalised form: the Win32
    code for Win32-facility failures, otherwise the HRESULT), ``operation`` (the C function,
    e.g. ``"HcnCreateEndpoint"``) and ``error_record`` (the decoded record, or ``None``).
    """

    def __init__(
        self,
        hresult: int,
        operation: str = "",
        error_record: ErrorRecord | None = None,
        message: str | None = None,
    ) -> None:
        self.hresult = to_unsigned(hresult)
        self.code = normalize(self.hresult)
        self.operation = operation
        self.error_record = error_record
        super().__init__(message or self._compose())

    def _compose(self) -> str:
        from .hresult import describe, text

        head = f"{self.operation} failed" if self.operation else "HCN call failed"
        message = f"{head}: {describe(self.hresult)}"
        explanation = text(self.hresult)
        if explanation:
            message += f": {explanation}"
        if self.error_record is not None:
            message += f" [HNS error record: {self.error_record}]"
        return message

    @property
    def name(self) -> str:
        """The HRESULT's symbolic name, or its hex form when unknown."""
        from .hresult import HResult

        try:
            return HResult(self.hresult).name
        except ValueError:
            return f"0x{self.hresult:08X}"


class NotFoundError(HcnError, LookupError):
    """The object does not exist (``ERROR_NOT_FOUND`` or an ``HCN_E_*_NOT_FOUND`` code)."""


class AlreadyExistsError(HcnError):
    """The object (or one of its unique parts) already exists."""


class PortAlreadyExistsError(AlreadyExistsError):
    """A host port or load-balancer port is already taken (``HCN_E_PORT_ALREADY_EXISTS``)."""


class InvalidConfigurationError(HcnError, ValueError):
    """HNS rejected the document: bad JSON, invalid network/endpoint/policy, bad IP or subnet."""


class AccessDeniedError(HcnError, PermissionError):
    """The caller may not use HNS (it needs an administrator)."""


class NotSupportedError(HcnError):
    """HNS does not support the request on this host."""


class HcnUnavailable(NotSupportedError):
    """There is no Host Compute Network API on this machine (missing DLL or export)."""

    def __init__(self, message: str, operation: str = "") -> None:
        from .hresult import HResult

        super().__init__(HResult.ERROR_NOT_SUPPORTED, operation, None, message)


class HcnTimeout(HcnError, TimeoutError):
    """An HCN call did not return within the caller's timeout."""

    def __init__(self, operation: str, seconds: float) -> None:
        from .hresult import HResult, describe

        self.seconds = seconds
        super().__init__(
            HResult.ERROR_TIMEOUT,
            operation,
            None,
            f"{operation} did not return within {seconds:g} s ({describe(HResult.ERROR_TIMEOUT)})",
        )


class ValidationError(ValueError):
    """A model failed client-side validation; raised before anything is sent to HNS.

    ``path`` names the field (``"ipams[0].subnets[1].routes"``), ``value`` is the bad value.
    """

    def __init__(self, path: str, value: object, reason: str) -> None:
        self.path = path
        self.value = value
        self.reason = reason
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{reason} (value: {value!r})")


def _build_table() -> Mapping[HResult, type[HcnError]]:
    from .hresult import HResult

    _NOT_FOUND = (
        HResult.ERROR_NOT_FOUND,
        HResult.HCN_E_NETWORK_NOT_FOUND,
        HResult.HCN_E_ENDPOINT_NOT_FOUND,
        HResult.HCN_E_LAYER_NOT_FOUND,
        HResult.HCN_E_SWITCH_NOT_FOUND,
        HResult.HCN_E_SUBNET_NOT_FOUND,
        HResult.HCN_E_ADAPTER_NOT_FOUND,
        HResult.HCN_E_PORT_NOT_FOUND,
        HResult.HCN_E_POLICY_NOT_FOUND,
        HResult.HCN_E_VFP_PORTSETTING_NOT_FOUND,
        HResult.HCN_E_SWITCH_EXTENSION_NOT_FOUND,
        HResult.GCN_E_MODULE_NOT_FOUND,
        HResult.GCN_E_NETADAPTER_NOT_FOUND,
        HResult.GCN_E_NETCOMPARTMENT_NOT_FOUND,
        HResult.GCN_E_NETINTERFACE_NOT_FOUND,
    )
    _ALREADY_EXISTS = (
        HResult.HCN_E_NETWORK_ALREADY_EXISTS,
        HResult.HCN_E_LAYER_ALREADY_EXISTS,
        HResult.HCN_E_POLICY_ALREADY_EXISTS,
        HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED,
        HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS,
        HResult.HCN_INTERFACEPARAMETERS_ALREADY_APPLIED,
        HResult.GCN_E_DEFAULTNAMESPACE_EXISTS,
        HResult.ERROR_ALREADY_EXISTS,
        HResult.ERROR_OBJECT_ALREADY_EXISTS,
    )
    _INVALID = (
        HResult.HCN_E_INVALID_NETWORK,
        HResult.HCN_E_INVALID_NETWORK_TYPE,
        HResult.HCN_E_INVALID_ENDPOINT,
        HResult.HCN_E_INVALID_POLICY,
        HResult.HCN_E_INVALID_POLICY_TYPE,
        HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION,
        HResult.HCN_E_GUID_CONVERSION_FAILURE,
        HResult.HCN_E_INVALID_JSON,
        HResult.HCN_E_INVALID_JSON_REFERENCE,
        HResult.HCN_E_INVALID_IP,
        HResult.HCN_E_INVALID_INTERNAL_PORT,
        HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
        HResult.HCN_E_INVALID_PREFIX,
        HResult.HCN_E_INVALID_SUBNET,
        HResult.HCN_E_INVALID_IP_SUBNET,
        HResult.E_INVALIDARG,
        HResult.E_POINTER,
    )
    _NOT_SUPPORTED = (
        HResult.HCN_E_REQUEST_UNSUPPORTED,
        HResult.HCN_E_MAPPING_NOT_SUPPORTED,
        HResult.HCN_E_SHARED_SWITCH_MODIFICATION,
        HResult.HCN_E_ENDPOINT_SHARING_DISABLED,
        HResult.HCN_E_VFP_NOT_ALLOWED,
        HResult.HCN_E_ICS_DISABLED,
        HResult.GCN_E_NO_REQUEST_HANDLERS,
        HResult.GCN_E_REQUEST_UNSUPPORTED,
        HResult.E_NOTIMPL,
        HResult.ERROR_NOT_SUPPORTED,
    )
    _GENERIC = (
        HResult.S_OK,  # a success HRESULT with a non-empty error record
        HResult.HCN_E_DEGRADED_OPERATION,
        HResult.HCN_E_REGKEY_FAILURE,
        HResult.HCN_E_MANAGER_STOPPED,
        HResult.GCN_E_RUNTIMEKEYS_FAILED,
        HResult.GCN_E_NETADAPTER_TIMEOUT,
        HResult.HCN_E_ENTITY_HAS_REFERENCES,
        HResult.HCN_E_NAMESPACE_ATTACH_FAILED,
        HResult.HCN_E_OBJECT_USED_AFTER_UNLOAD,
        HResult.HCN_E_ENDPOINT_NOT_ATTACHED,
        HResult.HCN_E_ENDPOINT_NOT_LOCAL,
        HResult.E_FAIL,
        HResult.E_UNEXPECTED,
        HResult.E_OUTOFMEMORY,
        HResult.ERROR_GEN_FAILURE,
    )

    table: dict[HResult, type[HcnError]] = {
        **dict.fromkeys(_NOT_FOUND, NotFoundError),
        **dict.fromkeys(_ALREADY_EXISTS, AlreadyExistsError),
        HResult.HCN_E_PORT_ALREADY_EXISTS: PortAlreadyExistsError,
        **dict.fromkeys(_INVALID, InvalidConfigurationError),
        HResult.E_ACCESSDENIED: AccessDeniedError,
        **dict.fromkeys(_NOT_SUPPORTED, NotSupportedError),
        **dict.fromkeys(_GENERIC, HcnError),
        HResult.ERROR_TIMEOUT: HcnError,
    }
    return table


_table: Mapping[HResult, type[HcnError]] | None = None


def __getattr__(name: str) -> object:
    if name == "EXCEPTION_TABLE":  # built on first use (see the module's docstring)
        return _exception_table()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _exception_table() -> Mapping[HResult, type[HcnError]]:
    global _table
    if _table is None:
        _table = _build_table()
    return _table


if TYPE_CHECKING:
    #: Every known HRESULT and the exception class raised for it. Unknown codes raise HcnError.
    EXCEPTION_TABLE: Mapping[HResult, type[HcnError]]


def _lookup(hresult: int) -> type[HcnError]:
    from .hresult import HResult

    try:
        return _exception_table()[HResult(hresult)]
    except ValueError:
        return HcnError


def error_for(hresult: int, operation: str = "", record: str | None = None) -> HcnError:
    """Build the exception for a failed call (the class comes from :data:`EXCEPTION_TABLE`)."""
    value = to_unsigned(hresult)
    return _lookup(value)(value, operation, ErrorRecord.parse(record))


def raise_for(operation: str, hresult: int, record: str | None) -> None:
    """Raise if the call failed: a failure HRESULT, or any non-empty error record (as hcsshim)."""
    if is_failure(hresult) or record:
        raise error_for(hresult, operation, record)


def is_not_found(error: BaseException) -> bool:
    """True for every "does not exist" failure, whatever code HNS used."""
    return isinstance(error, NotFoundError)


def is_port_already_exists(error: BaseException) -> bool:
    """True when a host or load-balancer port clashed (``0x803B0013``)."""
    from .hresult import HResult

    return isinstance(error, HcnError) and error.hresult == HResult.HCN_E_PORT_ALREADY_EXISTS
