"""Simulated HNS SDN routes: stored as given (``Routes`` or hcsshim's ``Setting`` array)."""

from __future__ import annotations

from . import rules as R
from .addressing import parse_ip, parse_prefix
from .balancers import existing_endpoints
from .context import DEFAULT_SCHEMA, Ctx, View, ordered
from .jsondoc import JsonObj, canon, opt_bool, opt_list, parse_guid, schema_version
from .rules import violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SdnRoutes"]

FIELDS = ("ID", "HostComputeEndpoints", "Routes", "Setting", "SchemaVersion", "HostComputeNetwork")
SETTING_FIELDS = ("DestinationPrefix", "NextHop", "NeedEncap", "AutomaticEndpointMonitor")


def _setting(raw: object, where: str) -> JsonObj:
    if not isinstance(raw, dict):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an object")
    setting = canon(raw, SETTING_FIELDS)
    if setting.get("DestinationPrefix"):
        parse_prefix(setting["DestinationPrefix"], f"{where}.DestinationPrefix", R.ROUTE_PREFIX)
    if setting.get("NextHop"):
        parse_ip(setting["NextHop"], f"{where}.NextHop", R.ROUTE_NEXT_HOP)
    opt_bool(setting, "NeedEncap", where)
    opt_bool(setting, "AutomaticEndpointMonitor", where)
    return setting


def _parse(ctx: Ctx, oid: str, body: JsonObj) -> JsonObj:
    doc = canon(body, FIELDS)
    where = "SdnRoute"
    for key in ("Routes", "Setting"):
        if key in doc:
            doc[key] = [
                _setting(raw, f"{where}.{key}[{i}]")
                for i, raw in enumerate(opt_list(doc, key, where))
            ]
    if doc.get("HostComputeNetwork"):
        network = parse_guid(doc["HostComputeNetwork"], f"{where}.HostComputeNetwork")
        if not ctx.tx.exists("Network", network):
            violate(R.LB_NETWORK, f"network {network} is not found")
        doc["HostComputeNetwork"] = network
    doc.update(
        ID=oid,
        HostComputeEndpoints=existing_endpoints(
            ctx, doc.get("HostComputeEndpoints"), f"{where}.HostComputeEndpoints"
        ),
        SchemaVersion=schema_version(doc, where) or dict(DEFAULT_SCHEMA),
    )
    return ordered(doc, FIELDS)


class SdnRoutes:
    """The ``SdnRoute`` kind."""

    kind = "SdnRoute"

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Validate the endpoints and route entries, store as given."""
        ctx.tx.insert(self.kind, oid, _parse(ctx, oid, body))

    def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
        """Replace with the full route document (hcsshim never calls this; HNS exports it)."""
        ctx.tx.update(self.kind, oid, _parse(ctx, oid, body))

    def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
        """Remove."""
        ctx.tx.remove(self.kind, oid)

    def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
        """The stored properties."""
        out = dict(doc)
        out["SchemaVersion"] = view.schema_for(doc)
        return out

    def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
        """Every stored property."""
        fields: dict[str, Any] = {key.lower(): value for key, value in doc.items()}
        return fields
