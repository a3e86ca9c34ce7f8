"""Properties verification for each plugin (reference §2.4), as separate processes.

The reference's check is lenient (it compares ``min(len(actual), len(expected))`` policies
byte-wise, so the nat test checks nothing); here the endpoint must carry exactly the expected
policies, compared by meaning.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from winplugins.policies import policies_match

from .wp_harness import Sim

HOST_IP = "192.168.50.10"

POLICIES = [
    {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["10.0.0.0/16", f"{HOST_IP}/32"]}},
    {"Type": "SDNRoute", "Settings": {"DestinationPrefix": "11.0.0.0/8", "NeedEncap": True}},
    {"Type": "ProviderAddress", "Settings": {"ProviderAddress": HOST_IP}},
]


def netconf(name: str, kind: str, gateway: str, with_policies: bool) -> dict[str, Any]:
    """The reference e2e netconf (§2.3), including its lower-case ``name``/``value`` keys."""
    conf: dict[str, Any] = {
        "cniVersion": "0.2.0",
        "name": name,
        "type": kind,
        "ipam": {
            "environment": "mas",
            "subnet": "10.0.0.0/16",
            "routes": [{"dst": "0.0.0.0/0", "gw": gateway}],
        },
        "dns": {
            "nameservers": ["10.50.10.50", "8.8.8.8"],
            "search": ["svc.cluster.local", "svc.cluster.local"],
        },
    }
    if with_policies:
        conf["AdditionalArgs"] = [{"name": "EndpointPolicy", "value": p} for p in POLICIES]
    return conf


CASES = {
    # plugin: (network name, HNS type, config gateway, policies?, subnet policies)
    "nat": ("natNet", "NAT", "10.0.0.1", False, []),
    "sdnbridge": ("bridgeNet", "L2Bridge", "10.0.0.2", True, []),
    "sdnoverlay": (
        "overlayNet",
        "Overlay",
        "10.0.0.1",
        True,
        [{"Type": "VSID", "Settings": {"IsolationId": 4096}}],
    ),
}


@pytest.mark.parametrize("plugin", sorted(CASES))
def test_properties(sim: Sim, plugin: str) -> None:
    name, kind, gateway, with_policies, subnet_policies = CASES[plugin]
    network = sim.network(
        name, kind, [("10.0.0.0/16", "10.0.0.1")], subnet_policies=subnet_policies
    )
    namespace = sim.namespace()
    conf = netconf(name, kind, gateway, with_policies)
    container = f"{kind}TestUnitContainer"

    added = sim.add(plugin, conf, container_id=container, netns=namespace,
                    args="IgnoreUnknown=1;K8S_POD_NAMESPACE=test-default")  # fmt: skip
    assert added.ok, added  # 1
    endpoint = sim.endpoint(f"{container}_{name}")
    assert endpoint is not None  # 2
    assert endpoint["HostComputeNamespace"].lower() == namespace.lower()  # 3
    assert endpoint["HostComputeNetwork"].lower() == network["ID"].lower()  # 4
    expected = POLICIES if with_policies else []
    assert policies_match(expected, endpoint.get("Policies") or []), endpoint.get("Policies")  # 5
    assert endpoint["ID"].lower() in sim.namespace_endpoints(namespace)  # 6

    # The result (0.2.0 shape: ip4) carries the address with the network's prefix and gateway.
    ip4 = added.json["ip4"]
    address = ipaddress.ip_interface(ip4["ip"])
    assert address in ipaddress.ip_network("10.0.0.0/16") and address.network.prefixlen == 16
    assert ip4["gateway"] == gateway
    # DNS: the namespace rewrites the first search domain; the second copy survives.
    assert endpoint["Dns"]["Search"] == ["test-default.svc.cluster.local", "svc.cluster.local"]
    assert endpoint["Dns"]["ServerList"] == ["10.50.10.50", "8.8.8.8"]

    deleted = sim.delete(plugin, conf, container_id=container, netns=namespace)
    assert deleted.ok, deleted  # 7
    assert sim.endpoint(f"{container}_{name}") is None  # 8
    assert endpoint["ID"].lower() not in sim.namespace_endpoints(namespace)  # 9
