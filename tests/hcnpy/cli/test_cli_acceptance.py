"""The acceptance walk-through of the ``hcnpy`` CLI, each step a new process."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import Run, json_out


def test_walk_through_nat_network_endpoint_namespace(hcnpy_cli: Run) -> None:
    created = hcnpy_cli(
        "network",
        "create",
        "--name",
        "natNet",
        "--type",
        "NAT",
        "--subnet",
        "10.0.0.0/16",
        "--gateway",
        "10.0.0.1",
        check=True,
    )
    assert "natNet" in created.stdout and "10.0.0.0/16" in created.stdout
    endpoint = json_out(
        hcnpy_cli("endpoint", "create", "--network", "natNet", "--json", check=True)
    )
    namespace = json_out(hcnpy_cli("namespace", "create", "--json", check=True))
    attached = hcnpy_cli("namespace", "attach", namespace["ID"], endpoint["ID"], check=True)
    assert endpoint["ID"] in attached.stdout

    listed = json_out(hcnpy_cli("endpoint", "list", "--json", check=True))
    assert isinstance(listed, list) and len(listed) == 1
    (shown,) = listed
    assert shown["ID"] == endpoint["ID"]
    address = ipaddress.ip_address(shown["IpConfigurations"][0]["IpAddress"])
    assert address in ipaddress.ip_network("10.0.0.0/16")
    assert str(address) != "10.0.0.1"
    assert shown["HostComputeNamespace"] == namespace["ID"]
    assert (
        shown["HostComputeNetwork"]
        == json_out(hcnpy_cli("network", "show", "natNet", "--json", check=True))["ID"]
    )

    table = hcnpy_cli("endpoint", "list", check=True).stdout.splitlines()
    assert table[0].split() == ["ID", "Name", "Network", "IP", "MAC", "Namespace", "Policies"]
    assert str(address) in table[2] and "natNet" in table[2] and namespace["ID"] in table[2]


def test_second_endpoint_on_the_same_host_port_fails_cleanly(
    hcnpy_cli: Run, tmp_path: Path
) -> None:
    hcnpy_cli(
        "network",
        "create",
        "--name",
        "natNet",
        "--subnet",
        "10.0.0.0/16",
        "--gateway",
        "10.0.0.1",
        check=True,
    )
    policies = tmp_path / "port.json"
    mapping = {
        "Type": "PortMapping",
        "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080},
    }
    policies.write_text(json.dumps([mapping]))
    hcnpy_cli(
        "endpoint", "create", "--network", "natNet", "--policy-file", str(policies), check=True
    )
    before = json_out(hcnpy_cli("endpoint", "list", "--json", check=True))

    clash = hcnpy_cli("endpoint", "create", "--network", "natNet", "--policy-file", str(policies))
    assert clash.returncode == 1
    assert clash.stdout == ""
    lines = clash.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "hcnpy: HcnCreateEndpoint failed: HCN_E_PORT_ALREADY_EXISTS (0x803B0013): "
    )
    assert "Traceback" not in clash.stderr

    after = json_out(hcnpy_cli("endpoint", "list", "--json", check=True))
    assert after == before  # nothing half-created
    # the --port-mapping shorthand clashes the same way
    short = hcnpy_cli("endpoint", "create", "--network", "natNet", "--port-mapping", "8080:80/tcp")
    assert short.returncode == 1 and "0x803B0013" in short.stderr


def test_info_shows_backend_and_feature_table(hcnpy_cli: Run) -> None:
    info = hcnpy_cli("info", check=True).stdout
    assert "Backend      : sim" in info
    assert "HNS version  : 15.4" in info
    assert "Library      : " in info
    rows = {line.split()[0]: line.split()[1] for line in info.splitlines()[6:] if line.strip()}
    assert rows["ModifyLoadbalancer"] == "no" and rows["TierAcl"] == "yes"
    assert len(rows) == 19
    as_json = json_out(hcnpy_cli("info", "--json", check=True))
    assert as_json["Backend"] == "sim"
    assert as_json["HnsVersion"] == {"Major": 15, "Minor": 4}
    assert as_json["SupportedFeatures"]["Api.V2"] is True


def test_console_script_and_module_entry_point(cli_env: dict[str, str]) -> None:
    script = Path(sys.executable).with_name("hcnpy")
    commands = [[sys.executable, "-m", "hcnpy", "--help"]]
    if script.exists() and os.access(script, os.X_OK):
        commands.append([str(script), "--help"])
    for command in commands:
        result = subprocess.run(command, env=cli_env, capture_output=True, text=True, check=True)
        assert "network" in result.stdout and "endpoint" in result.stdout
