"""Hypothesis properties: lossless conversions and no tracebacks for any input."""

from __future__ import annotations

import ipaddress
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cniskel import Context, Plugin
from cniskel.result import DNS, Interface, IPConfig, Result, Route
from cniskel.testing import cni_env, run_in_process

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._", min_size=1, max_size=12)
macs = st.sampled_from(["", "00:11:22:33:44:55", "0a:58:0a:f4:00:01"])
v4 = st.builds(
    lambda a, p: f"{ipaddress.IPv4Address(a)}/{p}",
    st.integers(0, 2**32 - 1),
    st.integers(0, 32),
)
v6 = st.builds(
    lambda a, p: f"{ipaddress.IPv6Address(a)}/{p}",
    st.integers(0, 2**128 - 1),
    st.integers(0, 128),
)
cidrs = st.one_of(v4, v6)
gateways = st.one_of(
    st.none(),
    st.integers(0, 2**32 - 1).map(lambda a: str(ipaddress.IPv4Address(a))),
    st.integers(0, 2**128 - 1).map(lambda a: str(ipaddress.IPv6Address(a))),
)
small = st.integers(0, 65535)


@st.composite
def results(draw: st.DrawFn, rich: bool) -> Result:
    """A result; ``rich`` adds the 1.1.0-only fields."""
    interfaces = draw(
        st.lists(
            st.builds(
                Interface,
                names,
                macs,
                small if rich else st.just(0),
                st.sampled_from(["", "/var/run/netns/x"]),
                st.sampled_from(["", "/run/sock"]) if rich else st.just(""),
                st.sampled_from(["", "0000:00:1f.6"]) if rich else st.just(""),
            ),
            max_size=3,
        )
    )
    indexes = st.one_of(st.none(), st.integers(-1, max(len(interfaces) - 1, 0)))
    ips = draw(st.lists(st.builds(IPConfig, cidrs, gateways, indexes), max_size=4))
    routes = draw(
        st.lists(
            st.builds(
                Route,
                cidrs,
                gateways,
                small if rich else st.just(0),
                small if rich else st.just(0),
                small if rich else st.just(0),
                st.one_of(st.none(), small) if rich else st.none(),
                st.one_of(st.none(), st.sampled_from([0, 253, 254])) if rich else st.none(),
            ),
            max_size=3,
        )
    )
    words = st.lists(names, max_size=2)
    dns = draw(st.builds(DNS, words, st.sampled_from(["", "example.com"]), words, words))
    return Result("1.1.0", interfaces, ips, routes, dns)


@settings(max_examples=150, deadline=None)
@given(
    results(rich=False),
    st.sampled_from(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]),
    st.sampled_from(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]),
)
def test_03x_04_10_11_round_trips_are_lossless(result: Result, first: str, second: str) -> None:
    there = Result.from_dict(json.loads(result.to_json(first)), first)
    back = Result.from_dict(json.loads(there.to_json(second)), second)
    assert back.to_dict("1.1.0") == result.to_dict("1.1.0")
    assert back.to_dict(first) == there.to_dict()


@settings(max_examples=100, deadline=None)
@given(results(rich=True))
def test_11_keeps_every_field_and_10_only_its_own(result: Result) -> None:
    again = Result.from_dict(json.loads(result.to_json("1.1.0")), "1.1.0")
    assert again.to_dict("1.1.0") == result.to_dict("1.1.0")
    # 1.0.0 is printed as Debian's libcni 1.1.2 does: without the 1.1.0 additions.
    plain = Result.from_dict(json.loads(result.to_json("1.0.0")), "1.0.0")
    assert all(not (i.mtu or i.socket_path or i.pci_id) for i in plain.interfaces)
    assert all(r.table is None and r.scope is None and not r.mtu for r in plain.routes)
    assert plain.to_dict("1.0.0") == result.to_dict("1.0.0")


class Echo(Plugin):
    def add(self, ctx: Context) -> Result:
        prev = ctx.prev_result
        return prev if prev is not None else Result(ctx.cni_version)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.builds(
            lambda obj: json.dumps(obj).encode(),
            st.dictionaries(
                st.sampled_from(["name", "cniVersion", "prevResult", "runtimeConfig", "type", "x"]),
                st.recursive(
                    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: (
                        st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
                    ),
                    max_leaves=8,
                ),
            ),
        ),
    ),
    st.sampled_from(["ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION", "BOGUS"]),
)
def test_any_stdin_gives_a_result_or_an_error_object(stdin: bytes, command: str) -> None:
    outcome = run_in_process(Echo, cni_env(command), stdin)
    assert outcome.exit_code in (0, 1)
    if outcome.exit_code == 1:
        assert outcome.error is not None
        assert isinstance(outcome.error["code"], int) and isinstance(outcome.error["msg"], str)
        assert set(outcome.error) <= {"code", "msg", "details"}
    elif outcome.stdout:
        assert outcome.result is not None
    assert b"Traceback" not in outcome.stdout
