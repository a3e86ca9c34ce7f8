"""A realistic call sequence (what a CNI ADD then DEL does), used to record traces.

``python -m tests.hcnpy.native.sequence OUT.jsonl`` (from the repository root) records it
against a fresh simulated HNS into ``OUT.jsonl``; that is how ``tests/hcnpy/traces/`` is made.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import uuid

from hcnpy.bindings import Library, ObjectKind, open_library
from hcnpy.errors import NotFoundError

from . import documents

Q = documents.QUERY


def run(library: Library) -> None:
    """Version check, network + endpoint + namespace + LB + route, a miss, then teardown."""
    library.hns_call("GET", "/globals/version")
    with library.create(ObjectKind.NETWORK, documents.network()) as network:
        network_id = documents.identity(library.query(network, Q))
        with library.create(
            ObjectKind.ENDPOINT, documents.endpoint(network_id), network=network
        ) as endpoint:
            endpoint_id = documents.identity(library.query(endpoint, Q))
            library.query_endpoint_stats(endpoint, "")
    with library.create(ObjectKind.NAMESPACE, documents.namespace()) as namespace:
        namespace_id = documents.identity(library.query(namespace, Q))
        library.modify(namespace, documents.namespace_add_endpoint(endpoint_id))
        library.query(namespace, Q)
    with library.create(ObjectKind.LOAD_BALANCER, documents.load_balancer(endpoint_id)) as lb:
        balancer_id = documents.identity(library.query(lb, Q))
    with library.create(ObjectKind.SDN_ROUTE, documents.sdn_route(endpoint_id)) as route:
        route_id = documents.identity(library.query(route, Q))
    filtered = json.dumps({**json.loads(Q), "Filter": json.dumps({"ID": endpoint_id})})
    library.enumerate(ObjectKind.ENDPOINT, filtered)
    with contextlib.suppress(NotFoundError):
        library.open(ObjectKind.NETWORK, uuid.UUID("5f0b1190-63be-4e0c-b974-bd0f55675a42"))
    for kind, object_id in (
        (ObjectKind.SDN_ROUTE, route_id),
        (ObjectKind.LOAD_BALANCER, balancer_id),
        (ObjectKind.NAMESPACE, namespace_id),
        (ObjectKind.ENDPOINT, endpoint_id),
        (ObjectKind.NETWORK, network_id),
    ):
        library.delete(kind, uuid.UUID(object_id))
    for kind in ObjectKind:
        library.enumerate(kind, Q)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as state:
        os.environ["HCNPY_SIM_STATE"] = os.path.join(state, "hns.sqlite3")
        with contextlib.suppress(FileNotFoundError):
            os.remove(sys.argv[1])
        run(open_library("sim", trace=sys.argv[1]))
