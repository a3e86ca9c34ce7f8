"""The CNI result built from the HNS endpoint document.

The reading of the endpoint (its addresses, default routes, DNS and MAC) is
:mod:`hcnpy.cni`'s; what this module adds is the plugins' choice of prefix length and
gateway. What the reference got wrong, and this module does not:

* the MAC is text (``00:15:5d:1a:2b:3c``), not the raw bytes;
* each IP carries the prefix length of the HNS network subnet that holds it (not of the
  network's first subnet) and the gateway of its own family;
* the endpoint's DNS settings are reported.
"""

from __future__ import annotations

from hcnpy import jsonkeys
from hcnpy.cni import cni_mac, endpoint_addresses, endpoint_dns, endpoint_gateways

from . import addressing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from cniskel.result import Result

    from .config import DNS

__all__ = ["build"]


def build(
    network: Mapping[str, Any],
    endpoint: Mapping[str, Any],
    ifname: str,
    netns: str = "",
    *,
    dns: DNS | None = None,
    planned: addressing.Addresses | None = None,
) -> Result:
    """The result for ``endpoint`` on ``network`` (a 1.1.0 result; printed in the
    configuration's version).

    ``planned`` (what ADD decided) fills gaps where HNS did not echo a value back, e.g. the
    prefix length of an IPAM address; ``dns`` likewise when the endpoint has no ``Dns``.
    """
    from cniskel.result import DNS as CniDns
    from cniskel.result import Result

    interface: dict[str, Any] = {"name": ifname}
    mac = cni_mac(jsonkeys.get(endpoint, "MacAddress"))
    if mac:
        interface["mac"] = mac
    if netns:
        interface["sandbox"] = netns
    gateways = endpoint_gateways(endpoint)
    ips: list[dict[str, Any]] = []
    routes: list[dict[str, Any]] = []
    for ip, hns_prefix in endpoint_addresses(endpoint):
        version = addressing.family(ip)
        planned_prefix = 0
        if planned is not None:
            planned_prefix = planned.prefix4 if version == 4 else planned.prefix6
        prefix = addressing.prefix_length(ip, network, hns_prefix, planned_prefix)
        gateway = gateways.get(version) or (planned.gateway(version) if planned else "")
        entry: dict[str, Any] = {"address": f"{ip}/{prefix}", "interface": 0}
        if gateway:
            entry["gateway"] = gateway
            default = addressing.default_route(version)
            if not any(route["dst"] == default for route in routes):
                routes.append({"dst": default, "gw": gateway})
        ips.append(entry)
    result: dict[str, Any] = {"cniVersion": "1.1.0", "interfaces": [interface], "ips": ips}
    if routes:
        result["routes"] = routes
    reported = endpoint_dns(endpoint)
    if not reported and dns is not None:
        reported = CniDns(dns.nameservers, dns.domain, dns.search, dns.options).to_dict()
    if reported:
        result["dns"] = reported
    return Result.from_dict(result, "1.1.0")
