"""The example plugin from docs/cniskel/authoring.md, run exactly as printed there."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from cniskel.testing import cni_env, run_subprocess

DOC = Path(__file__).parents[2] / "docs" / "cniskel" / "authoring.md"


def example_source() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- example: static-plugin -->\n```python\n(.*?)```", text, re.S)
    assert match is not None, "example block missing from the docs"
    return match.group(1)


@pytest.fixture
def example_bin(tmp_path: Path) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    plugin = directory / "example-static"
    plugin.write_text(f"#!{sys.executable}\n" + example_source(), encoding="utf-8")
    plugin.chmod(0o755)
    return directory


def test_the_example_is_about_twenty_lines() -> None:
    code = [line for line in example_source().splitlines() if line.strip()]
    assert len(code) <= 32


@pytest.mark.parametrize("version", ["0.2.0", "0.4.0", "1.0.0", "1.1.0"])
def test_the_example_works_under_the_tool(version: str, tmp_path: Path, example_bin: Path) -> None:
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "10-demo.conflist").write_text(
        json.dumps(
            {
                "cniVersion": version,
                "name": "demo",
                "plugins": [
                    {"type": "example-static", "address": "10.10.0.5/24", "gateway": "10.10.0.1"}
                ],
            }
        )
    )
    env = {
        "NETCONFPATH": str(net_d),
        "CNI_PATH": str(example_bin),
        "CNISKEL_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": os.environ["PATH"],
    }
    tool = [sys.executable, "-m", "cniskel.runtime"]
    added = run_subprocess([*tool, "add", "demo", "/var/run/netns/demo"], env)
    assert added.exit_code == 0, added
    assert added.result is not None and added.result["cniVersion"] == version
    if version == "0.2.0":
        assert added.result["ip4"] == {"ip": "10.10.0.5/24", "gateway": "10.10.0.1"}
    else:
        assert added.result["ips"][0]["address"] == "10.10.0.5/24"
        assert added.result["interfaces"] == [{"name": "eth0", "sandbox": "/var/run/netns/demo"}]
    deleted = run_subprocess([*tool, "del", "demo", "/var/run/netns/demo"], env)
    assert (deleted.exit_code, deleted.stdout) == (0, b"")


def test_the_example_answers_version_about_and_errors(example_bin: Path) -> None:
    plugin = [str(example_bin / "example-static")]
    version = run_subprocess(plugin, {"CNI_COMMAND": "VERSION"})
    assert version.result is not None and version.result["supportedVersions"][-1] == "1.1.0"
    about = run_subprocess(plugin, {})
    assert about.exit_code == 0 and about.stderr.startswith(b"CNI example-static plugin v1.0\n")
    missing_env = run_subprocess(plugin, {"CNI_COMMAND": "ADD"}, b"{}")
    assert missing_env.error == {
        "code": 4,
        "msg": "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing",
    }
    bad_json = run_subprocess(plugin, cni_env("ADD"), b'{"name": ')
    assert bad_json.error == {
        "code": 6,
        "msg": "error unmarshall network config: unexpected end of JSON input",
    }
    too_new = run_subprocess(plugin, cni_env("ADD"), b'{"name": "n", "cniVersion": "2.0.0"}')
    assert too_new.error == {
        "code": 1,
        "msg": "incompatible CNI versions",
        "details": 'config is "2.0.0", plugin supports '
        '["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0" "1.1.0"]',
    }
    no_address = run_subprocess(plugin, cni_env("ADD"), b'{"name": "n", "cniVersion": "1.0.0"}')
    assert no_address.error == {"code": 7, "msg": "missing address"}
