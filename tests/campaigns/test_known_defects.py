"""Plugin defects the campaigns found, pinned as strict xfails until the plugins are fixed.

Each case is the smallest reproducer of a campaign finding. The campaign itself does not inject
the fault while the defect is open (``campaign.KNOWN_DEFECTS``); when a fix lands the xfail
turns into an XPASS, which fails the suite: remove the marker and the ``KNOWN_DEFECTS`` entry.
"""

from __future__ import annotations

import pytest

from ..plugins.wp_harness import Sim, have_host_local
from .campaign import KNOWN_DEFECTS
from .invariants import ABSENT, ADDED, Attachment, World, check_world, output_problems
from .scenarios import NETWORK, PLUGIN, SUBNET, add_conf

pytestmark = pytest.mark.skipif(not have_host_local(), reason="make system-deps installs it")


@pytest.mark.xfail(
    strict=True,
    reason="winplugins ADD: HcnCloseNetwork failing after the endpoint was created and attached "
    "fails the ADD (code 66) but leaves the endpoint attached and the host-local address held: "
    "Operation.add closes the network handle in a finally that the undo of create() does not "
    "cover. Reproducer: nat on a NAT network, host-local IPAM, "
    "HCNPY_SIM_FAULTS=HcnCloseNetwork=E_FAIL@1, ADD.",
)
def test_failed_close_network_leaves_the_endpoint(sim: Sim) -> None:
    """A failed ADD leaves nothing; or, if a failed close is not worth failing the ADD for,
    the ADD succeeds with everything in place. Either is CNI; half of each is not."""
    assert "HcnCloseNetwork" in KNOWN_DEFECTS["ADD"]
    sim.network(NETWORK, "NAT", [SUBNET])
    namespace = sim.namespace()
    out = sim.add(PLUGIN, add_conf(sim), netns=namespace,
                  env={"HCNPY_SIM_FAULTS": "HcnCloseNetwork=E_FAIL@1"})  # fmt: skip
    assert output_problems(out, "ADD") == [], out
    state = ADDED if out.ok else ABSENT
    attachment = Attachment("c1", NETWORK, namespace, state=state, address="".join(out.ips()))
    assert check_world(World.observe(sim), [attachment]) == [], out
