"""The simulated HNS's behaviour table: every rule it applies, and the evidence behind each.

The simulator is a model of real HNS, not of hcnpy's client. Every validation, error code,
default, version gate and side effect it applies is a :class:`Rule` here, with what HNS does,
the HRESULT it answers, how sure we are (:data:`EVIDENCE_LEVELS`) and the source. The object
kinds' modules raise a rule's failure with :func:`violate` and read a rule's parameters
(``params``) instead of spelling codes or constants themselves, so this table is complete by
construction; ``tests/hcnpy/sim/test_rules_table.py`` keeps it so, and the docs build turns it
into the fidelity ledger.

Nothing here is imported from the client (``hcnpy.validation``, ``hcnpy.features``,
``hcnpy.gates``): the simulator keeps its own version gates, so a wrong client table cannot
pass on both sides.
"""

from __future__ import annotations

from ..hresult import HResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

__all__ = [
    "EVIDENCE_LEVELS",
    "RULES",
    "HnsFailure",
    "Rule",
    "by_id",
    "violate",
]

#: How a rule is known, strongest first.
EVIDENCE_LEVELS = ("documented", "observed", "hcsshim-tested", "inferred", "chosen")

DOCUMENTED, OBSERVED, HCSSHIM_TESTED, INFERRED, CHOSEN = EVIDENCE_LEVELS

_MS_HRESULTS = "https://learn.microsoft.com/virtualization/api/hcn/Reference/HCNHResult"
_MS_SCHEMA = "https://learn.microsoft.com/virtualization/api/hcn/HNS_Schema"
_HCSSHIM_SUPPORT = "microsoft/hcsshim hcn/hcnsupport.go (version ranges of the feature checks)"
_HNSLIB_SUPPORT = "microsoft/hnslib hcn/hcnsupport.go (ModifyLoadbalancer range)"
_REAL_HNS = "real-hns.md (public observations of real HNS)"


class Rule:
    """One behaviour of HNS the simulator reproduces.

    ``functions`` are the C functions it applies to; ``hresult`` is what HNS answers when
    the rule is broken (``None`` for a default or side effect); ``params`` holds the values
    the simulator uses (version ranges, address pools); ``checkable`` says whether the
    conformance kit (``hcnpy conformance``) can observe it through the API.
    """

    __slots__ = ("checkable", "does", "evidence", "functions", "hresult", "id", "params", "source")

    def __init__(
        self,
        rule_id: str,
        functions: str,
        does: str,
        hresult: int | None,
        evidence: str,
        source: str,
        *,
        params: dict[Any, Any] | None = None,
        checkable: bool = True,
    ) -> None:
        if evidence not in EVIDENCE_LEVELS:
            raise ValueError(f"{rule_id}: unknown evidence level {evidence!r}")
        self.id = rule_id
        self.functions = tuple(functions.split())
        self.does = does
        self.hresult = None if hresult is None else int(hresult)
        self.evidence = evidence
        self.source = source
        self.params: dict[Any, Any] = params or {}
        self.checkable = checkable

    def __repr__(self) -> str:
        return f"Rule({self.id!r})"


class HnsFailure(Exception):
    """A simulated HNS call broke ``rule``; ``detail`` says how (it never reaches HNS's text)."""

    def __init__(self, rule: Rule, detail: str, hresult: int | None = None) -> None:
        super().__init__(f"{rule.id}: {detail}")
        code = hresult if hresult is not None else rule.hresult
        if code is None:
            raise ValueError(f"rule {rule.id} has no HRESULT to fail with")
        self.rule = rule
        self.detail = detail
        self.hresult = int(code)


def violate(rule: Rule, detail: str) -> NoReturn:
    """Fail the current call as HNS does for ``rule``; ``detail`` names the offending value."""
    raise HnsFailure(rule, detail)


RULES: list[Rule] = []


def _rule(*args: Any, **kwargs: Any) -> Rule:
    rule = Rule(*args, **kwargs)
    RULES.append(rule)
    return rule


_CREATE = "HcnCreateNetwork HcnCreateEndpoint HcnCreateNamespace HcnCreateLoadBalancer "
_CREATE += "HcnCreateSdnRoute"
_OPEN = "HcnOpenNetwork HcnOpenEndpoint HcnOpenLoadBalancer HcnOpenSdnRoute"
_DELETE = "HcnDeleteNetwork HcnDeleteEndpoint HcnDeleteNamespace HcnDeleteLoadBalancer "
_DELETE += "HcnDeleteSdnRoute"
_HANDLE_CALLS = "HcnModify* HcnQuery*Properties HcnClose*"
_DOCS = _CREATE + " HcnModifyNetwork HcnModifyEndpoint HcnModifyNamespace HcnModifyLoadBalancer"
_DOCS += " HcnModifySdnRoute"
_EP_POLICY = "HcnCreateEndpoint HcnModifyEndpoint"
_NET_POLICY = "HcnCreateNetwork HcnModifyNetwork"

# --- every call ---------------------------------------------------------------------------------

