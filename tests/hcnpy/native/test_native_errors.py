"""Failure paths: error records are decoded and freed, handles never leak, no crash."""

from __future__ import annotations

import gc
import json
import socket
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import _cffi_backend
import pytest

from hcnpy import bindings
from hcnpy.bindings import Library, NotificationCallback, ObjectKind
from hcnpy.errors import (
    HcnError,
    HcnUnavailable,
    InvalidConfigurationError,
    NotFoundError,
)
from hcnpy.hresult import HResult

from . import documents

RECORD = json.dumps({"ErrorCode": 0x803B0013, "Error": "port clash", "Success": False})


def test_a_missing_object_raises_not_found_with_the_decoded_record(library: Library) -> None:
    missing = uuid.UUID("5f0b1190-63be-4e0c-b974-bd0f55675a42")
    with pytest.raises(NotFoundError) as caught:
        library.open(ObjectKind.NAMESPACE, missing)
    error = caught.value
    assert error.operation == "HcnOpenNamespace"
    assert error.error_record is not None and error.error_record.success is False
    assert error.error_record.error_code == error.hresult
    assert "HcnOpenNamespace failed" in str(error)


def test_invalid_json_is_an_invalid_configuration(library: Library) -> None:
    with pytest.raises(InvalidConfigurationError) as caught:
        library.create(ObjectKind.NETWORK, "{not json")
    assert caught.value.operation == "HcnCreateNetwork"
    assert caught.value.error_record is not None


def test_handle_is_closed_when_a_query_after_open_fails(
    library: Library, faults: Callable[[str], None]
) -> None:
    faults("HcnQueryNetworkProperties=HCN_E_INVALID_JSON@2")
    with library.create(ObjectKind.NETWORK, documents.network()) as created:
        network_id = uuid.UUID(documents.identity(library.query(created, documents.QUERY)))
    with (
        pytest.raises(InvalidConfigurationError),
        library.open(ObjectKind.NETWORK, network_id) as handle,
    ):
        library.query(handle, documents.QUERY)
    assert handle.closed
    assert library.leak_counters() == (0, 0)
    library.delete(ObjectKind.NETWORK, network_id)


def test_injected_failures_free_their_error_record(
    library: Library, faults: Callable[[str], None]
) -> None:
    faults("HcnEnumerateNetworks=0x803B0013;HNSCall=E_ACCESSDENIED")
    with pytest.raises(HcnError) as caught:
        library.enumerate(ObjectKind.NETWORK, documents.QUERY)
    assert caught.value.hresult == HResult.HCN_E_PORT_ALREADY_EXISTS
    with pytest.raises(PermissionError):
        library.hns_call("GET", "/globals/version")
    assert library.leak_counters() == (0, 0)


def _call_with_service_at(
    library: Library, engine: ModuleType, monkeypatch: pytest.MonkeyPatch, socket_path: Path
) -> HcnError:
    with monkeypatch.context() as patch:
        patch.setenv("HCNPY_SIM_SOCKET", str(socket_path))
        patch.delenv("HCNPY_SIM_PYTHON")  # nothing may start a service there
        engine.reset_engine()  # the stand-in drops its connections to the real service
        try:
            with pytest.raises(HcnError) as caught:
                library.enumerate(ObjectKind.NETWORK, "")
        finally:
            engine.reset_engine()
    return caught.value


