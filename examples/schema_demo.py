"""hcnpy schema demo: build HNS V2 documents from typed models and read HNS output back.

Run with ``.venv/bin/python examples/schema_demo.py``. Nothing here talks to HNS; it shows
the JSON hcnpy would send and how it reads what HNS returns (missing ``Type``, any key case,
unknown fields kept).
"""

import json

import hcnpy
from hcnpy import (
    Endpoint,
    EndpointPolicy,
    Ipam,
    Network,
    NetworkType,
    PortMappingPolicySetting,
    ProtocolType,
    Route,
    Subnet,
)

NETWORK_ID = "6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10"

# What HNS returns for a NAT network: no "Type" (NAT is its enum zero and is omitted), keys in
# other cases, and fields hcnpy does not model ("Version", "State", "ObjectId", ...).
HNS_OUTPUT = """{
  "ID": "6A1F5C3E-0B7D-4C51-9D21-3F0E8B6A7C10",
  "name": "nat",
  "ipams": [{"subnets": [{"ipAddressPrefix": "172.16.0.0/16",
                          "routes": [{"nextHop": "172.16.0.1", "destinationPrefix": "0.0.0.0/0"}],
                          "ObjectId": "1B2C3D4E-0000-4000-8000-000000000001"}]}],
  "MacPool": {"Ranges": [{"StartMacAddress": "00-15-5D-9A-10-00",
                          "EndMacAddress": "00-15-5D-9A-1F-FF"}]},
  "Health": {"Extra": {"SwitchGuid": "0D5E9C4B-1A2B-4C3D-8E9F-A0B1C2D3E4F5"}},
  "SchemaVersion": {"Major": 2, "Minor": 0},
  "Version": 64424509440,
  "State": 1
}"""


def show(title: str, obj: hcnpy.Model) -> None:
    print(f"== {title}")
    print(json.dumps(hcnpy.to_dict(obj), indent=2))


def main() -> None:
    network = Network(
        name="nat",
        type=NetworkType.NAT,
        ipams=(
            Ipam(
                subnets=(
                    Subnet(
                        ip_address_prefix="172.16.0.0/16",
                        routes=(Route(next_hop="172.16.0.1", destination_prefix="0.0.0.0/0"),),
                    ),
                )
            ),
        ),
    )
    hcnpy.validate(network, for_create=True)
    show("NAT network with static IPAM and a default route (HcnCreateNetwork)", network)

    endpoint = Endpoint(
        name="nat-ep",
        host_compute_network=NETWORK_ID,
        policies=(
            EndpointPolicy.of(
                PortMappingPolicySetting(
                    protocol=ProtocolType.TCP, internal_port=80, external_port=8080
                )
            ),
        ),
    )
    hcnpy.validate(endpoint, for_create=True)
    show("endpoint publishing port 80 on host port 8080 (HcnCreateEndpoint)", endpoint)
    print("compact, as sent:", hcnpy.to_json(endpoint))

    print("\n== reading HNS output")
    read = hcnpy.from_json(Network, HNS_OUTPUT)
    print("type:", read.type.__class__.__name__, read.type)
    print("subnet:", read.ipams[0].subnets[0].ip_address_prefix)
    print("unknown fields kept:", dict(read.unknown_fields))
    print("  ... and on the subnet:", dict(read.ipams[0].subnets[0].unknown_fields))
    show("written back (canonical keys, Type filled in, unknown fields unchanged)", read)
    assert hcnpy.from_dict(Network, hcnpy.to_dict(read)) == read

    print("\n== a bad document is rejected before it is sent")
    broken = Network(ipams=(Ipam(subnets=(Subnet(ip_address_prefix="10.0.0.0/24"),)),))
    try:
        hcnpy.validate(broken, for_create=True)
    except hcnpy.ValidationError as error:
        print("ValidationError:", error)


if __name__ == "__main__":
    main()