API_V2 = _rule(
    "api.v2-needs-9.2",
    "HcnEnumerate* HcnCreate* HcnOpen* HcnModify* HcnQuery* HcnDelete*",
    "The V2 API (computenetwork.dll) exists from HNS 9.2 (Windows Server 2019); the simulator "
    "answers E_NOTIMPL for an older simulated version, where the DLL would be missing.",
    HResult.E_NOTIMPL,
    CHOSEN,
    "hcn.md section 3.3 (V2ApiSupported >= 9.2); the HRESULT is the simulator's choice",
    params={"ranges": ((9, 2, None, None),)},
    checkable=False,
)
ERROR_RECORD = _rule(
    "error-record.shape",
    "every function with an ErrorRecord",
    'A failure hands back {"Success":false,"Error":"<the HRESULT\'s message> ","ErrorCode":'
    "<uint32>} in that key order; the text is the code's Windows message with a trailing "
    "space (seven of the eight records; the 0x803B001C one has no space and an extra "
    "sentence, used as seen) and never names the offending value. The simulator adds one key, "
    '"Simulator": {"Rule", "Detail"}, so tests and users still see why.',
    None,
    OBSERVED,
    "real-hns.md section 3.2; 8 records in real-hns/error-record__*.json",
)
DOC_NOT_JSON = _rule(
    "document.not-json",
    _DOCS + " HcnEnumerate* HcnQuery*Properties",
    "A settings or query document that is not JSON is rejected with HCN_E_INVALID_JSON.",
    HResult.HCN_E_INVALID_JSON,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_JSON: Invalid JSON document string)",
)
DOC_NOT_OBJECT = _rule(
    "document.not-object",
    _DOCS,
    "A document that is JSON but not an object is rejected with HCN_E_INVALID_JSON.",
    HResult.HCN_E_INVALID_JSON,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_INVALID_JSON)",
)
DOC_FIELD_TYPE = _rule(
    "document.field-type",
    _DOCS,
    "A field holding the wrong JSON type (a string where the schema has an object, a number "
    "out of its type's range) is rejected with HCN_E_INVALID_JSON.",
    HResult.HCN_E_INVALID_JSON,
    INFERRED,
    _MS_SCHEMA + " (field types); HCN_E_INVALID_JSON's documented meaning",
)
DOC_ID_NOT_GUID = _rule(
    "document.id-not-guid",
    _CREATE,
    "A create document whose ID is not a GUID is rejected with HCN_E_INVALID_JSON "
    '("Invalid JSON document string."), not HCN_E_GUID_CONVERSION_FAILURE.',
    HResult.HCN_E_INVALID_JSON,
    OBSERVED,
    "https://github.com/microsoft/hcsshim/issues/1049 "
    "(real-hns/error-record__hcsshim-1049_0x803b001b-bad-guid-id.json)",
)
DOC_GUID_FIELD = _rule(
    "document.guid-field-not-guid",
    _DOCS,
    "Any other GUID-typed field of a document (HostComputeNetwork, an endpoint reference, "
    "PortId) that is not a GUID is rejected the same way as a bad ID: HCN_E_INVALID_JSON.",
    HResult.HCN_E_INVALID_JSON,
    INFERRED,
    "by analogy with https://github.com/microsoft/hcsshim/issues/1049 (the GUID is parsed "
    "with the document)",
)
CREATE_ID_TAKEN = _rule(
    "create.id-taken",
    _CREATE,
    "Creating an object with the ID of an existing object of that kind fails with "
    "ERROR_ALREADY_EXISTS and changes nothing.",
    HResult.ERROR_ALREADY_EXISTS,
    CHOSEN,
    "no public observation",
)
CREATE_ID_CHOSEN = _rule(
    "create.id-honoured",
    _CREATE,
    "An ID given in the create document (or the GUID argument) becomes the object's ID; "
    "without one HNS picks a random GUID.",
    None,
    INFERRED,
    "hcsshim hcn/hcnendpoint.go sends the endpoint's ID; https://github.com/microsoft/"
    "hcsshim/issues/1049 shows HNS parsing the document's ID",
)
OPEN_NAMESPACE_UNKNOWN = _rule(
    "open.namespace-unknown",
    "HcnOpenNamespace",
    "Opening a namespace GUID that does not exist fails with ERROR_NOT_FOUND (0x80070490), "
    'record text "Element not found. ".',
    HResult.ERROR_NOT_FOUND,
    HCSSHIM_TESTED,
    "microsoft/hcsshim hcn/hcnerrors_test.go TestNotFoundError; "
    "https://github.com/antrea-io/antrea/issues/2301",
)
OPEN_UNKNOWN = _rule(
    "open.unknown",
    _OPEN,
    "Opening an unknown GUID of any other kind fails with ERROR_NOT_FOUND, as for namespaces.",
    HResult.ERROR_NOT_FOUND,
    INFERRED,
    "by analogy with open.namespace-unknown",
)
DELETE_UNKNOWN = _rule(
    "delete.unknown",
    _DELETE,
    "Deleting an unknown GUID fails with ERROR_NOT_FOUND.",
    HResult.ERROR_NOT_FOUND,
    CHOSEN,
    "no V2 observation; V1 answered 'The endpoint was not found.' "
    "(https://github.com/Azure/azure-container-networking/issues/715)",
)
HANDLE_INVALID = _rule(
    "handle.invalid",
    _HANDLE_CALLS,
    "A handle that is not an open handle of the function's kind is rejected with E_INVALIDARG.",
    HResult.E_INVALIDARG,
    CHOSEN,
    "no public observation",
    checkable=False,
)
HANDLE_OBJECT_GONE = _rule(
    "handle.object-deleted",
    "HcnModify* HcnQuery*Properties HcnQueryEndpointStats HcnQueryEndpointAddresses",
    "Using the handle of an object deleted since it was opened fails with the kind's "
    "not-found code: HCN_E_NETWORK_NOT_FOUND, HCN_E_ENDPOINT_NOT_FOUND, else ERROR_NOT_FOUND.",
    None,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_NETWORK_NOT_FOUND, HCN_E_ENDPOINT_NOT_FOUND)",
    params={
        "Network": HResult.HCN_E_NETWORK_NOT_FOUND,
        "Endpoint": HResult.HCN_E_ENDPOINT_NOT_FOUND,
        "Namespace": HResult.ERROR_NOT_FOUND,
        "LoadBalancer": HResult.ERROR_NOT_FOUND,
        "SdnRoute": HResult.ERROR_NOT_FOUND,
    },
)
HANDLES_PER_PROCESS = _rule(
    "service.handles-per-process",
    _HANDLE_CALLS,
    "HNS runs in its own process (a service); a handle belongs to the process that opened it "
    "and is released when that process ends, whatever it left open.",
    None,
    INFERRED,
    "hcn.md section 1.3 (handles are the client DLL's opaque void*; the ServiceDisconnect "
    "notification) and section 1.4 (HCN_E_MANAGER_STOPPED, 'service stopping'): HNS is a "
    "separate service; that it releases a dead client's handles is inferred, not observed",
    checkable=False,
)
CALLER_GONE = _rule(
    "service.caller-gone",
    "HcnCreate* HcnModify* HcnDelete* HcnOpen* HcnQuery* HcnEnumerate*",
    "A call still waiting to run (a stall fault) when its calling process has ended is "
    "dropped: nothing is created, changed or deleted for a caller that is gone.",
    HResult.E_FAIL,
    CHOSEN,
    "no public observation of HNS finishing or dropping an orphaned request; dropping keeps "
    "a timed-out plugin's clean-up final",
    checkable=False,
)
CALLBACK_UNKNOWN = _rule(
    "callback.unknown",
    "HcnUnregisterServiceCallback",
    "Unregistering a handle that is not a registered callback fails with E_INVALIDARG; "
    "notifications themselves are never sent by the simulator.",
    HResult.E_INVALIDARG,
    CHOSEN,
    "no public observation",
    checkable=False,
)
ENUMERATE_ORDER = _rule(
    "enumerate.order",
    "HcnEnumerate*",
    "Enumerate answers a JSON array of lowercase IDs, oldest object first.",
    None,
    CHOSEN,
    "real-hns.md section 3.4 (V2 IDs are lowercase); the order is the simulator's choice",
)
QUERY_FILTER = _rule(
    "query.filter",
    "HcnEnumerate*",
    "A query's Filter is a JSON string holding an object; an object matches when every filter "
    "key names one of its properties (case-insensitive, V1 names such as VirtualNetwork "
    "included) with an equal value (strings compared case-insensitively). A key naming no "
    "property matches nothing.",
    None,
    INFERRED,
    "hcn.md section 2.1 (hcsshim and the SDN module filter endpoints by VirtualNetwork); "
    "unknown keys matching nothing is the simulator's choice",
)
QUERY_DETAILED = _rule(
    "query.detailed",
    "HcnQuery*Properties",
    "Flags 1 (Detailed) adds Health.Extra: a network's SwitchGuid and LayeredOn, an attached "
    "endpoint's SharedContainers.",
    None,
    CHOSEN,
    "hcn.md section 2.1 (ExtraParams fields); the values are the simulator's",
)
QUERY_SCHEMA_V1 = _rule(
    "query.schema-v1",
    "HcnQueryNetworkProperties HcnQueryEndpointProperties",
    "A query with SchemaVersion 1.x answers the V1 shape (HNSNetwork, HNSEndpoint); V1 "
    "network IDs are upper-case, V1 endpoint IDs lower-case.",
    None,
    OBSERVED,
    "real-hns.md sections 2 and 3.4 (saved V1 documents)",
)
SCHEMA_VERSION_ECHO = _rule(
    "schema-version.echo",
    "HcnQuery*Properties",
    "Properties carry the SchemaVersion the object was created with (2.0 when none was sent).",
    None,
    CHOSEN,
    "real-hns.md section 1.4 (requests with 2.0, 2.2 and 2.16 were all accepted)",
)
HNSCALL_VERSION = _rule(
    "hnscall.globals-version",
    "HNSCall",
    'GET /globals/version answers {"Success":true,"Output":{"Major":M,"Minor":N}}.',
    None,
    OBSERVED,
    "hcn.md section 3.1 (hcn.GetGlobals)",
)
HNSCALL_STATS = _rule(
    "hnscall.endpointstats",
    "HNSCall",
    "GET /endpointstats/<id> answers the V1 EndpointStats counters; an unknown endpoint "
    'answers Success false with "Element not found.".',
    None,
    INFERRED,
    "hcn.md section 7 (EndpointStats fields); the simulator's counters are all zero",
)
HNSCALL_OBJECTS = _rule(
    "hnscall.networks-endpoints",
    "HNSCall",
    "GET /networks and /endpoints (all, or one by ID) answer the V1 envelope with the "
    'objects\' V1 shapes; an unknown ID answers Success false with "Element not found.".',
    None,
    OBSERVED,
    "hcn.md section 7 (the V1 paths); real-hns/network-v1__docker-netrestore-*.json "
    "(the answer's shape)",
)
HNSCALL_UNSERVED = _rule(
    "hnscall.unserved",
    "HNSCall",
    "A V1 path the simulator does not serve answers S_OK with Success false (V1 reports "
    "logical failures in the envelope).",
    None,
    CHOSEN,
    "hcn.md section 4.2 (V1 logical failures); the simulator serves two paths only",
    checkable=False,
)
ENDPOINT_STATS = _rule(
    "endpoint.stats",
    "HcnQueryEndpointStats",
    "Endpoint statistics answer the V1 EndpointStats fields (all zero in the simulator).",
    None,
    CHOSEN,
    "hcn.md section 7",
)
ENDPOINT_ADDRESSES = _rule(
    "endpoint.addresses",
    "HcnQueryEndpointAddresses",
    'Endpoint addresses answer {"ID", "IpConfigurations", "MacAddress"}.',
    None,
    CHOSEN,
    "no public observation (the export exists, hcsshim never calls it)",
)
MODIFY_REQUEST = _rule(
    "modify.request",
    "HcnModifyNetwork HcnModifyEndpoint HcnModifyNamespace",
    "A modify request needs a known ResourceType and RequestType (matched case-insensitively);"
    " a missing or unknown one is HCN_E_INVALID_JSON.",
    HResult.HCN_E_INVALID_JSON,
    CHOSEN,
    _MS_SCHEMA + " (ModifyRequestType, the ResourceType enums)",
)
MODIFY_UNSUPPORTED = _rule(
    "modify.unsupported",
    "HcnModifyNetwork HcnModifyNamespace",
    "A known request the simulator does not model (network Subnet/IPSubnet resources, "
    "namespace requests other than Add/Remove) answers HCN_E_REQUEST_UNSUPPORTED.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    CHOSEN,
    _MS_SCHEMA + " (schema 2.6 adds Subnet and IPSubnet)",
)

