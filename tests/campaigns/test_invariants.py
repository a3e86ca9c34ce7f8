"""The campaigns' checker catches what it claims to (a silent checker would pass anything)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..plugins.wp_harness import Outcome
from .invariants import (
    ABSENT,
    ADDED,
    DELETING,
    Attachment,
    World,
    allocations_under,
    check_world,
    held_addresses,
    integrity_problems,
    output_problems,
)

NET_ID = "0a0a0a0a-0000-0000-0000-000000000001"
NS, OTHER_NS = "0b0b0b0b-0000-0000-0000-000000000001", "0b0b0b0b-0000-0000-0000-000000000002"
EP = "0c0c0c0c-0000-0000-0000-000000000001"


def endpoint(name: str = "c1_natNet", ep: str = EP, ip: str = "10.0.0.2") -> dict[str, Any]:
    return {"ID": ep, "Name": name, "HostComputeNetwork": NET_ID,
            "IpConfigurations": [{"IpAddress": ip, "PrefixLength": 16}]}  # fmt: skip


def world(endpoints: list[dict[str, Any]], attached: dict[str, list[str]],
          held: dict[tuple[str, str], tuple[str, str]]) -> World:  # fmt: skip
    return World({NET_ID: "natNet"}, endpoints, attached, held)


GOOD: dict[str, Any] = {
    "endpoints": [endpoint()],
    "attached": {NS: [EP], OTHER_NS: []},
    "held": {("natNet", "10.0.0.2"): ("c1", "eth0")},
}


def added(**kw: Any) -> Attachment:
    return Attachment("c1", "natNet", NS, state=ADDED, address="10.0.0.2", **kw)


def test_a_consistent_world_passes() -> None:
    assert check_world(world(**GOOD), [added()]) == []
    assert check_world(world([], {NS: []}, {}), [Attachment("c1", "natNet", NS)]) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"endpoints": []}, "0 endpoints named c1_natNet"),
        ({"endpoints": [endpoint(), endpoint(ep="0c0c0c0c-0000-0000-0000-000000000002")]},
         "2 endpoints named"),
        ({"attached": {NS: [], OTHER_NS: []}}, "endpoint attached to []"),
        ({"attached": {NS: [], OTHER_NS: [EP]}}, "attached to ['0b0b0b0b"),
        ({"endpoints": [endpoint(ip="10.0.0.9")]}, "the ADD result 10.0.0.2"),
        ({"held": {}}, "host-local holds [] for it"),
        ({"held": {("natNet", "10.0.0.2"): ("c1", "eth0"), ("natNet", "10.0.0.3"): ("c1", "eth0")}},
         "holds 2 addresses"),
        ({"held": {("natNet", "10.0.0.2"): ("c1", "eth0"), ("natNet", "10.0.0.7"): ("c9", "eth0")}},
         "10.0.0.7 on natNet for c9/eth0, which has no attachment"),
        ({"endpoints": [endpoint(), endpoint("stray_natNet", "0c0c0c0c-0000-0000-0000-00000000000f",
                                             "10.0.0.8")]}, "stray_natNet"),
        ({"attached": {NS: [EP, "0c0c0c0c-0000-0000-0000-0000000000ff"], OTHER_NS: []}},
         "does not exist"),
        ({"endpoints": [endpoint(), endpoint("c2_natNet", "0c0c0c0c-0000-0000-0000-00000000000e")]},
         "address 10.0.0.2 on two endpoints"),
    ],
)  # fmt: skip
def test_each_rule_is_enforced(change: dict[str, Any], expected: str) -> None:
    problems = check_world(world(**{**GOOD, **change}), [added()])
    assert any(expected in p for p in problems), problems


def test_absent_and_deleting() -> None:
    absent = Attachment("c1", "natNet", NS, state=ABSENT)
    problems = check_world(world(**GOOD), [absent])
    assert any("endpoint c1_natNet exists" in p for p in problems)
    assert any("still holds ['10.0.0.2']" in p for p in problems)
    dying = Attachment("c1", "natNet", NS, state=DELETING)
    assert check_world(world(**GOOD), [dying]) == []
    assert check_world(world([], {NS: []}, GOOD["held"]), [dying]) == []
    detached = world(GOOD["endpoints"], {NS: []}, {})
    assert check_world(detached, [dying]) == []
    elsewhere = world(GOOD["endpoints"], {NS: [], OTHER_NS: [EP]}, {})
    assert any("not only to" in p for p in check_world(elsewhere, [dying]))


def outcome(code: int, stdout: bytes, stderr: bytes = b"") -> Outcome:
    return Outcome(["x"], subprocess.CompletedProcess(["x"], code, stdout, stderr))


@pytest.mark.parametrize(
    ("verb", "code", "stdout", "stderr", "expected"),
    [
        ("ADD", 0, b'{"cniVersion": "1.0.0"}', b"", None),
        ("DEL", 0, b"", b"", None),
        ("DEL", 1, b'{"code": 11, "msg": "try again", "details": "x"}', b"", None),
        ("ADD", -9, b"", b"", None),
        ("ADD", 0, b"", b"", "without a result object"),
        ("DEL", 0, b"{}", b"", "succeeded but printed"),
        ("ADD", 1, b"boom", b"", "not JSON"),
        ("ADD", 1, b"", b"", "without an error object"),
        ("ADD", 1, b'{"code": "7", "msg": "x"}', b"", "not a positive integer"),
        ("ADD", 1, b'{"code": true, "msg": "x"}', b"", "not a positive integer"),
        ("ADD", 1, b'{"code": 7, "msg": null}', b"", "msg None is not a string"),
        ("ADD", 1, b'{"code": 7, "msg": "x", "details": 3}', b"", "details 3"),
        ("ADD", 1, b'{"code": 7, "msg": "x"}', b"Traceback (most recent call last):", "traceback"),
    ],
)  # fmt: skip
def test_output_rules(
    verb: str, code: int, stdout: bytes, stderr: bytes, expected: str | None
) -> None:
    problems = output_problems(outcome(code, stdout, stderr), verb)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


@given(code=st.integers(1, 2**31), msg=st.text(), details=st.none() | st.text())
def test_property_any_well_formed_error_passes(code: int, msg: str, details: str | None) -> None:
    error: dict[str, Any] = {"code": code, "msg": msg}
    if details is not None:
        error["details"] = details
    assert output_problems(outcome(1, json.dumps(error).encode()), "ADD") == []


@given(junk=st.binary(max_size=50).filter(lambda b: b.strip() != b""))
def test_property_junk_on_stdout_is_caught(junk: bytes) -> None:
    try:
        data = json.loads(junk)
    except ValueError:
        data = None
    problems = output_problems(outcome(1, junk), "ADD")
    if not (isinstance(data, dict) and isinstance(data.get("code"), int)):
        assert problems


def test_host_local_files_and_integrity(tmp_path: Path) -> None:
    net = tmp_path / "ipam" / "natNet"
    net.mkdir(parents=True)
    (net / "lock").write_bytes(b"")
    (net / "last_reserved_ip.0").write_bytes(b"10.0.0.2")
    (net / "10.0.0.2").write_bytes(b"c1\r\neth0")
    (net / "10.0.0.3").write_bytes(b"\xff\xfe")
    held, unreadable = held_addresses(tmp_path / "ipam")
    assert held == {("natNet", "10.0.0.2"): ("c1", "eth0")}
    assert unreadable == [str(net / "10.0.0.3")]
    found = allocations_under(tmp_path)
    assert any("10.0.0.2 on natNet for c1/eth0" in f for f in found), found
    assert integrity_problems(tmp_path / "missing.db") == []
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (problem,) = integrity_problems(broken)
    assert "malformed" in problem or "not a database" in problem
