"""Simulated HNS namespaces: compartments and the endpoint/container attach rules."""

from __future__ import annotations

from . import rules as R
from .context import DEFAULT_SCHEMA, Ctx, View, modify_request, ordered, pick_enum
from .endpoints import REMOTE_ENDPOINT
from .jsondoc import JsonObj, canon, opt_list, opt_str, parse_guid, schema_version
from .rules import violate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEFAULT_COMPARTMENT", "NAMESPACE_TYPES", "Namespaces"]

FIELDS = ("ID", "NamespaceId", "NamespaceGuid", "Type", "Resources", "SchemaVersion")
#: Namespace types; ``Host`` is the zero value (omitted on read, like NAT).
NAMESPACE_TYPES: tuple[str, ...] = R.NAMESPACE_TYPE.params["types"]
#: The host's default network compartment (what ``HostDefault`` namespaces use).
DEFAULT_COMPARTMENT: int = R.NAMESPACE_COMPARTMENT.params["default"]
_FIRST_COMPARTMENT: int = R.NAMESPACE_COMPARTMENT.params["first"]
_COMPARTMENT_COUNTER = "next_compartment"


def attach_endpoint(ctx: Ctx, namespace: str, endpoint: str) -> None:
    """Put ``endpoint`` into ``namespace`` (see the rules in ``docs/hcnpy/simulator.md``)."""
    doc = ctx.tx.get("Endpoint", endpoint)
    if doc is None:
        violate(R.ATTACH_ENDPOINT_MISSING, f"endpoint {endpoint} is not found")
    if doc.get("Flags", 0) & REMOTE_ENDPOINT:
        violate(
            R.ENDPOINT_REMOTE_NAMESPACE,
            f"endpoint {endpoint} is remote and cannot join a namespace",
        )
    current = ctx.tx.namespace_of(endpoint)
    if current == namespace:
        violate(R.ATTACH_TWICE, f"endpoint {endpoint} is already attached to namespace {namespace}")
    if current is not None:
        violate(R.ATTACH_OTHER_NAMESPACE, f"endpoint {endpoint} is already in namespace {current}")
    ctx.tx.attach(namespace, "Endpoint", endpoint)


def detach_endpoint(ctx: Ctx, namespace: str, endpoint: str) -> None:
    """Take ``endpoint`` out of ``namespace``."""
    if not ctx.tx.exists("Endpoint", endpoint):
        violate(R.ATTACH_ENDPOINT_MISSING, f"endpoint {endpoint} is not found")
    if not ctx.tx.has_resource(namespace, "Endpoint", endpoint):
        violate(
            R.DETACH_NOT_ATTACHED, f"endpoint {endpoint} is not attached to namespace {namespace}"
        )
    ctx.tx.detach(namespace, "Endpoint", endpoint)


def _container(ctx: Ctx, namespace: str, container: str, add: bool) -> None:
    present = ctx.tx.has_resource(namespace, "Container", container)
    if add and present:
        violate(R.NAMESPACE_CONTAINER, f"container {container} is already in the namespace")
    if not add and not present:
        violate(R.NAMESPACE_CONTAINER_ABSENT, f"container {container} is not in the namespace")
    if add:
        ctx.tx.attach(namespace, "Container", container)
    else:
        ctx.tx.detach(namespace, "Container", container)


def _resource(ctx: Ctx, namespace: str, raw: object, where: str) -> None:
    if not isinstance(raw, dict):
        violate(R.DOC_FIELD_TYPE, f"{where}: want an object")
    entry = canon(raw, ["Type", "Data"])
    rtype = pick_enum(entry, "Type", where, ("Endpoint", "Container"), R.DOC_FIELD_TYPE)
    raw_data = entry.get("Data")
    data = canon(raw_data if isinstance(raw_data, dict) else {}, ["ID"])
    if rtype == "Endpoint":
        attach_endpoint(ctx, namespace, parse_guid(data.get("ID"), f"{where}.Data.ID"))
    elif rtype == "Container":
        container = opt_str(data, "ID", f"{where}.Data")
        if not container:
            violate(R.DOC_FIELD_TYPE, f"{where}.Data.ID is required")
        _container(ctx, namespace, container, add=True)
    else:
        violate(R.DOC_FIELD_TYPE, f"{where}.Type is required")