# --- networks -----------------------------------------------------------------------------------

NETWORK_NAME = _rule(
    "network.name.required",
    "HcnCreateNetwork",
    "A network needs a non-blank Name (HCN_E_INVALID_NETWORK).",
    HResult.HCN_E_INVALID_NETWORK,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_INVALID_NETWORK: invalid or missing parameters)",
)
NETWORK_NAME_TAKEN = _rule(
    "network.name.unique",
    "HcnCreateNetwork",
    "Network names are unique, ignoring case: HCN_E_NETWORK_ALREADY_EXISTS.",
    HResult.HCN_E_NETWORK_ALREADY_EXISTS,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_NETWORK_ALREADY_EXISTS: A network with this name already exists)",
)
NETWORK_TYPE = _rule(
    "network.type.enum",
    "HcnCreateNetwork",
    "Type is one of NAT, ICS, Transparent, L2Bridge, L2Tunnel, Overlay, Private, Internal, "
    "Mirrored, Infiniband, ConstrainedICS, Layered (any case); anything else is "
    "HCN_E_INVALID_NETWORK_TYPE. Whether HNS takes integers too is undecided (the evidence "
    "is for strings; Microsoft's samples also use integers): the simulator refuses an "
    "integer as a wrong JSON type (document.field-type), so a divergence would show there.",
    HResult.HCN_E_INVALID_NETWORK_TYPE,
    DOCUMENTED,
    _MS_SCHEMA + " (NetworkMode); " + _MS_HRESULTS + " (HCN_E_INVALID_NETWORK_TYPE); "
    "integer enum values: undecided (real-hns.md section 1.4)",
    params={
        "types": (
            "NAT", "ICS", "Transparent", "L2Bridge", "L2Tunnel", "Overlay", "Private",
            "Internal", "Mirrored", "Infiniband", "ConstrainedICS", "Layered",
        )
    },
)  # fmt: skip
NETWORK_TYPE_DEFAULT = _rule(
    "network.type.nat-omitted",
    "HcnCreateNetwork HcnQueryNetworkProperties",
    "A network created without Type is NAT, and V2 properties leave Type out for NAT (the "
    "enum's zero value).",
    None,
    OBSERVED,
    "https://github.com/microsoft/hcsshim/pull/657; canonical/multipass hyperv_hcn_wrapper",
)
NETWORK_FLAG_DISABLE_HOST_PORT = _rule(
    "network.flags.disable-host-port",
    "HcnCreateNetwork",
    "Network flag DisableHostPort (1024) needs HNS 15.1 or newer, else HCN_E_REQUEST_UNSUPPORTED.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    INFERRED,
    _HCSSHIM_SUPPORT + " (DisableHostPort >= 15.1)",
    params={"flag": 1024, "ranges": ((15, 1, None, None),)},
)
NETWORK_NAT_DEFAULT_SUBNET = _rule(
    "network.nat.default-subnet",
    "HcnCreateNetwork",
    "A NAT network created without a subnet prefix gets a /20 inside 172.16.0.0/12 with "
    "gateway .1 (a default route); the simulator takes the first /20 no network uses.",
    None,
    OBSERVED,
    "real-hns.md section 3.4 (172.21.16.0/20, 172.29.144.0/20 ... in hcsshim#1746)",
    params={"pool": "172.16.0.0/12", "prefix": 20},
)
NETWORK_NAT_POOL_EXHAUSTED = _rule(
    "network.nat.pool-exhausted",
    "HcnCreateNetwork",
    "When no /20 of the NAT pool is free, the create fails with HCN_E_INVALID_SUBNET.",
    HResult.HCN_E_INVALID_SUBNET,
    CHOSEN,
    "no public observation",
    checkable=False,
)
NETWORK_MAC_POOL_DEFAULT = _rule(
    "network.mac-pool.default",
    "HcnCreateNetwork",
    "A network without MacPool gets one 4096-address block 00-15-5D-xx-x0-00 .. "
    "00-15-5D-xx-xF-FF; the simulator counts blocks up from 00-15-5D-10-00-00.",
    None,
    OBSERVED,
    "real-hns.md section 3.4 (saved network outputs)",
    params={"base": 0x00155D100000, "block": 0x1000, "last": 0x00155DFFFFFF},
)
NETWORK_MAC_POOL_INVALID = _rule(
    "network.mac-pool.invalid",
    "HcnCreateNetwork",
    "A MacPool range with a malformed address or its start after its end is HCN_E_INVALID_NETWORK.",
    HResult.HCN_E_INVALID_NETWORK,
    CHOSEN,
    _MS_HRESULTS + " (HCN_E_INVALID_NETWORK)",
)
NETWORK_MAC_POOL_EXHAUSTED = _rule(
    "network.mac-pool.exhausted",
    "HcnCreateNetwork",
    "When every default MAC block is taken, the create fails with HCN_E_ADDR_INVALID_OR_RESERVED.",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
    CHOSEN,
    "no public observation",
    checkable=False,
)
SUBNET_PREFIX = _rule(
    "subnet.prefix.invalid",
    "HcnCreateNetwork",
    "An IpAddressPrefix that is not an address/length prefix is HCN_E_INVALID_PREFIX.",
    HResult.HCN_E_INVALID_PREFIX,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_PREFIX: The prefix provided is invalid)",
)
SUBNET_HOST_BITS = _rule(
    "subnet.prefix.host-bits",
    "HcnCreateNetwork",
    "A subnet prefix with host bits set (172.22.16.0/16) is rejected with HCN_E_INVALID_NETWORK.",
    HResult.HCN_E_INVALID_NETWORK,
    INFERRED,
    "https://github.com/microsoft/containers-toolkit/issues/24 "
    "(real-hns/error-record__containers-toolkit-24_0x803b000a.json; cause a guess)",
)
SUBNET_OVERLAP = _rule(
    "subnet.overlap",
    "HcnCreateNetwork",
    "Two subnets of one network that overlap are HCN_E_INVALID_SUBNET.",
    HResult.HCN_E_INVALID_SUBNET,
    CHOSEN,
    _MS_HRESULTS + " (HCN_E_INVALID_SUBNET)",
)
SUBNET_IPV6 = _rule(
    "subnet.ipv6-gate",
    "HcnCreateNetwork",
    "An IPv6 subnet needs HNS 11.10 or newer (IPv6DualStack), else HCN_E_REQUEST_UNSUPPORTED.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    INFERRED,
    _HCSSHIM_SUPPORT + " (IPv6DualStack >= 11.10)",
    params={"ranges": ((11, 10, None, None),)},
)
SUBNET_NO_ROUTES = _rule(
    "subnet.routes-optional",
    "HcnCreateNetwork",
    "A subnet with a prefix and no routes (or an empty Routes array) is accepted; hcsshim's "
    "client-side default-route rule is not HNS's.",
    None,
    OBSERVED,
    "canonical/multipass integration test (real-hns.md section 3.4)",
)
ROUTE_NEXT_HOP = _rule(
    "route.next-hop.invalid",
    "HcnCreateNetwork HcnCreateEndpoint",
    "A route NextHop that is not an IP address is HCN_E_INVALID_IP.",
    HResult.HCN_E_INVALID_IP,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_INVALID_IP)",
)
ROUTE_PREFIX = _rule(
    "route.prefix.invalid",
    "HcnCreateNetwork HcnCreateEndpoint",
    "A route DestinationPrefix that is not a prefix is HCN_E_INVALID_PREFIX.",
    HResult.HCN_E_INVALID_PREFIX,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_PREFIX)",
)
NETWORK_DELETE_IN_USE = _rule(
    "network.delete.has-endpoints",
    "HcnDeleteNetwork",
    "A network that still has endpoints is not deleted: HCN_E_ENTITY_HAS_REFERENCES.",
    HResult.HCN_E_ENTITY_HAS_REFERENCES,
    CHOSEN,
    "no public observation (Microsoft's scripts always delete endpoints first); "
    + _MS_HRESULTS
    + " (HCN_E_ENTITY_HAS_REFERENCES)",
)
NETWORK_MODIFY = _rule(
    "network.modify",
    "HcnModifyNetwork",
    "Network modify requests: Policy Add/Remove/Update; DNS Update replaces Dns (Remove "
    "clears it); Extension is accepted and changes nothing.",
    None,
    CHOSEN,
    "hcn.md section 2.2 (ModifyNetworkSettingRequest resource types)",
)
NETWORK_V1_CREATE = _rule(
    "network.v1-create",
    "HcnCreateNetwork",
    "A V1 HNSNetwork document (Subnets, MacPools, ...) is accepted by the V2 create.",
    None,
    HCSSHIM_TESTED,
    "microsoft/hcsshim hcn/hcnv1schema_test.go",
)

