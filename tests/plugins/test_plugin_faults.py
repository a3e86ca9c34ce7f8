"""Fault injection: an HNS failure at each step of ADD leaves nothing behind.

No endpoint, no IP (host-local's data directory is empty) and no namespace attachment; and
a retried ADD then succeeds. Faults come from the simulator (``HCNPY_SIM_FAULTS``).
"""

from __future__ import annotations

import pytest

from .wp_harness import Sim, have_host_local

# Every HCN call a plain first ADD makes, in order (hns.py documents the sequence).
ADD_STEPS = [
    "HcnEnumerateNetworks",
    "HcnOpenNetwork",
    "HcnQueryNetworkProperties",
    "HcnEnumerateEndpoints",  # is the container's endpoint there already?
    "HcnCreateEndpoint",
    "HcnQueryEndpointProperties",
    "HcnOpenNamespace",
    "HcnModifyNamespace",
]


@pytest.mark.parametrize("hresult", ["E_FAIL", "HCN_E_NAMESPACE_ATTACH_FAILED"])
@pytest.mark.parametrize("step", ADD_STEPS)
@pytest.mark.skipif(not have_host_local(), reason="needs /usr/lib/cni/host-local")
def test_failure_at_each_add_step_leaves_nothing(sim: Sim, step: str, hresult: str) -> None:
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    conf = {
        "cniVersion": "1.0.0",
        "name": "natNet",
        "type": "nat",
        "ipam": {"type": "host-local", "subnet": "10.0.0.0/16", "dataDir": str(sim.ipam_dir)},
        "runtimeConfig": {
            "portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]
        },
    }
    # "@1": only the first call of that function fails, so the plugin's own clean-up works.
    sim.extra_env["HCNPY_SIM_FAULTS"] = f"{step}={hresult}@1"
    out = sim.add("nat", conf, netns=ns)
    assert out.code == 66, out
    assert hresult in out.msg and step in out.json["details"]
    assert "Traceback" not in out.stderr
    assert sim.endpoints() == []
    assert sim.ipam_files() == []
    assert sim.namespace_endpoints(ns) == []

    sim.extra_env.pop("HCNPY_SIM_FAULTS")
    retry = sim.add("nat", conf, netns=ns)
    assert retry.ok, retry
    (endpoint,) = sim.endpoints()
    assert sim.namespace_endpoints(ns) == [endpoint["ID"].lower()]
    assert len(sim.ipam_files()) == 1


@pytest.mark.parametrize(
    "step", ["HcnQueryEndpointProperties", "HcnModifyNamespace", "HcnOpenNamespace"]
)
def test_persistent_failure_after_create_still_cleans_up(sim: Sim, step: str) -> None:
    """Every call of the function fails (not only the first): the endpoint still goes away."""
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    sim.extra_env["HCNPY_SIM_FAULTS"] = f"{step}=E_FAIL"
    out = sim.add("nat", {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}, netns=ns)
    assert out.code == 66, out
    sim.extra_env.pop("HCNPY_SIM_FAULTS")
    assert sim.endpoints() == []
    assert sim.namespace_endpoints(ns) == []


def test_faults_on_del_steps_give_code_11_then_succeed(sim: Sim) -> None:
    sim.network("natNet", "NAT")
    ns = sim.namespace()
    conf = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}
    assert sim.add("nat", conf, netns=ns).ok
    for step in (
        "HcnOpenEndpoint",
        "HcnQueryEndpointProperties",
        "HcnOpenNamespace",
        "HcnModifyNamespace",
        "HcnDeleteEndpoint",
    ):
        sim.extra_env["HCNPY_SIM_FAULTS"] = f"{step}=E_FAIL"
        out = sim.delete("nat", conf, netns=ns)
        assert out.code == 11, (step, out)
    sim.extra_env.pop("HCNPY_SIM_FAULTS")
    assert sim.delete("nat", conf, netns=ns).ok
    assert sim.endpoints() == []
