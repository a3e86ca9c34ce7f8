"""The simulated HNS service: the simulator in its own process, as HNS is on Windows.

``python -m hcnpy.sim.service --socket PATH`` serves the engine over a Unix socket to the
stand-in library (``standin.c``), which starts it on first use (:mod:`hcnpy.sim.wire` is the
format). Each calling process gets its own :class:`~hcnpy.sim.engine.Engine`, built from the
environment it sends, shared by all its connections and dropped with its last one, its
handles with it (rule ``service.handles-per-process``). The objects live in the SQLite state,
so the service holds nothing that outlives its callers.

The service leaves after ``--idle`` seconds (``$HCNPY_SIM_SERVICE_IDLE``, default 60) without
callers, and as soon as a caller arrives after its own source files changed (the caller then
starts a fresh one). While it listens, ``PATH.pid`` holds its process ID.
"""

from __future__ import annotations

import argparse
import os
import queue
import socket
import sys
import threading
import time

from ..safefiles import open_private
from .engine import Engine, engine_for
from .state import StorePool
from .wire import Call, Hello, WireError, encode_answer, encode_kill, parse, read_frame, write_frame

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["IDLE_ENV", "METHODS", "Service", "main"]

#: Seconds the service waits without callers before it leaves.
IDLE_ENV = "HCNPY_SIM_SERVICE_IDLE"
DEFAULT_IDLE_S = 60.0
#: The engine methods a caller may call.
METHODS = frozenset(
    {
        "enumerate",
        "create",
        "open",
        "modify",
        "query",
        "query_endpoint_stats",
        "query_endpoint_addresses",
        "delete",
        "close",
        "hns_call",
        "register_service_callback",
        "unregister_service_callback",
        "open_handle_count",
    }
)
_ACCEPT_TICK_S = 0.5


class _KillCaller(Exception):
    """A ``kill`` fault fired: the caller must die now."""