# --- policies -----------------------------------------------------------------------------------

POLICY_TYPE = _rule(
    "policy.type.unknown",
    _EP_POLICY + " " + _NET_POLICY,
    "A policy Type that is not a known policy of the object's scope is "
    "HCN_E_INVALID_POLICY_TYPE (case-insensitive; the canonical spelling is stored).",
    HResult.HCN_E_INVALID_POLICY_TYPE,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_POLICY_TYPE: Invalid policy type)",
    params={
        "endpoint": (
            "PortMapping", "ACL", "QOS", "L2Driver", "OutBoundNAT", "SDNRoute", "L4Proxy",
            "L4WFPPROXY", "PortName", "EncapOverhead", "Iov", "ProviderAddress",
            "InterfaceConstraint", "TierAcl", "Encryption", "VLAN", "InterfaceParameters",
        ),
        "network": (
            "SourceMacAddress", "NetAdapterName", "VSwitchExtension", "DrMacAddress",
            "AutomaticDNS", "InterfaceConstraint", "ProviderAddress", "RemoteSubnetRoute",
            "VxlanPort", "HostRoute", "SetPolicy", "L4Proxy", "LayerConstraint", "NetworkACL",
        ),
        "subnet": ("VLAN", "VSID"),
    },
)  # fmt: skip
POLICY_SHAPE = _rule(
    "policy.shape",
    _EP_POLICY + " " + _NET_POLICY,
    "A policy that is not an object, or whose Settings is not an object, is HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_INVALID_POLICY)",
)
POLICY_SETTINGS = _rule(
    "policy.settings.invalid",
    _EP_POLICY + " " + _NET_POLICY,
    "Malformed or missing settings of a known policy (a bad address, a missing required "
    "field) are HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_POLICY: The provided policy configuration is invalid or "
    "missing parameters)",
)
POLICY_GATES = _rule(
    "policy.version-gates",
    _EP_POLICY + " " + _NET_POLICY,
    "Policy types newer than the HNS version are unknown to it: HCN_E_INVALID_POLICY_TYPE. "
    "L4Proxy 9.5-9.x, 10.5-10.x, 11.11-11.x, 12.1-12.x and >= 13.1; L4WFPPROXY >= 13.2; "
    "TierAcl >= 14.0; RemoteSubnetRoute and HostRoute >= 9.2; VxlanPort >= 10.3; SetPolicy "
    ">= 13.0; NetworkACL >= 15.0.",
    HResult.HCN_E_INVALID_POLICY_TYPE,
    INFERRED,
    _HCSSHIM_SUPPORT,
    params={
        ("endpoint", "L4Proxy"): (
            (9, 5, 9, None), (10, 5, 10, None), (11, 11, 11, None), (12, 1, 12, None),
            (13, 1, None, None),
        ),
        ("network", "L4Proxy"): (
            (9, 5, 9, None), (10, 5, 10, None), (11, 11, 11, None), (12, 1, 12, None),
            (13, 1, None, None),
        ),
        ("endpoint", "L4WFPPROXY"): ((13, 2, None, None),),
        ("endpoint", "TierAcl"): ((14, 0, None, None),),
        ("network", "RemoteSubnetRoute"): ((9, 2, None, None),),
        ("network", "HostRoute"): ((9, 2, None, None),),
        ("network", "VxlanPort"): ((10, 3, None, None),),
        ("network", "SetPolicy"): ((13, 0, None, None),),
        ("network", "NetworkACL"): ((15, 0, None, None),),
    },
)  # fmt: skip
POLICY_ADD_DUPLICATE = _rule(
    "policy.add.duplicate",
    "HcnModifyNetwork HcnModifyEndpoint",
    "Adding a policy identical to one already on the object is HCN_E_POLICY_ALREADY_EXISTS.",
    HResult.HCN_E_POLICY_ALREADY_EXISTS,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_POLICY_ALREADY_EXISTS: Policy information already exists on "
    "this object)",
)
POLICY_REMOVE_ABSENT = _rule(
    "policy.remove.absent",
    "HcnModifyNetwork HcnModifyEndpoint",
    "Removing a policy the object does not have is HCN_E_POLICY_NOT_FOUND; a policy without "
    "Settings removes every policy of its type.",
    HResult.HCN_E_POLICY_NOT_FOUND,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_POLICY_NOT_FOUND: An expected policy was not found); removal by "
    "type is the simulator's choice",
)
POLICY_UPDATE = _rule(
    "policy.update.replaces",
    "HcnModifyNetwork HcnModifyEndpoint",
    "Update replaces every policy of each type it names (Azure NPM rebuilds the ACL list "
    "with Update).",
    None,
    INFERRED,
    "Azure/azure-container-networking npm/pkg/dataplane/policies/policymanager_windows.go",
)
POLICY_REQUEST_TYPE = _rule(
    "policy.request-type",
    "HcnModifyNetwork HcnModifyEndpoint",
    "Policy requests other than Add, Remove and Update are HCN_E_REQUEST_UNSUPPORTED.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    CHOSEN,
    "no public observation",
)
PORT_MAPPING_PROTOCOL = _rule(
    "port-mapping.protocol",
    _EP_POLICY,
    "PortMapping Protocol is 6 (TCP, the default) or 17 (UDP); numbers as strings and the "
    "names TCP/UDP are read too; anything else is HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    CHOSEN,
    _MS_SCHEMA + " (PortMappingPolicySetting.Protocol)",
)
PORT_MAPPING_INTERNAL = _rule(
    "port-mapping.internal-port",
    _EP_POLICY,
    "A PortMapping without InternalPort, or with 0, is HCN_E_INVALID_INTERNAL_PORT.",
    HResult.HCN_E_INVALID_INTERNAL_PORT,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_INTERNAL_PORT: The internal port must exist and cannot "
    "be zero)",
)
PORT_MAPPING_EXTERNAL = _rule(
    "port-mapping.external-port",
    _EP_POLICY,
    "A PortMapping without ExternalPort (the host port) is HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    CHOSEN,
    "no public observation",
)
PORT_MAPPING_CLASH = _rule(
    "port-mapping.clash",
    _EP_POLICY,
    "Two endpoints mapping the same protocol and host port on overlapping VIPs clash: "
    "HCN_E_PORT_ALREADY_EXISTS. IPv4 and IPv6 mappings of one port do not clash.",
    HResult.HCN_E_PORT_ALREADY_EXISTS,
    HCSSHIM_TESTED,
    "microsoft/hcsshim hcn/hcnerrors_test.go TestEndpointAlreadyExistsError; the address "
    "families are the simulator's choice",
)
ACL_ENUMS = _rule(
    "acl.enums",
    _EP_POLICY + " " + _NET_POLICY,
    "ACL Action (Allow, Block, Pass) and Direction (In, Out) are required, RuleType (Host, "
    "Switch) optional, any case; otherwise HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    INFERRED,
    _MS_SCHEMA + " (AclPolicySetting)",
)
ACL_ADDRESSES = _rule(
    "acl.addresses.ip-only",
    _EP_POLICY + " " + _NET_POLICY,
    "ACL LocalAddresses/RemoteAddresses accept only IP addresses, prefixes and comma-separated "
    'lists of them: "Any" or other words are HCN_E_INVALID_POLICY.',
    HResult.HCN_E_INVALID_POLICY,
    OBSERVED,
    "https://github.com/microsoft/hcsshim/issues/1059 (a Microsoft engineer: HNS only "
    "accepts IP addresses and lists of IP addresses)",
)
ACL_PRIORITY = _rule(
    "acl.priority",
    _EP_POLICY + " " + _NET_POLICY,
    "ACL Priority is a 16-bit unsigned integer; outside 0..65535 it is HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    INFERRED,
    _MS_SCHEMA + " (AclPolicySetting.Priority uint16)",
)
ACL_PROTOCOL_252 = _rule(
    "acl.protocol-252-gate",
    _EP_POLICY + " " + _NET_POLICY,
    "ACL protocol 252 needs HNS 11.0 or newer (AclSupportForProtocol252), else "
    "HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    INFERRED,
    _HCSSHIM_SUPPORT + " (AclSupportForProtocol252 >= 11.0)",
    params={"ranges": ((11, 0, None, None),)},
)
ACL_ECHO_ORDER = _rule(
    "acl.settings-order",
    "HcnQueryEndpointProperties HcnQueryNetworkProperties",
    "HNS re-serialises ACL settings in its own key order (Protocols, LocalAddresses, "
    "Priority, Action, Direction, RuleType seen), whatever order the caller sent.",
    None,
    OBSERVED,
    "https://github.com/Azure/azure-container-networking/issues/3550 "
    "(real-hns/endpoint-v2-acl-policy-settings-echo__acn-3550.json)",
    params={
        "order": (
            "Id", "Protocols", "LocalAddresses", "RemoteAddresses", "LocalPorts",
            "RemotePorts", "Priority", "Action", "Direction", "RuleType",
        )
    },
)  # fmt: skip
QOS_BANDWIDTH = _rule(
    "qos.bandwidth-required",
    _EP_POLICY,
    "A QOS policy needs MaximumOutgoingBandwidthInBytes (HCN_E_INVALID_POLICY).",
    HResult.HCN_E_INVALID_POLICY,
    CHOSEN,
    _MS_SCHEMA + " (QosPolicySetting)",
)
INTERFACE_PARAMETERS_ONCE = _rule(
    "interface-parameters.once",
    _EP_POLICY,
    "An endpoint carries at most one InterfaceParameters policy: "
    "HCN_INTERFACEPARAMETERS_ALREADY_APPLIED.",
    HResult.HCN_INTERFACEPARAMETERS_ALREADY_APPLIED,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_INTERFACEPARAMETERS_ALREADY_APPLIED)",
)
REQUIRED_SETTINGS = _rule(
    "policy.required-settings",
    _EP_POLICY + " " + _NET_POLICY,
    "Required settings: VLAN and VSID IsolationId, VxlanPort Port (1..65535), "
    "RemoteSubnetRoute DestinationPrefix/IsolationId/ProviderAddress/"
    "DistributedRouterMacAddress, SetPolicy Id/Name/PolicyType (IPSET, NESTEDIPSET), "
    "ProviderAddress and SourceMacAddress addresses; missing or malformed is "
    "HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    CHOSEN,
    _MS_SCHEMA + " (the settings classes)",
)
SET_POLICY_NESTED = _rule(
    "set-policy.nested-gate",
    _NET_POLICY,
    "A NESTEDIPSET SetPolicy needs HNS 15.0 or newer (NestedIpSet), else HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    INFERRED,
    _HCSSHIM_SUPPORT + " (NestedIpSet >= 15.0)",
    params={"ranges": ((15, 0, None, None),)},
)
POLICY_INTEGER_WIDTHS = _rule(
    "policy.integer-widths",
    _EP_POLICY + " " + _NET_POLICY,
    "Integer settings must fit their schema types (Flags uint32, ports uint16, VLAN/VSID "
    "IsolationId uint32, RemoteSubnetRoute IsolationId uint16); a value outside is "
    "HCN_E_INVALID_POLICY.",
    HResult.HCN_E_INVALID_POLICY,
    INFERRED,
    _MS_SCHEMA + "; hcsshim hcn/hcnpolicy.go Go types",
)

