"""Simulator rules: enumerate filters, load balancers and SDN routes, fault injection."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from hcnpy.bindings import ObjectKind
from hcnpy.errors import (
    HcnError,
    HcnTimeout,
    InvalidConfigurationError,
    PortAlreadyExistsError,
)
from hcnpy.features import Feature, FeatureNotSupported
from hcnpy.hresult import HResult
from hcnpy.ops import Ops, make_query

from ..conftest import NetworkFactory

MISSING = "5f0b1190-63be-4e0c-b974-bd0f55675a42"


def test_rule_enumerate_with_query_filters(ops: Ops, make_network: NetworkFactory) -> None:
    net_a = make_network(name="alpha", prefix="10.1.0.0/24", gateway="10.1.0.1")
    net_b = make_network(name="beta", prefix="10.2.0.0/24", gateway="10.2.0.1")
    ep_a = ops.create_endpoint(net_a["ID"], {"Name": "web"})
    ops.create_endpoint(net_b["ID"], {"Name": "db"})

    def names(kind: ObjectKind, flt: dict[str, str]) -> list[str]:
        query = json.dumps(make_query(flt))
        return [i.lower() for i in ops.library.enumerate(kind, query)]

    assert names(ObjectKind.NETWORK, {"Name": "alpha"}) == [net_a["ID"]]
    assert names(ObjectKind.NETWORK, {"Name": "ALPHA"}) == [net_a["ID"]]  # case-insensitive
    assert names(ObjectKind.NETWORK, {"ID": "{" + net_b["ID"].upper() + "}"}) == [net_b["ID"]]
    assert names(ObjectKind.ENDPOINT, {"VirtualNetwork": net_a["ID"]}) == [ep_a["ID"]]
    assert names(ObjectKind.ENDPOINT, {"Name": "web", "VirtualNetwork": net_b["ID"]}) == []
    assert names(ObjectKind.NETWORK, {"NoSuchKey": "x"}) == []
    assert len(ops.library.enumerate(ObjectKind.NETWORK, '{"SchemaVersion":{"Major":2}}')) == 2
    with pytest.raises(InvalidConfigurationError) as bad:
        ops.library.enumerate(ObjectKind.NETWORK, '{"Filter": "{not json"}')
    assert bad.value.hresult == HResult.HCN_E_INVALID_JSON


def test_rule_load_balancers(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    lb = ops.add_load_balancer(
        [endpoint["ID"]], internal_port=80, external_port=80, frontend_vips=["10.9.0.1"]
    )
    # real HNS answers the references upper-case (rule load-balancer.endpoints.upper-case)
    assert lb["HostComputeEndpoints"] == [endpoint["ID"].upper()]
    with pytest.raises(PortAlreadyExistsError):  # same frontend VIP, protocol and port
        ops.add_load_balancer(
            [endpoint["ID"]], internal_port=81, external_port=80, frontend_vips=["10.9.0.1"]
        )
    ops.add_load_balancer(  # another VIP is fine
        [endpoint["ID"]], internal_port=81, external_port=80, frontend_vips=["10.9.0.2"]
    )
    with pytest.raises(InvalidConfigurationError) as unknown_backend:
        ops.add_load_balancer([MISSING], internal_port=80, external_port=90)
    # rule load-balancer.endpoints.unknown (kubernetes#100384)
    assert unknown_backend.value.hresult == HResult.HCN_E_INVALID_JSON_REFERENCE
    with pytest.raises(InvalidConfigurationError) as zero:
        ops.add_load_balancer([endpoint["ID"]], internal_port=0, external_port=91)
    assert zero.value.hresult == HResult.HCN_E_INVALID_INTERNAL_PORT
    dsr = ops.add_load_balancer([endpoint["ID"]], internal_port=80, external_port=92, flags=1)
    assert dsr["Flags"] == 1
    restart(version="10.1")  # DSR: 9.3-9.x and >= 10.2
    with pytest.raises(FeatureNotSupported) as gated:
        ops.add_load_balancer([endpoint["ID"]], internal_port=80, external_port=93, flags=1)
    assert gated.value.feature is Feature.DSR
    assert len(ops.list_load_balancers()) == 3


def test_rule_sdn_routes(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    route = ops.add_route([endpoint["ID"]], "10.8.0.0/16", "10.0.0.1")
    assert ops.get_route(route["ID"])["Routes"][0]["DestinationPrefix"] == "10.8.0.0/16"
    # hcsshim's key "Setting" is accepted too, and stored as given
    legacy = ops.create_route(
        {
            "HostComputeEndpoints": [endpoint["ID"]],
            "Setting": [{"DestinationPrefix": "10.9.0.0/16", "NextHop": "10.0.0.1"}],
        }
    )
    assert legacy["Setting"][0]["DestinationPrefix"] == "10.9.0.0/16"
    with pytest.raises(InvalidConfigurationError):
        ops.add_route([endpoint["ID"]], "not-a-prefix", "10.0.0.1")
    assert {r["ID"] for r in ops.list_routes()} == {route["ID"], legacy["ID"]}
    ops.delete_route(route["ID"])
    assert [r["ID"] for r in ops.list_routes()] == [legacy["ID"]]


def test_rule_fault_injection(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    network = make_network()
    restart(faults="HcnCreateEndpoint=HCN_E_PORT_ALREADY_EXISTS@2;HcnOpenEndpoint=stall:300")
    ops.create_endpoint(network["ID"], {})
    with pytest.raises(PortAlreadyExistsError) as injected:
        ops.create_endpoint(network["ID"], {})
    assert "injected fault" in str(injected.value)
    third = ops.create_endpoint(network["ID"], {})  # only the second call fails
    with pytest.raises(HcnTimeout):
        ops.get_endpoint(third["ID"], timeout=0.05)
    assert len(ops.list_networks()) == 1
    restart(faults="*=E_ACCESSDENIED")
    with pytest.raises(HcnError) as everything:
        ops.list_networks()
    assert everything.value.hresult == HResult.E_ACCESSDENIED
