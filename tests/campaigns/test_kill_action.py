"""The ``kill`` and ``kill-after`` fault actions: parsed, decided, and really fatal.

``kill`` SIGKILLs the calling process when the call starts (HNS has not acted), ``kill-after``
once the call committed (HNS acted, the caller never hears of it).
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcnpy.sim.faults import (
    FUNCTIONS,
    KILL_AFTER,
    KILL_BEFORE,
    FaultInjector,
    FaultRule,
    parse_faults,
)

from ..plugins.wp_harness import BIN
from ..suite_env import environ_without
from .invariants import integrity_problems, stray_processes


@pytest.mark.parametrize(
    ("spec", "rule"),
    [
        ("HcnCreateEndpoint=kill", FaultRule("HcnCreateEndpoint", kill=KILL_BEFORE)),
        ("HcnCreateEndpoint=kill@1", FaultRule("HcnCreateEndpoint", first=1, last=1, kill="kill")),
        ("HcnModifyNamespace = KILL-AFTER @ 2+",
         FaultRule("HcnModifyNamespace", first=2, kill=KILL_AFTER)),
        ("HcnDeleteEndpoint=stall:20,kill-after@1-3",
         FaultRule("HcnDeleteEndpoint", None, 20, 1, 3, KILL_AFTER)),
        ("*=kill@7", FaultRule("*", first=7, last=7, kill=KILL_BEFORE)),
    ],
)  # fmt: skip
def test_parse_kill_actions(spec: str, rule: FaultRule) -> None:
    assert parse_faults(spec) == (rule,)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("HcnCreateEndpoint=kill,E_FAIL", "'kill' and an HRESULT in one entry"),
        ("HcnCreateEndpoint=E_FAIL,kill-after", "'kill-after' and an HRESULT in one entry"),
        ("HcnCreateEndpoint=kill,kill-after", "more than one kill action"),
        ("HcnCreateEndpoint=kill,kill", "more than one kill action"),
        ("HcnCreateEndpoint=kill-before", "neither an HRESULT number"),
        ("HcnCreateEndpoint=kill@0", "start at 1"),
    ],
)
def test_parse_rejects_bad_kill_entries(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_faults(spec)


def test_kill_rules_differ_from_plain_ones() -> None:
    assert FaultRule("HNSCall", kill=KILL_BEFORE) != FaultRule("HNSCall")
    assert FaultRule("HNSCall", kill=KILL_BEFORE) != FaultRule("HNSCall", kill=KILL_AFTER)
    assert "kill='kill-after'" in repr(FaultRule("HNSCall", kill=KILL_AFTER))


def test_injector_decides_kills_per_call() -> None:
    injector = FaultInjector(
        parse_faults("HcnOpenNetwork=kill-after@2;HcnOpenNetwork=kill@3;HcnOpenNetwork=E_FAIL@3+")
    )
    verdicts = [injector.on_call("HcnOpenNetwork") for _ in range(4)]
    assert [(v.kill, v.hresult) for v in verdicts] == [
        (None, None), (KILL_AFTER, None), (KILL_BEFORE, 0x80004005), (None, 0x80004005)
    ]  # fmt: skip
    # kill (before) wins over kill-after whatever the order of the entries.
    both = FaultInjector(parse_faults("HNSCall=kill-after;HNSCall=kill"))
    assert both.on_call("HNSCall").kill == KILL_BEFORE
    assert "kill='kill'" in repr(both.on_call("HNSCall"))


# -- property: any entry the grammar allows parses to the rule it spells ---------------------

_functions = st.sampled_from(sorted(FUNCTIONS | {"*"}))
_when = st.one_of(
    st.none(),
    st.integers(1, 50).map(lambda n: (n, n)),
    st.integers(1, 50).map(lambda n: (n, None)),
    st.tuples(st.integers(1, 50), st.integers(0, 50)).map(lambda t: (t[0], t[0] + t[1])),
)


@given(
    function=_functions,
    stall=st.one_of(st.none(), st.integers(0, 600_000)),
    fatal=st.one_of(st.none(), st.sampled_from([KILL_BEFORE, KILL_AFTER]), st.integers(1, 9)),
    when=_when,
    upper=st.booleans(),
    kill_first=st.booleans(),
)
def test_property_entries_round_trip(
    function: str,
    stall: int | None,
    fatal: str | int | None,
    when: tuple[int, int | None] | None,
    upper: bool,
    kill_first: bool,
) -> None:
    hresults = {1: 0x80004005, 2: 0x8000FFFF, 3: 0x803B0013, 4: 0x80070005, 5: 0x800705B4,
                6: 0x803B002E, 7: 0x8007000E, 8: 0x803B0018, 9: 0x8007001F}  # fmt: skip
    actions = [] if stall is None else [f"stall:{stall}"]
    kill: str | None = None
    hresult: int | None = None
    if isinstance(fatal, str):
        kill = fatal
        word = fatal.upper() if upper else fatal
        actions = [word, *actions] if kill_first else [*actions, word]
    elif fatal is not None:
        hresult = hresults[fatal]
        actions.append(f"0x{hresult:08X}")
    if not actions:
        actions = ["stall:0"]
    spec = f"{function}={','.join(actions)}"
    first, last = 1, None
    if when is not None:
        first, last = when
        upto = "+" if last is None else "" if last == first else f"-{last}"
        spec += f"@{first}{upto}"
    assert parse_faults(spec) == (FaultRule(function, hresult, stall or 0, first, last, kill),)


# -- process level: the process really dies, at the right moment -------------------------------


def _hcnpy(state: Path, faults: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = environ_without("HCNPY_", "CNI_")
    env.update(HCNPY_BACKEND="sim", HCNPY_SIM_STATE=str(state), HCNPY_SIM_FAULTS=faults)
    return subprocess.run(
        [str(BIN / "hcnpy"), *args], env=env, capture_output=True, timeout=60, check=False
    )


def _network_names(state: Path) -> list[str]:
    listed = _hcnpy(state, "", "network", "list", "--json")
    assert listed.returncode == 0, listed
    return [n["Name"] for n in json.loads(listed.stdout)]


@pytest.mark.parametrize(("action", "committed"), [("kill", False), ("kill-after", True)])
def test_kill_through_the_stand_in_library(tmp_path: Path, action: str, committed: bool) -> None:
    """The hcnpy CLI over the C stand-in dies with SIGKILL; HNS acted only for kill-after."""
    state = tmp_path / "hns.db"
    assert _network_names(state) == []
    create = ("network", "create", "--name", "n1")
    died = _hcnpy(state, f"HcnCreateNetwork={action}@1", *create)
    assert died.returncode == -signal.SIGKILL, died
    assert died.stdout == b"" and b"Traceback" not in died.stderr
    assert _network_names(state) == (["n1"] if committed else [])
    assert integrity_problems(state) == []
    assert stray_processes(state) == []
    # Only the numbered call dies: a later process (its own count) goes through.
    again = _hcnpy(state, f"HcnCreateNetwork={action}@2", *create[:3], "n2")
    assert again.returncode == 0, again
    assert sorted(_network_names(state)) == (["n1", "n2"] if committed else ["n2"])


def test_kill_after_a_failed_call(tmp_path: Path) -> None:
    """An injected failure and a kill-after on the same call: nothing done, process dead."""
    state = tmp_path / "hns.db"
    faults = "HcnCreateNetwork=E_FAIL@1;HcnCreateNetwork=kill-after@1"
    died = _hcnpy(state, faults, "network", "create", "--name", "n1")
    assert died.returncode == -signal.SIGKILL, died
    assert _network_names(state) == []