# --- endpoints ----------------------------------------------------------------------------------

ENDPOINT_NETWORK = _rule(
    "endpoint.network.required",
    "HcnCreateEndpoint",
    "An endpoint is created on the network of the handle (or named by HostComputeNetwork); "
    "an unknown network is HCN_E_NETWORK_NOT_FOUND.",
    HResult.HCN_E_NETWORK_NOT_FOUND,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_NETWORK_NOT_FOUND)",
)
ENDPOINT_NETWORK_MISMATCH = _rule(
    "endpoint.network.mismatch",
    "HcnCreateEndpoint",
    "A HostComputeNetwork that differs from the handle's network is HCN_E_INVALID_ENDPOINT.",
    HResult.HCN_E_INVALID_ENDPOINT,
    CHOSEN,
    "no public observation",
)
ENDPOINT_NAMESPACE_READ_ONLY = _rule(
    "endpoint.namespace.read-only",
    "HcnCreateEndpoint HcnQueryEndpointProperties",
    "HostComputeNamespace in a create document is ignored; properties show the namespace "
    "the endpoint is attached to.",
    None,
    CHOSEN,
    "hcn.md section 2.3 (hcsshim's client refuses it; what HNS does is unknown)",
)
ENDPOINT_IP_INVALID = _rule(
    "endpoint.ip.invalid",
    "HcnCreateEndpoint",
    "An IpAddress that is not an address, or lies outside every subnet of the network, is "
    "HCN_E_INVALID_IP.",
    HResult.HCN_E_INVALID_IP,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_IP: IP address is either invalid or not part of any "
    "configured subnet(s))",
)
ENDPOINT_IP_RESERVED = _rule(
    "endpoint.ip.reserved",
    "HcnCreateEndpoint",
    "A subnet's network address, broadcast address or gateway (unless the subnet's "
    "DoNotReserveGatewayAddress flag is set) is HCN_E_ADDR_INVALID_OR_RESERVED. The flag "
    "is schema 2.7 (2025-10); which HNS version first honours it is not recorded, so the "
    "simulator honours it at every version (an older node may reserve the gateway anyway).",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_ADDR_INVALID_OR_RESERVED); hcn.md section 2.2 (SubnetFlags)",
)
ENDPOINT_IP_TAKEN = _rule(
    "endpoint.ip.in-use",
    "HcnCreateEndpoint",
    "An address another local endpoint of the network holds is HCN_E_ADDR_INVALID_OR_RESERVED.",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
    OBSERVED,
    "https://github.com/kubernetes-sigs/sig-windows-tools/issues/71, "
    "https://github.com/kubernetes/kubernetes/issues/100962",
)
ENDPOINT_IP_REMOTE_SHARED = _rule(
    "endpoint.ip.remote-shares",
    "HcnCreateEndpoint",
    "A remote endpoint (Flags 1) may share its address with a local endpoint.",
    None,
    OBSERVED,
    "https://github.com/kubernetes/kubernetes/pull/131138",
)
ENDPOINT_IP_AUTO = _rule(
    "endpoint.ip.assigned",
    "HcnCreateEndpoint",
    "Without IpConfigurations an endpoint gets one free address of each address family of "
    "its network's subnets (the simulator: the next free one after the last it handed out, "
    "wrapping around, as host-local does), with the subnet's prefix length; a network "
    "without subnets gives none.",
    None,
    INFERRED,
    "real-hns.md section 3.4 (no IpConfigurations on an ICS DHCP network); the order is "
    "the simulator's choice",
)
ENDPOINT_PREFIX_LENGTH = _rule(
    "endpoint.ip.prefix-length",
    "HcnCreateEndpoint",
    "An IpConfiguration's PrefixLength is the subnet's (the default) or the host length "
    "(/32, /128); another length is HCN_E_INVALID_PREFIX, and a host length needs HNS "
    "9.3-9.x or 10.4 or newer (Slash32EndpointPrefixes).",
    HResult.HCN_E_INVALID_PREFIX,
    INFERRED,
    _HCSSHIM_SUPPORT + " (Slash32EndpointPrefixes); the HRESULT is inferred from its meaning",
    params={"ranges": ((9, 3, 9, None), (10, 4, None, None))},
)
ENDPOINT_IP_EXHAUSTED = _rule(
    "endpoint.ip.exhausted",
    "HcnCreateEndpoint",
    "When a subnet has no free address the create fails with HCN_E_ADDR_INVALID_OR_RESERVED.",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
    CHOSEN,
    "no public observation",
)
ENDPOINT_MAC_INVALID = _rule(
    "endpoint.mac.invalid",
    "HcnCreateEndpoint",
    "A MacAddress that is not six hex pairs (dashes or colons) is HCN_E_INVALID_ENDPOINT.",
    HResult.HCN_E_INVALID_ENDPOINT,
    CHOSEN,
    _MS_HRESULTS + " (HCN_E_INVALID_ENDPOINT)",
)
ENDPOINT_MAC_TAKEN = _rule(
    "endpoint.mac.in-use",
    "HcnCreateEndpoint",
    "A MacAddress another endpoint holds, or an exhausted MAC pool, is "
    "HCN_E_ADDR_INVALID_OR_RESERVED.",
    HResult.HCN_E_ADDR_INVALID_OR_RESERVED,
    CHOSEN,
    "no public observation",
)
ENDPOINT_MAC_AUTO = _rule(
    "endpoint.mac.assigned",
    "HcnCreateEndpoint",
    "Without MacAddress an endpoint gets a free address of its network's MacPool (the "
    "simulator: the next free one, wrapping around), written 00-15-5D-AA-BB-CC.",
    None,
    OBSERVED,
    "real-hns.md section 3.4 (saved endpoint outputs carry pool addresses)",
)
ENDPOINT_MAC_ECHOED = _rule(
    "endpoint.mac.echoed",
    "HcnCreateEndpoint HcnQueryEndpointProperties",
    "A MacAddress given at create is stored and answered as the caller spelled it (mixed "
    "case kept); one HNS picks is written upper-case with dashes.",
    None,
    INFERRED,
    "real-hns/endpoint-v1-remote__flannel-vxlan-windows-test.json (V1: '0E-2A-0a-f4-02-8d' "
    "echoed as sent)",
)
ENDPOINT_DEFAULT_ROUTES = _rule(
    "endpoint.routes.default",
    "HcnCreateEndpoint",
    "Without Routes an endpoint gets a default route to the gateway of each subnet it has an "
    "address in.",
    None,
    INFERRED,
    "windows-cni-plugins.md section 1.5 (plugins send no route; containers still route)",
)
ENDPOINT_REMOTE_NAMESPACE = _rule(
    "endpoint.remote.no-namespace",
    "HcnModifyNamespace HcnModifyEndpoint",
    "A remote endpoint cannot join a namespace or take a switch port: "
    "HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION.",
    HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION)",
)
ENDPOINT_MODIFY_PORT = _rule(
    "endpoint.modify.port",
    "HcnModifyEndpoint",
    "A Port request (PortId, VirtualNicName, VirtualMachineId) is accepted and changes no "
    "properties.",
    None,
    CHOSEN,
    "hcn.md section 2.3 (VmEndpointRequest)",
)
ENDPOINT_DELETE = _rule(
    "endpoint.delete.releases",
    "HcnDeleteEndpoint",
    "Deleting an endpoint releases its addresses, MAC and host ports, detaches it from its "
    "namespace and takes it out of load balancers and routes.",
    None,
    CHOSEN,
    "no public observation",
)
ENDPOINT_V1_CREATE = _rule(
    "endpoint.v1-create",
    "HcnCreateEndpoint",
    "A V1 HNSEndpoint document (VirtualNetwork, IPAddress, ...) is accepted by the V2 create.",
    None,
    HCSSHIM_TESTED,
    "microsoft/hcsshim hcn/hcnv1schema_test.go",
)
ENDPOINT_V1_STATE = _rule(
    "endpoint.v1-state",
    "HcnQueryEndpointProperties",
    "V1 properties give State 1 (Created) before and 2 (Attached) after joining a namespace.",
    None,
    OBSERVED,
    "hcsshim internal/hns/hnsendpoint.go EndpointState; "
    "https://github.com/ovn-org/ovn-kubernetes/issues/580",
)

