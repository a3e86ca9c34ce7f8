"""The randomized campaign (see ``campaign.py``): random ADD/CHECK/DEL/GC over 20 containers
on two networks with random HCN faults, every invariant checked after every step.

Environment: ``WINPLUGINS_SOAK_STEPS`` (total steps, default 300), split over
``WINPLUGINS_CAMPAIGN_CHUNKS`` independent campaigns (default 2, one per xdist worker);
``WINPLUGINS_CAMPAIGN_SEED`` (the first campaign's seed, the next ones count up; default
20260; ``random`` draws fresh seeds); ``WINPLUGINS_CAMPAIGN_REPORTS`` (a directory: each
campaign writes its report there as JSON, for ``python -m tests.campaigns.report``).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from ..plugins.wp_harness import Sim, have_host_local
from .campaign import Campaign, Settings, summary
from .scenarios import traced_sequences

pytestmark = pytest.mark.skipif(not have_host_local(), reason="make system-deps installs it")

DEFAULT_SEED = 20260
STEPS = int(os.environ.get("WINPLUGINS_SOAK_STEPS") or 300)
CHUNKS = max(1, int(os.environ.get("WINPLUGINS_CAMPAIGN_CHUNKS") or 2))


def chunk_seed(chunk: int) -> int:
    configured = os.environ.get("WINPLUGINS_CAMPAIGN_SEED", "").strip()
    if configured == "random":
        return random.SystemRandom().randrange(1, 2**31)
    return (int(configured) if configured else DEFAULT_SEED) + chunk


def chunk_steps(chunk: int) -> int:
    return STEPS // CHUNKS + (1 if chunk < STEPS % CHUNKS else 0)


@pytest.fixture(scope="module")
def sequences() -> dict[str, list[tuple[str, int]]]:
    return traced_sequences()


@pytest.mark.parametrize("chunk", range(CHUNKS), ids=lambda c: f"campaign{c}")
def test_random_campaign(sim: Sim, chunk: int, sequences: dict[str, list[tuple[str, int]]]) -> None:
    seed, steps = chunk_seed(chunk), chunk_steps(chunk)
    print(f"campaign seed {seed}, {steps} steps")
    report = Campaign(sim, Settings(seed=seed, steps=steps), sequences).run()
    reports = os.environ.get("WINPLUGINS_CAMPAIGN_REPORTS")
    if reports:
        Path(reports).mkdir(parents=True, exist_ok=True)
        (Path(reports) / f"campaign-{seed}.json").write_text(json.dumps(report.as_dict()))
    replay = (f"replay: WINPLUGINS_CAMPAIGN_SEED={seed} WINPLUGINS_SOAK_STEPS={steps} "
              "WINPLUGINS_CAMPAIGN_CHUNKS=1 .venv/bin/python -m pytest -q "
              "tests/campaigns/test_random_campaign.py")  # fmt: skip
    assert report.violations == 0, f"{summary([report])}\n{replay}"
    assert report.tracebacks == 0, f"{summary([report])}\n{replay}"
    assert report.leftovers == [], f"{summary([report])}\n{replay}"
