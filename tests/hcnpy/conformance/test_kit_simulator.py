"""The kit against the simulator: every scenario passes at every HNS version, the report
says what ran, and nothing on the host but the kit's own objects is ever touched."""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from pathlib import Path

import pytest

from hcnpy._cdef import COMPUTENETWORK, VMCOMPUTE, function_names
from hcnpy.bindings import Library
from hcnpy.conformance import PREFIX, TRACE_FILE, run_kit, scenarios
from hcnpy.sim.rules import RULES
from hcnpy.trace import read_trace

from .conftest import Restart, objects

CHECKABLE = [rule.id for rule in RULES if rule.checkable]
C_FUNCTIONS = set(function_names(COMPUTENETWORK) + function_names(VMCOMPUTE))


def test_every_scenario_passes_on_the_simulator(library: Library) -> None:
    report = run_kit(library)
    assert [r.id for r in report.results] == CHECKABLE
    failed = {
        r.id: (r.expected, r.observed, r.detail) for r in report.results if r.verdict != "pass"
    }
    assert not failed
    assert report.passed and not report.left_behind
    assert all(r.expected == r.observed and r.calls for r in report.results)
    assert report.hns_version == "15.4" and report.backend == "sim"
    assert objects(library) == {}, "the kit left objects behind"


# One version per gate boundary of the rule table, both sides.
VERSIONS = ["9.2", "10.2", "11.0", "11.10", "12.0", "13.0", "15.4", "15.5", "16.0"]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_scenario_passes_at_every_version(
    library: Library, restart: Restart, version: str
) -> None:
    restart(version=version)
    report = run_kit(library)
    assert report.hns_version == version
    verdicts = {r.id: r.verdict for r in report.results}
    unchecked = {rule_id for rule_id, verdict in verdicts.items() if verdict == "not-applicable"}
    # SetPolicy itself needs 13.0, so its NESTEDIPSET gate cannot be observed below.
    major = int(version.split(".")[0])
    assert unchecked == ({"set-policy.nested-gate"} if major < 13 else set())
    assert set(verdicts.values()) <= {"pass", "not-applicable"}, report.results
    assert objects(library) == {}


def test_the_expectations_follow_the_version(library: Library, restart: Restart) -> None:
    restart(version="9.2")
    old = {r.id: r.expected for r in run_kit(library).results}
    restart(version="16.0")
    new = {r.id: r.expected for r in run_kit(library).results}
    changed = {rule_id for rule_id in old if old[rule_id] != new[rule_id]}
    assert changed == {
        "network.flags.disable-host-port",
        "subnet.ipv6-gate",
        "policy.version-gates",
        "acl.protocol-252-gate",
        "set-policy.nested-gate",
        "endpoint.ip.prefix-length",
        "load-balancer.version-gates",
        "load-balancer.modify",
    }
    assert "HCN_E_REQUEST_UNSUPPORTED" in old["subnet.ipv6-gate"]
    assert new["subnet.ipv6-gate"].endswith(": S_OK")


def test_before_the_v2_api_nothing_is_applicable(library: Library, restart: Restart) -> None:
    restart(version="7.2")
    report = run_kit(library)
    assert {r.verdict for r in report.results} == {"not-applicable"}
    assert "api.v2-needs-9.2" in report.results[0].observed
    assert report.passed


def test_runs_are_reproducible_but_named_apart(library: Library) -> None:
    first, second = run_kit(library), run_kit(library)
    assert [r.observed for r in first.results] == [r.observed for r in second.results]
    assert first.prefix != second.prefix and first.prefix.startswith(f"{PREFIX}-")


