"""The run's address plan: a free /20 of 198.18.0.0/15, aligned subnets that never overlap."""

from __future__ import annotations

import ipaddress
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcnpy.conformance._addresses import POOL, AddressPlan, Exhausted

_taken = st.lists(
    st.builds(
        lambda start, length: ipaddress.ip_network(
            (int(POOL.network_address) + start, length), strict=False
        ),
        st.integers(min_value=-(2**18), max_value=2**18),
        st.integers(min_value=14, max_value=30),
    ),
    max_size=20,
)


@given(
    _taken,
    st.integers(min_value=0, max_value=2**32),
    st.lists(st.sampled_from([24, 27, 28, 30]), max_size=60),
)
def test_a_plan_avoids_existing_networks_and_never_overlaps_itself(
    taken: list[ipaddress.IPv4Network], seed: int, sizes: list[int]
) -> None:
    try:
        plan = AddressPlan.choose(taken, random.Random(seed))
    except Exhausted:
        assert all(any(b.overlaps(t) for t in taken) for b in POOL.subnets(new_prefix=20))
        return
    assert plan.block.subnet_of(POOL) and plan.block.prefixlen == 20
    assert not any(plan.block.overlaps(t) for t in taken)
    handed: list[ipaddress.IPv4Network] = []
    for size in sizes:
        try:
            subnet = plan.subnet(size)
        except Exhausted:
            break
        assert subnet.subnet_of(plan.block) and subnet.prefixlen == size
        assert not any(subnet.overlaps(other) for other in handed)
        handed.append(subnet)
    vip = ipaddress.ip_address(plan.vip())
    assert vip in plan.block and not any(vip in s for s in handed)
    assert plan.block6.subnet_of(ipaddress.IPv6Network("fd00::/8")) and plan.block6.prefixlen == 48
    assert plan.subnet6().subnet_of(plan.block6)
    assert 42000 <= plan.port() < plan.first_port + 1000 <= 60000


def test_every_resource_runs_out_loudly() -> None:
    plan = AddressPlan.choose([], random.Random(1))
    with pytest.raises(Exhausted):
        for _ in range(1001):
            plan.port()
    with pytest.raises(Exhausted):
        for _ in range(200):
            plan.subnet(27)
    with pytest.raises(Exhausted):
        AddressPlan.choose([POOL])
