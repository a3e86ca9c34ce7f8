"""The simulator's Linux datapath: HNS state mirrored into network namespaces (opt-in).

With ``HCNPY_SIM_DATAPATH=netns`` (Linux, root, ``ip``/``nft``/``nsenter``) every change to the
simulated HNS is mirrored into the kernel, so containers attached by the plugins can really
talk: see ``docs/hcnpy/datapath.md``. This module stays light: the engine imports it in every
plugin process, and the datapath itself is loaded only when switched on.
"""

from __future__ import annotations

import os

from .errors import DatapathError, DatapathUnavailable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from .datapath import Datapath

__all__ = [
    "DATAPATH_ENV",
    "MODES",
    "DatapathError",
    "DatapathUnavailable",
    "from_environment",
    "open_datapath",
]

#: The environment variable that switches the datapath on.
DATAPATH_ENV = "HCNPY_SIM_DATAPATH"
#: Its values: ``netns`` (namespaces, veths, nftables); empty or ``off`` for none.
MODES = ("netns", "off")


def open_datapath(state_path: str | None = None) -> Datapath:
    """The datapath of the instance of ``state_path`` (default: ``$HCNPY_SIM_STATE``, …).

    Raises :class:`DatapathUnavailable` naming what this machine lacks.
    """
    from ..state import resolve_state_path
    from .datapath import Datapath

    return Datapath.open(resolve_state_path(state_path))


def from_environment(
    state_path: str | None = None, environ: Mapping[str, str] | None = None
) -> Datapath | None:
    """The datapath ``$HCNPY_SIM_DATAPATH`` asks for, or ``None`` when it is unset or ``off``.

    Raises :class:`DatapathUnavailable` when it is set to ``netns`` but this machine cannot run
    it (not Linux, not root, a program missing), or to something else.
    """
    mode = (os.environ if environ is None else environ).get(DATAPATH_ENV, "").strip().lower()
    if mode in ("", "off"):
        return None
    if mode != "netns":
        raise DatapathUnavailable(f"{DATAPATH_ENV}={mode!r}: want 'netns' or 'off'")
    return open_datapath(state_path)
