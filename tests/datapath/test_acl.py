"""ACL policies -> the datapath's rules: parsing, HNS's ordering semantics, nftables text.

Unit and property tests of :mod:`hcnpy.sim.datapath.acl` (the semantics with real packets are
in ``test_connectivity.py``). The generated tables are also fed to ``nft --check`` inside a
scratch namespace, so every rule the properties produce is one the kernel accepts.
"""

from __future__ import annotations

import ipaddress
import random
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hcnpy.sim.datapath import acl
from hcnpy.sim.datapath.acl import AclRule, Packet, decide, ordered, parse_acls, rule_lines
from hcnpy.sim.datapath.errors import DatapathError

from .conftest import UNAVAILABLE

A = ipaddress.ip_address


def rules(*settings: dict[str, Any]) -> list[AclRule]:
    return parse_acls([{"Type": "ACL", "Settings": s} for s in settings], "endpoint e")


def packet(direction: str = "In", protocol: int = 1, remote: str = "10.0.0.9", **kw: Any) -> Packet:
    return Packet(direction, protocol, A("10.0.0.2"), A(remote), **kw)


# -- parsing ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), (None, None), ("256", None), ("6, 256", None), ("6,17", {6, 17}), ("1", {1})],
)
def test_protocols(text: str | None, expected: set[int] | None) -> None:
    assert acl.parse_protocols(text, "x") == (frozenset(expected) if expected else None)


@pytest.mark.parametrize("text", ["tcp", "300", "-1", "6;17"])
def test_bad_protocols_name_the_entry(text: str) -> None:
    with pytest.raises(DatapathError, match="Protocols entry"):
        acl.parse_protocols(text, "x")


def test_ports_are_merged() -> None:
    assert acl.parse_ports("443, 80,81,82", "x") == [(80, 82), (443, 443)]
    assert acl.parse_ports("1000-2000,1500-2500,2501", "x") == [(1000, 2501)]
    assert acl.parse_ports("", "x") == []


