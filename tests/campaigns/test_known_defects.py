"""Plugin defects the campaigns found: the smallest reproducer of each, kept as a test.

While a defect is open its test is marked ``xfail(strict=True)`` with the reproducer as the
reason, and the campaign does not inject that fault (``campaign.KNOWN_DEFECTS``); the fix turns
the xfail into an XPASS, which fails the suite until the marker and the entry are removed.
"""

from __future__ import annotations

import pytest

from ..plugins.wp_harness import Sim, have_host_local
from .campaign import KNOWN_DEFECTS
from .invariants import ABSENT, ADDED, Attachment, World, check_world, output_problems
from .scenarios import NETWORK, PLUGIN, SUBNET, add_conf

pytestmark = pytest.mark.skipif(not have_host_local(), reason="make system-deps installs it")


def test_failed_close_network_after_a_complete_add(sim: Sim) -> None:
    """Found by the campaign (fixed): HcnCloseNetwork failing after the endpoint was created
    and attached failed the ADD (code 66) but left the endpoint attached and the address held.
    A failed ADD leaves nothing; or, if a failed close is not worth failing the ADD for, the
    ADD succeeds with everything in place. Either is CNI; half of each is not."""
    assert "HcnCloseNetwork" not in KNOWN_DEFECTS.get("ADD", ())
    sim.network(NETWORK, "NAT", [SUBNET])
    namespace = sim.namespace()
    out = sim.add(PLUGIN, add_conf(sim), netns=namespace,
                  env={"HCNPY_SIM_FAULTS": "HcnCloseNetwork=E_FAIL@1"})  # fmt: skip
    assert output_problems(out, "ADD") == [], out
    state = ADDED if out.ok else ABSENT
    attachment = Attachment("c1", NETWORK, namespace, state=state, address="".join(out.ips()))
    assert check_world(World.observe(sim), [attachment]) == [], out
