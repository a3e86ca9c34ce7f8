"""Unit tests for hello-hns against the simulated HNS: `pytest test_hello_hns.py`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hello_hns import HelloPlugin

import hcnpy.ops
from cniskel.testing import cni_env, run_in_process
from hcnpy.sim.engine import reset_engine

CONF = {"cniVersion": "1.0.0", "name": "hello", "type": "hello-hns", "network": "helloNet"}


@pytest.fixture
def ops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[hcnpy.ops.Ops]:
    """A fresh simulated HNS with the NAT network helloNet."""
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.sqlite3"))
    reset_engine()  # the simulator opens the state file named above on its next call
    ops = hcnpy.ops.connect("sim")
    default_route = {"NextHop": "10.10.0.1", "DestinationPrefix": "0.0.0.0/0"}
    subnet = {"IpAddressPrefix": "10.10.0.0/24", "Routes": [default_route]}
    ops.create_network({"Name": "helloNet", "Type": "NAT", "Ipams": [{"Subnets": [subnet]}]})
    yield ops
    reset_engine()


def test_add_then_del(ops: hcnpy.ops.Ops) -> None:
    namespace = ops.create_namespace()["ID"]
    stdin = json.dumps(CONF).encode()
    added = run_in_process(HelloPlugin, cni_env("ADD", container_id="c1", netns=namespace), stdin)
    assert added.exit_code == 0, added.stderr
    assert added.result is not None
    assert added.result["ips"] == [{"address": "10.10.0.2/24", "gateway": "10.10.0.1",
                                    "interface": 0}]
    endpoint = ops.get_endpoint_by_name("c1_hello")
    assert endpoint["HostComputeNamespace"] == namespace

    deleted = run_in_process(HelloPlugin, cni_env("DEL", container_id="c1"), stdin)
    assert deleted.exit_code == 0
    assert ops.list_endpoints() == []
    again = run_in_process(HelloPlugin, cni_env("DEL", container_id="c1"), stdin)
    assert again.exit_code == 0  # nothing left to delete is still a success


def test_missing_network_is_a_configuration_error(ops: hcnpy.ops.Ops) -> None:
    namespace = ops.create_namespace()["ID"]
    stdin = json.dumps({**CONF, "network": "nope"}).encode()
    outcome = run_in_process(HelloPlugin, cni_env("ADD", netns=namespace), stdin)
    assert outcome.error == {"code": 7, "msg": "no HNS network named 'nope'"}


def test_a_failed_attach_leaves_no_endpoint(
    ops: hcnpy.ops.Ops, monkeypatch: pytest.MonkeyPatch
) -> None:
    namespace = ops.create_namespace()["ID"]
    # The simulator fails the attach (HcnModifyNamespace) with HCN_E_NAMESPACE_ATTACH_FAILED.
    monkeypatch.setenv("HCNPY_SIM_FAULTS", "HcnModifyNamespace=HCN_E_NAMESPACE_ATTACH_FAILED")
    reset_engine()
    stdin = json.dumps(CONF).encode()
    outcome = run_in_process(HelloPlugin, cni_env("ADD", netns=namespace), stdin)
    assert outcome.error is not None and outcome.error["msg"] == "attaching the endpoint failed"
    assert "0x803B002E" in outcome.error["details"]
    assert ops.list_endpoints() == []
