"""Behaviours where public evidence of real HNS contradicted the simulator, each pinned to
its evidence, through the Python bindings and through the stand-in's C functions as a C
program calls them. The evidence is summarised in ``docs/hcnpy/fidelity.md`` and the real
documents are under ``tests/data/real-hns/``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from hcnpy.bindings import Library, ObjectKind
from hcnpy.hresult import HResult
from hcnpy.ops import Ops
from hcnpy.sim.engine import Engine

from .sim_engine_support import create, create_hr, get, ids, modify_hr, new_engine, try_create

REAL = Path(__file__).resolve().parents[2] / "data" / "real-hns"
C_CLIENT = Path(__file__).parent / "c" / "hcn_client.c"
Q = json.dumps({"SchemaVersion": {"Major": 2, "Minor": 0}})


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    return new_engine(tmp_path)


def _real_record(name: str) -> dict[str, Any]:
    matches = sorted(REAL.glob(f"error-record__{name}*.json"))
    assert len(matches) == 1, name
    record: dict[str, Any] = json.loads(matches[0].read_text(encoding="utf-8"))
    return record


def test_a_create_document_whose_id_is_not_a_guid_is_invalid_json(engine: Engine) -> None:
    """hcsshim#1049: ``hcnNetns.Id = "Sample-Namespace"`` -> 0x803B001B, not 0x803B0019."""
    real = _real_record("hcsshim-1049")
    hr, _, record = try_create(engine, "Namespace", {"ID": "Sample-Namespace"})
    assert hr == real["ErrorCode"] == HResult.HCN_E_INVALID_JSON
    assert record is not None and record["Error"] == real["Error"]
    assert ids(engine, "Namespace") == []


def test_a_namespace_holding_a_container_is_not_deleted(engine: Engine) -> None:
    """hcsshim#2155 and Windows-Containers#485: 0x803B0015, and nothing is deleted."""
    oid = create(engine, "Namespace", {})
    add = {"ResourceType": "Container", "RequestType": "Add", "Settings": {"ContainerId": "c1"}}
    assert modify_hr(engine, "Namespace", oid, add) == 0
    hr, _, record = engine.delete("Namespace", uuid.UUID(oid))
    assert hr == HResult.HCN_E_REQUEST_UNSUPPORTED and record is not None
    assert get(engine, "Namespace", oid)["Resources"] == [
        {"Type": "Container", "Data": {"ID": "c1"}}
    ]
    remove = {**add, "RequestType": "Remove"}
    assert modify_hr(engine, "Namespace", oid, remove) == 0
    assert engine.delete("Namespace", uuid.UUID(oid))[0] == 0


@pytest.mark.parametrize("address", ["Any", "any", "10.0.0.1,Any", "internet", "10.0.0.300"])
def test_acl_addresses_that_are_not_ips_are_invalid_policies(engine: Engine, address: str) -> None:
    """hcsshim#1059 (a Microsoft engineer): only IP addresses and lists of them."""
    network = create(engine, "Network", {"Name": "acl", "Type": "NAT"})
    acl = {"Action": "Block", "Direction": "In", "LocalAddresses": address}
    doc = {"Policies": [{"Type": "ACL", "Settings": acl}]}
    assert create_hr(engine, "Endpoint", doc, network) == HResult.HCN_E_INVALID_POLICY


@pytest.mark.parametrize("address", ["10.0.0.1", "10.0.0.0/24", "10.0.0.1, 10.1.0.0/16", "::1"])
def test_acl_addresses_that_are_ips_and_prefixes_are_accepted(engine: Engine, address: str) -> None:
    network = create(engine, "Network", {"Name": "acl", "Type": "NAT"})
    acl = {"Action": "Block", "Direction": "In", "RemoteAddresses": address}
    assert (
        create_hr(engine, "Endpoint", {"Policies": [{"Type": "ACL", "Settings": acl}]}, network)
        == 0
    )


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name[len("error-record__") : -len(".json")] for p in REAL.glob("error-record__*.json")
    ),
)
def test_error_records_have_real_hnss_shape(engine: Engine, name: str) -> None:
    """The eight saved records: keys Success, Error, ErrorCode in that order, the code's
    message (trailing space included); the simulator's own key comes last."""
    real = _real_record(name)
    from hcnpy.sim.engine import error_record

    ours = json.loads(error_record(real["ErrorCode"], "detail"))
    assert list(ours)[:3] == list(real) == ["Success", "Error", "ErrorCode"]
    assert {key: ours[key] for key in real} == real
    assert list(ours)[3:] == ["Simulator"]


