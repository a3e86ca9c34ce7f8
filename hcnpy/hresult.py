"""HRESULT values returned by the Host Compute Network API, and their normalisation.

Values are unsigned 32-bit integers, as printed by Windows tools (``0x803B0013``).
"""

from __future__ import annotations

import enum

from ._hresult_bits import is_failure, normalize, to_unsigned

__all__ = [
    "HResult",
    "describe",
    "is_failure",
    "normalize",
    "text",
    "to_unsigned",
]



class HResult(enum.IntEnum):
    """Every HRESULT hcnpy knows by name (HCN facility 0x3B plus the Win32 ones HNS returns)."""

    S_OK = 0x00000000
    HCN_E_NETWORK_NOT_FOUND = 0x803B0001
    HCN_E_ENDPOINT_NOT_FOUND = 0x803B0002
    HCN_E_LAYER_NOT_FOUND = 0x803B0003
    HCN_E_SWITCH_NOT_FOUND = 0x803B0004
    HCN_E_SUBNET_NOT_FOUND = 0x803B0005
    HCN_E_ADAPTER_NOT_FOUND = 0x803B0006
    HCN_E_PORT_NOT_FOUND = 0x803B0007
    HCN_E_POLICY_NOT_FOUND = 0x803B0008
    HCN_E_VFP_PORTSETTING_NOT_FOUND = 0x803B0009
    HCN_E_INVALID_NETWORK = 0x803B000A
    HCN_E_INVALID_NETWORK_TYPE = 0x803B000B
    HCN_E_INVALID_ENDPOINT = 0x803B000C
    HCN_E_INVALID_POLICY = 0x803B000D
    HCN_E_INVALID_POLICY_TYPE = 0x803B000E
    HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION = 0x803B000F
    HCN_E_NETWORK_ALREADY_EXISTS = 0x803B0010
    HCN_E_LAYER_ALREADY_EXISTS = 0x803B0011
    HCN_E_POLICY_ALREADY_EXISTS = 0x803B0012
    HCN_E_PORT_ALREADY_EXISTS = 0x803B0013
    HCN_E_ENDPOINT_ALREADY_ATTACHED = 0x803B0014
    HCN_E_REQUEST_UNSUPPORTED = 0x803B0015
    HCN_E_MAPPING_NOT_SUPPORTED = 0x803B0016
    HCN_E_DEGRADED_OPERATION = 0x803B0017
    HCN_E_SHARED_SWITCH_MODIFICATION = 0x803B0018
    HCN_E_GUID_CONVERSION_FAILURE = 0x803B0019
    HCN_E_REGKEY_FAILURE = 0x803B001A
    HCN_E_INVALID_JSON = 0x803B001B
    HCN_E_INVALID_JSON_REFERENCE = 0x803B001C
    HCN_E_ENDPOINT_SHARING_DISABLED = 0x803B001D
    HCN_E_INVALID_IP = 0x803B001E
    HCN_E_SWITCH_EXTENSION_NOT_FOUND = 0x803B001F
    HCN_E_MANAGER_STOPPED = 0x803B0020
    GCN_E_MODULE_NOT_FOUND = 0x803B0021
    GCN_E_NO_REQUEST_HANDLERS = 0x803B0022
    GCN_E_REQUEST_UNSUPPORTED = 0x803B0023
    GCN_E_RUNTIMEKEYS_FAILED = 0x803B0024
    GCN_E_NETADAPTER_TIMEOUT = 0x803B0025
    GCN_E_NETADAPTER_NOT_FOUND = 0x803B0026
    GCN_E_NETCOMPARTMENT_NOT_FOUND = 0x803B0027
    GCN_E_NETINTERFACE_NOT_FOUND = 0x803B0028
    GCN_E_DEFAULTNAMESPACE_EXISTS = 0x803B0029
    HCN_E_ICS_DISABLED = 0x803B002A
    HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS = 0x803B002B
    HCN_E_ENTITY_HAS_REFERENCES = 0x803B002C
    HCN_E_INVALID_INTERNAL_PORT = 0x803B002D
    HCN_E_NAMESPACE_ATTACH_FAILED = 0x803B002E
    HCN_E_ADDR_INVALID_OR_RESERVED = 0x803B002F
    HCN_E_INVALID_PREFIX = 0x803B0030
    HCN_E_OBJECT_USED_AFTER_UNLOAD = 0x803B0031
    HCN_E_INVALID_SUBNET = 0x803B0032
    HCN_E_INVALID_IP_SUBNET = 0x803B0033
    HCN_E_ENDPOINT_NOT_ATTACHED = 0x803B0034
    HCN_E_ENDPOINT_NOT_LOCAL = 0x803B0035
    HCN_INTERFACEPARAMETERS_ALREADY_APPLIED = 0x803B0036
    HCN_E_VFP_NOT_ALLOWED = 0x803B0037
    # Generic and Win32-facility codes seen from HNS.
    E_NOTIMPL = 0x80004001
    E_POINTER = 0x80004003
    E_FAIL = 0x80004005
    E_UNEXPECTED = 0x8000FFFF
    E_ACCESSDENIED = 0x80070005
    E_OUTOFMEMORY = 0x8007000E
    ERROR_GEN_FAILURE = 0x8007001F
    ERROR_NOT_SUPPORTED = 0x80070032
    E_INVALIDARG = 0x80070057
    ERROR_ALREADY_EXISTS = 0x800700B7
    ERROR_NOT_FOUND = 0x80070490
    ERROR_TIMEOUT = 0x800705B4
    ERROR_OBJECT_ALREADY_EXISTS = 0x80071392


