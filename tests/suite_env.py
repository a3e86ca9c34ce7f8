"""The environment a test hands to the processes it starts (plugins, tools, the demo)."""

from __future__ import annotations

import os

#: The directory of this test run's simulator services (set by ``tests/conftest.py``). It is
#: kept when a test clears ``HCNPY_*``, so every service the suite starts is stopped with it.
RUNTIME_DIR = "HCNPY_SIM_RUNTIME_DIR"


def environ_without(*prefixes: str) -> dict[str, str]:
    """``os.environ`` without the variables whose names start with ``prefixes``."""
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes) or k == RUNTIME_DIR}
