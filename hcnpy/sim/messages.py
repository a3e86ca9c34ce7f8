"""The text real HNS puts in an error record: the HRESULT's Windows message, then a space.

Observed records (``real-hns/error-record__*.json``) carry the code's system message with a
trailing space and nothing naming the offending value; the HCN codes' messages are the
descriptions of Microsoft's HRESULT table with a full stop. Where a record was seen, its text
is used as seen.
"""

from __future__ import annotations

from ..hresult import HResult

__all__ = ["message"]

#: Microsoft's descriptions (HCNHResult reference) and Windows' system messages.
_DESCRIPTIONS: dict[int, str] = {
    HResult.HCN_E_NETWORK_NOT_FOUND: "The network was not found",
    HResult.HCN_E_ENDPOINT_NOT_FOUND: "The endpoint was not found",
    HResult.HCN_E_SUBNET_NOT_FOUND: "The network does not have a subnet for this endpoint",
    HResult.HCN_E_PORT_NOT_FOUND: "The switch-port was not found",
    HResult.HCN_E_POLICY_NOT_FOUND: "An expected policy was not found",
    HResult.HCN_E_INVALID_NETWORK: (
        "The provided network configuration is invalid or missing parameters"
    ),
    HResult.HCN_E_INVALID_NETWORK_TYPE: "Invalid network type",
    HResult.HCN_E_INVALID_ENDPOINT: (
        "The provided endpoint configuration is invalid or missing parameters"
    ),
    HResult.HCN_E_INVALID_POLICY: (
        "The provided policy configuration is invalid or missing parameters"
    ),
    HResult.HCN_E_INVALID_POLICY_TYPE: "Invalid policy type",
    HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION: (
        "This requested operation is invalid for a remote endpoint"
    ),
    HResult.HCN_E_NETWORK_ALREADY_EXISTS: "A network with this name already exists",
    HResult.HCN_E_POLICY_ALREADY_EXISTS: "Policy information already exists on this object",
    HResult.HCN_E_PORT_ALREADY_EXISTS: "The specified port already exists",
    HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED: "This endpoint is already attached to the switch",
    HResult.HCN_E_REQUEST_UNSUPPORTED: "The specified request is unsupported",
    HResult.HCN_E_GUID_CONVERSION_FAILURE: "Failed to interpret a parameter as a GUID",
    HResult.HCN_E_INVALID_JSON: "Invalid JSON document string",
    HResult.HCN_E_INVALID_IP: (
        "IP address is either invalid or not part of any configured subnet(s)"
    ),
    HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: (
        "This requested operation is invalid as endpoint is already part of a network namespace"
    ),
    HResult.HCN_E_ENTITY_HAS_REFERENCES: (
        "The specified entity cannot be removed while it still has references"
    ),
    HResult.HCN_E_INVALID_INTERNAL_PORT: "The internal port must exist and cannot be zero",
    HResult.HCN_E_NAMESPACE_ATTACH_FAILED: "The requested operation for attach namespace failed",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED: "An address provided is invalid or reserved",
    HResult.HCN_E_INVALID_PREFIX: "The prefix provided is invalid",
    HResult.HCN_E_INVALID_SUBNET: (
        "The provided subnet configuration is invalid or missing parameters"
    ),
    HResult.HCN_E_ENDPOINT_NOT_ATTACHED: "The endpoint must be attached to complete the operation",
    HResult.HCN_INTERFACEPARAMETERS_ALREADY_APPLIED: (
        "Cannot apply more than one InterfaceParameters policy"
    ),
    HResult.ERROR_NOT_FOUND: "Element not found",
    HResult.E_INVALIDARG: "The parameter is incorrect",
    HResult.ERROR_ALREADY_EXISTS: "Cannot create a file when that file already exists",
    HResult.E_NOTIMPL: "Not implemented",
    HResult.E_FAIL: "Unspecified error",
    HResult.E_UNEXPECTED: "Catastrophic failure",
    HResult.ERROR_TIMEOUT: "This operation returned because the timeout period expired",
}

#: Records seen whole, whose text is not "description. ".
_SEEN: dict[int, str] = {
    HResult.HCN_E_INVALID_JSON_REFERENCE: (
        "The reference is invalid in the JSON document. A Reference is required"
    ),
}


def message(hresult: int) -> str:
    """The ``Error`` text of a record for ``hresult``, as HNS writes it."""
    seen = _SEEN.get(hresult)
    if seen is not None:
        return seen
    description = _DESCRIPTIONS.get(hresult)
    if description is None:
        return f"Unknown error (0x{hresult & 0xFFFFFFFF:08x}) "
    return f"{description}. "