_TEXT: dict[int, str] = {
    HResult.S_OK: "success",
    HResult.HCN_E_NETWORK_NOT_FOUND: "the network was not found",
    HResult.HCN_E_ENDPOINT_NOT_FOUND: "the endpoint was not found",
    HResult.HCN_E_LAYER_NOT_FOUND: "the network's underlying layer was not found",
    HResult.HCN_E_SWITCH_NOT_FOUND: "the virtual switch was not found",
    HResult.HCN_E_SUBNET_NOT_FOUND: "the network has no subnet for this endpoint",
    HResult.HCN_E_ADAPTER_NOT_FOUND: "the network adapter was not found",
    HResult.HCN_E_PORT_NOT_FOUND: "the switch port was not found",
    HResult.HCN_E_POLICY_NOT_FOUND: "the expected policy was not found",
    HResult.HCN_E_VFP_PORTSETTING_NOT_FOUND: "the VFP port setting was not found",
    HResult.HCN_E_INVALID_NETWORK: "the network configuration is invalid or missing parameters",
    HResult.HCN_E_INVALID_NETWORK_TYPE: "the network type is invalid",
    HResult.HCN_E_INVALID_ENDPOINT: "the endpoint configuration is invalid or missing parameters",
    HResult.HCN_E_INVALID_POLICY: "the policy configuration is invalid or missing parameters",
    HResult.HCN_E_INVALID_POLICY_TYPE: "the policy type is invalid",
    HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION: "invalid on a remote endpoint",
    HResult.HCN_E_NETWORK_ALREADY_EXISTS: "a network with this name already exists",
    HResult.HCN_E_LAYER_ALREADY_EXISTS: "the layer already exists",
    HResult.HCN_E_POLICY_ALREADY_EXISTS: "the policy already exists on this object",
    HResult.HCN_E_PORT_ALREADY_EXISTS: "the port already exists (host port or load-balancer clash)",
    HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED: "the endpoint is already attached",
    HResult.HCN_E_REQUEST_UNSUPPORTED: "the request is not supported",
    HResult.HCN_E_MAPPING_NOT_SUPPORTED: "port mapping is not supported on this network",
    HResult.HCN_E_DEGRADED_OPERATION: "the operation was attempted on a degraded object",
    HResult.HCN_E_SHARED_SWITCH_MODIFICATION: "a shared switch cannot be modified",
    HResult.HCN_E_GUID_CONVERSION_FAILURE: "a GUID parameter could not be converted",
    HResult.HCN_E_REGKEY_FAILURE: "a registry operation failed",
    HResult.HCN_E_INVALID_JSON: "the JSON document is invalid",
    HResult.HCN_E_INVALID_JSON_REFERENCE: "the JSON document has an invalid reference",
    HResult.HCN_E_ENDPOINT_SHARING_DISABLED: "endpoint sharing is disabled",
    HResult.HCN_E_INVALID_IP: "the IP address is invalid or outside every subnet",
    HResult.HCN_E_SWITCH_EXTENSION_NOT_FOUND: "the switch extension was not found",
    HResult.HCN_E_MANAGER_STOPPED: "the network service is stopping",
    HResult.GCN_E_MODULE_NOT_FOUND: "guest network service: module not found",
    HResult.GCN_E_NO_REQUEST_HANDLERS: "guest network service: no request handlers",
    HResult.GCN_E_REQUEST_UNSUPPORTED: "guest network service: request unsupported",
    HResult.GCN_E_RUNTIMEKEYS_FAILED: "guest network service: runtime keys failed",
    HResult.GCN_E_NETADAPTER_TIMEOUT: "guest network service: network adapter timed out",
    HResult.GCN_E_NETADAPTER_NOT_FOUND: "guest network service: network adapter not found",
    HResult.GCN_E_NETCOMPARTMENT_NOT_FOUND: "guest network service: compartment not found",
    HResult.GCN_E_NETINTERFACE_NOT_FOUND: "guest network service: interface not found",
    HResult.GCN_E_DEFAULTNAMESPACE_EXISTS: "guest network service: default namespace exists",
    HResult.HCN_E_ICS_DISABLED: "the SharedAccess (ICS) service is disabled",
    HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: "the endpoint is already in a namespace",
    HResult.HCN_E_ENTITY_HAS_REFERENCES: "the object is still referenced by others",
    HResult.HCN_E_INVALID_INTERNAL_PORT: "the internal port is missing or zero",
    HResult.HCN_E_NAMESPACE_ATTACH_FAILED: "attaching to the namespace failed",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED: "the address is invalid or reserved",
    HResult.HCN_E_INVALID_PREFIX: "the prefix is invalid",
    HResult.HCN_E_OBJECT_USED_AFTER_UNLOAD: "the object was used after it was torn down",
    HResult.HCN_E_INVALID_SUBNET: "the subnet is invalid",
    HResult.HCN_E_INVALID_IP_SUBNET: "the IP subnet is invalid",
    HResult.HCN_E_ENDPOINT_NOT_ATTACHED: "the endpoint must be attached for this operation",
    HResult.HCN_E_ENDPOINT_NOT_LOCAL: "the endpoint must be local for this operation",
    HResult.HCN_INTERFACEPARAMETERS_ALREADY_APPLIED: "more than one InterfaceParameters policy",
    HResult.HCN_E_VFP_NOT_ALLOWED: "VFP is not available for this network type",
    HResult.E_NOTIMPL: "not implemented",
    HResult.E_POINTER: "invalid pointer",
    HResult.E_FAIL: "unspecified failure",
    HResult.E_UNEXPECTED: "unexpected failure",
    HResult.E_ACCESSDENIED: "access denied (HNS needs an administrator)",
    HResult.E_OUTOFMEMORY: "out of memory",
    HResult.ERROR_GEN_FAILURE: "a device attached to the system is not functioning",
    HResult.ERROR_NOT_SUPPORTED: "the request is not supported",
    HResult.E_INVALIDARG: "an argument is invalid",
    HResult.ERROR_ALREADY_EXISTS: "the object already exists",
    HResult.ERROR_NOT_FOUND: "element not found",
    HResult.ERROR_TIMEOUT: "the operation timed out",
    HResult.ERROR_OBJECT_ALREADY_EXISTS: "the object already exists",
}


def describe(hr: int) -> str:
    """``"HCN_E_PORT_ALREADY_EXISTS (0x803B0013)"``, or the bare hex for an unknown code."""
    value = to_unsigned(hr)
    try:
        return f"{HResult(value).name} (0x{value:08X})"
    except ValueError:
        return f"0x{value:08X}"


def text(hr: int) -> str:
    """A short English explanation of ``hr`` (empty for unknown codes)."""
    return _TEXT.get(to_unsigned(hr), "")
