"""SDN routes (``HostComputeRoute``)."""

import attrs

from ._base import Model, nested, opt, seq
from .common import SchemaVersion
from .policies.shared import SDNRoutePolicySetting

__all__ = ["SdnRoute"]


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class SdnRoute(Model):
    """``HostComputeRoute``: routes applied to a set of endpoints.

    The route list is sent as ``Routes`` (Microsoft's schema and the SDN PowerShell client);
    hcsshim's ``Setting`` key is accepted on read.
    """

    id: str | None = opt("ID", check="guid")
    host_compute_endpoints: tuple[str, ...] = seq("HostComputeEndpoints", check="guid")
    routes: tuple[SDNRoutePolicySetting, ...] = seq("Routes", aliases=("Setting",))
    schema_version: SchemaVersion = nested("SchemaVersion", SchemaVersion)
    host_compute_network: str | None = opt("HostComputeNetwork", check="guid")
