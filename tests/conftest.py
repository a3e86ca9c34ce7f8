"""The whole suite leaves no Linux network namespace of the simulator's datapath behind, and
no simulator service running.

Every test that turns the datapath on cleans its instance up (``tests/datapath/conftest.py``
checks each one); this hook catches the others: examples, the demo, anything that mirrors
HNS state into the kernel as a side effect. It runs once, in the process that started pytest
(with ``-n``, after every worker finished), and fails the run naming what is left.

The suite's simulator services live in a runtime directory of their own
(``HCNPY_SIM_RUNTIME_DIR``, inherited by the workers), never a developer's; at the end they are
stopped rather than left to idle out.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile

import pytest

_PREFIX = "hcnsim-"
_BEFORE = pytest.StashKey[set[str] | None]()
_RUNTIME = pytest.StashKey[str]()


def _simulator_namespaces() -> set[str] | None:
    """The datapath's namespaces on this machine, or ``None`` where it cannot have any."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("ip") is None:
        return None
    from hcnpy.sim.datapath.names import list_netns

    return {name for name in list_netns() if name.startswith(_PREFIX)}


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # a pytest-xdist worker, not the controller


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _is_worker(session.config):
        session.config.stash[_BEFORE] = _simulator_namespaces()
        runtime = tempfile.mkdtemp(prefix="hcnpy-sim-tests-")
        session.config.stash[_RUNTIME] = runtime
        os.environ["HCNPY_SIM_RUNTIME_DIR"] = runtime
        os.environ.pop("HCNPY_SIM_SOCKET", None)


def _stop_services(runtime: str) -> None:
    for name in os.listdir(runtime):
        if name.endswith(".sock.pid"):
            try:
                with open(os.path.join(runtime, name)) as handle:
                    os.kill(int(handle.read()), signal.SIGTERM)
            except (OSError, ValueError):
                pass  # it left by itself meanwhile
    shutil.rmtree(runtime, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _is_worker(session.config):
        return
    runtime = session.config.stash.get(_RUNTIME, None)
    if runtime is not None:
        _stop_services(runtime)
    before = session.config.stash.get(_BEFORE, None)
    after = _simulator_namespaces()
    if before is None or after is None:
        return
    left = sorted(after - before)
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"the suite left {len(left)} datapath namespace(s) behind: {', '.join(left)}"
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

