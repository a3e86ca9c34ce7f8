"""Error codes of the Windows plugins, and the translation of HNS failures into them.

Every failure inside the plugins is a :class:`PluginError` carrying a CNI error code, a short
``msg`` and a longer ``details``. The plugin boundary (``core.py``) turns it into cniskel's
``CniError``; nothing else in the package needs to know about cniskel's error type.

Codes (see the table in ``examples/README.md``):

* 66 - general failure inside the plugin (an HNS call failed for a reason not listed below).
* 71 - a host port is already mapped (``HCN_E_PORT_ALREADY_EXISTS``).
* 81 - the HNS network named by the configuration does not exist.

66, 71 and 81 fall inside the range the CNI specification reserves for well-known codes
(0-99); they are the codes the Windows plugins have always documented, so operators' runbooks
keep working. The spec's own codes are used where they fit: 1, 4, 6, 7, 11, 50, 51.
"""

from __future__ import annotations

TYPE_CHECKING = False  # hcnpy is imported only when an HNS error is translated
if TYPE_CHECKING:
    from hcnpy.errors import HcnError

__all__ = [
    "ERR_DECODE",
    "ERR_ENV",
    "ERR_GENERAL",
    "ERR_INCOMPATIBLE_VERSION",
    "ERR_INVALID_CONFIG",
    "ERR_LIMITED_CONNECTIVITY",
    "ERR_NETWORK_NOT_FOUND",
    "ERR_NOT_AVAILABLE",
    "ERR_PORT_IN_USE",
    "ERR_TRY_AGAIN_LATER",
    "ConfigError",
    "PluginError",
    "from_hcn_error",
    "hcn_details",
]

ERR_INCOMPATIBLE_VERSION = 1
ERR_ENV = 4
ERR_DECODE = 6
ERR_INVALID_CONFIG = 7
ERR_TRY_AGAIN_LATER = 11
ERR_NOT_AVAILABLE = 50
ERR_LIMITED_CONNECTIVITY = 51
ERR_GENERAL = 66
ERR_PORT_IN_USE = 71
ERR_NETWORK_NOT_FOUND = 81


class PluginError(Exception):
    """A failure with its CNI code: ``code``, ``msg`` (one line) and ``details`` (free text)."""

    def __init__(self, code: int, msg: str, details: str = "") -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.details = details

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code}, {self.msg!r}, {self.details!r})"


class ConfigError(PluginError):
    """The network configuration is invalid (code 7); ``msg`` names the field."""

    def __init__(self, msg: str, details: str = "") -> None:
        super().__init__(ERR_INVALID_CONFIG, msg, details)


def hcn_details(error: HcnError) -> str:
    """``"HCN_E_PORT_ALREADY_EXISTS (0x803B0013) from HcnCreateEndpoint; HNS error record: …"``.

    The HRESULT name and hex are what operators search for; the decoded record is HNS's own
    explanation and is often the only place the offending value is named.
    """
    from hcnpy.hresult import describe

    head = describe(error.hresult)
    if error.operation:
        head += f" from {error.operation}"
    record = error.error_record
    if record is None:
        return f"{head}; {error}"
    decoded = []
    if record.error_code is not None:
        decoded.append(f"ErrorCode {describe(record.error_code)}")
    if record.error:
        decoded.append(f"Error {record.error!r}")
    if not decoded:
        return f"{head}; HNS error record: {record.raw}"
    return f"{head}; HNS error record: {', '.join(decoded)}; raw record: {record.raw}"


def from_hcn_error(error: HcnError, doing: str, *, deleting: bool = False) -> PluginError:
    """Map a failed HCN call made while ``doing`` something to the plugin's code.

    * HNS did not answer within ``hnsTimeoutSeconds`` -> 11 (try again later), naming the
      C function that hung;
    * ``HCN_E_PORT_ALREADY_EXISTS`` -> 71;
    * ``HCN_E_NETWORK_NOT_FOUND`` -> 81;
    * during DEL, anything else -> 11 (try again later: the runtime retries DEL);
    * otherwise -> 66.
    """
    from hcnpy.errors import HcnTimeout, HcnUnavailable, NotFoundError
    from hcnpy.hresult import HResult

    details = hcn_details(error)
    if isinstance(error, HcnTimeout):
        return PluginError(
            ERR_TRY_AGAIN_LATER,
            f"{doing}: HNS did not answer {error.operation} in time (hnsTimeoutSeconds); "
            "what was done is undone, try again later",
            details,
        )
    if error.hresult == HResult.HCN_E_PORT_ALREADY_EXISTS:
        return PluginError(
            ERR_PORT_IN_USE,
            f"{doing}: a host port in the port mappings is already in use "
            "(HCN_E_PORT_ALREADY_EXISTS)",
            details,
        )
    if error.hresult == HResult.HCN_E_NETWORK_NOT_FOUND:
        return PluginError(ERR_NETWORK_NOT_FOUND, f"{doing}: HNS network not found", details)
    if deleting:
        return PluginError(
            ERR_TRY_AGAIN_LATER,
            f"{doing}: HNS call failed, try again later ({error.name})",
            details,
        )
    if isinstance(error, HcnUnavailable):
        return PluginError(ERR_GENERAL, f"{doing}: the HNS API is not available here", details)
    if isinstance(error, NotFoundError):
        return PluginError(
            ERR_GENERAL, f"{doing}: an HNS object was not found ({error.name})", details
        )
    return PluginError(ERR_GENERAL, f"{doing}: HNS call failed ({error.name})", details)
