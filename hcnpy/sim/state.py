"""The simulated HNS's persistent state: one SQLite file shared by every process on the host.

Every engine call is one transaction (``BEGIN IMMEDIATE`` for changes), so concurrent plugin
processes never lose updates and a crash never leaves half an object behind. The file uses WAL
mode and a generous busy timeout. Python-level helpers for the CLI: :func:`default_state_path`,
:func:`reset`, :func:`get_version`, :func:`set_version`.
"""

from __future__ import annotations

import _thread
import os
import sys
import time

from .. import jsontext
from ..safefiles import UnsafePathError, open_private, private_dir, refuse_symlink
from ._sqlite import sqlite3
from .versions import DEFAULT_VERSION, SimVersion

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import TracebackType
    from typing import Any

__all__ = [
    "BUSY_TIMEOUT_S",
    "SCHEMA_VERSION",
    "STATE_ENV",
    "VERSION_ENV",
    "StateError",
    "Store",
    "Transaction",
    "Tx",
    "default_state_path",
    "env_version",
    "get_version",
    "persisted_version",
    "reset",
    "resolve_state_path",
    "set_version",
]

#: Environment variable naming the state file.
STATE_ENV = "HCNPY_SIM_STATE"
#: Environment variable that overrides the simulated HNS version (``MAJOR.MINOR``).
VERSION_ENV = "HCNPY_SIM_HNS_VERSION"
#: How long a call waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 60.0
#: Layout version stored in ``PRAGMA user_version`` (an older layout is wiped and rebuilt).
SCHEMA_VERSION = 4

_FILE_NAME = "hns-sim.sqlite3"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Every HNS object; ``name_key`` and ``network`` are copies of document fields for lookups.
    """CREATE TABLE IF NOT EXISTS objects (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name_key TEXT,
        network TEXT,
        doc TEXT NOT NULL,
        UNIQUE (kind, id))""",
    "CREATE INDEX IF NOT EXISTS objects_by_kind ON objects (kind, seq)",
    "CREATE INDEX IF NOT EXISTS objects_by_network ON objects (network)",
    "CREATE UNIQUE INDEX IF NOT EXISTS network_names ON objects (name_key) WHERE kind = 'Network'",
    "CREATE INDEX IF NOT EXISTS objects_by_name ON objects (kind, name_key)",
    # Allocations. Primary keys make a double allocation impossible even if the logic slipped.
    # ``key`` is the address as family byte + 16 big-endian bytes: it sorts like the numbers.
    """CREATE TABLE IF NOT EXISTS addresses (
        network TEXT NOT NULL, address TEXT NOT NULL, key BLOB NOT NULL, owner TEXT NOT NULL,
        PRIMARY KEY (network, address)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS addresses_by_key ON addresses (network, key)",
    "CREATE INDEX IF NOT EXISTS addresses_by_owner ON addresses (owner)",
    "CREATE TABLE IF NOT EXISTS macs (mac INTEGER PRIMARY KEY, owner TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS macs_by_owner ON macs (owner)",
    """CREATE TABLE IF NOT EXISTS ports (
        scope TEXT NOT NULL, protocol INTEGER NOT NULL, port INTEGER NOT NULL,
        family INTEGER NOT NULL, vip TEXT NOT NULL, owner TEXT NOT NULL,
        PRIMARY KEY (scope, protocol, port, family, vip)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS ports_by_owner ON ports (owner)",
    # Namespace resources in attach order; an endpoint sits in at most one namespace.
    """CREATE TABLE IF NOT EXISTS attachments (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        namespace TEXT NOT NULL, rtype TEXT NOT NULL, rid TEXT NOT NULL,
        UNIQUE (namespace, rtype, rid))""",
    "CREATE UNIQUE INDEX IF NOT EXISTS one_namespace_per_endpoint "
    "ON attachments (rid) WHERE rtype = 'Endpoint'",
)
_DATA_TABLES = ("objects", "addresses", "macs", "ports", "attachments", "meta")


def _name_key(doc: dict[str, Any]) -> str | None:
    name = doc.get("Name")
    return name.lower() if isinstance(name, str) else None


class StateError(RuntimeError):
    """The state file cannot be used (unwritable, corrupt, or from a newer hcnpy)."""