class Namespaces:
    """The ``Namespace`` kind."""

    kind = "Namespace"

    def create(self, ctx: Ctx, oid: str, body: JsonObj, network: str | None) -> None:
        """Store a namespace with a fresh compartment (``HostDefault``: the default one)."""
        doc = canon(body, FIELDS)
        ntype = pick_enum(doc, "Type", "Namespace", NAMESPACE_TYPES, R.NAMESPACE_TYPE)
        ntype = ntype or "Host"
        if ntype == "HostDefault":
            compartment = DEFAULT_COMPARTMENT
        else:
            compartment = ctx.tx.next_counter(_COMPARTMENT_COUNTER, _FIRST_COMPARTMENT)
        resources = opt_list(doc, "Resources", "Namespace")
        doc.pop("Resources", None)
        doc.update(
            ID=oid,
            NamespaceId=compartment,
            Type=ntype,
            SchemaVersion=schema_version(doc, "Namespace") or dict(DEFAULT_SCHEMA),
        )
        ctx.tx.insert(self.kind, oid, ordered(doc, FIELDS))
        for i, raw in enumerate(resources):
            _resource(ctx, oid, raw, f"Namespace.Resources[{i}]")

    def modify(self, ctx: Ctx, oid: str, doc: JsonObj, body: JsonObj) -> None:
        """``Endpoint`` (``{"EndpointId"}``) or ``Container`` (``{"ContainerId"}``) Add/Remove."""
        resource, request, settings = modify_request(
            body, "HcnModifyNamespace", ("Endpoint", "Container")
        )
        if request not in ("Add", "Remove"):
            violate(R.MODIFY_UNSUPPORTED, f"RequestType {request} on a namespace")
        if resource == "Endpoint":
            endpoint = parse_guid(
                canon(settings, ["EndpointId"]).get("EndpointId"), "Settings.EndpointId"
            )
            if request == "Add":
                attach_endpoint(ctx, oid, endpoint)
            else:
                detach_endpoint(ctx, oid, endpoint)
        else:
            container = opt_str(canon(settings, ["ContainerId"]), "ContainerId", "Settings")
            if not container:
                violate(R.DOC_FIELD_TYPE, "Settings.ContainerId is required")
            _container(ctx, oid, container, add=request == "Add")

    def delete(self, ctx: Ctx, oid: str, doc: JsonObj) -> None:
        """Refuse while a container is inside; otherwise detach the endpoints and remove."""
        containers = [rid for rtype, rid in ctx.tx.resources(oid) if rtype == "Container"]
        if containers:
            violate(
                R.NAMESPACE_DELETE_CONTAINER,
                f"namespace {oid} still holds container(s) {', '.join(containers)}",
            )
        ctx.tx.detach_namespace(oid)
        ctx.tx.remove(self.kind, oid)

    def render(self, ctx: Ctx, oid: str, doc: JsonObj, view: View) -> JsonObj:
        """Properties with ``Resources`` in attach order; ``Type`` omitted for ``Host``."""
        out = dict(doc)
        if out.get("Type") == "Host":
            del out["Type"]
        resources = [{"Type": rtype, "Data": {"ID": rid}} for rtype, rid in ctx.tx.resources(oid)]
        if resources:
            out["Resources"] = resources
        out["SchemaVersion"] = view.schema_for(doc)
        return ordered(out, FIELDS)

    def filter_fields(self, ctx: Ctx, oid: str, doc: JsonObj) -> JsonObj:
        """Stored properties (``Type`` included even for ``Host``)."""
        fields: dict[str, Any] = {key.lower(): value for key, value in doc.items()}
        return fields