# --- namespaces ---------------------------------------------------------------------------------

NAMESPACE_TYPE = _rule(
    "namespace.type.enum",
    "HcnCreateNamespace",
    "Type is Host (the default, left out of properties), HostDefault, Guest or GuestDefault; "
    "anything else is HCN_E_INVALID_JSON.",
    HResult.HCN_E_INVALID_JSON,
    CHOSEN,
    "hcn.md section 2.4 (NamespaceType); the HRESULT is the simulator's choice",
    params={"types": ("Host", "HostDefault", "Guest", "GuestDefault")},
)
NAMESPACE_COMPARTMENT = _rule(
    "namespace.compartment",
    "HcnCreateNamespace",
    "Each namespace gets a fresh compartment number (NamespaceId) from 2; HostDefault "
    "namespaces share the host's compartment 1.",
    None,
    CHOSEN,
    "hcn.md section 2.4 (HostDefault reuses the default compartment)",
    params={"default": 1, "first": 2},
)
ATTACH_ENDPOINT_MISSING = _rule(
    "namespace.attach.endpoint-missing",
    "HcnModifyNamespace HcnCreateNamespace",
    "Attaching or detaching an endpoint that does not exist is HCN_E_ENDPOINT_NOT_FOUND.",
    HResult.HCN_E_ENDPOINT_NOT_FOUND,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_ENDPOINT_NOT_FOUND)",
)
ATTACH_TWICE = _rule(
    "namespace.attach.twice",
    "HcnModifyNamespace",
    "Attaching an endpoint to the namespace it is already in is HCN_E_ENDPOINT_ALREADY_ATTACHED.",
    HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED,
    OBSERVED,
    "https://github.com/projectcalico/cni-plugin/issues/988 (V1 hot attach)",
)
ATTACH_OTHER_NAMESPACE = _rule(
    "namespace.attach.other-namespace",
    "HcnModifyNamespace",
    "Attaching an endpoint that is in another namespace is "
    "HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS.",
    HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: ... endpoint is already part "
    "of a network namespace)",
)
DETACH_NOT_ATTACHED = _rule(
    "namespace.detach.not-attached",
    "HcnModifyNamespace",
    "Detaching an endpoint that is not in the namespace is HCN_E_ENDPOINT_NOT_ATTACHED.",
    HResult.HCN_E_ENDPOINT_NOT_ATTACHED,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_ENDPOINT_NOT_ATTACHED)",
)
NAMESPACE_CONTAINER = _rule(
    "namespace.container.add-twice",
    "HcnModifyNamespace HcnCreateNamespace",
    "Adding a container that is already in the namespace is ERROR_ALREADY_EXISTS (a "
    "container request without an ID is refused earlier, by document.field-type).",
    HResult.ERROR_ALREADY_EXISTS,
    CHOSEN,
    "no public observation",
)
NAMESPACE_CONTAINER_ABSENT = _rule(
    "namespace.container.remove-absent",
    "HcnModifyNamespace",
    "Removing a container that is not in the namespace is ERROR_NOT_FOUND.",
    HResult.ERROR_NOT_FOUND,
    CHOSEN,
    "no public observation",
)
NAMESPACE_RESOURCES = _rule(
    "namespace.resources",
    "HcnQueryNamespaceProperties",
    'Properties list the namespace\'s Resources in attach order: {"Type": "Endpoint" or '
    '"Container", "Data": {"ID": ...}}.',
    None,
    CHOSEN,
    "hcn.md section 2.4 (hcsshim reads Data.ID); HNS's own diagnostics print Data.Id "
    "(real-hns.md section 1.4)",
)
NAMESPACE_DELETE_CONTAINER = _rule(
    "namespace.delete.has-container",
    "HcnDeleteNamespace",
    "A namespace that still holds a container is not deleted: HCN_E_REQUEST_UNSUPPORTED, "
    "nothing changes.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    OBSERVED,
    "https://github.com/microsoft/hcsshim/issues/2155; "
    "https://github.com/microsoft/Windows-Containers/issues/485",
)
NAMESPACE_DELETE_DETACHES = _rule(
    "namespace.delete.detaches-endpoints",
    "HcnDeleteNamespace",
    "Deleting a namespace that holds only endpoints detaches them; the endpoints remain.",
    None,
    CHOSEN,
    "no public observation",
)

