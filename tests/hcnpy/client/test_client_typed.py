"""The typed client (``hcnpy.client``): models in and out, validation and feature checks."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import pytest

import hcnpy
from hcnpy.client import Client, connect
from hcnpy.errors import (
    AlreadyExistsError,
    NotFoundError,
    PortAlreadyExistsError,
    ValidationError,
)
from hcnpy.features import Feature, FeatureNotSupported, HnsVersion
from hcnpy.lookup_errors import EndpointNotFoundError, NetworkNotFoundError
from hcnpy.sim import engine


def nat(name: str = "nat", prefix: str = "10.0.0.0/24", gateway: str = "10.0.0.1") -> hcnpy.Network:
    default = hcnpy.Route(next_hop=gateway, destination_prefix="0.0.0.0/0")
    subnet = hcnpy.Subnet(ip_address_prefix=prefix, routes=(default,))
    return hcnpy.Network(name=name, ipams=(hcnpy.Ipam(subnets=(subnet,)),))


def port_mapping(external: int, internal: int = 80) -> hcnpy.EndpointPolicy:
    setting = hcnpy.PortMappingPolicySetting(
        protocol=hcnpy.ProtocolType.TCP, internal_port=internal, external_port=external
    )
    return hcnpy.EndpointPolicy.of(setting)


def test_connect_picks_the_simulator_off_windows(client: Client) -> None:
    connected = connect()
    assert connected.backend == "sim"
    assert connected.library_path == client.library_path
    assert client.version == HnsVersion(15, 4)
    assert Feature.ACCELNET in client.supported_features
    assert "sim" in repr(client)


def test_network_create_get_list_delete(client: Client) -> None:
    network = client.networks.create(nat("natNet"))
    assert isinstance(network, hcnpy.Network)
    assert network.id and network.name == "natNet"
    assert network.type == hcnpy.NetworkType.NAT  # HNS omits NAT on read; the model defaults it
    assert client.networks.get(network.id) == network
    assert client.networks.get_by_name("natNet").id == network.id
    assert [n.id for n in client.networks.list()] == [network.id]
    assert [n.id for n in client.networks.list(hcnpy.HostComputeQuery.by_name("natNet"))] == [
        network.id
    ]
    client.networks.delete(network)
    with pytest.raises(NetworkNotFoundError):
        client.networks.get(network.id)
    client.networks.delete(network, missing_ok=True)


def test_invalid_network_is_rejected_before_sending(client: Client) -> None:
    no_gateway = hcnpy.Subnet(
        ip_address_prefix="10.0.0.0/24", routes=(hcnpy.Route(destination_prefix="0.0.0.0/0"),)
    )
    with pytest.raises(ValidationError, match="gateway"):
        client.networks.create(hcnpy.Network(name="x", ipams=(hcnpy.Ipam(subnets=(no_gateway,)),)))
    assert client.networks.list() == []


def test_endpoints_on_a_network(client: Client) -> None:
    network = client.networks.create(nat())
    web = client.networks.create_endpoint(network, hcnpy.Endpoint(name="web"))
    db = client.endpoints.create(hcnpy.Endpoint(name="db", host_compute_network=network.id))
    assert web.host_compute_network == network.id
    assert all(
        ipaddress.ip_address(c.ip_address or "") in ipaddress.ip_network("10.0.0.0/24")
        for e in (web, db)
        for c in e.ip_configurations
    )
    assert {e.id for e in client.networks.endpoints(network)} == {web.id, db.id}
    assert client.endpoints.get_by_name("db").id == db.id
    with pytest.raises(ValidationError):
        client.endpoints.create(hcnpy.Endpoint(name="orphan"))
    client.endpoints.delete(web)
    with pytest.raises(EndpointNotFoundError):
        client.endpoints.get(web.id or "")


def test_remote_endpoint(client: Client) -> None:
    network = client.networks.create(nat())
    remote = client.networks.create_remote_endpoint(
        network, hcnpy.Endpoint(ip_configurations=(hcnpy.IpConfig(ip_address="10.0.0.77"),))
    )
    assert remote.flags & hcnpy.EndpointFlags.REMOTE_ENDPOINT


def test_endpoint_namespace_attach_detach(client: Client) -> None:
    network = client.networks.create(nat())
    endpoint = client.networks.create_endpoint(network, hcnpy.Endpoint())
    namespace = client.namespaces.create()
    attached = client.endpoints.attach(endpoint, namespace)
    assert attached.host_compute_namespace == namespace.id
    assert client.namespaces.endpoint_ids(namespace) == [endpoint.id]
    assert client.namespaces.container_ids(namespace) == []
    with pytest.raises(AlreadyExistsError):
        client.namespaces.add_endpoint(namespace, endpoint)
    client.endpoints.detach(endpoint, namespace)
    assert client.endpoints.get(endpoint.id or "").host_compute_namespace is None
    refreshed = client.namespaces.add_endpoint(namespace, endpoint)
    assert len(refreshed.resources) == 1
    assert client.namespaces.remove_endpoint(namespace, endpoint) is not None
    client.namespaces.delete(namespace)
    assert client.namespaces.remove_endpoint(namespace, endpoint, missing_ok=True) is None
    with pytest.raises(NotFoundError):
        client.namespaces.remove_endpoint(namespace, endpoint)


def test_apply_policies_and_port_clash(client: Client) -> None:
    network = client.networks.create(nat())
    first = client.networks.create_endpoint(network, hcnpy.Endpoint(policies=(port_mapping(8080),)))
    assert first.policies[0].type == hcnpy.EndpointPolicyType.PORT_MAPPING
    with pytest.raises(PortAlreadyExistsError) as caught:
        client.networks.create_endpoint(network, hcnpy.Endpoint(policies=(port_mapping(8080),)))
    assert caught.value.name == "HCN_E_PORT_ALREADY_EXISTS"
    assert len(client.endpoints.list()) == 1
    second = client.networks.create_endpoint(network, hcnpy.Endpoint())
    grown = client.endpoints.apply_policies(second, hcnpy.RequestType.ADD, [port_mapping(9090)])
    assert len(grown.policies) == 1
    shrunk = client.endpoints.apply_policies(second, "Remove", [port_mapping(9090)])
    assert shrunk.policies == ()


def test_network_policies_and_modify(client: Client) -> None:
    network = client.networks.create(nat())
    host_route = hcnpy.NetworkPolicy.of(hcnpy.HostRoutePolicySetting())
    added = client.networks.add_policies(network, [host_route])
    assert [p.type for p in added.policies] == [hcnpy.NetworkPolicyType.HOST_ROUTE]
    removed = client.networks.remove_policies(network, [host_route])
    assert removed.policies == ()
    request = hcnpy.ModifyNetworkSettingRequest(
        resource_type=hcnpy.ModifyResourceType.DNS,
        request_type=hcnpy.RequestType.UPDATE,
        settings=hcnpy.Dns(server_list=("10.0.0.53",)),
    )
    assert client.networks.modify(network, request).dns.server_list == ("10.0.0.53",)


def test_required_features_are_checked_against_the_version(
    client: Client, restart: Callable[..., None]
) -> None:
    restart(version="13.0")
    network = client.networks.create(nat())
    endpoint = client.networks.create_endpoint(network, hcnpy.Endpoint())
    tier_acl = hcnpy.EndpointPolicy.of(
        hcnpy.TierAclPolicySetting(name="t", direction=hcnpy.DirectionType.IN, order=1)
    )
    with pytest.raises(FeatureNotSupported) as caught:
        client.endpoints.apply_policies(endpoint, "Add", [tier_acl])
    assert caught.value.feature is Feature.TIER_ACL
    assert engine.get_engine().call_count("HcnModifyEndpoint") == 0


def test_load_balancers(client: Client, restart: Callable[..., None]) -> None:
    network = client.networks.create(nat())
    first = client.networks.create_endpoint(network, hcnpy.Endpoint())
    second = client.networks.create_endpoint(network, hcnpy.Endpoint())
    mapping = hcnpy.LoadBalancerPortMapping(protocol=6, internal_port=80, external_port=80)
    lb = client.load_balancers.create(
        hcnpy.LoadBalancer(
            host_compute_endpoints=(first.id or "",),
            frontend_vips=("10.9.0.1",),
            port_mappings=(mapping,),
        )
    )
    grown = client.load_balancers.add_endpoint(lb, second)
    assert grown.id == lb.id and len(grown.host_compute_endpoints) == 2
    with pytest.raises(FeatureNotSupported):
        client.load_balancers.update(grown)
    restart(version="16.0")
    updated = client.load_balancers.update(
        hcnpy.LoadBalancer(
            id=lb.id,
            host_compute_endpoints=(second.id or "",),
            frontend_vips=("10.9.0.1",),
            port_mappings=(mapping,),
        )
    )
    assert [e.lower() for e in updated.host_compute_endpoints] == [second.id]
    assert client.load_balancers.remove_endpoint(updated, second).host_compute_endpoints == ()
    assert [x.id for x in client.load_balancers.list()] == [lb.id]
    client.load_balancers.delete(lb)


def test_routes(client: Client) -> None:
    network = client.networks.create(nat())
    first = client.networks.create_endpoint(network, hcnpy.Endpoint())
    second = client.networks.create_endpoint(network, hcnpy.Endpoint())
    setting = hcnpy.SDNRoutePolicySetting(destination_prefix="10.7.0.0/16", next_hop="10.0.0.1")
    route = client.routes.create(
        hcnpy.SdnRoute(host_compute_endpoints=(first.id or "",), routes=(setting,))
    )
    assert client.routes.get(route.id or "").routes == (setting,)
    grown = client.routes.add_endpoint(route, second)
    assert grown.host_compute_endpoints == (first.id, second.id)
    assert client.routes.remove_endpoint(grown, first).host_compute_endpoints == (second.id,)
    assert len(client.routes.list()) == 1
    client.routes.delete(route)
    assert client.routes.list() == []


def test_stats_and_objects_without_id(client: Client) -> None:
    network = client.networks.create(nat())
    endpoint = client.networks.create_endpoint(network, hcnpy.Endpoint())
    assert client.endpoints.stats(endpoint)["BytesSent"] == 0
    with pytest.raises(ValidationError, match="no ID"):
        client.endpoints.delete(hcnpy.Endpoint())
