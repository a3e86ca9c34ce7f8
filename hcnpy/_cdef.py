"""The C declarations of the Host Compute Network API, shared by both cffi builders.

Plain strings only (no cffi import): ``hcnpy._build_cffi`` compiles them into the committed
ABI-mode module and ``hcnpy.sim._standin_build`` puts the types in front of the stand-in's C.

Widths are spelled out because Windows is LLP64: ``long``/``DWORD`` are 32-bit there but
``long`` is 64-bit on Linux. ``WCHAR`` is cffi's ``char16_t``, a 16-bit code unit on every
OS, so UTF-16 marshalling (surrogate pairs included) is one code path everywhere.
"""

from __future__ import annotations

__all__ = [
    "CLIENT_CDEF",
    "COMPUTENETWORK",
    "KINDS",
    "OLE32",
    "OPERATIONS",
    "OPTIONAL_FUNCTIONS",
    "PER_KIND_FUNCTIONS",
    "SIM",
    "SIM_READY",
    "TYPES",
    "VMCOMPUTE",
    "c_function",
    "function_names",
]

#: The five HCN object kinds, as their C function names spell them.
KINDS = ("Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute")

#: How each per-kind operation names its C function (``{}`` is the kind): the one place
#: the naming rule is written down.
OPERATIONS = {
    "Enumerate": "HcnEnumerate{}s",
    "Create": "HcnCreate{}",
    "Open": "HcnOpen{}",
    "Modify": "HcnModify{}",
    "Query": "HcnQuery{}Properties",
    "Delete": "HcnDelete{}",
    "Close": "HcnClose{}",
}


def c_function(operation: str, kind: str) -> str:
    """``c_function("Query", "Endpoint")`` is ``"HcnQueryEndpointProperties"``."""
    return OPERATIONS[operation].format(kind)


#: Every per-kind C function name.
PER_KIND_FUNCTIONS = frozenset(c_function(op, kind) for op in OPERATIONS for kind in KINDS)

TYPES = """
typedef int32_t HRESULT;
typedef uint32_t DWORD;
typedef uint16_t USHORT;
typedef char16_t WCHAR;
typedef const WCHAR *PCWSTR;
typedef WCHAR *PWSTR;
typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
typedef void *HCN_NETWORK;
typedef void *HCN_ENDPOINT;
typedef void *HCN_NAMESPACE;
typedef void *HCN_LOADBALANCER;
typedef void *HCN_SDNROUTE;
typedef void *HCN_CALLBACK;
typedef void (WINAPI *HCN_NOTIFICATION_CALLBACK)(
    DWORD NotificationType, void *Context, HRESULT NotificationStatus, PCWSTR NotificationData);
"""

