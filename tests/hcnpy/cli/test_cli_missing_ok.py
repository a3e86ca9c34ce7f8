"""``--missing-ok`` succeeds on a missing object but never claims to have deleted it (#13, 4)."""

from __future__ import annotations

import pytest

from hcnpy.ops import Ops

from ..conftest import nat_network
from .conftest import Run

GHOST = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


@pytest.mark.parametrize(
    ("kind", "ref", "said"),
    [
        ("network", "nope", 'Network name "nope" not found'),
        ("network", GHOST, f'Network ID "{GHOST}" not found'),
        ("endpoint", "nope", 'Endpoint name "nope" not found'),
        ("endpoint", GHOST, f'Endpoint ID "{GHOST}" not found'),
        ("namespace", GHOST, f'Namespace ID "{GHOST}" not found'),
        ("loadbalancer", GHOST, f'LoadBalancer "{GHOST}" not found'),
        ("route", GHOST, f'SDN Route "{GHOST}" not found'),
    ],
)
def test_deleting_what_is_not_there(hcnpy_cli: Run, kind: str, ref: str, said: str) -> None:
    result = hcnpy_cli(kind, "delete", ref, "--missing-ok")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{said}: nothing deleted\n"
    assert "Deleted" not in result.stdout
    without = hcnpy_cli(kind, "delete", ref)
    assert without.returncode == 1
    assert without.stderr == f"hcnpy: {said}: ERROR_NOT_FOUND (0x80070490)\n"


def test_deleting_what_is_there_says_deleted(hcnpy_cli: Run, ops: Ops) -> None:
    network = ops.create_network(nat_network("natNet"))
    endpoint = ops.create_endpoint(network["ID"], {"Name": "web"})
    namespace = ops.create_namespace()
    lb = ops.create_load_balancer(
        {
            "HostComputeEndpoints": [endpoint["ID"]],
            "PortMappings": [{"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}],
        }
    )
    route = ops.add_route([endpoint["ID"]], "10.8.0.0/16", "10.0.0.1")
    for kind, ref, object_id in (
        ("route", route["ID"], route["ID"]),
        ("loadbalancer", lb["ID"], lb["ID"]),
        ("namespace", namespace["ID"], namespace["ID"]),
        ("endpoint", "web", endpoint["ID"]),
        ("network", "natNet", network["ID"]),
    ):
        result = hcnpy_cli(kind, "delete", ref, "--missing-ok", check=True)
        noun = {"loadbalancer": "load balancer", "route": "SDN route"}.get(kind, kind)
        assert result.stdout == f"Deleted {noun} {object_id}\n"
    assert (ops.list_networks(), ops.list_endpoints(), ops.list_namespaces()) == ([], [], [])
    assert (ops.list_load_balancers(), ops.list_routes()) == ([], [])


def test_detach_says_what_was_missing(hcnpy_cli: Run, ops: Ops) -> None:
    network = ops.create_network(nat_network("natNet"))
    endpoint = ops.create_endpoint(network["ID"], {"Name": "web"})
    namespace = ops.create_namespace()["ID"]
    ops.add_namespace_endpoint(namespace, endpoint["ID"])

    detached = hcnpy_cli("namespace", "detach", namespace, "web", "--missing-ok", check=True)
    assert detached.stdout == f"Detached endpoint {endpoint['ID']} from namespace {namespace}\n"
    assert ops.namespace_endpoint_ids(namespace) == []

    no_endpoint = hcnpy_cli("namespace", "detach", namespace, "ghost", "--missing-ok", check=True)
    assert no_endpoint.stdout == 'Endpoint name "ghost" not found: nothing detached\n'
    no_namespace = hcnpy_cli("namespace", "detach", GHOST, "web", "--missing-ok", check=True)
    assert no_namespace.stdout == f'Namespace ID "{GHOST}" not found: nothing detached\n'
    # Present but not attached is not "missing": still an error.
    not_attached = hcnpy_cli("namespace", "detach", namespace, "web", "--missing-ok")
    assert not_attached.returncode == 1 and "0x803B0034" in not_attached.stderr
