"""Stateful property test: random create/delete/attach/detach sequences against a model.

Invariants after every step: IPs are unique, inside the subnet and never reserved; the next
free address after the last one handed out (wrapping around, rule endpoint.ip.assigned) is
the one handed out; namespace membership matches on both sides; every handle is closed.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hcnpy.hresult import HResult

from .sim_engine_support import (
    attach_request,
    create,
    delete_hr,
    get,
    ids,
    modify_hr,
    nat_network,
    new_engine,
    try_create,
)

SUBNET = ipaddress.IPv4Network("10.7.0.0/28")  # .0 network, .1 gateway, .15 broadcast
RESERVED = {SUBNET[0], SUBNET[1], SUBNET[15]}
USABLE = [a for a in SUBNET if a not in RESERVED]


class AllocationMachine(RuleBasedStateMachine):
    """The engine versus a dictionary model of addresses and attachments."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="hcnpy-sim-sm-"))
        self.engine = new_engine(self.directory)
        self.network = nat_network(self.engine, "sm", str(SUBNET))
        self.addresses: dict[str, ipaddress.IPv4Address] = {}
        self.members: dict[str, set[str]] = {}
        self.namespace_of: dict[str, str] = {}
        self.cursor: int | None = None  # index in USABLE of the last automatic address

    def teardown(self) -> None:
        self.engine.shutdown()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _pick(self, items: list[str], index: int) -> str:
        return sorted(items)[index % len(items)]

    @rule(static=st.none() | st.integers(min_value=0, max_value=15))
    def create_endpoint(self, static: int | None) -> None:
        used = set(self.addresses.values())
        if static is None:
            doc = {}
            start = 0 if self.cursor is None else self.cursor + 1
            order = [USABLE[(start + i) % len(USABLE)] for i in range(len(USABLE))]
            free = [a for a in order if a not in used]
            expected = free[0] if free else None
        else:
            wanted = SUBNET[static]
            doc = {"IpConfigurations": [{"IpAddress": str(wanted)}]}
            expected = None if wanted in RESERVED or wanted in used else wanted
        hr, oid, _ = try_create(self.engine, "Endpoint", doc, self.network)
        if expected is None:
            assert hr == HResult.HCN_E_ADDR_INVALID_OR_RESERVED
            return
        assert hr == 0 and oid is not None
        props = get(self.engine, "Endpoint", oid)
        assert ipaddress.ip_address(props["IpConfigurations"][0]["IpAddress"]) == expected
        self.addresses[oid] = expected
        if static is None:
            self.cursor = USABLE.index(expected)

    @precondition(lambda self: bool(self.addresses))
    @rule(index=st.integers(min_value=0))
    def delete_endpoint(self, index: int) -> None:
        oid = self._pick(list(self.addresses), index)
        assert delete_hr(self.engine, "Endpoint", oid) == 0
        del self.addresses[oid]
        namespace = self.namespace_of.pop(oid, None)
        if namespace is not None:
            self.members[namespace].discard(oid)

    @rule()
    def create_namespace(self) -> None:
        self.members[create(self.engine, "Namespace", {})] = set()

    @precondition(lambda self: bool(self.members))
    @rule(index=st.integers(min_value=0))
    def delete_namespace(self, index: int) -> None:
        namespace = self._pick(list(self.members), index)
        assert delete_hr(self.engine, "Namespace", namespace) == 0
        for endpoint in self.members.pop(namespace):
            del self.namespace_of[endpoint]

    @precondition(lambda self: bool(self.addresses) and bool(self.members))
    @rule(ep_index=st.integers(min_value=0), ns_index=st.integers(min_value=0))
    def attach(self, ep_index: int, ns_index: int) -> None:
        endpoint = self._pick(list(self.addresses), ep_index)
        namespace = self._pick(list(self.members), ns_index)
        current = self.namespace_of.get(endpoint)
        hr = modify_hr(self.engine, "Namespace", namespace, attach_request(endpoint))
        if current == namespace:
            assert hr == HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED
        elif current is not None:
            assert hr == HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS
        else:
            assert hr == 0
            self.namespace_of[endpoint] = namespace
            self.members[namespace].add(endpoint)

    @precondition(lambda self: bool(self.addresses) and bool(self.members))
    @rule(ep_index=st.integers(min_value=0), ns_index=st.integers(min_value=0))
    def detach(self, ep_index: int, ns_index: int) -> None:
        endpoint = self._pick(list(self.addresses), ep_index)
        namespace = self._pick(list(self.members), ns_index)
        hr = modify_hr(self.engine, "Namespace", namespace, attach_request(endpoint, "Remove"))
        if self.namespace_of.get(endpoint) == namespace:
            assert hr == 0
            del self.namespace_of[endpoint]
            self.members[namespace].discard(endpoint)
        else:
            assert hr == HResult.HCN_E_ENDPOINT_NOT_ATTACHED

    @invariant()
    def engine_matches_model(self) -> None:
        assert sorted(ids(self.engine, "Endpoint")) == sorted(self.addresses)
        seen = set()
        for oid, expected in self.addresses.items():
            props = get(self.engine, "Endpoint", oid)
            address = ipaddress.ip_address(props["IpConfigurations"][0]["IpAddress"])
            assert address == expected and address in SUBNET and address not in RESERVED
            assert address not in seen
            seen.add(address)
            assert props.get("HostComputeNamespace") == self.namespace_of.get(oid)
        assert sorted(ids(self.engine, "Namespace")) == sorted(self.members)
        for namespace, endpoints in self.members.items():
            resources = get(self.engine, "Namespace", namespace).get("Resources", [])
            assert {r["Data"]["ID"] for r in resources} == endpoints
        assert self.engine.open_handle_count() == 0


AllocationMachine.TestCase.settings = settings(
    max_examples=30, stateful_step_count=25, deadline=None
)
TestAllocation = AllocationMachine.TestCase