# --- load balancers -----------------------------------------------------------------------------

LB_ENDPOINTS = _rule(
    "load-balancer.endpoints.unknown",
    "HcnCreateLoadBalancer HcnModifyLoadBalancer HcnCreateSdnRoute HcnModifySdnRoute",
    "HostComputeEndpoints naming an endpoint that does not exist is "
    'HCN_E_INVALID_JSON_REFERENCE ("The reference is invalid in the JSON document. A '
    'Reference is required").',
    HResult.HCN_E_INVALID_JSON_REFERENCE,
    INFERRED,
    "https://github.com/kubernetes/kubernetes/issues/100384 "
    "(real-hns/error-record__kubernetes-100384_0x803b001c.json; cause a guess)",
)
LB_ENDPOINTS_UPPER = _rule(
    "load-balancer.endpoints.upper-case",
    "HcnQueryLoadBalancerProperties",
    "Load-balancer properties list HostComputeEndpoints as upper-case GUIDs.",
    None,
    INFERRED,
    "kubernetes pkg/proxy/winkernel (hashEndpoints upper-cases IDs before comparing them "
    "with lb.HostComputeEndpoints)",
)
LB_MAPPING = _rule(
    "load-balancer.port-mapping",
    "HcnCreateLoadBalancer HcnModifyLoadBalancer",
    "A port mapping needs Protocol 6 or 17 and an ExternalPort, and DistributionType is "
    "0..2, else HCN_E_INVALID_POLICY (the InternalPort check is load-balancer.internal-port).",
    HResult.HCN_E_INVALID_POLICY,
    CHOSEN,
    _MS_SCHEMA + " (LoadBalancerPortMapping)",
)
LB_INTERNAL_PORT = _rule(
    "load-balancer.internal-port",
    "HcnCreateLoadBalancer HcnModifyLoadBalancer",
    "A port mapping without a non-zero InternalPort is HCN_E_INVALID_INTERNAL_PORT.",
    HResult.HCN_E_INVALID_INTERNAL_PORT,
    DOCUMENTED,
    _MS_HRESULTS + " (HCN_E_INVALID_INTERNAL_PORT)",
)
LB_FRONTEND_CLASH = _rule(
    "load-balancer.frontend-clash",
    "HcnCreateLoadBalancer HcnModifyLoadBalancer",
    "A frontend (protocol, external port, VIP) another load balancer holds is "
    "HCN_E_PORT_ALREADY_EXISTS.",
    HResult.HCN_E_PORT_ALREADY_EXISTS,
    OBSERVED,
    "https://github.com/kubernetes/kubernetes/pull/137530; "
    "https://github.com/microsoft/hcsshim/issues/1043",
)
LB_PARTIAL = _rule(
    "load-balancer.partial-create",
    "HcnCreateLoadBalancer",
    "A create that fails on a frontend clash leaves the load balancer behind, with empty "
    "PortMappings, under the ID it was given.",
    None,
    OBSERVED,
    "https://github.com/kubernetes/kubernetes/pull/141489 (PortMappings can be empty when a "
    "load balancer is partially created after hcnCreateLoadBalancer fails); the trigger is "
    "the simulator's choice",
)
LB_GATES = _rule(
    "load-balancer.version-gates",
    "HcnCreateLoadBalancer HcnModifyLoadBalancer",
    "Flag DSR (1) needs 9.3-9.x or >= 10.2, flag IPv6 (2) >= 11.10, DistributionType "
    "SourceIP (2) >= 12.0; otherwise HCN_E_REQUEST_UNSUPPORTED.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    INFERRED,
    _HCSSHIM_SUPPORT + " (DSR, IPv6DualStack, SessionAffinity)",
    params={
        "dsr": ((9, 3, 9, None), (10, 2, None, None)),
        "ipv6": ((11, 10, None, None),),
        "source-ip": ((12, 0, None, None),),
    },
)
LB_MODIFY = _rule(
    "load-balancer.modify",
    "HcnModifyLoadBalancer",
    "An in-place update (the full document) works from 15.5 (to 15.x) and from 16.0; on 15.4 "
    "the call succeeds but changes nothing; older versions answer "
    "HCN_E_REQUEST_UNSUPPORTED.",
    HResult.HCN_E_REQUEST_UNSUPPORTED,
    INFERRED,
    _HNSLIB_SUPPORT + "; https://github.com/kubernetes/kubernetes/issues/131466 (on 15.4 "
    "the endpoints were not updated)",
    params={"works": ((15, 5, 15, None), (16, 0, None, None)), "no-op": ((15, 4, 15, 4),)},
)
LB_NETWORK = _rule(
    "load-balancer.network",
    "HcnCreateLoadBalancer HcnCreateSdnRoute",
    "A HostComputeNetwork that does not exist is HCN_E_NETWORK_NOT_FOUND.",
    HResult.HCN_E_NETWORK_NOT_FOUND,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_NETWORK_NOT_FOUND)",
)

