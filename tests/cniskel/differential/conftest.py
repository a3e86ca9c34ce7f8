"""Fixtures for the differential tests against the Go reference library."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .goref import ORACLE, REFPLUGIN, Oracle, require

# `make soak` sets CNISKEL_SOAK: many more cases per area, same tests.
settings.register_profile(
    "differential",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "differential-soak",
    max_examples=int(os.environ.get("CNISKEL_SOAK", "0") or 0) or 5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "differential-soak" if os.environ.get("CNISKEL_SOAK") else "differential"


@pytest.fixture(scope="session")
def oracle() -> Iterator[Oracle]:
    """The Go oracle process (shared by every test of a worker)."""
    instance = Oracle(require(ORACLE))
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def refplugin() -> Path:
    """The Go reference plugin built on skel."""
    return require(REFPLUGIN)
