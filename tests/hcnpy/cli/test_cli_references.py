"""Object references: every command takes "ID or name" the same way (issue #13, items 7 and 9).

The objects are made in-process (the ``ops`` fixture, on the same state file the ``hcnpy``
processes use); every command under test is a new ``hcnpy`` process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcnpy.cli.errors import AmbiguousReference, UsageError
from hcnpy.cli.resolve import resolve
from hcnpy.lookup_errors import EndpointNotFoundError
from hcnpy.ops import Ops

from ..conftest import nat_network
from .conftest import Run, json_out

World = dict[str, str]
ACL = '{"Action": "Block", "Direction": "In", "Priority": 200}'


@pytest.fixture
def world(ops: Ops) -> World:
    """natNet; endpoints e1 (twice: an ambiguous name) and e4; a namespace; a load balancer
    and an SDN route over e4."""
    network = ops.create_network(nat_network("natNet"))
    first = ops.create_endpoint(network["ID"], {"Name": "e1"})
    second = ops.create_endpoint(network["ID"], {"Name": "e1"})
    e4 = ops.create_endpoint(network["ID"], {"Name": "e4"})
    namespace = ops.create_namespace()
    mapping = {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}
    lb = ops.create_load_balancer({"HostComputeEndpoints": [e4["ID"]], "PortMappings": [mapping]})
    route = ops.add_route([e4["ID"]], "10.8.0.0/16", "10.0.0.1")
    return {
        "network": network["ID"],
        "e1a": first["ID"],
        "e1b": second["ID"],
        "e4": e4["ID"],
        "namespace": namespace["ID"],
        "lb": lb["ID"],
        "route": route["ID"],
    }


def snapshot(ops: Ops) -> dict[str, Any]:
    """Everything in the simulated HNS."""
    return {
        "networks": ops.list_networks(),
        "endpoints": ops.list_endpoints(),
        "namespaces": ops.list_namespaces(),
        "load_balancers": ops.list_load_balancers(),
        "routes": ops.list_routes(),
    }


def test_every_command_takes_an_endpoint_by_name_or_id(
    hcnpy_cli: Run, world: World, ops: Ops
) -> None:
    e4, ns, lb = world["e4"], world["namespace"], world["lb"]
    by_name = json_out(hcnpy_cli("endpoint", "show", "e4", "--json", check=True))
    assert json_out(hcnpy_cli("endpoint", "show", e4, "--json", check=True)) == by_name
    assert by_name["ID"] == e4

    for ref in ("e4", e4):
        attached = hcnpy_cli("namespace", "attach", ns, ref, check=True)
        assert attached.stdout.strip() == f"Attached endpoint {e4} to namespace {ns}"
        detached = hcnpy_cli("namespace", "detach", ns, ref, check=True)
        assert detached.stdout.strip() == f"Detached endpoint {e4} from namespace {ns}"

        route = json_out(
            hcnpy_cli(
                "route",
                "create",
                "--endpoint",
                ref,
                "--destination",
                "10.9.0.0/16",
                "--next-hop",
                "10.0.0.1",
                "--json",
                check=True,
            )
        )
        assert route["HostComputeEndpoints"] == [e4]
        hcnpy_cli("route", "delete", route["ID"], check=True)

        removed = hcnpy_cli("loadbalancer", "remove-backend", lb, ref, "--json", check=True)
        assert json_out(removed)["HostComputeEndpoints"] == []
        added = hcnpy_cli("loadbalancer", "add-backend", lb, ref, "--json", check=True)
        # HNS answers backend references upper-case (rule load-balancer.endpoints.upper-case)
        assert json_out(added)["HostComputeEndpoints"] == [e4.upper()]

        acl = ["--type", "ACL", "--settings", ACL]
        policy = hcnpy_cli("policy", "add", "--endpoint", ref, *acl, check=True)
        assert policy.stdout.strip() == f"Added 1 policy to endpoint {e4}"
        hcnpy_cli("policy", "remove", "--endpoint", ref, *acl, check=True)
    assert "Policies" not in ops.get_endpoint(e4)


def test_every_command_takes_a_network_by_name_or_id(hcnpy_cli: Run, world: World) -> None:
    network = world["network"]
    endpoints = {world["e1a"], world["e1b"], world["e4"]}
    for ref in ("natNet", network):
        assert json_out(hcnpy_cli("network", "show", ref, "--json", check=True))["ID"] == network
        listed = json_out(hcnpy_cli("endpoint", "list", "--network", ref, "--json", check=True))
        assert {e["ID"] for e in listed} == endpoints
        created = json_out(hcnpy_cli("endpoint", "create", "--network", ref, "--json", check=True))
        assert created["HostComputeNetwork"] == network
        endpoints.add(created["ID"])
        hcnpy_cli("policy", "add", "--network", ref, "--type", "HostRoute", check=True)
        hcnpy_cli("policy", "remove", "--network", ref, "--type", "HostRoute", check=True)


AMBIGUOUS = [
    ["endpoint", "show", "e1"],
    ["endpoint", "delete", "e1"],
    ["endpoint", "delete", "e1", "--missing-ok"],
    ["namespace", "attach", "<namespace>", "e1"],
    ["namespace", "detach", "<namespace>", "e1", "--missing-ok"],
    [
        "route",
        "create",
        "--endpoint",
        "e1",
        "--destination",
        "10.9.0.0/16",
        "--next-hop",
        "10.0.0.1",
    ],
    ["loadbalancer", "add-backend", "<lb>", "e1"],
    ["loadbalancer", "remove-backend", "<lb>", "e1"],
    ["policy", "add", "--endpoint", "e1", "--type", "ACL", "--settings", ACL],
]


def test_an_ambiguous_name_is_a_usage_error_that_changes_nothing(
    hcnpy_cli: Run, world: World, ops: Ops
) -> None:
    before = snapshot(ops)
    ids = sorted([world["e1a"], world["e1b"]])
    for command in AMBIGUOUS:
        args = [world[a[1:-1]] if a.startswith("<") else a for a in command]
        result = hcnpy_cli(*args)
        assert result.returncode == 2, args
        assert result.stdout == ""
        assert result.stderr == (
            f'hcnpy: 2 endpoints are named "e1" ({ids[0]}, {ids[1]}): give the ID of the one '
            "you mean\n"
        )
        assert snapshot(ops) == before, args


NAMELESS: list[tuple[list[str], str]] = [
    (["namespace", "show", "web"], "a namespace"),
    (["namespace", "delete", "web", "--missing-ok"], "a namespace"),
    (["namespace", "attach", "web", "e4"], "a namespace"),
    (["namespace", "detach", "web", "e4"], "a namespace"),
    (["loadbalancer", "show", "e4"], "a load balancer"),
    (["loadbalancer", "delete", "e4"], "a load balancer"),
    (["loadbalancer", "add-backend", "e4", "e4"], "a load balancer"),
    (["route", "show", "e4"], "an SDN route"),
    (["route", "delete", "e4", "--missing-ok"], "an SDN route"),
]


def test_kinds_without_names_refuse_a_name_with_status_2(
    hcnpy_cli: Run, world: World, ops: Ops
) -> None:
    before = snapshot(ops)
    for args, kind in NAMELESS:
        result = hcnpy_cli(*args)
        assert result.returncode == 2, args
        ref = args[2]
        assert result.stderr.startswith(f'hcnpy: "{ref}" is not {kind} ID: '), result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(ops) == before


def test_a_missing_name_is_the_same_not_found_error_everywhere(
    hcnpy_cli: Run, world: World
) -> None:
    expected = 'hcnpy: Endpoint name "ghost" not found: ERROR_NOT_FOUND (0x80070490)\n'
    for args in (
        ["endpoint", "show", "ghost"],
        ["endpoint", "delete", "ghost"],
        ["namespace", "attach", world["namespace"], "ghost"],
        ["loadbalancer", "add-backend", world["lb"], "ghost"],
        [
            "route",
            "create",
            "--endpoint",
            "ghost",
            "--destination",
            "10.9.0.0/16",
            "--next-hop",
            "10.0.0.1",
        ],
        ["policy", "add", "--endpoint", "ghost", "--type", "ACL", "--settings", ACL],
    ):
        result = hcnpy_cli(*args)
        assert (result.returncode, result.stderr) == (1, expected), args


# --- the resolver itself, against the simulated HNS -------------------------------------

NAMES = st.sampled_from(["a", "b", "c"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(NAMES, max_size=4), ref=st.sampled_from(["a", "b", "c", "d"]))
def test_resolve_finds_the_one_match_or_says_why_not(ops: Ops, names: list[str], ref: str) -> None:
    network = ops.create_network(nat_network("resolve"))
    try:
        created = [ops.create_endpoint(network["ID"], {"Name": n}) for n in names]
        matches = sorted(e["ID"] for e in created if e["Name"] == ref)
        outcome: Callable[[], Any] = lambda: resolve(ops, "endpoint", ref)  # noqa: E731
        if not matches:
            with pytest.raises(EndpointNotFoundError):
                outcome()
        elif len(matches) > 1:
            with pytest.raises(AmbiguousReference) as ambiguous:
                outcome()
            assert ambiguous.value.ids == matches
        else:
            assert outcome()["ID"] == matches[0]
        for endpoint in created:  # an ID always finds exactly its object
            assert resolve(ops, "endpoint", endpoint["ID"]) == ops.get_endpoint(endpoint["ID"])
            with pytest.raises(UsageError):
                resolve(ops, "namespace", endpoint["Name"])
    finally:
        for endpoint in ops.list_endpoints():
            ops.delete_endpoint(endpoint["ID"])
        ops.delete_network(network["ID"])
