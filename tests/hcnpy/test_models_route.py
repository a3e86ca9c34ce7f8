"""SDN routes."""

from hcnpy import SdnRoute, SDNRoutePolicySetting, from_dict, to_dict


def test_minimal_route() -> None:
    assert to_dict(SdnRoute()) == {"SchemaVersion": {"Major": 2, "Minor": 0}}


def test_route_key_order_and_alias() -> None:
    route = SdnRoute(
        id="I",
        host_compute_endpoints=("E",),
        routes=(SDNRoutePolicySetting(destination_prefix="0.0.0.0/0", next_hop="10.0.0.1"),),
        host_compute_network="N",
    )
    doc = to_dict(route)
    assert list(doc) == [
        "ID",
        "HostComputeEndpoints",
        "Routes",
        "SchemaVersion",
        "HostComputeNetwork",
    ]
    hcsshim_style = {("Setting" if k == "Routes" else k): v for k, v in doc.items()}
    assert from_dict(SdnRoute, hcsshim_style) == route
