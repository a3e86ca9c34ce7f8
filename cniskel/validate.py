"""The reference's input validators (Go ``pkg/utils``), returning a :class:`CniError` or None."""

from __future__ import annotations

from cniskel.codes import ErrorCode
from cniskel.errors import CniError

_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_REST = _FIRST | frozenset("_.-")
_MAX_IFNAME_BYTES = 15
# Go's unicode.IsSpace (Python's str.isspace also accepts U+001C..U+001F).
_GO_SPACE = frozenset(
    "\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def valid_name(value: str) -> bool:
    """True when ``value`` matches ``^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$``."""
    return bool(value) and value[0] in _FIRST and all(ch in _REST for ch in value[1:])


def validate_container_id(container_id: str) -> CniError | None:
    """Go's ``ValidateContainerID``."""
    if container_id == "":
        return CniError(ErrorCode.UNKNOWN_CONTAINER, "missing containerID")
    if not valid_name(container_id):
        return CniError(
            ErrorCode.INVALID_ENVIRONMENT_VARIABLES,
            "invalid characters in containerID",
            container_id,
        )
    return None


def validate_network_name(name: str) -> CniError | None:
    """Go's ``ValidateNetworkName``."""
    if name == "":
        return CniError(ErrorCode.INVALID_NETWORK_CONFIG, "missing network name:")
    if not valid_name(name):
        return CniError(
            ErrorCode.INVALID_NETWORK_CONFIG, "invalid characters found in network name", name
        )
    return None


def validate_interface_name(ifname: str) -> CniError | None:
    """Go's ``ValidateInterfaceName`` (length counted in UTF-8 bytes)."""
    code = ErrorCode.INVALID_ENVIRONMENT_VARIABLES
    if ifname == "":
        return CniError(code, "interface name is empty")
    if len(ifname.encode("utf-8", "surrogatepass")) > _MAX_IFNAME_BYTES:
        return CniError(
            code,
            "interface name is too long",
            "interface name should be less than 16 characters",
        )
    if ifname in (".", ".."):
        return CniError(code, "interface name is . or ..")
    if any(ch in "/:" or ch in _GO_SPACE for ch in ifname):
        return CniError(code, "interface name contains / or : or whitespace characters")
    return None
