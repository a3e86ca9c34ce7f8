"""Sphinx directives that build reference tables from the code, so the docs cannot drift.

* ``{hcnpy-hresults}`` — every member of :class:`hcnpy.hresult.HResult`: value, the exception
  :data:`hcnpy.errors.EXCEPTION_TABLE` raises for it, its meaning (:func:`hcnpy.hresult.text`)
  and what to do (``ADVICE`` below).
* ``{hcnpy-features}`` — every :class:`hcnpy.features.Feature` with the HNS versions from
  :data:`hcnpy.features.FEATURE_RANGES`, the policy types it gates (:mod:`hcnpy.gates`) and
  what else needs it (``FEATURE_USES`` below).

A code without advice, advice for a code that no longer exists, or the same for features is
reported as a Sphinx warning, which fails ``make docs`` (it runs with ``-W``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from hcnpy.cli.info import describe_ranges
from hcnpy.errors import EXCEPTION_TABLE
from hcnpy.features import FEATURE_RANGES, Feature, HnsVersion, is_supported
from hcnpy.gates import ENDPOINT_POLICY_FEATURES, NETWORK_POLICY_FEATURES
from hcnpy.hresult import HResult, text
from hcnpy.sim.versions import DEFAULT_VERSION

DEFAULT_SIMULATED_VERSION = HnsVersion(*DEFAULT_VERSION)

LOG = logging.getLogger(__name__)

_GUEST = (
    "Reported by the guest network service inside a utility VM (Hyper-V isolated "
    "containers). Check the container's isolation mode and the guest's logs; re-create the "
    "container."
)

#: What to do about each HRESULT, by name. Keep one entry per ``HResult`` member.
ADVICE: Mapping[str, str] = {
    "S_OK": "Success. hcnpy raises with `S_OK` only when HNS also returned a non-empty error "
    "record (hcsshim's rule): read `error.error_record`.",
    "HCN_E_NETWORK_NOT_FOUND": "Check the ID or name (`hcnpy network list`) and create the "
    "network first. When deleting, it is already gone: pass `missing_ok=True`.",
    "HCN_E_ENDPOINT_NOT_FOUND": "The endpoint was deleted or never created (`hcnpy endpoint "
    "list`). In a CNI DEL treat it as done (`missing_ok=True`).",
    "HCN_E_LAYER_NOT_FOUND": "The network's internal state in HNS is incomplete: delete and "
    "re-create the network; if it persists, restart the HNS service.",
    "HCN_E_SWITCH_NOT_FOUND": "The virtual switch behind the network is gone (adapter removed, "
    "switch deleted): re-create the network.",
    "HCN_E_SUBNET_NOT_FOUND": "The network has no subnet for the requested address: add an "
    "IPAM subnet that covers it, or create the endpoint on the right network.",
    "HCN_E_ADAPTER_NOT_FOUND": "The network adapter named by the `NetAdapterName` policy (or "
    "the one HNS picked) does not exist: compare with `Get-NetAdapter`.",
    "HCN_E_PORT_NOT_FOUND": "The endpoint's switch port is gone: delete and re-create the "
    "endpoint.",
    "HCN_E_POLICY_NOT_FOUND": "Removing a policy that is not there: list the object's "
    "policies and remove exactly one that is present (type and settings must match).",
    "HCN_E_VFP_PORTSETTING_NOT_FOUND": "A setting HNS expected on the endpoint's port is "
    "missing: delete and re-create the endpoint.",
    "HCN_E_INVALID_NETWORK": "Fix the network document: `Name` is required; check `MacPool` "
    "ranges and `Ipams`. The HNS error record names the problem.",
    "HCN_E_INVALID_NETWORK_TYPE": "Use an HNS network type spelled as HNS spells it (`NAT`, "
    "`L2Bridge`, `Overlay`, …); `hcnpy.NetworkType` lists them.",
    "HCN_E_INVALID_ENDPOINT": "Fix the endpoint document (MAC with dashes, "
    "`HostComputeNetwork` equal to the network it is created on); "
    "`hcnpy.validate(endpoint, for_create=True)` catches most of it before sending.",
    "HCN_E_INVALID_POLICY": "The settings do not fit the policy type: a required key is "
    "missing, an IP or prefix is malformed, or a V1 flat policy was sent where V2 "
    "`{Type, Settings}` is expected. Build policies with the typed settings classes.",
    "HCN_E_INVALID_POLICY_TYPE": "The type is unknown for this kind of object, or the host's "
    "HNS is too old for it: check the spelling and `hcnpy info`.",
    "HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION": "Remote endpoints cannot join a namespace or "
    "take port requests: use a local endpoint.",
    "HCN_E_NETWORK_ALREADY_EXISTS": "Network names are unique: reuse the network "
    "(`get_network_by_name`) or choose another name.",
    "HCN_E_LAYER_ALREADY_EXISTS": "Usually a leftover of an earlier network with the same "
    "settings: delete the stale network, then retry.",
    "HCN_E_POLICY_ALREADY_EXISTS": "The identical policy is already on the object: treat it "
    "as done, or send an `Update` instead of an `Add`.",
    "HCN_E_PORT_ALREADY_EXISTS": "Another endpoint or load balancer already uses that host "
    "port, protocol and VIP: pick another host port, remove the other mapping, or bind a "
    "specific VIP. `hcnpy.errors.is_port_already_exists(exc)` tests for it.",
    "HCN_E_ENDPOINT_ALREADY_ATTACHED": "The endpoint is already in this namespace: treat it "
    "as done.",
    "HCN_E_REQUEST_UNSUPPORTED": "The host's HNS cannot do this (too old for the feature, or "
    "a request HNS does not implement): see `hcnpy info` and the feature table.",
    "HCN_E_MAPPING_NOT_SUPPORTED": "Port mappings are not available on this network type: "
    "use a NAT network for published ports.",
    "HCN_E_DEGRADED_OPERATION": "The object is degraded: delete and re-create it, and look "
    "at the HNS event log.",
    "HCN_E_SHARED_SWITCH_MODIFICATION": "The switch is shared with other networks and cannot "
    "be changed: create a separate network instead.",
    "HCN_E_GUID_CONVERSION_FAILURE": "An ID in the document is not a GUID (`8-4-4-4-12` hex, "
    "no braces); `hcnpy.validate` reports it before sending.",
    "HCN_E_REGKEY_FAILURE": "HNS could not read or write its registry state: run elevated; "
    "if it persists, look at the HNS event log.",
    "HCN_E_INVALID_JSON": "The text is not JSON, a value has the wrong JSON type "
    "(`\"Name\": 5`), or a modify request names an unknown resource or request type. Build "
    "documents with the models and `hcnpy.to_json`.",
    "HCN_E_INVALID_JSON_REFERENCE": "A reference inside the document does not resolve: check "
    "the IDs it names against `hcnpy … list`.",
    "HCN_E_ENDPOINT_SHARING_DISABLED": "Endpoint sharing is disabled on this host: give each "
    "container its own endpoint.",
    "HCN_E_INVALID_IP": "An address is malformed or outside every subnet of the network: make "
    "the static address or the IPAM ranges match the network's subnets (`hcnpy network "
    "show`).",
    "HCN_E_SWITCH_EXTENSION_NOT_FOUND": "The switch extension named by the policy is not "
    "installed: check its `ExtensionID`.",
    "HCN_E_MANAGER_STOPPED": "HNS is stopping or restarting: retry once the service runs.",
    "GCN_E_MODULE_NOT_FOUND": _GUEST,
    "GCN_E_NO_REQUEST_HANDLERS": _GUEST,
    "GCN_E_REQUEST_UNSUPPORTED": _GUEST,
    "GCN_E_RUNTIMEKEYS_FAILED": _GUEST,
    "GCN_E_NETADAPTER_TIMEOUT": "The guest's network adapter did not appear in time: retry; "
    "on a busy host give the runtime more time.",
    "GCN_E_NETADAPTER_NOT_FOUND": _GUEST,
    "GCN_E_NETCOMPARTMENT_NOT_FOUND": _GUEST,
    "GCN_E_NETINTERFACE_NOT_FOUND": _GUEST,
    "GCN_E_DEFAULTNAMESPACE_EXISTS": "The guest already has its default namespace: do not "
    "create a second `GuestDefault` namespace.",
    "HCN_E_ICS_DISABLED": "Networks that rely on Internet Connection Sharing need the "
    "`SharedAccess` service: enable and start it.",
    "HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS": "The endpoint is in another namespace: detach "
    "it there first, or create a new endpoint.",
    "HCN_E_ENTITY_HAS_REFERENCES": "Other objects still use it (a network with endpoints): "
    "delete those first.",
    "HCN_E_INVALID_INTERNAL_PORT": "A port mapping or load-balancer mapping needs a non-zero "
    "`InternalPort`.",
    "HCN_E_NAMESPACE_ATTACH_FAILED": "Check that the namespace still exists; delete the "
    "endpoint and create it again.",
    "HCN_E_ADDR_INVALID_OR_RESERVED": "The address is the network, broadcast or gateway "
    "address, is already in use, or the subnet or MAC pool is exhausted: choose another "
    "address, delete stale endpoints, or enlarge the subnet.",
    "HCN_E_INVALID_PREFIX": "A prefix is malformed (`10.0.0.0/33`, no `/length`) or a "
    "`PrefixLength` does not fit the subnet (/32 endpoint prefixes need HNS 10.4 or newer).",
    "HCN_E_OBJECT_USED_AFTER_UNLOAD": "A handle outlived its object: open the object again "
    "by ID.",
    "HCN_E_INVALID_SUBNET": "A subnet has host bits set or overlaps another subnet of the "
    "network: fix the prefix.",
    "HCN_E_INVALID_IP_SUBNET": "An IP subnet of the network is invalid: fix that entry.",
    "HCN_E_ENDPOINT_NOT_ATTACHED": "The operation needs an attached endpoint: attach it to a "
    "namespace first.",
    "HCN_E_ENDPOINT_NOT_LOCAL": "The operation needs a local endpoint, not a remote one.",
    "HCN_INTERFACEPARAMETERS_ALREADY_APPLIED": "Only one `InterfaceParameters` policy per "
    "endpoint: merge them into one.",
    "HCN_E_VFP_NOT_ALLOWED": "This network type does not use VFP, so VFP policies cannot "
    "apply: use a network type that supports them.",
    "E_NOTIMPL": "The host has no HCN V2 API (HNS older than 9.2) or lacks the function: "
    "update Windows. On the simulator, check `HCNPY_SIM_HNS_VERSION`.",
    "E_POINTER": "A null pointer reached HNS, a bug in the caller: report it with an "
    "`HCNPY_TRACE` capture.",
    "E_FAIL": "Unspecified: read the HNS error record. On the simulator it names a broken "
    "state file or a malformed `HCNPY_SIM_*` variable.",
    "E_UNEXPECTED": "An internal error in HNS (or in the simulator, whose record carries the "
    "exception): capture with `HCNPY_TRACE` and report it.",
    "E_ACCESSDENIED": "HNS needs an elevated process (Administrator or SYSTEM): run the "
    "plugin or `hcnpy` elevated.",
    "E_OUTOFMEMORY": "HNS ran out of memory or port-pool resources: delete stale endpoints "
    "and load balancers, then retry.",
    "ERROR_GEN_FAILURE": "A device is not working (network adapter, virtual switch): check "
    "the adapter and the switch.",
    "ERROR_NOT_SUPPORTED": "Not supported here. `HcnUnavailable` uses it when the HCN DLL or "
    "one of its functions is missing (not Windows, or Windows too old).",
    "E_INVALIDARG": "An argument is invalid (on the simulator: a closed handle, or a handle "
    "of another kind): check what was passed.",
    "ERROR_ALREADY_EXISTS": "An object with that ID exists: let HNS choose the ID, or reuse "
    "the object.",
    "ERROR_NOT_FOUND": "No object with that ID, or it vanished meanwhile: on delete treat it "
    "as done (`missing_ok=True`); `hcnpy.errors.is_not_found(exc)` tests for it.",
    "ERROR_TIMEOUT": "The call did not finish in time (`HcnTimeout`, or the simulator's 60 s "
    "lock wait). The abandoned call may still succeed: look the object up before retrying.",
    "ERROR_OBJECT_ALREADY_EXISTS": "Seen when creating endpoints under load: look the object "
    "up and reuse it, or delete the stale one and retry.",
}

#: What needs each feature besides the gated policy types (``hcnpy.gates`` lists those).
FEATURE_USES: Mapping[str, str] = {
    "ACL": "ACL endpoint policies",
    "API_V2": "every `Hcn*` function (older hosts have no `computenetwork.dll`)",
    "REMOTE_SUBNET": "",
    "HOST_ROUTE": "",
    "DSR": "load balancers with `LoadBalancerFlags.DSR`; loopback DSR in the example plugins",
    "SLASH32_ENDPOINT_PREFIXES": "IPv4 endpoint addresses with prefix length 32",
    "ACL_SUPPORT_FOR_PROTOCOL_252": "ACL rules for protocol 252",
    "SESSION_AFFINITY": "load-balancer port mappings distributed by source IP",
    "IPV6_DUAL_STACK": "IPv6 subnets, routes, endpoint addresses, VIPs; `NatFlags.IPV6`",
    "SET_POLICY": "",
    "VXLAN_PORT": "",
    "L4_PROXY": "",
    "L4_WFP_PROXY": "",
    "TIER_ACL": "",
    "NETWORK_ACL": "",
    "NESTED_IP_SET": "`SetPolicy` with `PolicyType` `NESTEDIPSET`",
    "DISABLE_HOST_PORT": "`NetworkFlags.DISABLE_HOST_PORT`",
    "MODIFY_LOADBALANCER": "updating a load balancer in place (`update_load_balancer`)",
    "ACCELNET": "accelerated networking (reported only; hcnpy gates nothing on it)",
}

_CODE = re.compile(r"`([^`]+)`")


def _inline(content: str) -> list[nodes.Node]:
    """Text with ``backtick`` spans as inline literals."""
    parts: list[nodes.Node] = []
    position = 0
    for match in _CODE.finditer(content):
        if match.start() > position:
            parts.append(nodes.Text(content[position : match.start()]))
        parts.append(nodes.literal(match.group(1), match.group(1)))
        position = match.end()
    if position < len(content):
        parts.append(nodes.Text(content[position:]))
    return parts


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> Any:
    table = nodes.table(classes=["hcnpy-generated"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    body = nodes.tbody()
    group += body
    for parent, cells in [(head, headers), *((body, row) for row in rows)]:
        row_node = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", *_inline(cell))
            row_node += entry
        parent += row_node
    return table


def hresult_rows() -> list[list[str]]:
    """One row per ``HResult``: name, value, exception, meaning, what to do."""
    rows = []
    for member in HResult:
        exception = EXCEPTION_TABLE.get(member)
        rows.append(
            [
                f"`{member.name}`",
                f"`0x{member.value:08X}`",
                f"`{exception.__name__}`" if exception is not None else "`HcnError`",
                text(member),
                ADVICE.get(member.name, ""),
            ]
        )
    return rows


def feature_rows() -> list[list[str]]:
    """One row per ``Feature``: names, versions, whether the simulator has it, what needs it."""
    gated: dict[Feature, list[str]] = {}
    tables = (("endpoint", ENDPOINT_POLICY_FEATURES), ("network", NETWORK_POLICY_FEATURES))
    for kind, table in tables:
        for policy_type, feature in table.items():
            gated.setdefault(feature, []).append(f"{kind} policy `{policy_type}`")
    rows = []
    for feature in Feature:
        uses = [*gated.get(feature, []), *filter(None, [FEATURE_USES.get(feature.name, "")])]
        rows.append(
            [
                f"`{feature.name}`",
                f"`{feature.value}`",
                describe_ranges(feature),
                "yes" if is_supported(feature, DEFAULT_SIMULATED_VERSION) else "no",
                "; ".join(uses),
            ]
        )
    return rows


def coverage_problems() -> list[str]:
    """Codes or features without documentation, or documentation for ones that are gone."""
    problems = []
    codes = {member.name for member in HResult}
    problems += [f"HResult.{n} has no entry in ADVICE" for n in sorted(codes - set(ADVICE))]
    problems += [f"ADVICE names unknown HResult {n}" for n in sorted(set(ADVICE) - codes)]
    problems += [f"HResult.{m.name} has no text in hcnpy.hresult" for m in HResult if not text(m)]
    features = {feature.name for feature in Feature}
    uses = set(FEATURE_USES)
    problems += [f"Feature.{n} has no entry in FEATURE_USES" for n in sorted(features - uses)]
    problems += [f"FEATURE_USES names unknown Feature {n}" for n in sorted(uses - features)]
    problems += [f"Feature.{f.name}: no FEATURE_RANGES" for f in Feature if f not in FEATURE_RANGES]
    return problems


class HResultTable(SphinxDirective):
    """``{hcnpy-hresults}``: the HRESULT table."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        for problem in coverage_problems():
            LOG.warning("hcnpy_tables: %s", problem, location=self.get_location())
        headers = ["HRESULT", "Value", "Raised as", "Meaning", "What to do"]
        return [_table(headers, hresult_rows(), [22, 10, 14, 22, 32])]


class FeatureTable(SphinxDirective):
    """``{hcnpy-features}``: the feature-gate table."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        for problem in coverage_problems():
            LOG.warning("hcnpy_tables: %s", problem, location=self.get_location())
        headers = [
            "Feature",
            "HNS name",
            "HNS versions",
            f"Simulator default ({DEFAULT_SIMULATED_VERSION})",
            "Needed for",
        ]
        return [_table(headers, feature_rows(), [22, 18, 20, 10, 30])]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_directive("hcnpy-hresults", HResultTable)
    app.add_directive("hcnpy-features", FeatureTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
