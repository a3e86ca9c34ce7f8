"""Choosing the backend, loading once, and the in-process fallback."""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections.abc import Callable

import pytest

from hcnpy import bindings
from hcnpy.bindings import Library, ObjectKind
from hcnpy.errors import HcnTimeout, NotFoundError

from . import documents


def test_the_default_backend_follows_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HCNPY_BACKEND", raising=False)
    assert bindings.resolve_backend() == ("hcn" if sys.platform == "win32" else "sim")


def test_hcnpy_backend_overrides_and_the_argument_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HCNPY_BACKEND", " SIM-InProcess ")
    assert bindings.resolve_backend() == "sim-inprocess"
    assert bindings.resolve_backend("sim") == "sim"
    monkeypatch.setenv("HCNPY_BACKEND", "hsn")
    with pytest.raises(ValueError, match=r"unknown HCN backend 'hsn' \(HCNPY_BACKEND\)"):
        bindings.load()
    with pytest.raises(ValueError, match="backend argument"):
        bindings.load("real")


def test_load_is_once_per_backend_and_thread_safe(library: Library) -> None:
    seen: list[Library] = []
    threads = [
        threading.Thread(target=lambda: seen.append(bindings.load("sim-inprocess")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(lib) for lib in seen}) == 1
    assert bindings.load("sim") is library
    assert library.backend == "sim" and library.path.endswith((".so", ".dylib"))


def test_the_in_process_backend_has_the_same_semantics(
    faults: Callable[[str], None],
) -> None:
    faults("HcnQueryNamespaceProperties=stall:300@2")
    inproc = bindings.load("sim-inprocess")
    assert inproc.backend == "sim-inprocess" and inproc.path == "<in-process>"
    assert json.loads(inproc.hns_call("GET", "/globals/version"))["Success"] is True
    with inproc.create(
        ObjectKind.NAMESPACE, documents.namespace(), object_id=uuid.UUID(int=0)
    ) as h:
        object_id = uuid.UUID(documents.identity(inproc.query(h, documents.QUERY)))
        assert inproc.leak_counters() == (1, 0)
        with pytest.raises(HcnTimeout):
            inproc.query(h, documents.QUERY, timeout=0.02)
    assert inproc.join_pending(5)
    assert inproc.enumerate(ObjectKind.NAMESPACE, documents.QUERY) == [str(object_id)]
    inproc.delete(ObjectKind.NAMESPACE, object_id)
    with pytest.raises(NotFoundError) as caught:
        inproc.delete(ObjectKind.NAMESPACE, object_id)
    assert caught.value.operation == "HcnDeleteNamespace"
    with inproc.register_service_callback(lambda *args: None):
        assert inproc.leak_counters() == (1, 0)
    assert inproc.leak_counters() == (0, 0)
