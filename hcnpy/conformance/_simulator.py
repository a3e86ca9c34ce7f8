"""A private simulated HNS pinned to one version, for ``--compare`` (and tests)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["pinned_simulator"]

#: The simulator's datapath switch (``hcnpy.sim.datapath.DATAPATH_ENV``; not imported here,
#: the datapath package is only needed when it is on).
_DATAPATH_ENV = "HCNPY_SIM_DATAPATH"


@contextmanager
def pinned_simulator(version: str) -> Iterator[str]:
    """Inside the block, the ``sim`` backends of this process answer as an empty simulated
    HNS of ``version`` (``MAJOR.MINOR``), on a throwaway state file; yields its directory.

    The simulator's Linux datapath is off inside (its refusals are not HNS behaviour). The
    simulator's own settings (``HCNPY_SIM_STATE``, ``HCNPY_SIM_HNS_VERSION``,
    ``HCNPY_SIM_DATAPATH``) are restored afterwards; ``HCNPY_SIM_FAULTS`` stays in force.
    ``ValueError`` for a malformed version.
    """
    from ..sim import engine
    from ..sim.state import STATE_ENV, VERSION_ENV
    from ..sim.versions import SimVersion

    pinned = SimVersion.parse(version)
    saved = {name: os.environ.get(name) for name in (STATE_ENV, VERSION_ENV, _DATAPATH_ENV)}
    with tempfile.TemporaryDirectory(prefix="hcnpy-conformance-") as directory:
        os.environ[STATE_ENV] = os.path.join(directory, "hns.sqlite3")
        os.environ[VERSION_ENV] = str(pinned)
        os.environ[_DATAPATH_ENV] = "off"
        engine.reset_engine()
        try:
            yield directory
        finally:
            engine.reset_engine()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
