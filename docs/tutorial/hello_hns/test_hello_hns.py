"""Tests of hello-hns against a simulated HNS: run ``pytest`` in this directory.

``simulated_hns`` comes with hcnpy: its pytest plugin loads when hcnpy is installed, and
gives each test an HNS of its own. Every test runs twice, once in this process through
cniskel's dispatcher and once as the ``hello-hns`` program, the way a runtime runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest
from hello_hns import HelloPlugin

from cniskel.testing import cni_env, run_in_process, run_subprocess

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from cniskel.testing import Outcome
    from hcnpy.testing import SimulatedHns

    Run = Callable[..., Outcome]

CONF: dict[str, Any] = {"cniVersion": "1.0.0", "name": "hello", "type": "hello-hns",
                        "network": "helloNet"}
WEB = {**CONF, "runtimeConfig": {"portMappings": [
    {"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]}}


@pytest.fixture
def network(simulated_hns: SimulatedHns) -> str:
    """The NAT network ``helloNet`` (10.10.0.0/24) that the configuration names: its ID."""
    default_route = {"NextHop": "10.10.0.1", "DestinationPrefix": "0.0.0.0/0"}
    subnet = {"IpAddressPrefix": "10.10.0.0/24", "Routes": [default_route]}
    doc = {"Name": "helloNet", "Type": "NAT", "Ipams": [{"Subnets": [subnet]}]}
    network_id = str(simulated_hns.ops.create_network(doc)["ID"])
    simulated_hns.baseline()  # the test's own set-up: assert_no_leaks leaves it alone
    return network_id


@pytest.fixture
def namespace(simulated_hns: SimulatedHns) -> str:
    """The HNS namespace a runtime creates for the pod: its ID, what ``CNI_NETNS`` holds."""
    namespace_id = str(simulated_hns.ops.create_namespace()["ID"])
    simulated_hns.baseline()
    return namespace_id


@pytest.fixture(params=["in-process", "as-a-process"])
def plugin(request: pytest.FixtureRequest, simulated_hns: SimulatedHns) -> Run:
    """``plugin(command, conf, **cni)`` runs one CNI command and returns its Outcome."""

    def run(command: str, conf: dict[str, Any], **cni: str) -> Outcome:
        env, stdin = cni_env(command, **cni), json.dumps(conf).encode()
        if request.param == "in-process":
            return run_in_process(HelloPlugin, env, stdin)
        # A runtime finds the program in its CNI bin directory and runs it with the CNI_*
        # variables; simulated_hns.env points the process at this test's HNS.
        return run_subprocess([program()], {**simulated_hns.env, **env}, stdin)

    return run


def program() -> str:
    """The ``hello-hns`` program that pip installed beside this Python."""
    found = shutil.which("hello-hns", path=os.path.dirname(sys.executable))
    if found is None:
        pytest.fail("hello-hns is not installed: run `pip install -e .` in this directory")
    return found


def test_add_attaches_an_endpoint_and_del_removes_it(
    plugin: Run, simulated_hns: SimulatedHns, network: str, namespace: str
) -> None:
    added = plugin("ADD", WEB, container_id="c1", netns=namespace)
    assert added.result is not None, added.stdout + added.stderr
    assert added.result["ips"] == [
        {"address": "10.10.0.2/24", "gateway": "10.10.0.1", "interface": 0}
    ]
    endpoint = simulated_hns.ops.get_endpoint_by_name("c1_hello")
    assert added.result["interfaces"] == [
        {"name": "eth0", "mac": endpoint["MacAddress"].replace("-", ":").lower(),
         "sandbox": namespace}
    ]
    assert endpoint["HostComputeNamespace"] == namespace
    assert endpoint["Policies"] == [{"Type": "PortMapping", "Settings": {
        "Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}}]

    for _ in range(2):  # the second DEL finds nothing to delete: still a success
        deleted = plugin("DEL", WEB, container_id="c1", netns="")
        assert deleted.exit_code == 0, deleted.stdout + deleted.stderr
    simulated_hns.assert_no_leaks()


def test_a_retried_add_replaces_the_endpoint(
    plugin: Run, simulated_hns: SimulatedHns, network: str, namespace: str
) -> None:
    assert plugin("ADD", WEB, container_id="c1", netns=namespace).ok
    first = simulated_hns.objects("Endpoint")
    again = plugin("ADD", WEB, container_id="c1", netns=namespace)
    assert again.ok, again.stdout + again.stderr  # the host port is free again for the retry
    assert len(simulated_hns.objects("Endpoint")) == 1
    assert simulated_hns.objects("Endpoint") != first


def test_an_unknown_network_is_error_7(plugin: Run, network: str, namespace: str) -> None:
    outcome = plugin("ADD", {**CONF, "network": "nope"}, netns=namespace)
    assert outcome.error == {"code": 7, "msg": "no HNS network named 'nope'"}


def test_a_netns_that_is_no_hns_namespace_is_error_4(plugin: Run, network: str) -> None:
    outcome = plugin("ADD", CONF, netns="/var/run/netns/c1")
    assert outcome.error is not None
    assert outcome.error["code"] == 4


def test_a_bad_port_mapping_is_error_7(plugin: Run, network: str, namespace: str) -> None:
    conf = {**CONF, "runtimeConfig": {"portMappings": [{"hostPort": 8080, "containerPort": 0}]}}
    outcome = plugin("ADD", conf, netns=namespace)
    assert outcome.error == {
        "code": 7, "msg": "portMappings[0]: container port 0 is not a port number 1-65535"
    }


def test_a_taken_host_port_fails_add_and_leaves_nothing(
    plugin: Run, simulated_hns: SimulatedHns, network: str, namespace: str
) -> None:
    assert plugin("ADD", WEB, container_id="c1", netns=namespace).ok
    first = simulated_hns.objects("Endpoint")
    outcome = plugin("ADD", WEB, container_id="c2", netns=namespace)
    assert outcome.error is not None
    assert (outcome.error["code"], outcome.error["msg"]) == (999, "creating the endpoint failed")
    assert "0x803B0013" in outcome.error["details"]  # HCN_E_PORT_ALREADY_EXISTS
    assert simulated_hns.objects("Endpoint") == first


def test_a_failed_attach_leaves_nothing(
    plugin: Run, simulated_hns: SimulatedHns, network: str, namespace: str
) -> None:
    # The attach (HcnModifyNamespace) fails as HNS fails it when the compartment is gone.
    simulated_hns.inject_faults("HcnModifyNamespace=HCN_E_NAMESPACE_ATTACH_FAILED")
    outcome = plugin("ADD", WEB, container_id="c1", netns=namespace)
    assert outcome.error is not None
    assert (outcome.error["code"], outcome.error["msg"]) == (999, "attaching the endpoint failed")
    assert "0x803B002E" in outcome.error["details"]
    simulated_hns.assert_no_leaks()


def test_del_asks_for_a_retry_when_hns_fails(
    plugin: Run, simulated_hns: SimulatedHns, network: str, namespace: str
) -> None:
    assert plugin("ADD", WEB, container_id="c1", netns=namespace).ok
    simulated_hns.inject_faults("HcnDeleteEndpoint=E_FAIL")
    outcome = plugin("DEL", WEB, container_id="c1", netns="")
    assert outcome.error is not None
    assert (outcome.error["code"], outcome.error["msg"]) == (11, "HNS failed")
    simulated_hns.inject_faults(None)
    assert plugin("DEL", WEB, container_id="c1", netns="").ok  # the runtime's retry
    simulated_hns.assert_no_leaks()
