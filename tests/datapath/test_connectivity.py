"""Connectivity, as the reference plugins' suite tests it, with real packets through the kernel.

Containers are attached by the real plugin processes (``nat``, ``sdnbridge``); the kernel state
comes only from the simulator's datapath. Mirrors the reference's connectivity half
(reference §2.5): container <-> container, container -> gateway and host, container ->
outside through NAT, outside -> container through a port mapping; plus ACLs, outbound NAT
exceptions, L2Bridge without NAT, and DEL taking connectivity away.
"""

from __future__ import annotations

from typing import Any

from hcnpy.sim.datapath import names, world

from .dp_harness import Lab

HOST = str(world.HOST4)
OUTSIDE = str(world.EXTERNAL4)
FAR = str(world.REMOTE4)

NAT_CONF = {"cniVersion": "1.0.0", "name": "natNet", "type": "nat"}
BRIDGE_CONF = {"cniVersion": "1.0.0", "name": "bridgeNet", "type": "sdnbridge"}


def _nat(lab: Lab) -> dict[str, Any]:
    return lab.sim.network("natNet", "NAT", (("10.0.0.0/16", "10.0.0.1"),))


def _with_ports(conf: dict[str, Any], *mappings: dict[str, Any]) -> dict[str, Any]:
    return {**conf, "runtimeConfig": {"portMappings": list(mappings)}}


def test_containers_on_one_network_reach_each_other(lab: Lab) -> None:
    _nat(lab)
    a = lab.container("nat", NAT_CONF, "a")
    b = lab.container("nat", NAT_CONF, "b")
    assert lab.ping(a.netns, b.ip)
    assert lab.ping(b.netns, a.ip)
    # The kernel interface is the HNS endpoint: its MAC and address.
    endpoint = lab.sim.endpoint("a_natNet")
    assert endpoint is not None
    port = names.container_port(endpoint["ID"])
    link = next(link for link in lab.links(a.netns) if link["ifname"] == port)
    assert link["address"] == endpoint["MacAddress"].replace("-", ":").lower()
    assert [(i["local"], i["prefixlen"]) for i in link["addr_info"] if i["family"] == "inet"] == [
        (a.ip, 16)
    ]


def test_container_reaches_its_gateway_and_the_host(lab: Lab) -> None:
    _nat(lab)
    a = lab.container("nat", NAT_CONF, "a")
    assert lab.ping(a.netns, "10.0.0.1")  # the network's gateway, on its bridge
    assert lab.ping(a.netns, HOST)  # the host's own (outside-facing) address
    assert lab.ping(lab.host, a.ip)  # and the host reaches the container


def test_container_reaches_the_outside_through_nat(lab: Lab) -> None:
    _nat(lab)
    a = lab.container("nat", NAT_CONF, "a")
    assert lab.ping(a.netns, FAR)
    listener = lab.listen(lab.external, 7000)
    assert lab.connect(a.netns, FAR, 7000) == "hello from 7000"
    assert listener.peer() == HOST  # masqueraded: the outside sees the host, not 10.0.0.x
    # The outside cannot open a connection into a NAT network.
    assert not lab.ping(lab.external, a.ip)


def test_outside_reaches_container_through_a_port_mapping(lab: Lab) -> None:
    _nat(lab)
    conf = _with_ports(
        NAT_CONF,
        {"hostPort": 8080, "containerPort": 80, "protocol": "tcp"},
        {"hostPort": 5353, "containerPort": 53, "protocol": "udp"},
    )
    a = lab.container("nat", conf, "a")
    web = lab.listen(a.netns, 80)
    assert lab.connect(lab.external, HOST, 8080) == "hello from 80"
    assert web.peer() == OUTSIDE  # DNAT only: the container sees the real client
    dns = lab.listen(a.netns, 53, "udp")
    assert lab.connect(lab.external, HOST, 5353, "udp") == "hello from 53"
    assert dns.peer() == OUTSIDE
    lab.listen(a.netns, 81)
    assert lab.connect(lab.external, HOST, 8081).startswith("failed")  # no mapping, no way in