# --- SDN routes ---------------------------------------------------------------------------------

ROUTE_SETTINGS = _rule(
    "sdn-route.settings",
    "HcnCreateSdnRoute HcnModifySdnRoute",
    "Route entries (under Microsoft's Routes or hcsshim's Setting) are stored as sent; a bad "
    "DestinationPrefix is HCN_E_INVALID_PREFIX, a bad NextHop HCN_E_INVALID_IP.",
    None,
    INFERRED,
    "real-hns.md section 1.1 (hcsshim's tests pass with Setting; Microsoft sends Routes)",
)

# --- the simulator's own datapath (HCNPY_SIM_DATAPATH=netns) ------------------------------------

DATAPATH_REFUSED = _rule(
    "datapath.kernel-refused",
    _CREATE + " HcnModifyNetwork HcnModifyEndpoint HcnModifyNamespace " + _DELETE,
    "With the simulator's Linux datapath on, a change the kernel cannot follow (an address "
    "range the simulated host or outside network uses, a program that failed) is rolled "
    "back and answered E_FAIL. Not HNS behaviour: the simulator's own.",
    HResult.E_FAIL,
    CHOSEN,
    "docs/hcnpy/datapath.md",
    checkable=False,
)

# --- address and value syntax (shared by the rules above) ---------------------------------------

IP_SYNTAX = _rule(
    "syntax.ip-address",
    _DOCS,
    "An address field that is not an IPv4/IPv6 address is HCN_E_INVALID_IP (inside a "
    "policy: HCN_E_INVALID_POLICY).",
    HResult.HCN_E_INVALID_IP,
    INFERRED,
    _MS_HRESULTS + " (HCN_E_INVALID_IP)",
)
MAC_SYNTAX = _rule(
    "syntax.mac-address",
    _DOCS,
    "A MAC address is six hex pairs separated by dashes (as HNS writes them) or colons.",
    None,
    INFERRED,
    "real-hns.md section 4 (MACs with colons reached V1 HNS from kube-proxy)",
)


def by_id(rule_id: str) -> Rule:
    """The rule called ``rule_id`` (``KeyError`` if there is none)."""
    for rule in RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


def in_ranges(ranges: tuple[tuple[int, int, int | None, int | None], ...], version: Any) -> bool:
    """True when ``version`` (``major, minor``) falls in one of ``ranges``.

    Each range is ``(low_major, low_minor, high_major, high_minor)``; ``None`` is unbounded.
    """
    major, minor = version
    for low_major, low_minor, high_major, high_minor in ranges:
        if (major, minor) < (low_major, low_minor):
            continue
        if high_major is not None and major > high_major:
            continue
        if (
            high_major is not None
            and high_minor is not None
            and (major, minor)
            > (
                high_major,
                high_minor,
            )
        ):
            continue
        return True
    return False


def describe_ranges(ranges: tuple[tuple[int, int, int | None, int | None], ...]) -> str:
    """``9.5-9.x, >= 13.1`` for the rule tables and messages."""
    parts = []
    for low_major, low_minor, high_major, high_minor in ranges:
        low = f"{low_major}.{low_minor}"
        if high_major is None:
            parts.append(f">= {low}")
        elif high_minor is None:
            parts.append(f"{low}-{high_major}.x")
        else:
            parts.append(
                low
                if (high_major, high_minor) == (low_major, low_minor)
                else f"{low}-{high_major}.{high_minor}"
            )
    return ", ".join(parts)
