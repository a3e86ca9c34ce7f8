"""Helpers for the engine tests: build engines on temporary state, call them like hcsshim does."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from hcnpy.hresult import describe
from hcnpy.sim.engine import Engine
from hcnpy.sim.versions import DEFAULT_VERSION as DEFAULT_SIMULATED_VERSION
from hcnpy.sim.versions import SimVersion as HnsVersion

Doc = dict[str, Any]


def new_engine(
    tmp_path: Path, version: HnsVersion = DEFAULT_SIMULATED_VERSION, faults: str = ""
) -> Engine:
    """An engine on a fresh state file, immune to the caller's ``HCNPY_SIM_*`` variables."""
    return Engine(state_path=str(tmp_path / "hns.sqlite3"), version=version, faults=faults)


def _text(doc: Doc | str | None) -> str | None:
    return doc if doc is None or isinstance(doc, str) else json.dumps(doc)


def _open(engine: Engine, kind: str, oid: str) -> int:
    hr, handle, record = engine.open(kind, uuid.UUID(oid))
    assert hr == 0 and handle, f"open {kind} {oid}: {describe(hr)} {record}"
    return handle


def try_create(
    engine: Engine, kind: str, doc: Doc | str | None, network: str | None = None
) -> tuple[int, str | None, Doc | None]:
    """hcsshim's create: (open network), create, query, close. Returns (hr, id, error record)."""
    net_handle = _open(engine, "Network", network) if network else None
    try:
        hr, handle, record = engine.create(kind, None, _text(doc), net_handle)
    finally:
        if net_handle:
            assert engine.close("Network", net_handle) == 0
    if hr != 0:
        assert handle is None and record is not None
        parsed = json.loads(record)
        assert parsed["ErrorCode"] == hr and parsed["Success"] is False
        return hr, None, parsed
    assert handle and record is None
    hr, props, record = engine.query(kind, handle, None)
    assert engine.close(kind, handle) == 0
    assert hr == 0 and props is not None, record
    return 0, json.loads(props)["ID"], None


def create(engine: Engine, kind: str, doc: Doc | str | None, network: str | None = None) -> str:
    """Create and return the new ID (fails the test on any error)."""
    hr, oid, record = try_create(engine, kind, doc, network)
    assert hr == 0 and oid, f"create {kind}: {describe(hr)} {record}"
    return oid


def create_hr(engine: Engine, kind: str, doc: Doc | str | None, network: str | None = None) -> int:
    """Create and return the HRESULT."""
    return try_create(engine, kind, doc, network)[0]


def get(engine: Engine, kind: str, oid: str, query: Doc | None = None) -> Doc:
    """Open, query (default query unless given), close."""
    handle = _open(engine, kind, oid)
    try:
        hr, props, record = engine.query(kind, handle, _text(query))
    finally:
        assert engine.close(kind, handle) == 0
    assert hr == 0 and props is not None, f"query {kind} {oid}: {describe(hr)} {record}"
    result: Doc = json.loads(props)
    return result


def modify_hr(engine: Engine, kind: str, oid: str, request: Doc | str) -> int:
    """Open, modify, close; returns the HRESULT."""
    handle = _open(engine, kind, oid)
    try:
        hr, output, record = engine.modify(kind, handle, _text(request))
    finally:
        assert engine.close(kind, handle) == 0
    assert output is None
    assert (hr == 0) == (record is None)
    return hr


def ids(engine: Engine, kind: str, flt: Doc | None = None, query: Doc | None = None) -> list[str]:
    """Enumerate, optionally with a ``Filter`` (encoded as a JSON string, as hcsshim does)."""
    if flt is not None:
        query = {"SchemaVersion": {"Major": 2, "Minor": 0}, "Filter": json.dumps(flt)}
    hr, output, record = engine.enumerate(kind, _text(query))
    assert hr == 0 and output is not None, f"enumerate {kind}: {describe(hr)} {record}"
    result: list[str] = json.loads(output)
    return result


def delete_hr(engine: Engine, kind: str, oid: str) -> int:
    """Delete by ID; returns the HRESULT."""
    return engine.delete(kind, uuid.UUID(oid))[0]


def nat_network(
    engine: Engine, name: str = "nat", prefix: str = "10.0.0.0/24", **extra: Any
) -> str:
    """A NAT network with one subnet whose gateway is ``.1``."""
    gateway = prefix.split("/")[0].rsplit(".", 1)[0] + ".1"
    doc: Doc = {
        "Name": name,
        "Type": "NAT",
        "Ipams": [
            {
                "Type": "Static",
                "Subnets": [
                    {
                        "IpAddressPrefix": prefix,
                        "Routes": [{"NextHop": gateway, "DestinationPrefix": "0.0.0.0/0"}],
                    }
                ],
            }
        ],
        "SchemaVersion": {"Major": 2, "Minor": 0},
        **extra,
    }
    return create(engine, "Network", doc)


def port_mapping(external: int, internal: int = 80, protocol: int = 6, vip: str = "") -> Doc:
    """A ``PortMapping`` endpoint policy."""
    settings: Doc = {"Protocol": protocol, "InternalPort": internal, "ExternalPort": external}
    if vip:
        settings["VIP"] = vip
    return {"Type": "PortMapping", "Settings": settings}


def attach_request(endpoint: str, request: str = "Add") -> Doc:
    """A namespace modify request adding/removing ``endpoint``."""
    return {
        "ResourceType": "Endpoint",
        "RequestType": request,
        "Settings": {"EndpointId": endpoint},
    }