def test_port_mapping_with_a_vip_answers_on_that_address_only(lab: Lab) -> None:
    _nat(lab)
    conf = _with_ports(NAT_CONF, {"hostPort": 9090, "containerPort": 90, "hostIP": HOST})
    a = lab.container("nat", conf, "a")
    lab.listen(a.netns, 90)
    assert lab.connect(lab.external, HOST, 9090) == "hello from 90"
    lab.listen(a.netns, 90)
    # The gateway address is the host's too, but the mapping is bound to the VIP.
    assert lab.connect(lab.host, "10.0.0.1", 9090).startswith("failed")


def test_container_reaches_a_port_mapping_of_its_own_network(lab: Lab) -> None:
    _nat(lab)
    a = lab.container("nat", _with_ports(NAT_CONF, {"hostPort": 8080, "containerPort": 80}), "a")
    b = lab.container("nat", NAT_CONF, "b")
    web = lab.listen(a.netns, 80)
    assert lab.connect(b.netns, HOST, 8080) == "hello from 80"
    assert web.peer() == "10.0.0.1"  # hairpin: masqueraded to the bridge so replies return


def _acl(action: str, direction: str, priority: int, **extra: str) -> dict[str, Any]:
    settings: dict[str, Any] = {"Action": action, "Direction": direction, "Priority": priority}
    settings.update(extra)
    return {"Type": "ACL", "Settings": settings}


def test_acl_blocks_one_peer_and_allows_another(lab: Lab) -> None:
    _nat(lab)
    web = lab.container("nat", NAT_CONF, "web")
    friend = lab.container("nat", NAT_CONF, "friend")
    stranger = lab.container("nat", NAT_CONF, "stranger")
    endpoint = lab.sim.endpoint("web_natNet")
    assert endpoint is not None
    block = _acl("Block", "In", 100, RemoteAddresses=stranger.ip)
    allow = [_acl("Allow", "In", 200), _acl("Allow", "Out", 200)]
    lab.sim.ops.apply_endpoint_policies(endpoint["ID"], "Add", [block, *allow])
    assert lab.ping(friend.netns, web.ip)
    assert not lab.ping(stranger.netns, web.ip)
    assert lab.ping(web.netns, stranger.ip)  # Out is allowed; the reply is part of that flow
    lab.sim.ops.apply_endpoint_policies(endpoint["ID"], "Remove", [block])
    assert lab.ping(stranger.netns, web.ip)


def test_any_acl_makes_the_endpoint_default_deny(lab: Lab) -> None:
    _nat(lab)
    web = lab.container("nat", NAT_CONF, "web")
    peer = lab.container("nat", NAT_CONF, "peer")
    endpoint = lab.sim.endpoint("web_natNet")
    assert endpoint is not None
    only_http = _acl("Allow", "In", 100, Protocols="6", LocalPorts="80")
    lab.sim.ops.apply_endpoint_policies(endpoint["ID"], "Add", [only_http])
    lab.listen(web.netns, 80)
    assert lab.connect(peer.netns, web.ip, 80) == "hello from 80"  # allowed, stateful reply
    assert not lab.ping(peer.netns, web.ip)  # ICMP: no rule allows it
    assert not lab.ping(web.netns, peer.ip)  # nothing allows Out either


def test_acl_lower_priority_number_wins(lab: Lab) -> None:
    _nat(lab)
    web = lab.container("nat", NAT_CONF, "web")
    peer = lab.container("nat", NAT_CONF, "peer")
    endpoint = lab.sim.endpoint("web_natNet")
    assert endpoint is not None
    rules = [
        _acl("Allow", "In", 300, Protocols="1"),  # listed first, but later by priority
        _acl("Block", "In", 200, Protocols="256", RemoteAddresses=peer.ip),
        _acl("Allow", "Out", 100, Protocols="256"),
    ]
    lab.sim.ops.apply_endpoint_policies(endpoint["ID"], "Add", rules)
    assert not lab.ping(peer.netns, web.ip)
    lab.sim.ops.apply_endpoint_policies(endpoint["ID"], "Update", [
        _acl("Allow", "In", 100, Protocols="1"),
        _acl("Block", "In", 200, Protocols="256", RemoteAddresses=peer.ip),
        _acl("Allow", "Out", 100, Protocols="256"),
    ])  # fmt: skip
    assert lab.ping(peer.netns, web.ip)


