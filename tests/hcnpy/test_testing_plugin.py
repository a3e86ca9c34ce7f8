"""The ``simulated_hns`` pytest fixture, as a project that installed hcnpy uses it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hcnpy.testing import SimulatedHns

pytest_plugins = ["pytester"]

USER_TESTS = '''
import json, subprocess, sys
import pytest
from hcnpy.errors import PortAlreadyExistsError

def test_each_test_starts_empty(simulated_hns):
    assert simulated_hns.objects("Network") == []
    network = simulated_hns.ops.create_network({"Name": "n", "Type": "NAT"})
    endpoint = simulated_hns.ops.create_endpoint(network["ID"], {"Name": "e"})
    code = ("import json; from hcnpy.ops import connect; "
            "print(json.dumps([e['Name'] for e in connect().list_endpoints()]))")
    out = subprocess.run([sys.executable, "-c", code], env=simulated_hns.env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["e"]  # a subprocess sees the same simulated HNS
    simulated_hns.ops.delete_endpoint(endpoint["ID"])
    simulated_hns.ops.delete_network(network["ID"])
    simulated_hns.assert_no_leaks()

def test_the_next_test_starts_empty_again(simulated_hns):
    assert simulated_hns.objects("Network") == []

def test_faults_and_versions(simulated_hns):
    network = simulated_hns.ops.create_network({"Name": "n", "Type": "NAT"})
    simulated_hns.inject_faults("HcnCreateEndpoint=HCN_E_PORT_ALREADY_EXISTS@1")
    with pytest.raises(PortAlreadyExistsError):
        simulated_hns.ops.create_endpoint(network["ID"], {})
    simulated_hns.inject_faults(None)
    simulated_hns.set_version("12.1")
    assert tuple(simulated_hns.ops.hns_version()) == (12, 1)
    simulated_hns.ops.delete_network(network["ID"])

def test_a_leak_is_reported(simulated_hns):
    simulated_hns.ops.create_network({"Name": "left-behind", "Type": "NAT"})
    with pytest.raises(AssertionError, match="left behind"):
        simulated_hns.assert_no_leaks()

def test_the_baseline_is_left_alone_and_nothing_else(simulated_hns):
    network = simulated_hns.ops.create_network({"Name": "set-up", "Type": "NAT"})
    simulated_hns.baseline()
    endpoint = simulated_hns.ops.create_endpoint(network["ID"], {"Name": "e"})
    with pytest.raises(AssertionError, match="Endpoint"):
        simulated_hns.assert_no_leaks()
    simulated_hns.ops.delete_endpoint(endpoint["ID"])
    simulated_hns.assert_no_leaks()
'''


def test_the_fixture_comes_with_the_installed_package(pytester: pytest.Pytester) -> None:
    """No conftest and no plugin option: the entry point makes the fixture available."""
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_the_fixture_undoes_its_environment(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import os
        def test_inside(simulated_hns):
            assert os.environ["HCNPY_SIM_STATE"] == str(simulated_hns.state_path)
        def test_after():
            assert os.environ.get("HCNPY_SIM_STATE") == "/caller/state"
        """
    )
    (tmp_path / "test_env.py").write_text(code)
    env = {"HCNPY_SIM_STATE": "/caller/state", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        env=env, capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_class_is_public() -> None:
    assert SimulatedHns.__module__ == "hcnpy.testing"
