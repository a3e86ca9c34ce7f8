"""The CNI-plugin paths of ``hcnpy.ops``: an open network handle reused for HcnCreateEndpoint.

``open_network_by_name`` returns the network and its still-open handle;
``create_endpoint(..., network_handle=...)`` uses it instead of opening the network again,
so a plugin's ADD makes one HCN call fewer. Checked through the stand-in library, whose
leak counters (checked by the ``ops`` fixture) catch a handle left open.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hcnpy import bindings
from hcnpy.lookup_errors import NetworkNotFoundError
from hcnpy.ops import Ops

from ..conftest import NetworkFactory


def test_open_network_by_name_keeps_the_handle_open(ops: Ops, make_network: NetworkFactory) -> None:
    created = make_network(name="natNet")
    make_network(name="other", prefix="10.1.0.0/24", gateway="10.1.0.1")
    doc, handle = ops.open_network_by_name("natNet")
    try:
        assert doc["ID"] == created["ID"] and doc["Name"] == "natNet"
        assert not handle.closed
        endpoint = ops.create_endpoint(doc["ID"], {"Name": "c1_natNet"}, network_handle=handle)
        assert not handle.closed  # the caller's handle is not closed by create_endpoint
    finally:
        handle.close()
    assert endpoint["HostComputeNetwork"].lower() == created["ID"].lower()
    assert ops.get_endpoint_by_name("c1_natNet")["ID"] == endpoint["ID"]
    ops.delete_endpoint(endpoint["ID"])


def test_open_network_by_name_missing(ops: Ops, make_network: NetworkFactory) -> None:
    make_network(name="natNet")
    with pytest.raises(NetworkNotFoundError, match='Network name "absent" not found'):
        ops.open_network_by_name("absent")


def test_reusing_the_handle_saves_one_open(tmp_path: Path, make_network: NetworkFactory) -> None:
    network = make_network(name="natNet")
    trace = tmp_path / "trace.jsonl"
    library = bindings.open_library("sim", trace=str(trace))
    traced = Ops(library)

    doc, handle = traced.open_network_by_name("natNet")
    with handle:
        endpoint = traced.create_endpoint(doc["ID"], {"Name": "a"}, network_handle=handle)
    reused = [json.loads(line)["function"] for line in trace.read_text().splitlines()]
    trace.unlink()
    traced.create_endpoint(network["ID"], {"Name": "b"})
    fresh = [json.loads(line)["function"] for line in trace.read_text().splitlines()]

    assert reused == [
        "HcnEnumerateNetworks",
        "HcnOpenNetwork",
        "HcnQueryNetworkProperties",
        "HcnCreateEndpoint",
        "HcnQueryEndpointProperties",
        "HcnCloseEndpoint",
        "HcnCloseNetwork",
    ]
    assert fresh == [
        "HcnOpenNetwork",
        "HcnCreateEndpoint",
        "HcnQueryEndpointProperties",
        "HcnCloseEndpoint",
        "HcnCloseNetwork",
    ]
    assert endpoint["Name"] == "a"
    assert library.leak_counters() == (0, 0)
