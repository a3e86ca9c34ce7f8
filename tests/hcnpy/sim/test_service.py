"""The simulator service: the stand-in library is a client of it, as computenetwork.dll is of
HNS. Driven through the real C library (no mock): handles belong to the calling process, kill
faults hit the caller and never the service, a caller that is gone gets nothing done, and the
service starts on first use and leaves when idle."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcnpy.errors import HcnError
from hcnpy.guid import guid_bytes_le
from hcnpy.ops import Ops
from hcnpy.sim import engine, service, standin, wire
from hcnpy.sim.state import Store, StorePool

NETWORK = {
    "Name": "svc",
    "Type": "NAT",
    "Ipams": [{"Subnets": [{"IpAddressPrefix": "10.9.0.0/24"}]}],
}

# A process that uses the sim backend the way a plugin does; what it does comes from argv.
CHILD = r"""
import json, os, sys, uuid
from hcnpy.ops import Ops
from hcnpy.bindings import ObjectKind
ops = Ops()
action = sys.argv[1]
if action == "open-and-leave":
    handle = ops.library.open(ObjectKind.NETWORK, uuid.UUID(sys.argv[2]))
    print(ops.library.leak_counters()[0], flush=True)
    os._exit(0)  # no close: the service must release the handle
if action == "count":
    print(ops.library.leak_counters()[0])
if action == "create":
    print(json.dumps(ops.create_network(json.loads(sys.argv[2]), timeout=float(sys.argv[3]))))
