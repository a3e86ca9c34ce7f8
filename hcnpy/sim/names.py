"""The object kinds the simulated HNS serves and the C function name of each engine operation."""

from __future__ import annotations

__all__ = ["EXTRA_FUNCTIONS", "FUNCTIONS", "KINDS", "OPERATIONS", "c_function"]

#: The C name stems: ``HcnCreate{Kind}``, ``HcnEnumerate{Kind}s`` …
KINDS = ("Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute")

#: Engine operation -> C function template (``{}`` is the kind).
OPERATIONS = {
    "enumerate": "HcnEnumerate{}s",
    "create": "HcnCreate{}",
    "open": "HcnOpen{}",
    "modify": "HcnModify{}",
    "query": "HcnQuery{}Properties",
    "delete": "HcnDelete{}",
    "close": "HcnClose{}",
}

#: Functions that are not per kind.
EXTRA_FUNCTIONS = (
    "HcnQueryEndpointStats",
    "HcnQueryEndpointAddresses",
    "HcnRegisterServiceCallback",
    "HcnUnregisterServiceCallback",
    "HNSCall",
)


def c_function(operation: str, kind: str) -> str:
    """``c_function("query", "Endpoint")`` -> ``"HcnQueryEndpointProperties"``."""
    return OPERATIONS[operation].format(kind)


#: Every C function name the engine answers (what fault specs may name).
FUNCTIONS = frozenset(
    [c_function(op, kind) for op in OPERATIONS for kind in KINDS] + list(EXTRA_FUNCTIONS)
)