def test_a_nat_network_without_a_subnet_gets_a_slash_20_in_172_16_with_gateway_1(
    engine: Engine,
) -> None:
    """real-hns.md 3.4: 172.21.16.0/20, 172.29.144.0/20 ... (hcsshim#1746), gateway .1."""
    import ipaddress

    pool = ipaddress.ip_network("172.16.0.0/12")
    seen = set()
    for i in range(3):
        props = get(engine, "Network", create(engine, "Network", {"Name": f"nat{i}"}))
        (subnet,) = props["Ipams"][0]["Subnets"]
        net = ipaddress.ip_network(subnet["IpAddressPrefix"])
        assert net.prefixlen == 20 and net.subnet_of(pool) and net not in seen  # type: ignore[arg-type]
        seen.add(net)
        assert subnet["Routes"] == [
            {"NextHop": str(net.network_address + 1), "DestinationPrefix": "0.0.0.0/0"}
        ]
        assert "Type" not in props  # rule network.type.nat-omitted (hcsshim PR #657)


def test_the_same_behaviours_through_the_bindings(ops: Ops) -> None:
    """What a Python program sees through hcnpy.bindings: the same HRESULTs and records."""
    from hcnpy.errors import HcnError

    with pytest.raises(HcnError) as caught:
        ops.library.create(ObjectKind.NAMESPACE, json.dumps({"ID": "Sample-Namespace"}))
    assert caught.value.hresult == HResult.HCN_E_INVALID_JSON
    record = caught.value.error_record
    assert record is not None and record.error == "Invalid JSON document string. "
    assert record.rule == "document.id-not-guid" and "Sample-Namespace" in (record.detail or "")


def _c_client(tmp_path: Path) -> Path:
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    assert compiler, "a C compiler is needed (CI has gcc)"
    binary = tmp_path / "hcn_client"
    subprocess.run(
        [compiler, "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", str(binary), str(C_CLIENT),
         "-ldl"],
        check=True,
    )  # fmt: skip
    return binary


