"""Load balancers and their port mappings."""

from hcnpy import (
    LoadBalancer,
    LoadBalancerDistribution,
    LoadBalancerFlags,
    LoadBalancerPortMapping,
    LoadBalancerPortMappingFlags,
    ProtocolType,
    from_dict,
    to_dict,
)


def test_minimal_load_balancer() -> None:
    assert to_dict(LoadBalancer()) == {"SchemaVersion": {"Major": 2, "Minor": 0}}


def test_load_balancer_key_order() -> None:
    lb = LoadBalancer(
        id="I",
        host_compute_endpoints=("E1", "E2"),
        source_vip="10.0.0.1",
        frontend_vips=("10.0.0.10", "fd00::10"),
        port_mappings=(
            LoadBalancerPortMapping(
                protocol=ProtocolType.UDP,
                internal_port=53,
                external_port=53,
                distribution_type=LoadBalancerDistribution.SOURCE_IP,
                flags=LoadBalancerPortMappingFlags.ILB
                | LoadBalancerPortMappingFlags.LOCAL_ROUTED_VIP,
            ),
        ),
        flags=LoadBalancerFlags.DSR | LoadBalancerFlags.IPV6,
        host_compute_network="N",
    )
    doc = to_dict(lb)
    assert list(doc) == [
        "ID", "HostComputeEndpoints", "SourceVIP", "FrontendVIPs", "PortMappings",
        "SchemaVersion", "Flags", "HostComputeNetwork",
    ]  # fmt: skip
    assert doc["PortMappings"] == [
        {"Protocol": 17, "InternalPort": 53, "ExternalPort": 53, "DistributionType": 2, "Flags": 3}
    ]
    assert doc["Flags"] == 3
    assert from_dict(LoadBalancer, doc) == lb


def test_flag_values() -> None:
    assert LoadBalancerFlags["ENABLE_DIRECT_SERVER_RETURN"] is LoadBalancerFlags.DSR
    assert int(LoadBalancerPortMappingFlags.PRESERVE_DIP) == 8
    assert int(LoadBalancerPortMappingFlags.USE_MUX) == 4
    assert int(LoadBalancerDistribution.SOURCE_IP_PROTOCOL) == 1
