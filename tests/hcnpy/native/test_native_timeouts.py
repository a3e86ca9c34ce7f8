"""Per-call timeouts: a stalled HNS call raises HcnTimeout and is cleaned up when it returns."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from types import ModuleType

import pytest

from hcnpy.bindings import Library, ObjectKind
from hcnpy.errors import HcnTimeout, NotFoundError

from . import documents


def _network(library: Library) -> uuid.UUID:
    with library.create(ObjectKind.NETWORK, documents.network()) as handle:
        return uuid.UUID(documents.identity(library.query(handle, documents.QUERY)))


def test_a_stalled_call_times_out_and_its_handle_is_closed_later(
    library: Library, faults: Callable[[str], None]
) -> None:
    faults("HcnOpenNetwork=stall:400")
    network_id = _network(library)
    start = time.monotonic()
    with pytest.raises(HcnTimeout) as caught:
        library.open(ObjectKind.NETWORK, network_id, timeout=0.05)
    assert time.monotonic() - start < 0.35
    error = caught.value
    assert isinstance(error, TimeoutError)
    assert error.operation == "HcnOpenNetwork"
    assert error.seconds == 0.05
    # The open is still running; when it returns, its handle is closed for us.
    assert library.join_pending(5)
    assert library.leak_counters() == (0, 0)
    library.delete(ObjectKind.NETWORK, network_id)


def test_a_call_that_returns_in_time_gives_its_result(
    library: Library, faults: Callable[[str], None]
) -> None:
    faults("HcnOpenNetwork=stall:100")
    network_id = _network(library)
    with library.open(ObjectKind.NETWORK, network_id, timeout=5) as handle:
        assert library.query(handle, documents.QUERY, timeout=5)
    with pytest.raises(NotFoundError):
        library.open(ObjectKind.NETWORK, uuid.uuid4(), timeout=5)  # errors cross the thread
    library.delete(ObjectKind.NETWORK, network_id, timeout=5)


def test_an_expired_timeout_does_not_call_hns(library: Library, engine: ModuleType) -> None:
    before = engine.get_engine().call_count("HNSCall")
    for expired in (0, -1.0):
        with pytest.raises(HcnTimeout):
            library.hns_call("GET", "/globals/version", timeout=expired)
    assert engine.get_engine().call_count("HNSCall") == before