def default_state_path(environ: Mapping[str, str] | None = None) -> str:
    """Where the state lives unless ``HCNPY_SIM_STATE`` says otherwise.

    ``$XDG_STATE_HOME/hcnpy/hns-sim.sqlite3``, falling back to
    ``~/.local/state/hcnpy/hns-sim.sqlite3``; on Windows ``%LOCALAPPDATA%\\hcnpy\\hns-sim.sqlite3``.
    """
    env = os.environ if environ is None else environ
    home = env.get("HOME") or os.path.expanduser("~")
    if sys.platform == "win32":
        base = env.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "hcnpy", _FILE_NAME)
    xdg = env.get("XDG_STATE_HOME")
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(home, ".local", "state")
    return os.path.join(base, "hcnpy", _FILE_NAME)


def resolve_state_path(
    explicit: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """``explicit``, else ``$HCNPY_SIM_STATE``, else :func:`default_state_path`."""
    env = os.environ if environ is None else environ
    return explicit or env.get(STATE_ENV) or default_state_path(env)


def env_version(environ: Mapping[str, str] | None = None) -> SimVersion | None:
    """The version ``HCNPY_SIM_HNS_VERSION`` pins, if set (``ValueError`` when malformed)."""
    text = (os.environ if environ is None else environ).get(VERSION_ENV, "").strip()
    if not text:
        return None
    try:
        return SimVersion.parse(text)
    except ValueError as exc:
        raise ValueError(f"{VERSION_ENV}: {exc}") from None


class Tx:
    """The statements of one transaction (all SQL is constant text, so sqlite caches it)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _one(self, sql: str, *args: Any) -> Any:
        row = self._conn.execute(sql, args).fetchone()
        return None if row is None else row[0]

    def _column(self, sql: str, *args: Any) -> list[Any]:
        return [row[0] for row in self._conn.execute(sql, args)]

    # -- objects -------------------------------------------------------------------------------
    def get(self, kind: str, oid: str) -> dict[str, Any] | None:
        """The stored document of object ``oid`` of ``kind``, or ``None``."""
        text = self._one("SELECT doc FROM objects WHERE id = ? AND kind = ?", oid, kind)
        return None if text is None else dict(jsontext.loads(text))

    def exists(self, kind: str, oid: str) -> bool:
        """True when an object of ``kind`` has this ID."""
        return self._one("SELECT 1 FROM objects WHERE kind = ? AND id = ?", kind, oid) is not None

    def ids(self, kind: str) -> list[str]:
        """IDs of every object of ``kind`` in creation order."""
        return self._column("SELECT id FROM objects WHERE kind = ? ORDER BY seq", kind)

    def insert(
        self, kind: str, oid: str, doc: dict[str, Any], network: str | None = None
    ) -> None:
        """Add a new object (its folded ``Name`` is indexed for name look-ups)."""
        self._conn.execute(
            "INSERT INTO objects (id, kind, name_key, network, doc) VALUES (?, ?, ?, ?, ?)",
            (oid, kind, _name_key(doc), network, jsontext.dumps(doc)),
        )

    def update(self, kind: str, oid: str, doc: dict[str, Any]) -> None:
        """Replace an object's document (its creation order is kept)."""
        self._conn.execute(
            "UPDATE objects SET doc = ?, name_key = ? WHERE kind = ? AND id = ?",
            (jsontext.dumps(doc), _name_key(doc), kind, oid),
        )

    def remove(self, kind: str, oid: str) -> None:
        """Drop an object row (allocations are released separately)."""
        self._conn.execute("DELETE FROM objects WHERE kind = ? AND id = ?", (kind, oid))

    def all(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """Every object of ``kind`` in creation order."""
        rows = self._conn.execute(
            "SELECT id, doc FROM objects WHERE kind = ? ORDER BY seq", (kind,)
        )
        return [(oid, dict(jsontext.loads(doc))) for oid, doc in rows]

    def by_name(self, kind: str, name_key: str) -> list[tuple[str, dict[str, Any]]]:
        """Every object of ``kind`` whose folded name is ``name_key``, oldest first."""
        rows = self._conn.execute(
            "SELECT id, doc FROM objects WHERE kind = ? AND name_key = ? ORDER BY seq",
            (kind, name_key),
        )
        return [(oid, dict(jsontext.loads(doc))) for oid, doc in rows]

    def endpoints_on(self, network: str) -> list[tuple[str, dict[str, Any]]]:
        """Every endpoint of ``network`` with its document, oldest first."""
        rows = self._conn.execute(
            "SELECT id, doc FROM objects WHERE network = ? AND kind = 'Endpoint' ORDER BY seq",
            (network,),
        )
        return [(oid, dict(jsontext.loads(doc))) for oid, doc in rows]

    def network_by_name(self, name_key: str) -> str | None:
        """The ID of the network whose folded name is ``name_key``."""
        return self._one(  # type: ignore[no-any-return]
            "SELECT id FROM objects WHERE kind = 'Network' AND name_key = ?", name_key
        )

    def on_network(self, network: str) -> list[str]:
        """IDs of the endpoints on ``network``."""
        return self._column(
            "SELECT id FROM objects WHERE network = ? AND kind = 'Endpoint' ORDER BY seq", network
        )

    # -- meta ----------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        """A metadata value."""
        return self._one("SELECT value FROM meta WHERE key = ?", key)  # type: ignore[no-any-return]

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or with ``None`` delete) a metadata value."""
        if value is None:
            self._conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def next_counter(self, key: str, start: int) -> int:
        """Hand out the next value of a persistent counter starting at ``start``."""
        current = self.meta(key)
        value = int(current) if current is not None else start
        self.set_meta(key, str(value + 1))
        return value

    # -- allocations ---------------------------------------------------------------------------
    def address_keys(self, network: str, low: bytes, high: bytes) -> list[bytes]:
        """Keys of the addresses in use on ``network`` within ``low..high``, ascending."""
        return self._column(
            "SELECT key FROM addresses WHERE network = ? AND key BETWEEN ? AND ? ORDER BY key",
            network,
            low,
            high,
        )

    def address_taken(self, network: str, key: bytes) -> bool:
        """True when the address with sort key ``key`` is held on ``network``."""
        row = self._one("SELECT 1 FROM addresses WHERE network = ? AND key = ?", network, key)
        return row is not None

    def address_owner(self, network: str, address: str) -> str | None:
        """Who holds ``address`` on ``network``."""
        return self._one(  # type: ignore[no-any-return]
            "SELECT owner FROM addresses WHERE network = ? AND address = ?", network, address
        )

    def claim_address(self, network: str, address: str, key: bytes, owner: str) -> None:
        """Record that ``owner`` holds ``address`` (sort key ``key``) on ``network``."""
        self._conn.execute(
            "INSERT INTO addresses (network, address, key, owner) VALUES (?, ?, ?, ?)",
            (network, address, key, owner),
        )

    def macs_between(self, low: int, high: int) -> set[int]:
        """MACs in use within ``low..high``."""
        return set(self._column("SELECT mac FROM macs WHERE mac BETWEEN ? AND ?", low, high))

    def mac_owner(self, mac: int) -> str | None:
        """Who holds ``mac``."""
        return self._one("SELECT owner FROM macs WHERE mac = ?", mac)  # type: ignore[no-any-return]

    def claim_mac(self, mac: int, owner: str) -> None:
        """Record that ``owner`` holds ``mac``."""
        self._conn.execute("INSERT INTO macs (mac, owner) VALUES (?, ?)", (mac, owner))

    def port_holders(
        self, scope: str, protocol: int, port: int, family: int
    ) -> list[tuple[str, str]]:
        """``(vip, owner)`` for every claim of ``protocol``/``port``/``family`` in ``scope``."""
        rows = self._conn.execute(
            "SELECT vip, owner FROM ports "
            "WHERE scope = ? AND protocol = ? AND port = ? AND family = ?",
            (scope, protocol, port, family),
        )
        return [(vip, owner) for vip, owner in rows]

    def claim_port(
        self, scope: str, protocol: int, port: int, family: int, vip: str, owner: str
    ) -> None:
        """Record a host-port (``endpoint``) or frontend (``loadbalancer``) claim."""
        self._conn.execute(
            "INSERT INTO ports (scope, protocol, port, family, vip, owner) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (scope, protocol, port, family, vip, owner),
        )

    def release_ports(self, scope: str, owner: str) -> None:
        """Drop every port claim of ``owner`` in ``scope``."""
        self._conn.execute("DELETE FROM ports WHERE owner = ? AND scope = ?", (owner, scope))

    def release_endpoint(self, owner: str) -> None:
        """Drop every address, MAC and host-port claim of endpoint ``owner``."""
        self._conn.execute("DELETE FROM addresses WHERE owner = ?", (owner,))
        self._conn.execute("DELETE FROM macs WHERE owner = ?", (owner,))
        self.release_ports("endpoint", owner)

    # -- namespace attachments -----------------------------------------------------------------
    def resources(self, namespace: str) -> list[tuple[str, str]]:
        """``(type, id)`` of every resource in ``namespace``, in attach order."""
        rows = self._conn.execute(
            "SELECT rtype, rid FROM attachments WHERE namespace = ? ORDER BY seq", (namespace,)
        )
        return [(rtype, rid) for rtype, rid in rows]

    def namespace_of(self, endpoint: str) -> str | None:
        """The namespace ``endpoint`` is attached to."""
        return self._one(  # type: ignore[no-any-return]
            "SELECT namespace FROM attachments WHERE rtype = 'Endpoint' AND rid = ?", endpoint
        )

    def endpoint_namespaces(self) -> dict[str, str]:
        """Endpoint ID -> namespace ID for every attached endpoint."""
        rows = self._conn.execute("SELECT rid, namespace FROM attachments WHERE rtype = 'Endpoint'")
        return {rid: namespace for rid, namespace in rows}

    def has_resource(self, namespace: str, rtype: str, rid: str) -> bool:
        """True when ``rid`` of ``rtype`` is in ``namespace``."""
        return (
            self._one(
                "SELECT 1 FROM attachments WHERE namespace = ? AND rtype = ? AND rid = ?",
                namespace,
                rtype,
                rid,
            )
            is not None
        )

    def attach(self, namespace: str, rtype: str, rid: str) -> None:
        """Add a resource to a namespace."""
        self._conn.execute(
            "INSERT INTO attachments (namespace, rtype, rid) VALUES (?, ?, ?)",
            (namespace, rtype, rid),
        )

    def detach(self, namespace: str, rtype: str, rid: str) -> None:
        """Remove a resource from a namespace."""
        self._conn.execute(
            "DELETE FROM attachments WHERE namespace = ? AND rtype = ? AND rid = ?",
            (namespace, rtype, rid),
        )

    def detach_namespace(self, namespace: str) -> None:
        """Remove every resource from ``namespace``."""
        self._conn.execute("DELETE FROM attachments WHERE namespace = ?", (namespace,))

    def detach_endpoint(self, endpoint: str) -> None:
        """Take ``endpoint`` out of whatever namespace holds it."""
        self._conn.execute(
            "DELETE FROM attachments WHERE rtype = 'Endpoint' AND rid = ?", (endpoint,)
        )

    def clear(self) -> None:
        """Delete every row of every table (the file and its layout stay)."""
        for table in _DATA_TABLES:
            self._conn.execute(f"DELETE FROM {table}")


class Transaction:
    """``with store.transaction(write) as tx``: commits on success, rolls back on any exception."""

    __slots__ = ("_conn", "_write")

    def __init__(self, conn: sqlite3.Connection, write: bool) -> None:
        self._conn = conn
        self._write = write

    def __enter__(self) -> Tx:
        self._conn.execute("BEGIN IMMEDIATE" if self._write else "BEGIN")
        return Tx(self._conn)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._conn.execute("COMMIT")
        elif self._conn.in_transaction:
            self._conn.execute("ROLLBACK")


class Store:
    """One connection to the state file, opened once and reused for every call."""

    def __init__(self, path: str, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._conn = _connect(path, busy_timeout)
        self.identity = _file_identity(path)

    def still_current(self) -> bool:
        """True while the file at :attr:`path` is the one this connection opened."""
        return not self._conn.in_transaction and _file_identity(self.path) == self.identity

    def transaction(self, write: bool) -> Transaction:
        """One transaction: ``BEGIN IMMEDIATE`` for writers, a consistent snapshot for readers.

        Any exception rolls everything back; nothing of a failed call is ever visible.
        """
        return Transaction(self._conn, write)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def _file_identity(path: str) -> tuple[int, int] | None:
    if path == ":memory:":
        return None
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_dev, info.st_ino)


class StorePool:
    """Open state connections kept for reuse by later engines (the simulator service's).

    A connection is handed out again only while its file is still the one at its path (not
    deleted or replaced since). At most ``keep`` are kept, the oldest closed first: a service
    that has seen thousands of state files holds a few of them open, not all.
    """

    def __init__(self, keep: int = 16) -> None:
        self.keep = keep
        self._idle: list[Store] = []
        self._lock = _thread.allocate_lock()

    def take(self, path: str) -> Store:
        """An open connection to ``path``: a kept one, else a new one."""
        with self._lock:
            found = next((s for s in reversed(self._idle) if s.path == path), None)
            if found is not None:
                self._idle.remove(found)
        if found is not None and found.still_current():
            return found
        if found is not None:
            found.close()
        return Store(path)

    def give(self, store: Store) -> None:
        """Keep ``store`` for the next :meth:`take` of its path (or close it)."""
        to_close = [store]
        with self._lock:
            if store.still_current():
                self._idle.append(store)
                to_close = self._idle[: max(0, len(self._idle) - self.keep)]
                del self._idle[: len(to_close)]
        for stale in to_close:
            stale.close()

    def close(self) -> None:
        """Close every kept connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


def _prepare_file(path: str) -> None:
    """Create the state file 0600 (SQLite gives its -wal and -shm the same mode) in a new
    directory of mode 0700, refusing symlinks for the file and its -wal/-shm companions."""
    directory = os.path.dirname(path)
    if directory and not os.path.isdir(directory):
        try:
            private_dir(directory)
        except OSError as exc:
            raise StateError(f"cannot create the directory of {path}: {exc}") from exc
    try:
        for companion in (path + "-wal", path + "-shm"):
            refuse_symlink(companion)
        os.close(open_private(path, os.O_RDWR | os.O_CREAT))
    except UnsafePathError as exc:
        raise StateError(f"unsafe simulated HNS state: {exc}") from exc
    except OSError as exc:
        raise StateError(f"cannot create the simulated HNS state {path}: {exc}") from exc


def _connect(path: str, busy_timeout: float) -> sqlite3.Connection:
    if path != ":memory:":
        _prepare_file(path)
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StateError(f"cannot open simulated HNS state {path}: {exc}") from exc
    try:
        _retry_locked(lambda: conn.execute("PRAGMA journal_mode=WAL").fetchone(), busy_timeout)
        conn.execute("PRAGMA synchronous=NORMAL")
        _ensure_schema(conn, path, busy_timeout)
    except sqlite3.Error as exc:
        conn.close()
        raise StateError(f"cannot use simulated HNS state {path}: {exc}") from exc
    except StateError:
        conn.close()
        raise
    return conn


def _retry_locked(action: Any, busy_timeout: float) -> Any:
    """Run ``action`` again while another process holds a lock the busy handler cannot wait for."""
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _ensure_schema(conn: sqlite3.Connection, path: str, busy_timeout: float) -> None:
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    _retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"), busy_timeout)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process won?
        if version > SCHEMA_VERSION:
            raise StateError(f"{path} was written by a newer hcnpy (layout {version})")
        if 0 < version < SCHEMA_VERSION:  # simulator state from an older hcnpy: start afresh
            for table in _DATA_TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# -- CLI-level helpers ---------------------------------------------------------------------------
_VERSION_KEY = "hns_version"


def reset(state_path: str | None = None) -> None:
    """Wipe the whole simulated HNS (objects, allocations, the persisted version) in one step."""
    store = Store(resolve_state_path(state_path))
    try:
        with store.transaction(write=True) as tx:
            tx.clear()
    finally:
        store.close()


def persisted_version(tx: Tx) -> SimVersion | None:
    """The version ``set_version`` stored, if any."""
    text = tx.meta(_VERSION_KEY)
    return SimVersion.parse(text) if text else None


def get_version(state_path: str | None = None) -> SimVersion:
    """The simulated version: ``$HCNPY_SIM_HNS_VERSION``, else the persisted one, else default."""
    pinned = env_version()
    if pinned is not None:
        return pinned
    store = Store(resolve_state_path(state_path))
    try:
        with store.transaction(write=False) as tx:
            return persisted_version(tx) or DEFAULT_VERSION
    finally:
        store.close()


def set_version(version: SimVersion | str | None, state_path: str | None = None) -> None:
    """Persist the simulated version (``None`` returns to the default).

    ``$HCNPY_SIM_HNS_VERSION`` still wins over the persisted value while it is set.
    """
    if isinstance(version, str):
        version = SimVersion.parse(version)
    store = Store(resolve_state_path(state_path))
    try:
        with store.transaction(write=True) as tx:
            tx.set_meta(_VERSION_KEY, None if version is None else str(version))
    finally:
        store.close()
