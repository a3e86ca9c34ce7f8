"""What ``hcnpy`` prints: ``info`` without a version, help, details, JSON (issue #13, 3 and 11)."""

from __future__ import annotations

import json

from hcnpy.cli import BACKENDS, build_parser
from hcnpy.cli.errors import EXIT_FAILURE, EXIT_USAGE, AmbiguousReference, exit_status, one_line
from hcnpy.cli.tables import details
from hcnpy.errors import ValidationError
from hcnpy.ops import Ops

from ..conftest import nat_network
from .conftest import Run, json_out

MISCONFIGURED = {"HCNPY_SIM_HNS_VERSION": "fifteen"}


def test_info_says_why_the_version_is_unavailable_and_fails(hcnpy_cli: Run) -> None:
    result = hcnpy_cli("info", env=MISCONFIGURED)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "Backend      : sim"
    assert result.stdout.splitlines()[-1] == "HNS version  : unavailable"
    assert "Feature" not in result.stdout  # no table of "no"s that only means "unknown"
    (line,) = result.stderr.splitlines()
    assert line.startswith("hcnpy: cannot read the HNS version: ")
    assert "HCNPY_SIM_HNS_VERSION" in line and "'fifteen'" in line
    assert line.endswith("(HNSCall failed: E_FAIL (0x80004005))")
    # `network list` names the same cause.
    listed = hcnpy_cli("network", "list", env=MISCONFIGURED)
    assert listed.returncode == 1 and "HCNPY_SIM_HNS_VERSION" in listed.stderr

    as_json = hcnpy_cli("info", "--json", env=MISCONFIGURED)
    assert as_json.returncode == 1
    report = json_out(as_json)
    assert report["HnsVersion"] is None and report["SupportedFeatures"] is None
    assert report["Error"] == line.removeprefix("hcnpy: ")


def test_info_does_not_blame_a_cause_it_did_not_see(hcnpy_cli: Run) -> None:
    """A failing HNSCall alone (the V2 calls work): the failure is reported as it is."""
    result = hcnpy_cli("info", env={"HCNPY_SIM_FAULTS": "HNSCall=E_FAIL"})
    assert result.returncode == 1
    assert result.stderr == (
        "hcnpy: cannot read the HNS version: HNSCall failed: E_FAIL (0x80004005): "
        "unspecified failure\n"
    )


def test_help_names_every_backend_and_the_exit_statuses(hcnpy_cli: Run) -> None:
    from hcnpy import bindings

    assert bindings.backends() == BACKENDS
    text = hcnpy_cli("--help", check=True).stdout
    assert "hcn|sim|sim-inprocess" in text
    for variable in ("HCNPY_BACKEND", "HCNPY_SIM_STATE", "HCNPY_SIM_HNS_VERSION"):
        assert variable in text
    assert "2 usage error" in text
    assert "{hcn,sim,sim-inprocess}" in build_parser().format_usage()


def test_endpoint_show_gives_each_route_its_next_hop(hcnpy_cli: Run, ops: Ops) -> None:
    network = ops.create_network(nat_network("natNet"))
    ops.create_endpoint(network["ID"], {"Name": "web"})
    shown = hcnpy_cli("endpoint", "show", "web", check=True).stdout
    assert "Routes      : 0.0.0.0/0 via 10.0.0.1\n" in shown
    doc = {"Routes": [{"DestinationPrefix": "10.1.0.0/16"}, {"NextHop": "10.0.0.9"}]}
    assert dict(details("endpoint", doc))["Routes"] == "10.1.0.0/16, ? via 10.0.0.9"


def test_every_json_output_ends_with_a_newline(hcnpy_cli: Run, ops: Ops) -> None:
    network = ops.create_network(nat_network("natNet"))
    ops.create_endpoint(network["ID"], {"Name": "web"})
    for args in (
        ["info", "--json"],
        ["network", "list", "--json"],
        ["network", "show", "natNet", "--json"],
        ["endpoint", "list", "--json"],
        ["endpoint", "show", "web", "--json"],
        ["endpoint", "create", "--network", "natNet", "--json"],
        ["namespace", "create", "--json"],
        ["namespace", "list", "--json"],
        ["loadbalancer", "list", "--json"],
        ["route", "list", "--json"],
        ["policy", "add", "--network", "natNet", "--type", "HostRoute", "--json"],
    ):
        out = hcnpy_cli(*args, check=True).stdout
        assert out.endswith("}\n") or out.endswith("]\n"), args
        json.loads(out)


def test_error_lines_and_statuses() -> None:
    ambiguous = AmbiguousReference("endpoint", "e1", ["a", "b"])
    assert one_line(ambiguous) == (
        'hcnpy: 2 endpoints are named "e1" (a, b): give the ID of the one you mean'
    )
    assert exit_status(ambiguous) == EXIT_USAGE
    assert exit_status(ValidationError("name", 5, "expected a string")) == EXIT_USAGE
    assert exit_status(RuntimeError("x")) == EXIT_FAILURE
    assert one_line(ValueError("two\n  lines")) == "hcnpy: two lines"