def test_acls_given_at_add_are_programmed_with_the_endpoint(lab: Lab) -> None:
    _nat(lab)
    peer = lab.container("nat", NAT_CONF, "peer")
    conf = {
        **NAT_CONF,
        "AdditionalArgs": [
            {"Name": "EndpointPolicy", "Value": _acl("Block", "In", 100, RemoteAddresses=peer.ip)},
            {"Name": "EndpointPolicy", "Value": _acl("Allow", "In", 200)},
            {"Name": "EndpointPolicy", "Value": _acl("Allow", "Out", 200)},
        ],
    }
    web = lab.container("nat", conf, "web")
    other = lab.container("nat", NAT_CONF, "other")
    assert not lab.ping(peer.netns, web.ip)
    assert lab.ping(other.netns, web.ip)


def _bridge(lab: Lab) -> None:
    lab.sim.network("bridgeNet", "L2Bridge", (("10.1.0.0/24", "10.1.0.1"),))


def test_l2bridge_reaches_the_outside_without_nat(lab: Lab) -> None:
    _bridge(lab)
    a = lab.container("sdnbridge", BRIDGE_CONF, "a")
    listener = lab.listen(lab.external, 7001)
    assert lab.connect(a.netns, FAR, 7001) == "hello from 7001"
    assert listener.peer() == a.ip  # no NAT on an L2Bridge network
    assert lab.ping(lab.external, a.ip)  # and the outside reaches it directly


def test_outbound_nat_exceptions(lab: Lab) -> None:
    _bridge(lab)
    outbound = {"Type": "OutBoundNAT", "Settings": {"Exceptions": ["198.19.0.0/16", "10.1.0.0/24"]}}
    conf = {**BRIDGE_CONF, "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": outbound}]}
    a = lab.container("sdnbridge", conf, "a")
    far = lab.listen(lab.external, 7002, bind=FAR)
    assert lab.connect(a.netns, FAR, 7002) == "hello from 7002"
    assert far.peer() == a.ip  # an exception: sent with the container's own address
    near = lab.listen(lab.external, 7003, bind=OUTSIDE)
    assert lab.connect(a.netns, OUTSIDE, 7003) == "hello from 7003"
    assert near.peer() == HOST  # everything else leaves with the host's address


def test_del_removes_connectivity(lab: Lab) -> None:
    _nat(lab)
    conf = _with_ports(NAT_CONF, {"hostPort": 8080, "containerPort": 80})
    a = lab.container("nat", conf, "a")
    b = lab.container("nat", NAT_CONF, "b")
    assert lab.ping(b.netns, a.ip)
    lab.delete("nat", conf, a, "a")
    assert not lab.ping(b.netns, a.ip)
    assert [link["ifname"] for link in lab.links(a.netns)] == ["lo"]
    assert "8080" not in lab.ruleset(lab.host)
    assert lab.connect(lab.external, HOST, 8080).startswith("failed")
    # The namespace's own deletion takes its Linux namespace with it.
    lab.sim.ops.delete_namespace(a.namespace_id)
    assert not lab.names.exists(a.netns)
    assert lab.ping(b.netns, "10.0.0.1")


def test_dual_stack(lab: Lab) -> None:
    net = lab.sim.network(
        "dual", "L2Bridge", (("10.1.0.0/24", "10.1.0.1"), ("fd00:1::/64", "fd00:1::1"))
    )
    nat = lab.sim.network(
        "nat6", "NAT", (("10.2.0.0/24", "10.2.0.1"), ("fd00:2::/64", "fd00:2::1"))
    )
    netns, v6 = {}, {}
    for name, network in (("a", net), ("b", net), ("c", nat)):
        endpoint = lab.sim.ops.create_endpoint(network["ID"], {"Name": name})
        namespace = lab.sim.namespace()
        lab.sim.ops.add_namespace_endpoint(namespace, endpoint["ID"], refresh=False)
        netns[name] = lab.names.namespace(namespace)
        v6[name] = next(
            c["IpAddress"] for c in endpoint["IpConfigurations"] if ":" in c["IpAddress"]
        )
    assert lab.ping(netns["a"], v6["b"])
    assert lab.ping(netns["a"], "fd00:1::1")
    assert lab.ping(netns["a"], str(world.REMOTE6))
    assert lab.ping(lab.external, v6["a"])  # L2Bridge: the outside reaches it directly
    far = lab.listen(lab.external, 7004, bind=str(world.REMOTE6))
    assert lab.connect(netns["c"], str(world.REMOTE6), 7004) == "hello from 7004"
    assert far.peer() == str(world.HOST6)  # a NAT network masquerades IPv6 too