"""


def _child(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture
def child_env(ops: Ops, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HCNPY_SIM_FAULTS")}
    env["HCNPY_SIM_STATE"] = os.environ["HCNPY_SIM_STATE"]
    return env


def test_handles_belong_to_the_process_and_die_with_it(
    ops: Ops, child_env: dict[str, str]
) -> None:
    network = ops.create_network(NETWORK)
    done = _child(child_env, "open-and-leave", network["ID"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"  # the child saw its own handle...
    assert ops.library.leak_counters() == (0, 0)  # ...which was never this process's
    assert _child(child_env, "count").stdout.strip() == "0"  # nor the next process's
    ops.delete_network(network["ID"])  # HNS does not keep a dead process's handle open


def test_a_kill_fault_kills_the_caller_and_not_the_service(
    ops: Ops, child_env: dict[str, str]
) -> None:
    before = dict(child_env, HCNPY_SIM_FAULTS="HcnCreateNetwork=kill")
    done = _child(before, "create", json.dumps(NETWORK), "30")
    assert done.returncode == -signal.SIGKILL
    assert ops.list_networks() == []  # killed before HNS acted

    after = dict(child_env, HCNPY_SIM_FAULTS="HcnCreateNetwork=kill-after")
    done = _child(after, "create", json.dumps(NETWORK), "30")
    assert done.returncode == -signal.SIGKILL
    (created,) = ops.list_networks()  # HNS finished; the caller never heard
    ops.delete_network(created["ID"])


def test_a_stalled_call_whose_caller_is_gone_does_nothing(
    ops: Ops, child_env: dict[str, str]
) -> None:
    env = dict(child_env, HCNPY_SIM_FAULTS="HcnCreateNetwork=stall:1500")
    done = _child(env, "create", json.dumps(NETWORK), "0.2")
    assert done.returncode != 0 and "HcnTimeout" in done.stderr  # gave up, and exited
    time.sleep(2.0)  # the stall is over: the service found nobody to answer
    assert ops.list_networks() == []


def test_the_service_starts_on_first_use_and_leaves_when_idle(
    ops: Ops, child_env: dict[str, str], tmp_path: Path
) -> None:
    runtime = tmp_path / "rt"
    env = dict(child_env, HCNPY_SIM_RUNTIME_DIR=str(runtime), HCNPY_SIM_SERVICE_IDLE="1")
    env.pop("HCNPY_SIM_SOCKET", None)
    assert _child(env, "count").stdout.strip() == "0"
    (sock,) = runtime.glob("*.sock")
    assert (runtime.stat().st_mode & 0o777) == 0o700 and (sock.stat().st_mode & 0o777) == 0o600
    deadline = time.monotonic() + 30
    while sock.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not sock.exists(), "the idle service did not leave"
    assert _child(env, "count").stdout.strip() == "0"  # and the next caller starts another
    assert sock.exists()


def test_a_service_retires_when_its_sources_change(tmp_path: Path) -> None:
    server = service.Service(str(tmp_path / "s.sock"), idle_s=60)
    assert not server._sources_changed()  # checked at most once a second
    server._stamp_checked -= 2
    assert not server._sources_changed()
    server._stamp = ()  # as if a file had changed since it started
    server._stamp_checked -= 2
    assert server._sources_changed()


def test_the_runtime_directory_must_be_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("HCNPY_SIM_RUNTIME_DIR", str(shared))
    monkeypatch.delenv("HCNPY_SIM_SOCKET", raising=False)
    with pytest.raises(standin.StandinError, match="only you can write"):
        standin.prepare_service()


# --- the wire format ----------------------------------------------------------------------

_values = st.none() | st.integers(-(2**63), 2**63 - 1) | st.text() | st.uuids()


def _client_value(value: object) -> bytes:
    """A value as standin.c writes it (texts as UTF-16LE, GUIDs as their struct's bytes)."""
    if value is None:
        return b"\0"
    if isinstance(value, int):
        return struct.pack("<Bq", 1, value)
    if isinstance(value, str):
        data = value.encode("utf-16-le", "surrogatepass")
        return struct.pack("<BI", 2, len(data)) + data
    return b"\3" + guid_bytes_le(value)  # type: ignore[arg-type]


def _text(value: str) -> bytes:
    data = value.encode()
    return struct.pack("<BI", 4, len(data)) + data


@given(st.text(min_size=1), st.lists(_values, max_size=6))
def test_a_call_reads_back_as_written(method: str, args: list[object]) -> None:
    payload = b"\1" + _text(method) + bytes([len(args)]) + b"".join(map(_client_value, args))
    call = wire.parse(payload)
    assert isinstance(call, wire.Call) and call.method == method
    assert call.args == [str(a) if not isinstance(a, (str, int, type(None))) else a for a in args]


@given(st.dictionaries(st.text(alphabet="ABCXYZ_", min_size=1), st.text()), st.text())
def test_a_hello_reads_back_as_written(environ: dict[str, str], token: str) -> None:
    payload = b"\0" + _text(token) + struct.pack("<I", len(environ))
    payload += b"".join(_text(f"{k}={v}") for k, v in environ.items())
    hello = wire.parse(payload)
    assert isinstance(hello, wire.Hello) and (hello.token, hello.environ) == (token, environ)


@given(st.binary(max_size=64))
def test_garbage_is_a_wire_error_and_nothing_else(payload: bytes) -> None:
    with contextlib.suppress(wire.WireError):
        wire.parse(payload)


@given(st.lists(st.none() | st.integers(-(2**63), 2**63 - 1) | st.text(), max_size=3))
def test_answers_have_the_layout_standin_c_reads(values: list[object]) -> None:
    payload = wire.encode_answer(values)
    assert payload[:2] == bytes((0, len(values)))
    assert payload[2:] == b"".join(map(_client_value, values))
    assert wire.encode_kill() == b"\1\0"


def test_frames_carry_their_length(tmp_path: Path) -> None:
    left, right = socket.socketpair()
    with left, right:
        wire.write_frame(left, b"hello")
        assert wire.read_frame(right) == b"hello"
        left.close()
        assert wire.read_frame(right) is None


def test_a_service_that_dies_is_replaced_and_the_state_survives(
    ops: Ops, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sock = tmp_path / "own.sock"  # a service of this test's own: the suite's is not killed
    monkeypatch.setenv("HCNPY_SIM_SOCKET", str(sock))
    monkeypatch.setenv("HCNPY_SIM_SERVICE_IDLE", "1")
    engine.reset_engine()
    try:
        network = ops.create_network(NETWORK)
        first = int((tmp_path / "own.sock.pid").read_text())
        os.kill(first, signal.SIGKILL)
        while Path(f"/proc/{first}").exists() and sys.platform.startswith("linux"):
            time.sleep(0.01)
        with contextlib.suppress(HcnError):
            ops.list_networks()  # the call that finds the service gone may fail...
        assert [n["ID"] for n in ops.list_networks()] == [network["ID"]]  # ...the next works
        assert int((tmp_path / "own.sock.pid").read_text()) != first
        ops.delete_network(network["ID"])
    finally:
        monkeypatch.undo()
        engine.reset_engine()


def test_the_pool_keeps_a_few_connections_and_never_a_replaced_file(tmp_path: Path) -> None:
    pool = StorePool(keep=2)
    paths = [str(tmp_path / f"{i}.sqlite3") for i in range(3)]
    stores = [Store(path) for path in paths]
    for store in stores:
        pool.give(store)
    assert pool.take(paths[2]) is stores[2]
    assert pool.take(paths[0]) is not stores[0]  # the oldest was closed when a third came
    replaced = pool.take(paths[1])
    assert replaced is stores[1]
    pool.give(replaced)
    os.unlink(paths[1])
    Store(paths[1]).close()  # a new file at the same path
    assert pool.take(paths[1]) is not stores[1]
    pool.close()
