"""The datapath's two failures: it cannot run here, or the kernel refused a change."""

from __future__ import annotations

from .. import rules as R
from ..rules import HnsFailure

__all__ = ["DatapathError", "DatapathUnavailable"]


class DatapathUnavailable(RuntimeError):
    """``HCNPY_SIM_DATAPATH=netns`` was asked for, but this machine cannot run it.

    The message names what is missing: Linux, root, or one of the programs ``ip``, ``nft``,
    ``nsenter`` (with the Debian package that has it).
    """


class DatapathError(HnsFailure):
    """A change could not be mirrored into the kernel; the HNS call fails with ``E_FAIL``.

    Raised inside the engine's write transaction, so the call is rolled back: the simulated
    HNS never holds an object the kernel could not be made to follow.
    """

    def __init__(self, message: str) -> None:
        super().__init__(R.DATAPATH_REFUSED, message)
