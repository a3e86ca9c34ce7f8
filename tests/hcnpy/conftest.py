"""A private simulated HNS per test, reached through the real stand-in library (no mocks).

After every test the stand-in must report no open handle and no unfreed string.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import hcnpy.ops
from hcnpy import bindings
from hcnpy.client import Client
from hcnpy.ops import Ops
from hcnpy.sim import engine

NetworkFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def ops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ops]:
    """Wire-level operations on a fresh simulated HNS (state file under ``tmp_path``)."""
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.sqlite3"))
    monkeypatch.setenv("HCNPY_BACKEND", "sim")
    for name in ("HCNPY_SIM_FAULTS", "HCNPY_SIM_HNS_VERSION", "HCNPY_TRACE"):
        monkeypatch.delenv(name, raising=False)
    engine.reset_engine()
    hcnpy.ops.clear_version_cache()
    library = bindings.load("sim")
    yield Ops(library)
    assert library.join_pending(10), "a call abandoned by a timeout never finished"
    counters = library.leak_counters()
    engine.reset_engine()
    hcnpy.ops.clear_version_cache()
    assert counters == (0, 0), f"leaked (open handles, unfreed strings): {counters}"


@pytest.fixture
def client(ops: Ops) -> Client:
    """The typed client over the same fresh simulated HNS."""
    return Client(ops)


@pytest.fixture
def restart(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Restart the simulator with ``faults=`` and/or ``version=`` (and forget the version)."""

    def apply(*, faults: str | None = None, version: str | None = None) -> None:
        if faults is not None:
            monkeypatch.setenv("HCNPY_SIM_FAULTS", faults)
        if version is not None:
            monkeypatch.setenv("HCNPY_SIM_HNS_VERSION", version)
        engine.reset_engine()
        hcnpy.ops.clear_version_cache()

    return apply


def nat_network(
    name: str = "nat", prefix: str = "10.0.0.0/24", gateway: str | None = "10.0.0.1"
) -> dict[str, Any]:
    """A NAT network document with one static subnet."""
    subnet: dict[str, Any] = {"IpAddressPrefix": prefix}
    if gateway:
        subnet["Routes"] = [{"NextHop": gateway, "DestinationPrefix": "0.0.0.0/0"}]
    return {"Name": name, "Type": "NAT", "Ipams": [{"Type": "Static", "Subnets": [subnet]}]}


@pytest.fixture
def make_network(ops: Ops) -> NetworkFactory:
    """Create a NAT network (see :func:`nat_network`) and return it as HNS reports it."""

    def create(**options: Any) -> dict[str, Any]:
        return ops.create_network(nat_network(**options))

    return create
