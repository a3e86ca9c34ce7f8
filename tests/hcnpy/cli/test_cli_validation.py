"""The CLI refuses what the typed client refuses, with the client's message (issue #13, item 8).

Each case runs the request through :class:`hcnpy.client.Client` in-process and through a new
``hcnpy`` process on the same simulated HNS: both must refuse, the CLI with status 2, the
client's message in its error line, and nothing created.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hcnpy
from hcnpy.cli.errors import UsageError
from hcnpy.cli.network import subnets_from
from hcnpy.client import Client
from hcnpy.errors import ValidationError

from ..conftest import nat_network
from .conftest import Run


def client_message(action: Callable[[], Any]) -> str:
    with pytest.raises(ValidationError) as refused:
        action()
    return str(refused.value)


def assert_refused_alike(result: Any, message: str, what: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"hcnpy: invalid {what}: {message}"), line


def test_a_subnet_without_a_gateway(hcnpy_cli: Run, client: Client) -> None:
    subnet = hcnpy.Subnet(ip_address_prefix="10.0.0.0/24")
    network = hcnpy.Network(name="x", ipams=(hcnpy.Ipam(subnets=(subnet,)),))
    message = client_message(lambda: client.networks.create(network))
    result = hcnpy_cli("network", "create", "--name", "x", "--subnet", "10.0.0.0/24")
    assert_refused_alike(result, message, "network")
    assert result.stderr.rstrip().endswith("give a --gateway after --subnet 10.0.0.0/24")
    assert client.networks.list() == []


def test_a_miscased_network_type(hcnpy_cli: Run, client: Client) -> None:
    message = client_message(lambda: client.networks.create(hcnpy.Network(name="x", type="nat")))
    result = hcnpy_cli("network", "create", "--name", "x", "--type", "nat")
    assert_refused_alike(result, message, "network")
    assert "did you mean 'NAT'?" in result.stderr


def test_a_network_file_with_a_route_without_next_hop(
    hcnpy_cli: Run, client: Client, tmp_path: Path
) -> None:
    document = nat_network("x")
    document["Ipams"][0]["Subnets"][0]["Routes"] = [{"DestinationPrefix": "0.0.0.0/0"}]
    path = tmp_path / "net.json"
    path.write_text(json.dumps(document))
    network = hcnpy.from_dict(hcnpy.Network, document)
    message = client_message(lambda: client.networks.create(network))
    assert "no gateway specified" in message
    assert_refused_alike(hcnpy_cli("network", "create", "--file", str(path)), message, "network")


def test_an_endpoint_with_a_colon_mac(hcnpy_cli: Run, client: Client) -> None:
    network = client.ops.create_network(nat_network("natNet"))
    endpoint = hcnpy.Endpoint(mac_address="00:15:5d:52:c0:10")
    message = client_message(lambda: client.networks.create_endpoint(network["ID"], endpoint))
    result = hcnpy_cli("endpoint", "create", "--network", "natNet", "--mac", "00:15:5d:52:c0:10")
    assert_refused_alike(result, message, "endpoint")
    assert client.endpoints.list() == []


def test_an_endpoint_policy_out_of_range(hcnpy_cli: Run, client: Client) -> None:
    network = client.ops.create_network(nat_network("natNet"))
    endpoint = client.ops.create_endpoint(network["ID"], {"Name": "web"})
    settings = {"Action": "Allow", "Direction": "In", "Priority": 70000}
    policy = hcnpy.from_dict(hcnpy.EndpointPolicy, {"Type": "ACL", "Settings": settings})
    message = client_message(
        lambda: client.endpoints.apply_policies(endpoint["ID"], hcnpy.RequestType.ADD, [policy])
    )
    result = hcnpy_cli(
        "policy", "add", "--endpoint", "web", "--type", "ACL", "--settings", json.dumps(settings)
    )
    assert_refused_alike(result, message, "endpoint policy")
    assert "Policies" not in client.ops.get_endpoint(endpoint["ID"])


def test_a_route_to_an_address_instead_of_a_prefix(hcnpy_cli: Run, client: Client) -> None:
    network = client.ops.create_network(nat_network("natNet"))
    endpoint = client.ops.create_endpoint(network["ID"], {"Name": "web"})
    setting = hcnpy.SDNRoutePolicySetting(destination_prefix="10.8.0.0", next_hop="10.0.0.1")
    route = hcnpy.SdnRoute(host_compute_endpoints=(endpoint["ID"],), routes=(setting,))
    message = client_message(lambda: client.routes.create(route))
    result = hcnpy_cli(
        "route",
        "create",
        "--endpoint",
        "web",
        "--destination",
        "10.8.0.0",
        "--next-hop",
        "10.0.0.1",
    )
    assert_refused_alike(result, message, "route")
    assert client.routes.list() == []


def test_a_load_balancer_file_with_a_bad_vip(
    hcnpy_cli: Run, client: Client, tmp_path: Path
) -> None:
    network = client.ops.create_network(nat_network("natNet"))
    endpoint = client.ops.create_endpoint(network["ID"], {"Name": "web"})
    document = {
        "HostComputeEndpoints": [endpoint["ID"]],
        "FrontendVIPs": ["10.9.0"],
        "PortMappings": [{"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}],
    }
    path = tmp_path / "lb.json"
    path.write_text(json.dumps(document))
    balancer = hcnpy.from_dict(hcnpy.LoadBalancer, document)
    message = client_message(lambda: client.load_balancers.create(balancer))
    result = hcnpy_cli("loadbalancer", "create", "--file", str(path))
    assert_refused_alike(result, message, "load balancer")
    assert client.load_balancers.list() == []


def test_a_file_field_of_the_wrong_type(hcnpy_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"Name": 5}))
    result = hcnpy_cli("network", "create", "--file", str(path))
    assert result.returncode == 2
    assert result.stderr == "hcnpy: invalid network file: Name: expected a string (value: 5)\n"


# --- --subnet/--gateway pairing, against a model of the rules ----------------------------

SUBNETS = ["10.0.0.0/24", "10.1.0.0/24", "fd00::/64"]
GATEWAYS = ["10.0.0.1", "10.1.0.1", "fd00::1", "10.9.9.9"]
OPTIONS = st.one_of(
    st.tuples(st.just("--subnet"), st.sampled_from(SUBNETS)),
    st.tuples(st.just("--gateway"), st.sampled_from(GATEWAYS)),
)


def expected_pairs(options: list[tuple[str, str]]) -> list[tuple[str, str | None]] | None:
    """The rule, stated plainly: ``None`` when the options must be refused."""
    pairs: list[tuple[str, str | None]] = []
    for option, value in options:
        if option == "--subnet":
            pairs.append((value, None))
            continue
        open_subnet = pairs[-1][0] if pairs and pairs[-1][1] is None else None
        if open_subnet is None or ipaddress.ip_address(value) not in ipaddress.ip_network(
            open_subnet
        ):
            return None
        pairs[-1] = (open_subnet, value)
    return pairs


@given(st.lists(OPTIONS, max_size=6))
def test_each_gateway_pairs_with_the_subnet_before_it(options: list[tuple[str, str]]) -> None:
    expected = expected_pairs(options)
    if expected is None:
        with pytest.raises(UsageError):
            subnets_from(options)
        return
    assert [(str(p), g) for p, g in subnets_from(options)] == expected
