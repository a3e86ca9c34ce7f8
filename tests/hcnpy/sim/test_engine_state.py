"""The SQLite state: paths, reset, persisted version, WAL, crash atomicity."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hcnpy.sim import state
from hcnpy.sim.engine import Engine
from hcnpy.sim.versions import DEFAULT_VERSION as DEFAULT_SIMULATED_VERSION
from hcnpy.sim.versions import SimVersion as HnsVersion

from .sim_engine_support import create, get, ids, nat_network, new_engine


@pytest.fixture(autouse=True)
def _no_sim_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HCNPY_SIM_STATE", "HCNPY_SIM_HNS_VERSION", "HCNPY_SIM_FAULTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX layout")
def test_default_state_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state.default_state_path() == str(tmp_path / "xdg" / "hcnpy" / "hns-sim.sqlite3")
    monkeypatch.setenv("XDG_STATE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "state" / "hcnpy" / "hns-sim.sqlite3"
    assert state.default_state_path() == str(expected)
    monkeypatch.delenv("XDG_STATE_HOME")
    assert state.default_state_path() == str(expected)


def test_state_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "dir" / "state.sqlite3"
    monkeypatch.setenv("HCNPY_SIM_STATE", str(target))
    assert state.resolve_state_path() == str(target)
    assert state.resolve_state_path("explicit") == "explicit"
    engine = Engine(version=DEFAULT_SIMULATED_VERSION, faults="")
    nat_network(engine)
    assert target.exists()
    mode = sqlite3.connect(target).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    engine.shutdown()


def test_reset_wipes_everything(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    net = nat_network(engine)
    create(engine, "Endpoint", {}, net)
    create(engine, "Namespace", {})
    state.set_version("11.0", engine.state_path)
    state.reset(engine.state_path)
    for kind in ("Network", "Endpoint", "Namespace"):
        assert ids(engine, kind) == []
    assert state.get_version(engine.state_path) == DEFAULT_SIMULATED_VERSION
    again = nat_network(engine)
    assert (
        get(engine, "Endpoint", create(engine, "Endpoint", {}, again))["IpConfigurations"][0][
            "IpAddress"
        ]
        == "10.0.0.2"
    )
    assert get(engine, "Namespace", create(engine, "Namespace", {}))["NamespaceId"] == 2


def test_version_is_persisted_and_env_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = str(tmp_path / "s.sqlite3")
    assert state.get_version(path) == DEFAULT_SIMULATED_VERSION
    state.set_version(HnsVersion(13, 1), path)
    assert state.get_version(path) == HnsVersion(13, 1)
    monkeypatch.setenv("HCNPY_SIM_HNS_VERSION", "9.5")
    assert state.get_version(path) == HnsVersion(9, 5)
    monkeypatch.delenv("HCNPY_SIM_HNS_VERSION")
    state.set_version(None, path)
    assert state.get_version(path) == DEFAULT_SIMULATED_VERSION
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR"):
        state.set_version("latest", path)


def test_newer_layout_and_unusable_paths(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {state.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(state.StateError, match="newer hcnpy"):
        state.Store(str(path))
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(state.StateError, match="cannot create the directory"):
        state.Store(str(blocker / "sub" / "s.sqlite3"))


_CRASH = textwrap.dedent(
    """
    import os, sys
    from hcnpy.sim.versions import DEFAULT_VERSION as DEFAULT_SIMULATED_VERSION
    from hcnpy.sim import state
    from hcnpy.sim.engine import Engine

    def die(self, *args):
        os._exit(7)  # the process dies in the middle of the create transaction

    engine = Engine(state_path=sys.argv[1], version=DEFAULT_SIMULATED_VERSION, faults="")
    hr, handle, record = engine.open("Network", __import__("uuid").UUID(sys.argv[2]))
    state.Tx.claim_mac = die  # addresses are already written when the MAC is claimed
    engine.create("Endpoint", None, "{}", handle)
    """
)


def test_crash_mid_transaction_leaves_no_partial_object(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    net = nat_network(engine)
    done = subprocess.run(
        [sys.executable, "-c", _CRASH, engine.state_path, net], capture_output=True, timeout=60
    )
    assert done.returncode == 7, done.stderr.decode()
    assert ids(engine, "Endpoint") == []
    conn = sqlite3.connect(engine.state_path)
    assert conn.execute("SELECT COUNT(*) FROM addresses").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM macs").fetchone()[0] == 0
    conn.close()
    ep = create(engine, "Endpoint", {}, net)
    assert get(engine, "Endpoint", ep)["IpConfigurations"][0]["IpAddress"] == "10.0.0.2"


def test_an_older_layout_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE objects (id TEXT)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    engine = Engine(state_path=str(path), version=DEFAULT_SIMULATED_VERSION, faults="")
    assert ids(engine, "Network") == []
    nat_network(engine)
    engine.shutdown()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == state.SCHEMA_VERSION
    conn.close()