def _foreign_objects(library: Library) -> dict[str, str]:
    """A network, endpoint, namespace, load balancer and route that are not the kit's."""
    ids = {
        kind: str(uuid.uuid4())
        for kind in ("Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute")
    }
    subnet = {"IpAddressPrefix": "198.18.0.0/20",
              "Routes": [{"NextHop": "198.18.0.1", "DestinationPrefix": "0.0.0.0/0"}]}  # fmt: skip
    network = {
        "Name": "operator-net",
        "Type": "NAT",
        "Ipams": [{"Type": "Static", "Subnets": [subnet]}],
    }
    with library.create("Network", json.dumps(network), object_id=uuid.UUID(ids["Network"])) as net:
        library.create(
            "Endpoint",
            json.dumps({"Name": "operator-ep", "Policies": [
                {"Type": "PortMapping", "Settings": {"InternalPort": 80, "ExternalPort": 49500}}]}),
            object_id=uuid.UUID(ids["Endpoint"]),
            network=net,
        ).close()  # fmt: skip
    library.create("Namespace", "{}", object_id=uuid.UUID(ids["Namespace"])).close()
    with library.open("Namespace", uuid.UUID(ids["Namespace"])) as ns:
        request = {"ResourceType": "Endpoint", "RequestType": "Add",
                   "Settings": {"EndpointId": ids["Endpoint"]}}  # fmt: skip
        library.modify(ns, json.dumps(request))
    mapping = {"Protocol": 6, "InternalPort": 80, "ExternalPort": 49501}
    balancer = {"HostComputeEndpoints": [ids["Endpoint"]], "FrontendVIPs": ["198.18.0.200"],
                "PortMappings": [mapping]}  # fmt: skip
    library.create(
        "LoadBalancer", json.dumps(balancer), object_id=uuid.UUID(ids["LoadBalancer"])
    ).close()
    entry = {"DestinationPrefix": "198.18.1.0/24", "NextHop": "198.18.0.5"}
    route = {"HostComputeEndpoints": [ids["Endpoint"]], "Routes": [entry]}
    library.create("SdnRoute", json.dumps(route), object_id=uuid.UUID(ids["SdnRoute"])).close()
    return ids


def _properties(library: Library, ids: dict[str, str]) -> dict[str, str]:
    found = {}
    for kind, object_id in ids.items():
        with library.open(kind, uuid.UUID(object_id)) as handle:
            found[kind] = library.query(handle, '{"SchemaVersion":{"Major":2,"Minor":0}}')
    return found


_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
#: Addresses the kit may send that are not from 198.18.0.0/15: the default route's
#: destination, and the address that lies outside every subnet.
_ALLOWED = {"0.0.0.0", "203.0.113.7"}


def test_the_kit_touches_nothing_else(library: Library, tmp_path: Path) -> None:
    ids = _foreign_objects(library)
    before = _properties(library, ids)
    report = run_kit(library, record=tmp_path / "run")
    assert report.passed
    assert _properties(library, ids) == before
    assert {k: set(v) for k, v in objects(library).items()} == {k: {v} for k, v in ids.items()}
    assert (
        ipaddress.ip_network(report.addresses["IPv4"]).overlaps(
            ipaddress.ip_network("198.18.0.0/20")
        )
        is False
    ), "the run's block overlaps an existing network"

    foreign = {uuid.UUID(v) for v in ids.values()}
    handles: dict[int, uuid.UUID | None] = {}
    for record in read_trace(tmp_path / "run" / TRACE_FILE):
        function, inputs, outputs = record.function, record.inputs, record.outputs
        given = inputs.get("Id")
        target = uuid.UUID(given) if given else None
        if function.startswith(("HcnOpen", "HcnCreate")) and outputs.get("Handle"):
            handles[outputs["Handle"]] = target
        if function.startswith(("HcnDelete", "HcnCreate")):
            assert target not in foreign, f"{function} on a foreign object"
        if function.startswith("HcnModify"):
            assert handles.get(inputs["Handle"]) not in foreign, f"{function} on a foreign object"
        settings = inputs.get("Settings")
        if function.startswith(("HcnCreate", "HcnModify")) and settings:
            for address in _IPV4.findall(settings):
                inside = ipaddress.ip_address(address) in ipaddress.ip_network("198.18.0.0/15")
                assert inside or address in _ALLOWED, f"{function} sent {address}"
            try:
                doc = json.loads(settings)
            except ValueError:
                continue
            name = doc.get("Name") if isinstance(doc, dict) else None
            if isinstance(name, str) and name.strip():
                assert name.lower().startswith(report.prefix), f"{function} named {name!r}"


def test_each_result_lists_the_c_calls_it_made(library: Library) -> None:
    report = run_kit(library)
    for result in report.results:
        assert set(result.calls) <= C_FUNCTIONS, result.id
    calls = {r.id: r.calls for r in report.results}
    assert calls["subnet.overlap"][0] == "HcnCreateNetwork"
    assert "HNSCall" in calls["hnscall.globals-version"]
    assert "HcnQueryEndpointStats" in calls["endpoint.stats"]


def test_the_registry_covers_the_rule_table() -> None:
    assert scenarios().problems() == []
    assert len(scenarios()) == len(CHECKABLE)
