"""``examples/acl_block_allow.py --datapath``: the ACL example with real pings."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from hcnpy.sim.datapath.names import instance_tag, list_netns

from ..plugins.wp_harness import EXAMPLES
from .conftest import UNAVAILABLE


@pytest.mark.skipif(UNAVAILABLE is not None, reason=UNAVAILABLE or "")
def test_acl_example_pings_through_the_kernel() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNI_", "HCNPY_"))}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "acl_block_allow.py"), "--datapath"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sections = proc.stdout.split("\n--- ")
    pings = [re.findall(r"ping (\w+) -> web \S+: (ok|no answer)", s) for s in sections[1:4]]
    assert pings == [
        [("friend", "ok"), ("stranger", "ok")],
        [("friend", "ok"), ("stranger", "no answer")],
        [("friend", "ok"), ("stranger", "ok")],
    ]
    state = proc.stdout.split("state in ", 1)[1].split()[0]
    prefix = f"hcnsim-{instance_tag(state)}-"
    assert not [name for name in list_netns() if name.startswith(prefix)]  # it cleaned up