def _run_c(binary: Path, library: Library, state: Path, scenario: str) -> list[list[str]]:
    # No Python runs in the C program: the stand-in reaches the simulator service this
    # process's sim backend pointed it at (HCNPY_SIM_SOCKET, inherited).
    env = {**os.environ, "HCNPY_SIM_STATE": str(state)}
    env.pop("HCNPY_SIM_FAULTS", None)
    done = subprocess.run(
        [str(binary), library.path, scenario], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [line.split(" ", 2) for line in done.stdout.splitlines()]


def test_a_c_program_sees_the_same_hresults(tmp_path: Path, ops: Ops) -> None:
    """The stand-in driven through its exported C functions, as a Windows C program drives
    computenetwork.dll: dlopen, UTF-16 strings, CoTaskMemFree for every string back."""
    binary = _c_client(tmp_path)
    state = tmp_path / "c.sqlite3"
    library = ops.library
    assert library.backend == "sim"

    bad_id = _run_c(binary, library, state, "namespace-bad-id")
    assert bad_id[0][:2] == ["HcnCreateNamespace", "0x803B001B"]
    assert json.loads(bad_id[0][2])["Error"] == "Invalid JSON document string. "

    container = _run_c(binary, library, state, "namespace-with-container")
    assert [line[:2] for line in container[:4]] == [
        ["HcnCreateNamespace", "0x00000000"],
        ["HcnModifyNamespace", "0x00000000"],
        ["HcnDeleteNamespace", "0x803B0015"],
        ["HcnQueryNamespaceProperties", "0x00000000"],
    ]
    assert json.loads(container[3][2])["Resources"] == [{"Type": "Container", "Data": {"ID": "c1"}}]

    acl = _run_c(binary, library, state, "acl-any")
    assert acl[1][:2] == ["HcnCreateEndpoint", "0x803B000D"]
    assert list(json.loads(acl[1][2]))[:3] == ["Success", "Error", "ErrorCode"]

    nat = _run_c(binary, library, state, "nat-default-subnet")
    subnet = json.loads(nat[1][2])["Ipams"][0]["Subnets"][0]
    assert subnet["IpAddressPrefix"].startswith("172.") and subnet["IpAddressPrefix"].endswith(
        "/20"
    )

    for lines in (bad_id, container, acl, nat):
        assert lines[-1] == ["HcnSimOutstandingStrings", "0"], "every returned string was freed"


def _paths(value: Any, prefix: str = "$") -> dict[str, set[str]]:
    """Keys per nesting level, named as in ``tests/data/real-hns/keys.json``."""
    found: dict[str, set[str]] = {}
    if isinstance(value, dict):
        found.setdefault(prefix, set()).update(value)
        for key, item in value.items():
            for path, keys in _paths(item, f"{prefix}.{key}").items():
                found.setdefault(path, set()).update(keys)
    elif isinstance(value, list):
        for item in value:
            for path, keys in _paths(item, f"{prefix}[]").items():
                found.setdefault(path, set()).update(keys)
    return found


def _missing(kind: str, ours: Any) -> dict[str, list[str]]:
    """Keys the real documents of ``kind`` all show, at levels our answer has, but ours lacks."""
    real = json.loads((REAL / "keys.json").read_text(encoding="utf-8"))["kinds"][kind]["common"]
    have = _paths(ours)
    return {
        level: sorted(set(keys) - have[level])
        for level, keys in real.items()
        if level in have and set(keys) - have[level]
    }


def test_simulated_answers_carry_the_keys_of_real_ones(engine: Engine) -> None:
    """Where a real document shows keys, the simulator's answer of the same kind has them."""
    network = create(engine, "Network", {"Name": "keys", "Type": "NAT"})
    overlay = create(engine, "Network", {"Name": "vxlan0", "Type": "Overlay",
        "Ipams": [{"Subnets": [{"IpAddressPrefix": "10.244.0.0/16"}]}]})  # fmt: skip
    local = create(engine, "Endpoint", {"Name": "Ethernet"}, network)
    remote = create(
        engine,
        "Endpoint",
        {
            "Name": "remote_10.244.2.141",
            "Flags": 1,
            "IpConfigurations": [{"IpAddress": "10.244.2.141"}],
            "Policies": [
                {"Type": "ProviderAddress", "Settings": {"ProviderAddress": "10.123.74.74"}},
            ],
        },
        overlay,
    )
    acl = {"Action": "Block", "Direction": "Out", "Protocols": "1", "Priority": 2000,
           "LocalAddresses": "169.254.128.6", "RemoteAddresses": "10.0.0.0/8",
           "RuleType": "Switch"}  # fmt: skip
    with_acl = create(engine, "Endpoint", {"Policies": [{"Type": "ACL", "Settings": acl}]}, network)

    _, text = engine.hns_call("GET", f"/networks/{network}", None)
    assert text is not None and _missing("network-v1", json.loads(text)) == {}
    v1 = {"SchemaVersion": {"Major": 1, "Minor": 0}}
    assert _missing("endpoint-v1", get(engine, "Endpoint", local, v1)) == {}
    assert _missing("endpoint-v1-remote", get(engine, "Endpoint", remote, v1)) == {}
    settings = [p["Settings"] for p in get(engine, "Endpoint", with_acl)["Policies"]]
    assert _missing("endpoint-v2-acl-policy-settings-echo", settings) == {}
    real_order = json.loads(
        (REAL / "endpoint-v2-acl-policy-settings-echo__acn-3550.json").read_text(encoding="utf-8")
    )[0]
    ours = [key for key in settings[0] if key in real_order]
    assert ours == list(real_order), "ACL settings come back in HNS's order (ACN#3550)"
    _, _, record = engine.open("Namespace", uuid.uuid4())
    assert record is not None and _missing("error-record", json.loads(record)) == {}