#: Exports of ``computenetwork.dll`` that hcnpy binds (reference section 1.3).
COMPUTENETWORK = """
HRESULT WINAPI HcnEnumerateNetworks(PCWSTR Query, PWSTR *Networks, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNetwork(const GUID *Id, PCWSTR Settings, HCN_NETWORK *Network,
                                PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNetwork(const GUID *Id, HCN_NETWORK *Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNetwork(HCN_NETWORK Network, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNetworkProperties(HCN_NETWORK Network, PCWSTR Query, PWSTR *Properties,
                                         PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNetwork(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNetwork(HCN_NETWORK Network);

HRESULT WINAPI HcnEnumerateNamespaces(PCWSTR Query, PWSTR *Namespaces, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNamespace(const GUID *Id, PCWSTR Settings, HCN_NAMESPACE *Namespace,
                                  PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNamespace(const GUID *Id, HCN_NAMESPACE *Namespace, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNamespace(HCN_NAMESPACE Namespace, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNamespaceProperties(HCN_NAMESPACE Namespace, PCWSTR Query,
                                           PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNamespace(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNamespace(HCN_NAMESPACE Namespace);

HRESULT WINAPI HcnEnumerateEndpoints(PCWSTR Query, PWSTR *Endpoints, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateEndpoint(HCN_NETWORK Network, const GUID *Id, PCWSTR Settings,
                                 HCN_ENDPOINT *Endpoint, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenEndpoint(const GUID *Id, HCN_ENDPOINT *Endpoint, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyEndpoint(HCN_ENDPOINT Endpoint, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointProperties(HCN_ENDPOINT Endpoint, PCWSTR Query,
                                          PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointStats(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Stats,
                                     PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointAddresses(HCN_ENDPOINT Endpoint, PCWSTR Query,
                                         PWSTR *Addresses, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteEndpoint(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseEndpoint(HCN_ENDPOINT Endpoint);

HRESULT WINAPI HcnEnumerateLoadBalancers(PCWSTR Query, PWSTR *LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateLoadBalancer(const GUID *Id, PCWSTR Settings,
                                     HCN_LOADBALANCER *LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenLoadBalancer(const GUID *Id, HCN_LOADBALANCER *LoadBalancer,
                                   PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyLoadBalancer(HCN_LOADBALANCER LoadBalancer, PCWSTR Settings,
                                     PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryLoadBalancerProperties(HCN_LOADBALANCER LoadBalancer, PCWSTR Query,
                                              PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteLoadBalancer(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseLoadBalancer(HCN_LOADBALANCER LoadBalancer);

HRESULT WINAPI HcnEnumerateSdnRoutes(PCWSTR Query, PWSTR *Routes, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateSdnRoute(const GUID *Id, PCWSTR Settings, HCN_SDNROUTE *Route,
                                 PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenSdnRoute(const GUID *Id, HCN_SDNROUTE *Route, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifySdnRoute(HCN_SDNROUTE Route, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQuerySdnRouteProperties(HCN_SDNROUTE Route, PCWSTR Query, PWSTR *Properties,
                                          PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteSdnRoute(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseSdnRoute(HCN_SDNROUTE Route);

HRESULT WINAPI HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                          HCN_CALLBACK *CallbackHandle);
HRESULT WINAPI HcnUnregisterServiceCallback(HCN_CALLBACK CallbackHandle);
"""

#: The legacy HNS v1 entry point, exported by ``vmcompute.dll``.
VMCOMPUTE = """
HRESULT WINAPI HNSCall(PCWSTR Method, PCWSTR Path, PCWSTR Object, PWSTR *Response);
"""

#: The COM task allocator's free (``ole32.dll`` / ``api-ms-win-core-com-l1-1-0.dll``).
OLE32 = """
void WINAPI CoTaskMemFree(void *pv);
"""

#: Exported only by the simulator's stand-in: leak counters, a readiness probe (returns a
#: magic number: the library is the stand-in), and a reset that drops the process's
#: connections to the simulator service (the service then releases its handles).
SIM = """
uint32_t HcnSimOutstandingStrings(void);
uint32_t HcnSimOpenHandles(void);
uint32_t HcnSimReady(void);
uint32_t HcnSimReset(void);
"""

#: What ``HcnSimReady()`` returns: this library is the simulator's stand-in ("HCNS").
SIM_READY = 0x48434E53

#: What the committed ABI-mode module declares. The SIM counters are looked up only when the
#: backend is the simulator (ABI-mode symbols resolve on first use, so they cost nothing else).
CLIENT_CDEF = TYPES + COMPUTENETWORK + VMCOMPUTE + OLE32 + SIM

#: Exports missing from older ``computenetwork.dll`` builds.
OPTIONAL_FUNCTIONS = frozenset({"HcnQueryEndpointStats", "HcnQueryEndpointAddresses"})


def function_names(block: str) -> tuple[str, ...]:
    """The function names declared in one of the prototype blocks above, in order."""
    names = []
    for statement in block.split(";"):
        head = statement.partition("(")[0].split()
        if head:
            names.append(head[-1])
    return tuple(names)
