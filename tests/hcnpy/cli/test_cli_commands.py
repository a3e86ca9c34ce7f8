"""Every ``hcnpy`` command group, exit statuses and error lines (each call a new process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Run, json_out


def _network(hcnpy_cli: Run, name: str = "natNet") -> dict[str, object]:
    result = hcnpy_cli(
        "network",
        "create",
        "--name",
        name,
        "--subnet",
        "10.0.0.0/24",
        "--gateway",
        "10.0.0.1",
        "--json",
        check=True,
    )
    network: dict[str, object] = json_out(result)
    return network


def test_network_commands(hcnpy_cli: Run, tmp_path: Path) -> None:
    assert hcnpy_cli("network", "list", check=True).stdout.strip() == "(no networks)"
    assert json_out(hcnpy_cli("network", "list", "--json", check=True)) == []
    two_subnets = json_out(
        hcnpy_cli(
            "network",
            "create",
            "--name",
            "dual",
            "--type",
            "L2Bridge",
            "--subnet",
            "10.1.0.0/24",
            "--gateway",
            "10.1.0.1",
            "--subnet",
            "10.2.0.0/24",
            "--gateway",
            "10.2.0.1",
            "--json",
            check=True,
        )
    )
    subnets = two_subnets["Ipams"][0]["Subnets"]
    assert [s["IpAddressPrefix"] for s in subnets] == ["10.1.0.0/24", "10.2.0.0/24"]
    assert subnets[0]["Routes"] == [{"NextHop": "10.1.0.1", "DestinationPrefix": "0.0.0.0/0"}]
    assert subnets[1]["Routes"] == [{"NextHop": "10.2.0.1", "DestinationPrefix": "0.0.0.0/0"}]
    assert two_subnets["Type"] == "L2Bridge"

    document = tmp_path / "net.json"
    document.write_text(json.dumps({"Name": "fromfile", "Type": "NAT", "Flags": 8}))
    from_file = json_out(
        hcnpy_cli("network", "create", "--file", str(document), "--json", check=True)
    )
    assert from_file["Name"] == "fromfile" and from_file["Flags"] == 8

    shown = hcnpy_cli("network", "show", "dual", check=True).stdout
    assert "Type        : L2Bridge" in shown and "10.1.0.0/24, 10.2.0.0/24" in shown
    by_id = json_out(hcnpy_cli("network", "show", two_subnets["ID"], "--json", check=True))
    assert by_id["Name"] == "dual"
    filtered = hcnpy_cli(
        "network", "list", "--filter", '{"Name": "fromfile"}', "--json", check=True
    )
    assert [n["Name"] for n in json_out(filtered)] == ["fromfile"]

    assert hcnpy_cli("network", "delete", "dual", check=True).stdout.startswith("Deleted network")
    missing = hcnpy_cli("network", "delete", "dual")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        'hcnpy: Network name "dual" not found: ERROR_NOT_FOUND (0x80070490)'
    )
    assert hcnpy_cli("network", "delete", "dual", "--missing-ok").returncode == 0
    gone_id = hcnpy_cli("network", "delete", two_subnets["ID"])
    assert gone_id.returncode == 1
    assert gone_id.stderr.strip() == (
        f'hcnpy: Network ID "{two_subnets["ID"]}" not found: ERROR_NOT_FOUND (0x80070490)'
    )


def test_endpoint_commands(hcnpy_cli: Run) -> None:
    network = _network(hcnpy_cli)
    web = json_out(
        hcnpy_cli(
            "endpoint",
            "create",
            "--network",
            str(network["ID"]),
            "--name",
            "web",
            "--ip",
            "10.0.0.20",
            "--mac",
            "00-15-5D-52-C0-10",
            "--port-mapping",
            "8080:80",
            "--json",
            check=True,
        )
    )
    assert web["IpConfigurations"][0]["IpAddress"] == "10.0.0.20"
    assert web["MacAddress"] == "00-15-5D-52-C0-10"
    assert web["Policies"][0]["Settings"]["ExternalPort"] == 8080
    remote = json_out(
        hcnpy_cli(
            "endpoint",
            "create",
            "--network",
            "natNet",
            "--remote",
            "--ip",
            "10.0.0.30",
            "--json",
            check=True,
        )
    )
    assert remote["Flags"] & 1
    listed = hcnpy_cli("endpoint", "list", "--network", "natNet", "--json", check=True)
    assert {e["ID"] for e in json_out(listed)} == {web["ID"], remote["ID"]}
    shown = hcnpy_cli("endpoint", "show", "web", check=True).stdout
    assert "IP          : 10.0.0.20" in shown and "Network     : natNet" in shown
    in_use = hcnpy_cli("endpoint", "create", "--network", "natNet", "--ip", "10.0.0.20")
    assert in_use.returncode == 1
    assert "HCN_E_ADDR_INVALID_OR_RESERVED (0x803B002F)" in in_use.stderr
    busy = hcnpy_cli("network", "delete", "natNet")
    assert busy.returncode == 1 and "HCN_E_ENTITY_HAS_REFERENCES (0x803B002C)" in busy.stderr
    hcnpy_cli("endpoint", "delete", "web", check=True)
    hcnpy_cli("endpoint", "delete", str(remote["ID"]), check=True)
    hcnpy_cli("network", "delete", "natNet", check=True)


def test_namespace_commands(hcnpy_cli: Run) -> None:
    _network(hcnpy_cli)
    endpoint = json_out(
        hcnpy_cli("endpoint", "create", "--network", "natNet", "--json", check=True)
    )
    namespace = json_out(hcnpy_cli("namespace", "create", "--type", "Host", "--json", check=True))
    hcnpy_cli("namespace", "attach", namespace["ID"], endpoint["ID"], check=True)
    twice = hcnpy_cli("namespace", "attach", namespace["ID"], endpoint["ID"])
    assert twice.returncode == 1
    assert "HCN_E_ENDPOINT_ALREADY_ATTACHED (0x803B0014)" in twice.stderr
    table = hcnpy_cli("namespace", "list", check=True).stdout
    assert endpoint["ID"] in table
    shown = json_out(hcnpy_cli("namespace", "show", namespace["ID"], "--json", check=True))
    assert shown["Resources"] == [{"Type": "Endpoint", "Data": {"ID": endpoint["ID"]}}]
    hcnpy_cli("namespace", "detach", namespace["ID"], endpoint["ID"], check=True)
    not_attached = hcnpy_cli("namespace", "detach", namespace["ID"], endpoint["ID"])
    assert not_attached.returncode == 1 and "0x803B0034" in not_attached.stderr
    hcnpy_cli("namespace", "delete", namespace["ID"], check=True)
    assert (
        hcnpy_cli("namespace", "detach", namespace["ID"], endpoint["ID"], "--missing-ok").returncode
        == 0
    )
    missing = hcnpy_cli("namespace", "show", namespace["ID"])
    assert missing.returncode == 1
    assert f'Namespace ID "{namespace["ID"]}" not found' in missing.stderr


def test_policy_commands(hcnpy_cli: Run, tmp_path: Path) -> None:
    _network(hcnpy_cli)
    hcnpy_cli("endpoint", "create", "--network", "natNet", "--name", "web", check=True)
    acl = {"Protocols": "6", "Action": "Allow", "Direction": "In", "Priority": 100}
    added = hcnpy_cli(
        "policy",
        "add",
        "--endpoint",
        "web",
        "--type",
        "ACL",
        "--settings",
        json.dumps(acl),
        check=True,
    )
    assert added.stdout.startswith("Added 1 policy to endpoint ")
    blocked = {**acl, "Action": "Block"}
    updated = hcnpy_cli(
        "policy",
        "update",
        "--endpoint",
        "web",
        "--type",
        "ACL",
        "--settings",
        json.dumps(blocked),
        "--json",
        check=True,
    )
    assert json_out(updated)["Policies"][0]["Settings"]["Action"] == "Block"
    policy_file = tmp_path / "acl.json"
    policy_file.write_text(json.dumps([{"Type": "ACL", "Settings": blocked}]))
    hcnpy_cli("policy", "remove", "--endpoint", "web", "--file", str(policy_file), check=True)
    assert "Policies" not in json_out(hcnpy_cli("endpoint", "show", "web", "--json", check=True))

    hcnpy_cli("policy", "add", "--network", "natNet", "--type", "HostRoute", check=True)
    assert json_out(hcnpy_cli("network", "show", "natNet", "--json"))["Policies"] == [
        {"Type": "HostRoute"}
    ]
    hcnpy_cli("policy", "remove", "--network", "natNet", "--type", "HostRoute", check=True)
    assert (
        hcnpy_cli("policy", "update", "--network", "natNet", "--type", "HostRoute").returncode == 2
    )

    # a policy the (simulated) HNS version is too old for is refused before sending
    hcnpy_cli("sim", "version", "13.0", check=True)
    tier = {"Name": "t", "Direction": "In", "Order": 1, "TierAclRules": []}
    too_old = hcnpy_cli(
        "policy", "add", "--endpoint", "web", "--type", "TierAcl", "--settings", json.dumps(tier)
    )
    assert too_old.returncode == 1
    assert "HNS 13.0 does not support feature TierAcl" in too_old.stderr
    assert "HCN_E_REQUEST_UNSUPPORTED (0x803B0015)" in too_old.stderr
    unknown = hcnpy_cli("policy", "add", "--endpoint", "web", "--type", "Teleport")
    assert unknown.returncode == 1 and "HCN_E_INVALID_POLICY_TYPE (0x803B000E)" in unknown.stderr


def test_load_balancer_and_route_commands(hcnpy_cli: Run, tmp_path: Path) -> None:
    _network(hcnpy_cli)
    first = json_out(hcnpy_cli("endpoint", "create", "--network", "natNet", "--json", check=True))
    second = json_out(hcnpy_cli("endpoint", "create", "--network", "natNet", "--json", check=True))
    lb_file = tmp_path / "lb.json"
    lb_file.write_text(
        json.dumps(
            {
                "HostComputeEndpoints": [first["ID"]],
                "FrontendVIPs": ["10.9.0.1"],
                "PortMappings": [{"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}],
            }
        )
    )
    lb = json_out(hcnpy_cli("loadbalancer", "create", "--file", str(lb_file), "--json", check=True))
    table = hcnpy_cli("loadbalancer", "list", check=True).stdout
    assert "TCP 8080->80" in table and "10.9.0.1" in table
    grown = hcnpy_cli("loadbalancer", "add-backend", lb["ID"], second["ID"], "--json", check=True)
    assert _lower(json_out(grown)["HostComputeEndpoints"]) == [first["ID"], second["ID"]]
    hcnpy_cli("loadbalancer", "remove-backend", lb["ID"], first["ID"], check=True)
    shown = json_out(hcnpy_cli("loadbalancer", "show", lb["ID"], "--json", check=True))
    assert _lower(shown["HostComputeEndpoints"]) == [second["ID"]]
    hcnpy_cli("loadbalancer", "delete", lb["ID"], check=True)
    assert json_out(hcnpy_cli("loadbalancer", "list", "--json", check=True)) == []

    route = json_out(
        hcnpy_cli(
            "route",
            "create",
            "--endpoint",
            first["ID"],
            "--destination",
            "10.8.0.0/16",
            "--next-hop",
            "10.0.0.1",
            "--encap",
            "--json",
            check=True,
        )
    )
    assert route["Routes"] == [
        {"DestinationPrefix": "10.8.0.0/16", "NextHop": "10.0.0.1", "NeedEncap": True}
    ]
    assert "10.8.0.0/16" in hcnpy_cli("route", "list", check=True).stdout
    assert json_out(hcnpy_cli("route", "show", route["ID"], "--json", check=True)) == route
    hcnpy_cli("route", "delete", route["ID"], check=True)
    missing = hcnpy_cli("route", "show", route["ID"])
    assert missing.returncode == 1 and f'SDN Route "{route["ID"]}" not found' in missing.stderr


def test_sim_reset_and_version(hcnpy_cli: Run) -> None:
    _network(hcnpy_cli)
    assert hcnpy_cli("sim", "version", check=True).stdout.strip() == "15.4"
    assert hcnpy_cli("sim", "version", "16.1", check=True).stdout.strip() == "16.1"
    info = json_out(hcnpy_cli("info", "--json", check=True))
    assert info["HnsVersion"] == {"Major": 16, "Minor": 1}
    assert info["SupportedFeatures"]["ModifyLoadbalancer"] is True
    assert hcnpy_cli("sim", "version", "--default", check=True).stdout.strip() == "15.4"
    assert hcnpy_cli("sim", "reset", check=True).stdout.startswith("Reset simulated HNS state ")
    assert json_out(hcnpy_cli("network", "list", "--json", check=True)) == []
    assert hcnpy_cli("sim", "version", "fifteen").returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["network", "create"],
        ["network", "create", "--name", "x", "--subnet", "10.0.0.1/24"],
        ["network", "create", "--name", "x", "--gateway", "10.0.0.1"],
        ["network", "create", "--name", "x", "--subnet", "10.0.0.0/24", "--gateway", "ten"],
        ["network", "create", "--name", "x", "--subnet", "10.0.0.0/24"],
        ["network", "create", "--name", "x", "--type", "nat"],
        ["endpoint", "create", "--network", "n", "--mac", "00:15:5d:52:c0:10"],
        ["namespace", "show", "not-a-guid"],
        ["loadbalancer", "delete", "e4"],
        ["route", "show", "e4"],
        ["endpoint", "create", "--network", "n", "--port-mapping", "80"],
        ["endpoint", "create", "--network", "n", "--ip", "nope"],
        ["endpoint", "create", "--network", "n", "--policy-file", "no-such-policy-file.json"],
        ["network", "list", "--filter", "{bad"],
        ["--timeout", "0", "network", "list"],
        ["policy", "add", "--endpoint", "x"],
    ],
)
def test_usage_errors_exit_2(hcnpy_cli: Run, args: list[str]) -> None:
    result = hcnpy_cli(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("hcnpy: ")


def test_bad_policy_file_is_a_usage_error(hcnpy_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Settings": {}}')
    result = hcnpy_cli("endpoint", "create", "--network", "n", "--policy-file", str(bad))
    assert result.returncode == 2
    assert "must hold a JSON list" in result.stderr


def test_timeout_option(hcnpy_cli: Run) -> None:
    _network(hcnpy_cli)
    slow = {"HCNPY_SIM_FAULTS": "HcnOpenNetwork=stall:2000"}
    result = hcnpy_cli("--timeout", "0.2", "network", "show", "natNet", env=slow)
    assert result.returncode == 1
    assert "ERROR_TIMEOUT (0x800705B4)" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def _lower(ids: list[str]) -> list[str]:
    """Load-balancer endpoint references come back upper-case, as real HNS answers them."""
    return [i.lower() for i in ids]
