"""The worked examples: ``examples/acl_block_allow.py --datapath`` and the docs page's test."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hcnpy.sim.datapath.names import instance_tag, list_netns

from ..plugins.wp_harness import EXAMPLES
from ..suite_env import environ_without
from .conftest import UNAVAILABLE
from .dp_harness import Lab


@pytest.mark.skipif(UNAVAILABLE is not None, reason=UNAVAILABLE or "")
def test_acl_example_pings_through_the_kernel() -> None:
    env = environ_without("CNI_", "HCNPY_")
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


def test_the_docs_pages_example_runs(lab: Lab) -> None:
    page = Path(__file__).parents[2] / "docs" / "hcnpy" / "datapath.md"
    (block,) = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    namespace: dict[str, Any] = {"Lab": Lab}
    exec(compile(block, str(page), "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0](lab)