def test_an_unreachable_service_becomes_e_fail_with_the_reason(
    library: Library, engine: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    error = _call_with_service_at(library, engine, monkeypatch, tmp_path / "nobody.sock")
    assert error.hresult == HResult.E_FAIL
    assert error.error_record is not None and error.error_record.detail is not None
    assert "HCNPY_SIM_PYTHON is not set" in error.error_record.detail
    assert str(tmp_path / "nobody.sock") in error.error_record.detail


def test_a_service_that_hangs_up_becomes_e_fail(
    library: Library, engine: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "rude.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    accepted: list[int] = []

    def hang_up() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted.append(1)
            conn.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        error = _call_with_service_at(library, engine, monkeypatch, path)
    finally:
        server.close()
    assert error.hresult == HResult.E_FAIL
    assert error.error_record is not None and error.error_record.detail is not None
    assert "does not answer" in error.error_record.detail
    assert len(accepted) == 4  # the stand-in tried again before giving up


# --- the rules of the Library, over a scripted transport -----------------------------------


class Scripted:
    """A transport answering from a script, counting closes."""

    backend = "scripted"
    path = "<scripted>"

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.closed: list[int] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        answer = self.answers[name]
        return lambda *args: answer

    def close(self, kind: str, handle: int) -> int:
        self.closed.append(handle)
        return 0

    def register_service_callback(self, callback: NotificationCallback) -> tuple[int, int, object]:
        return self.answers["register_service_callback"]  # type: ignore[no-any-return]


def test_a_record_with_a_success_hresult_is_a_failure() -> None:
    library = Library(Scripted(enumerate=(0, "[]", RECORD)))
    with pytest.raises(HcnError) as caught:
        library.enumerate(ObjectKind.NETWORK, "")
    assert caught.value.hresult == 0
    assert caught.value.error_record is not None
    assert caught.value.error_record.error == "port clash"


def test_a_handle_returned_with_a_failure_is_closed() -> None:
    transport = Scripted(create=(0, 77, RECORD), open=(HResult.E_FAIL, 78, None))
    library = Library(transport)
    with pytest.raises(HcnError):
        library.create(ObjectKind.NETWORK, "{}")
    with pytest.raises(HcnError):
        library.open(ObjectKind.NETWORK, uuid.uuid4())
    assert transport.closed == [77, 78]


def test_success_without_a_handle_is_an_error() -> None:
    library = Library(Scripted(open=(0, None, None)))
    with pytest.raises(HcnError, match="returned no handle"):
        library.open(ObjectKind.NETWORK, uuid.uuid4())


@pytest.mark.parametrize("text", ['{"a": 1}', "[1, 2]", "not json"])
def test_enumerate_output_must_be_a_list_of_ids(text: str) -> None:
    library = Library(Scripted(enumerate=(0, text, None)))
    with pytest.raises(HcnError, match="not a JSON array"):
        library.enumerate(ObjectKind.NETWORK, "")


@pytest.mark.parametrize("text", [None, "", "null", "[]"])
def test_enumerate_with_nothing_is_empty(text: str | None) -> None:
    library = Library(Scripted(enumerate=(0, text, None)))
    assert library.enumerate(ObjectKind.NETWORK, "") == []


def test_handle_misuse_is_a_value_error() -> None:
    transport = Scripted(open=(0, 5, None), create=(0, 6, None))
    library = Library(transport)
    other = Library(Scripted(open=(0, 9, None)))
    handle = library.open(ObjectKind.NAMESPACE, uuid.uuid4())
    with pytest.raises(ValueError, match="Network handle"):
        library.create(ObjectKind.ENDPOINT, "{}", network=handle)
    with pytest.raises(ValueError, match="under a network handle"):
        library.create(ObjectKind.ENDPOINT, "{}")
    with pytest.raises(ValueError, match="only endpoints"):
        library.create(ObjectKind.NETWORK, "{}", network=handle)
    with pytest.raises(ValueError, match="not a handle of this library"):
        other.query(handle, "")
    handle.close()
    handle.close()
    assert transport.closed == [5]
    with pytest.raises(ValueError, match="is closed"):
        library.query(handle, "")


def test_an_unclosed_handle_warns_when_collected() -> None:
    transport = Scripted(open=(0, 5, None))
    library = Library(transport)
    handle = library.open(ObjectKind.NETWORK, uuid.uuid4())
    with pytest.warns(ResourceWarning, match="unclosed"):
        del handle
        gc.collect()
    assert transport.closed == []  # warned, not closed behind the caller's back


# --- a missing library or export -----------------------------------------------------------


def test_a_missing_stand_in_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(HcnUnavailable, match="cannot load"):
        bindings.open_library("sim", path=str(tmp_path / "nothing.so"))


def test_a_library_without_the_exports_is_unavailable() -> None:
    with pytest.raises(HcnUnavailable, match="does not export"):
        bindings.open_library("sim", path=_cffi_backend.__file__)


def test_the_real_backend_needs_windows() -> None:
    if sys.platform == "win32":
        pytest.skip("this is Windows")
    with pytest.raises(HcnUnavailable, match="only on Windows"):
        bindings.open_library("hcn")


def _dlls(standin: str, **overrides: list[str]) -> dict[str, list[str]]:
    roles = {"computenetwork": [standin], "vmcompute": [standin], "com": [standin]}
    return {**roles, "sim": [], **overrides}


def test_the_windows_loader_names_a_missing_export(library: Library) -> None:
    hcn = bindings.open_library(
        "hcn", libraries=_dlls(library.path, vmcompute=[_cffi_backend.__file__])
    )
    assert hcn.backend == "hcn" and hcn.path == library.path
    assert hcn.leak_counters() is None
    assert hcn.enumerate(ObjectKind.NETWORK, "") == []  # computenetwork role works
    with pytest.raises(HcnUnavailable, match="does not export HNSCall") as caught:
        hcn.hns_call("GET", "/globals/version")
    assert caught.value.operation == "HNSCall"


def test_the_windows_loader_marks_optional_exports(library: Library) -> None:
    hcn = bindings.open_library(
        "hcn", libraries=_dlls(library.path, computenetwork=[_cffi_backend.__file__])
    )
    with pytest.raises(HcnUnavailable, match="optional export"):
        hcn._transport._fn("HcnQueryEndpointStats")  # type: ignore[attr-defined]
    with pytest.raises(HcnUnavailable, match="does not export HcnEnumerateNetworks"):
        hcn.enumerate(ObjectKind.NETWORK, "")


def test_the_windows_loader_tries_each_candidate_and_names_them(
    library: Library, tmp_path: Path
) -> None:
    absent = str(tmp_path / "computenetwork.dll")
    with pytest.raises(HcnUnavailable, match=r"computenetwork\.dll"):
        bindings.open_library("hcn", libraries=_dlls(library.path, computenetwork=[absent]))
    hcn = bindings.open_library("hcn", libraries=_dlls(library.path, com=[absent, library.path]))
    assert hcn.hns_call("GET", "/globals/version").startswith("{")
