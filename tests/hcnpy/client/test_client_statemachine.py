"""A stateful property test through the typed client: endpoints, namespaces, attach/detach.

Invariants after every step: endpoint IPs are unique and inside the subnet (never the
network or gateway address); each endpoint's namespace, the namespaces' resources and the
model agree; nothing is left open in the stand-in library.
"""

from __future__ import annotations

import ipaddress

from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

import hcnpy
from hcnpy.client import Client
from hcnpy.errors import AlreadyExistsError, HcnError
from hcnpy.sim import state

SUBNET = ipaddress.ip_network("10.20.0.0/28")  # 13 usable addresses: exhaustion is reachable
GATEWAY = "10.20.0.1"


class EndpointsAndNamespaces(RuleBasedStateMachine):
    """Model: endpoint ID -> namespace ID (or ``None``); namespace IDs."""

    endpoints = Bundle("endpoints")
    namespaces = Bundle("namespaces")

    def __init__(self, client: Client) -> None:
        super().__init__()
        state.reset()
        self.client = client
        route = hcnpy.Route(next_hop=GATEWAY, destination_prefix="0.0.0.0/0")
        subnet = hcnpy.Subnet(ip_address_prefix=str(SUBNET), routes=(route,))
        self.network = client.networks.create(
            hcnpy.Network(name="prop", ipams=(hcnpy.Ipam(subnets=(subnet,)),))
        )
        self.attached: dict[str, str | None] = {}
        self.live_namespaces: set[str] = set()

    @rule(target=endpoints)
    def create_endpoint(self) -> str:
        try:
            endpoint = self.client.networks.create_endpoint(self.network, hcnpy.Endpoint())
        except HcnError as exc:  # the /28 ran out: only legitimate failure
            assert exc.name == "HCN_E_ADDR_INVALID_OR_RESERVED"
            assert len(self.attached) >= SUBNET.num_addresses - 3
            return ""
        assert endpoint.id
        self.attached[endpoint.id] = None
        return endpoint.id

    @rule(target=namespaces)
    def create_namespace(self) -> str:
        namespace = self.client.namespaces.create()
        assert namespace.id
        self.live_namespaces.add(namespace.id)
        return namespace.id

    @rule(endpoint=consumes(endpoints))
    def delete_endpoint(self, endpoint: str) -> None:
        if endpoint in self.attached:
            self.client.endpoints.delete(endpoint)
            del self.attached[endpoint]

    @rule(namespace=consumes(namespaces))
    def delete_namespace(self, namespace: str) -> None:
        self.client.namespaces.delete(namespace)
        self.live_namespaces.discard(namespace)
        for endpoint, where in self.attached.items():
            if where == namespace:
                self.attached[endpoint] = None  # HNS detaches what is still inside

    @rule(endpoint=endpoints, namespace=namespaces)
    def attach(self, endpoint: str, namespace: str) -> None:
        if endpoint not in self.attached or namespace not in self.live_namespaces:
            return
        if self.attached[endpoint] is None:
            self.client.endpoints.attach(endpoint, namespace)
            self.attached[endpoint] = namespace
        else:
            try:
                self.client.endpoints.attach(endpoint, namespace)
            except AlreadyExistsError:
                return
            raise AssertionError("attaching an attached endpoint succeeded")

    @rule(endpoint=endpoints)
    def detach(self, endpoint: str) -> None:
        namespace = self.attached.get(endpoint)
        if namespace is not None:
            self.client.endpoints.detach(endpoint, namespace)
            self.attached[endpoint] = None

    @invariant()
    def addresses_unique_and_inside_the_subnet(self) -> None:
        listed = self.client.networks.endpoints(self.network)
        assert {e.id for e in listed} == set(self.attached)
        addresses = [
            ipaddress.ip_address(c.ip_address or "") for e in listed for c in e.ip_configurations
        ]
        assert len(addresses) == len(set(addresses)) == len(listed)
        reserved = {SUBNET.network_address, ipaddress.ip_address(GATEWAY)}
        assert all(a in SUBNET and a not in reserved for a in addresses)

    @invariant()
    def namespaces_agree_with_endpoints(self) -> None:
        for endpoint in self.client.endpoints.list():
            assert endpoint.host_compute_namespace == self.attached[endpoint.id or ""]
        for namespace in self.live_namespaces:
            expected = sorted(e for e, n in self.attached.items() if n == namespace)
            assert sorted(self.client.namespaces.endpoint_ids(namespace)) == expected

    @invariant()
    def no_open_handles(self) -> None:
        assert self.client.ops.library.leak_counters() == (0, 0)


def test_endpoint_namespace_state_machine(client: Client) -> None:
    class OnThisClient(EndpointsAndNamespaces):
        def __init__(self) -> None:
            super().__init__(client)

    run_state_machine_as_test(
        OnThisClient,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