def _source_stamp() -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the Python files the service runs."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamp = []
    for folder in (package, os.path.join(package, "sim"), os.path.join(package, "sim", "datapath")):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                stamp.append((entry.path, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


class _Caller:
    """One calling process: its engine and how many connections it has open."""

    __slots__ = ("connections", "engine")

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connections = 0


class Service:
    """The engines of the processes connected to one socket."""

    def __init__(self, path: str, idle_s: float = DEFAULT_IDLE_S) -> None:
        self.path = path
        self.idle_s = idle_s
        self._callers: dict[str, _Caller] = {}  # by the token each process introduces itself with
        self._lock = threading.Lock()
        self._active = 0
        self._idle_since = time.monotonic()
        self._stamp = _source_stamp()
        self._local = threading.local()
        self._inode: int | None = None
        self._stores = StorePool()
        self._queue: queue.SimpleQueue[socket.socket] = queue.SimpleQueue()
        self._idle_threads = 0
        self._stamp_checked = time.monotonic()

    # -- engines -------------------------------------------------------------------------
    def _acquire(self, token: str, environ: Mapping[str, str]) -> Engine:
        with self._lock:
            caller = self._callers.get(token)
            if caller is None:
                engine = engine_for(environ, self._stores)
                engine.kill_caller = self._kill_caller
                engine.caller_gone = self._caller_gone
                caller = self._callers[token] = _Caller(engine)
            caller.connections += 1
            return caller.engine

    def _release(self, token: str) -> None:
        with self._lock:
            caller = self._callers.get(token)
            if caller is None:
                return
            caller.connections -= 1
            if caller.connections:
                return
            del self._callers[token]
        caller.engine.shutdown()  # its handles go with it, as a dead process's do in HNS

    @staticmethod
    def _kill_caller() -> None:
        raise _KillCaller

    def _caller_gone(self) -> bool:
        conn: socket.socket | None = getattr(self._local, "conn", None)
        if conn is None:
            return False
        try:
            return conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    # -- connections ---------------------------------------------------------------------
    def _handler(self) -> None:
        # A thread serves connection after connection: starting one per caller would add
        # its start-up to every plugin's first call.
        while True:
            self._serve_connection(self._queue.get())
            with self._lock:
                self._idle_threads += 1

    def _serve_connection(self, conn: socket.socket) -> None:
        token: str | None = None
        try:
            payload = read_frame(conn)
            hello = None if payload is None else parse(payload)
            if not isinstance(hello, Hello):
                return
            engine = self._acquire(hello.token, hello.environ)
            token = hello.token
            self._local.conn = conn
            write_frame(conn, encode_answer(()))
            while (payload := read_frame(conn)) is not None:
                call = parse(payload)
                if not isinstance(call, Call) or call.method not in METHODS:
                    return
                try:
                    result = getattr(engine, call.method)(*call.args)
                except _KillCaller:
                    write_frame(conn, encode_kill())
                    return
                write_frame(conn, encode_answer(result if isinstance(result, tuple) else (result,)))
        except (OSError, WireError, TypeError):
            return
        finally:
            conn.close()
            if token is not None:
                self._release(token)
            with self._lock:
                self._active -= 1
                self._idle_since = time.monotonic()

    # -- the listening socket ------------------------------------------------------------
    def _bind(self) -> socket.socket | None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self.path)
        except OSError:
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(self.path)
                listener.close()
                return None  # another service answers here already
            except OSError:
                os.unlink(self.path)  # left by a service that died
                listener.bind(self.path)
            finally:
                probe.close()
        os.chmod(self.path, 0o600)
        self._inode = os.stat(self.path).st_ino
        self._write_pid()
        listener.listen(128)
        listener.settimeout(_ACCEPT_TICK_S)
        return listener

    def _write_pid(self) -> None:
        fd = open_private(self.path + ".pid", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")

    def _unlink(self) -> None:
        try:
            if os.stat(self.path).st_ino == self._inode:
                os.unlink(self.path)
                os.unlink(self.path + ".pid")
        except OSError:
            pass

    def _sources_changed(self) -> bool:
        # At most once a second: a caller in a burst should not wait for the file checks.
        now = time.monotonic()
        if now - self._stamp_checked < 1.0:
            return False
        self._stamp_checked = now
        return _source_stamp() != self._stamp

    def _idle_too_long(self) -> bool:
        with self._lock:
            return not self._active and time.monotonic() - self._idle_since >= self.idle_s

    def serve(self) -> None:
        """Accept callers until idle for ``idle_s`` or the sources change."""
        listener = self._bind()
        if listener is None:
            return
        try:
            while True:
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    if self._idle_too_long():
                        return
                    continue
                if self._sources_changed():
                    self._unlink()  # the caller retries with a fresh service
                    conn.close()
                    return
                conn.settimeout(None)
                with self._lock:
                    self._active += 1
                    start_thread = not self._idle_threads
                    if not start_thread:
                        self._idle_threads -= 1
                self._queue.put(conn)
                if start_thread:
                    threading.Thread(target=self._handler, daemon=True).start()
        finally:
            self._unlink()
            listener.close()
            self._drain()
            self._stores.close()

    def _drain(self) -> None:
        # Calls under way finish (their callers wait for them) before the process leaves.
        while True:
            with self._lock:
                if not self._active:
                    return
            time.sleep(0.05)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m hcnpy.sim.service``."""
    parser = argparse.ArgumentParser(prog="python -m hcnpy.sim.service", description=__doc__)
    parser.add_argument("--socket", required=True, help="the Unix socket to listen on")
    parser.add_argument(
        "--idle",
        type=float,
        default=float(os.environ.get(IDLE_ENV) or DEFAULT_IDLE_S),
        help=f"seconds without callers before leaving (default ${IDLE_ENV} or 60)",
    )
    options = parser.parse_args(argv)
    Service(options.socket, options.idle).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
