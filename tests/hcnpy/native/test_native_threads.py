"""Many threads through the C ABI at once: the GIL is released in C and re-taken by the glue."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from hcnpy.bindings import Library, ObjectKind

from . import documents


def test_threads_calling_concurrently(library: Library) -> None:
    def work(n: int) -> int:
        done = 0
        for _ in range(8):
            with library.create(ObjectKind.NAMESPACE, documents.namespace()) as handle:
                object_id = uuid.UUID(documents.identity(library.query(handle, documents.QUERY)))
            with library.open(ObjectKind.NAMESPACE, object_id) as handle:
                library.query(handle, documents.QUERY)
            assert str(object_id) in library.enumerate(ObjectKind.NAMESPACE, documents.QUERY)
            library.hns_call("GET", "/globals/version")
            library.delete(ObjectKind.NAMESPACE, object_id)
            done += 1
        return done

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(work, range(8))) == 64
    assert library.enumerate(ObjectKind.NAMESPACE, documents.QUERY) == []


def test_a_stalled_call_does_not_block_other_threads(
    library: Library, faults: Callable[[str], None]
) -> None:
    faults("HcnOpenNetwork=stall:600")
    with library.create(ObjectKind.NETWORK, documents.network()) as handle:
        network_id = uuid.UUID(documents.identity(library.query(handle, documents.QUERY)))
    started = threading.Event()

    def stalled() -> None:
        started.set()
        with library.open(ObjectKind.NETWORK, network_id):
            pass

    thread = threading.Thread(target=stalled)
    thread.start()
    started.wait()
    time.sleep(0.05)  # let it enter the stand-in
    begin = time.monotonic()
    for _ in range(20):
        library.hns_call("GET", "/globals/version")
    assert time.monotonic() - begin < 0.4, "the stalled C call held the GIL"
    assert thread.is_alive()
    thread.join()
    library.delete(ObjectKind.NETWORK, network_id)
