"""pytest support for code that talks to HNS: every test gets its own simulated HNS.

Installed with hcnpy as a pytest plugin (entry point ``pytest11``), so in any project that
``pip install``-ed hcnpy a test just asks for the fixture::

    def test_my_plugin_adds_an_endpoint(simulated_hns):
        network = simulated_hns.ops.create_network({"Name": "nat", "Type": "NAT"})
        run_my_plugin(env=simulated_hns.env, ...)        # a subprocess sees the same HNS
        assert simulated_hns.objects("Endpoint")
        ...
        simulated_hns.assert_no_leaks()                  # nothing left, handles closed

The fixture points ``HCNPY_SIM_STATE`` at a fresh state file in the test's temporary
directory (for this process and, through :attr:`SimulatedHns.env`, for the processes it
starts), uses the ``sim`` backend (the stand-in library, the same C path as Windows), and
undoes everything afterwards. :meth:`SimulatedHns.inject_faults` and
:meth:`SimulatedHns.set_version` change how the simulated HNS behaves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._cdef import KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .client import Client
    from .ops import Ops

__all__ = ["SimulatedHns", "assert_no_leaks", "simulated_hns"]

#: The variables the fixture owns (cleared first, so the caller's settings cannot leak in).
_OWNED = (
    "HCNPY_BACKEND",
    "HCNPY_SIM_STATE",
    "HCNPY_SIM_FAULTS",
    "HCNPY_SIM_HNS_VERSION",
    "HCNPY_TRACE",
)


class SimulatedHns:
    """One test's simulated HNS: its state file, its environment, and helpers on it."""

    def __init__(self, state_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
        #: The state file every process using :attr:`env` shares.
        self.state_path = state_path
        #: ``"sim"`` (the stand-in C library) or ``"sim-inprocess"``.
        self.backend = backend
        self._monkeypatch = monkeypatch
        self._ops: Ops | None = None
        self._baseline: dict[str, list[str]] = {}

    @property
    def env(self) -> dict[str, str]:
        """The whole environment for a subprocess (a plugin) that must see this HNS."""
        return dict(os.environ)

    @property
    def ops(self) -> Ops:
        """:class:`hcnpy.ops.Ops` on this HNS (plain dicts: what CNI plugins use)."""
        if self._ops is None:
            from .ops import connect

            self._ops = connect(self.backend)
        return self._ops

    @property
    def client(self) -> Client:
        """The typed client (:class:`hcnpy.client.Client`) on this HNS."""
        from .client import Client

        return Client(self.ops)

    def inject_faults(self, spec: str | None) -> None:
        """Make HNS calls fail or stall (``HCNPY_SIM_FAULTS`` syntax, e.g.
        ``"HcnCreateEndpoint=HCN_E_PORT_ALREADY_EXISTS@1"``); ``None`` removes them. Call
        counts start again from 1, here and in processes started afterwards."""
        self._set("HCNPY_SIM_FAULTS", spec)

    def set_version(self, version: str | None) -> None:
        """The HNS version the simulator reports (``"15.4"``); ``None`` for the default."""
        self._set("HCNPY_SIM_HNS_VERSION", version)

    def objects(self, kind: str) -> list[str]:
        """IDs of every object of ``kind`` (``"Network"``, ``"Endpoint"``, ...), oldest first."""
        from .handles import ObjectKind

        return self.ops.library.enumerate(ObjectKind(kind), "{}")

    def baseline(self) -> None:
        """Remember every object that exists now (the test's own set-up, say a network and a
        namespace): :meth:`assert_no_leaks` then leaves them alone."""
        from ._cdef import KINDS

        self._baseline = {kind: self.objects(kind) for kind in KINDS}

    def assert_no_leaks(self, *, keep: dict[str, list[str]] | None = None) -> None:
        """Fail unless every object was deleted (except those of :meth:`baseline` and those
        in ``keep``: kind -> IDs) and, in this process, every handle was closed and every
        string HNS returned was freed."""
        allowed = {kind: list(ids) for kind, ids in self._baseline.items()}
        for kind, ids in (keep or {}).items():
            allowed.setdefault(kind, []).extend(ids)
        assert_no_leaks(self, keep=allowed)

    def _set(self, name: str, value: str | None) -> None:
        if value is None:
            self._monkeypatch.delenv(name, raising=False)
        else:
            self._monkeypatch.setenv(name, value)
        _restart()


def _restart() -> None:
    """Make this process's simulated HNS re-read the environment on its next call."""
    from .ops import clear_version_cache
    from .sim.engine import reset_engine

    reset_engine()
    clear_version_cache()


def assert_no_leaks(hns: SimulatedHns, *, keep: dict[str, list[str]] | None = None) -> None:
    """See :meth:`SimulatedHns.assert_no_leaks`."""
    left = {}
    for kind in KINDS:
        allowed = set((keep or {}).get(kind, []))
        extra = [oid for oid in hns.objects(kind) if oid not in allowed]
        if extra:
            left[kind] = extra
    assert not left, f"HNS objects left behind: {left}"
    counters = hns.ops.library.leak_counters()
    if counters is not None:
        handles, strings = counters
        assert handles == 0, f"{handles} HCN handle(s) were not closed"
        assert strings == 0, f"{strings} string(s) HNS returned were not freed"


@pytest.fixture()
def simulated_hns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimulatedHns]:
    """A fresh simulated HNS for this test (see :class:`SimulatedHns`)."""
    for name in _OWNED:
        monkeypatch.delenv(name, raising=False)
    backend = os.environ.get("HCNPY_TESTING_BACKEND", "sim")
    state = tmp_path / "hcnpy-sim" / "hns.sqlite3"
    monkeypatch.setenv("HCNPY_BACKEND", backend)
    monkeypatch.setenv("HCNPY_SIM_STATE", str(state))
    _restart()
    try:
        yield SimulatedHns(state, backend, monkeypatch)
    finally:
        _restart()