@pytest.mark.parametrize("text", ["70000", "5-3", "http", "1-2-3", "80-"])
def test_bad_ports_are_refused(text: str) -> None:
    with pytest.raises(DatapathError, match="port"):
        acl.parse_ports(text, "x")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"Direction": "In"}, "Action None is not one of Allow, Block, Pass"),
        ({"Action": "Deny", "Direction": "In"}, "Action 'Deny'"),
        ({"Action": "Allow"}, "Direction None"),
        ({"Action": "Allow", "Direction": "In", "Priority": "high"}, "Priority 'high'"),
        ({"Action": "Allow", "Direction": "In", "RemoteAddresses": "Any"}, "'Any' is not an IP"),
        ({"Action": "Allow", "Direction": "In", "Protocols": "1", "LocalPorts": "80"},
         "neither 6 nor 17"),
    ],
)  # fmt: skip
def test_settings_errors_name_the_policy_and_field(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(DatapathError, match="endpoint e: Policies\\[0\\] ACL") as caught:
        rules(settings)
    assert message in str(caught.value)


def test_case_and_lists_are_normalised() -> None:
    (rule,) = rules({
        "Action": "block", "Direction": "OUT", "RemoteAddresses": "10.0.0.0/24,10.0.0.7, fd00::/64",
        "LocalPorts": "80", "Priority": 7,
    })  # fmt: skip
    assert (rule.action, rule.direction, rule.priority) == ("Block", "Out", 7)
    assert [str(n) for n in rule.remote] == ["10.0.0.0/24", "fd00::/64"]  # 10.0.0.7 is inside
    assert rule.port_protocols == frozenset({6, 17})


# -- semantics ---------------------------------------------------------------------------------
def test_no_acl_allows_everything_any_acl_denies_the_rest() -> None:
    assert decide([], packet())
    only_out = rules({"Action": "Allow", "Direction": "Out"})
    assert decide(only_out, packet("Out"))
    assert not decide(only_out, packet("In"))  # default deny, also for the other direction


def test_lowest_priority_number_wins_then_block_then_order() -> None:
    block = {"Action": "Block", "Direction": "In", "RemoteAddresses": "10.0.0.9"}
    allow = {"Action": "Allow", "Direction": "In"}
    assert not decide(rules({**allow, "Priority": 200}, {**block, "Priority": 100}), packet())
    assert decide(rules({**allow, "Priority": 100}, {**block, "Priority": 200}), packet())
    assert not decide(rules({**allow, "Priority": 5}, {**block, "Priority": 5}), packet())
    listed = rules({**allow, "Priority": 5}, {**block, "Priority": 5}, {**allow, "Priority": 5})
    assert [r.index for r in ordered(listed, "In")] == [1, 0, 2]
    assert decide(rules({**allow}, {**block, "Priority": 1}), packet())  # missing Priority is 0


def test_ports_match_only_tcp_and_udp() -> None:
    web = rules({"Action": "Allow", "Direction": "In", "LocalPorts": "80"})
    assert decide(web, packet(protocol=6, local_port=80))
    assert decide(web, packet(protocol=17, local_port=80))
    assert not decide(web, packet(protocol=6, local_port=81))
    assert not decide(web, packet(protocol=1))


def test_local_and_remote_follow_the_direction() -> None:
    (rule,) = rules({
        "Action": "Block", "Direction": "Out", "LocalAddresses": "10.0.0.2",
        "RemoteAddresses": "192.168.0.0/16", "RemotePorts": "53", "Protocols": "17",
    })  # fmt: skip
    assert rule_lines(rule) == [
        "meta l4proto 17 ip saddr 10.0.0.2/32 ip daddr 192.168.0.0/16 th dport 53 drop"
    ]
    (rule,) = rules({
        "Action": "Pass", "Direction": "In", "RemoteAddresses": "10.1.0.0/16,fd00::1",
        "LocalPorts": "80,443", "RemotePorts": "1024-65535",
    })  # fmt: skip
    ports = "th sport 1024-65535 th dport { 80, 443 } accept"
    assert rule_lines(rule) == [
        f"meta l4proto {{ 6, 17 }} ip saddr 10.1.0.0/16 {ports}",
        f"meta l4proto {{ 6, 17 }} ip6 saddr fd00::1/128 {ports}",
    ]


def test_table_is_default_deny_on_the_endpoint_interface_only() -> None:
    script = acl.table_script("0ad5a4b2-6f0c-4f1e-9d5c-3c1c2b0f9e11", rules(
        {"Action": "Allow", "Direction": "In", "Priority": 100, "Protocols": "1"},
    ))  # fmt: skip
    assert "table inet hcnsim_acl_0ad5a4b26f0c4f1e9d5c3c1c2b0f9e11 {" in script
    inbound = script.split("chain inbound {")[1].split("chain outbound {")[0]
    lines = [line.strip() for line in inbound.strip().splitlines()][:-1]  # without the "}"
    assert lines[1] == 'iifname != "hcse0ad5a4b26f0" return'
    assert lines[2] == "ct state established,related accept"
    assert lines[-2:] == ["meta l4proto 1 accept", "drop"]
    assert acl.table_script("0ad5a4b2-6f0c-4f1e-9d5c-3c1c2b0f9e11", []) == ""


# -- properties --------------------------------------------------------------------------------
_ADDRESS = st.sampled_from(["10.0.0.9", "10.0.0.0/24", "10.0.1.0/24", "fd00::9", "192.168.1.1"])
_SETTINGS = st.fixed_dictionaries(
    {
        "Action": st.sampled_from(["Allow", "Block", "Pass", "allow"]),
        "Direction": st.sampled_from(["In", "Out"]),
    },
    optional={
        "Priority": st.integers(0, 65535),
        "Protocols": st.sampled_from(["", "6", "17", "6,17", "1", "256", "58"]),
        "RemoteAddresses": st.lists(_ADDRESS, min_size=1, max_size=3).map(",".join),
        "LocalAddresses": st.sampled_from(["10.0.0.2", "fd00::2", "10.0.0.0/16"]),
        "LocalPorts": st.sampled_from(["80", "80,443", "1000-2000"]),
        "RemotePorts": st.sampled_from(["53", "1024-65535"]),
    },
)
_PACKETS = st.builds(
    lambda d, p, r, lp, rp: Packet(d, p, A("10.0.0.2"), A(r), lp, rp),
    st.sampled_from(["In", "Out"]),
    st.sampled_from([1, 6, 17]),
    st.sampled_from(["10.0.0.9", "10.0.1.5", "192.168.1.1", "172.16.0.1"]),
    st.sampled_from([None, 80, 443, 1500]),
    st.sampled_from([None, 53, 40000]),
)
PROPERTIES = settings(max_examples=150, deadline=None)


def _valid(settings_list: list[dict[str, Any]]) -> list[AclRule]:
    try:
        return rules(*settings_list)
    except DatapathError:
        assume(False)
        raise


@PROPERTIES
@given(st.dictionaries(
    st.sampled_from(["Action", "Direction", "Priority", "Protocols", "LocalAddresses",
                     "RemoteAddresses", "LocalPorts", "RemotePorts"]),
    st.one_of(st.text(max_size=12), st.integers(-5, 70000), st.none()),
))  # fmt: skip
def test_any_settings_parse_or_fail_cleanly(settings_: dict[str, Any]) -> None:
    try:
        rules(settings_)
    except DatapathError as exc:
        assert exc.rule.id == "datapath.kernel-refused"
        assert exc.detail.startswith("endpoint e: Policies[0] ACL")


@PROPERTIES
@given(st.lists(st.tuples(st.integers(0, 65535), st.integers(0, 300)), max_size=6))
def test_merged_ports_cover_exactly_the_given_ports(pairs: list[tuple[int, int]]) -> None:
    tokens = [f"{low}-{min(low + span, 65535)}" if span else str(low) for low, span in pairs]
    merged = acl.parse_ports(",".join(tokens), "x")
    covered = {p for low, high in merged for p in range(low, high + 1)}
    wanted = {p for low, span in pairs for p in range(low, min(low + span, 65535) + 1)}
    assert covered == wanted
    assert all(merged[i][1] + 1 < merged[i + 1][0] for i in range(len(merged) - 1))


@PROPERTIES
@given(st.lists(_SETTINGS, min_size=1, max_size=6), _PACKETS, st.randoms())
def test_the_decision_does_not_depend_on_the_policy_order_when_priorities_differ(
    settings_list: list[dict[str, Any]], probe: Packet, shuffler: random.Random
) -> None:
    for i, entry in enumerate(settings_list):
        entry["Priority"] = 10 * i + 1
    decision = decide(_valid(settings_list), probe)
    shuffler.shuffle(settings_list)
    assert decide(_valid(settings_list), probe) == decision


@PROPERTIES
@given(st.lists(_SETTINGS, min_size=1, max_size=6), _PACKETS)
def test_a_packet_no_rule_matches_is_dropped(
    settings_list: list[dict[str, Any]], probe: Packet
) -> None:
    parsed = _valid(settings_list)
    if not any(acl.matches(rule, probe) for rule in parsed):
        assert not decide(parsed, probe)
    else:
        first = ordered([r for r in parsed if acl.matches(r, probe)], probe.direction)[0]
        assert decide(parsed, probe) == first.allows


@pytest.fixture(scope="module")
def scratch_netns() -> Iterator[str]:
    """A namespace to let ``nft --check`` judge generated tables (root only)."""
    if UNAVAILABLE is not None:
        pytest.skip(UNAVAILABLE)
    name = f"hcnsim-acltest{random.randrange(16**6):06x}-scratch"
    subprocess.run(["ip", "netns", "add", name], check=True)
    yield name
    subprocess.run(["ip", "netns", "delete", name], check=True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_SETTINGS, min_size=1, max_size=5))
def test_the_kernel_accepts_every_generated_table(
    scratch_netns: str, settings_list: list[dict[str, Any]]
) -> None:
    script = acl.table_script("0ad5a4b2-6f0c-4f1e-9d5c-3c1c2b0f9e11", _valid(settings_list))
    done = subprocess.run(
        ["nsenter", f"--net=/run/netns/{scratch_netns}", "nft", "--check", "-f", "-"],
        input=script, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stderr}\n{script}"
