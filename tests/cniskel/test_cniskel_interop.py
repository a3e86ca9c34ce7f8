"""Interop with Debian's reference plugins (containernetworking-plugins, skel 1.1.2)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from cniskel.testing import cni_env, run_subprocess

pytestmark = pytest.mark.interop

EXAMPLE = Path(__file__).parent / "plugins" / "ipam_bridge.py"
# Debian's plugins support 0.1.0..1.0.0; give the cniskel plugin the same list
# so that version errors are comparable byte for byte.
DEBIAN_VERSIONS = '["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0"]'


def ipam_conf(version: str, data_dir: Path, ipam: str = "host-local") -> bytes:
    return json.dumps(
        {
            "cniVersion": version,
            "name": "interop",
            "type": "ipam-bridge",
            "ipam": {
                "type": ipam,
                "subnet": "10.77.0.0/24",
                "gateway": "10.77.0.1",
                "routes": [{"dst": "0.0.0.0/0"}],
                "dataDir": str(data_dir),
            },
        }
    ).encode()


@pytest.mark.parametrize("version", ["0.3.1", "0.4.0", "1.0.0"])
def test_delegating_ipam_to_host_local(
    version: str, tmp_path: Path, bin_dir: Path, reference_bin: Path
) -> None:
    path = f"{bin_dir}:{reference_bin}"
    data_dir = tmp_path / "ipam"
    conf = ipam_conf(version, data_dir)
    plugin = [str(bin_dir / "ipam-bridge")]
    env = cni_env("ADD", container_id="interop1", path=path)

    added = run_subprocess(plugin, env, conf)
    assert added.exit_code == 0, added
    result = added.result
    assert result is not None and result["cniVersion"] == version
    address = result["ips"][0]["address"]
    assert address.startswith("10.77.0.") and address.endswith("/24")
    assert result["interfaces"][0]["name"] == "eth0"
    assert result["ips"][0]["interface"] == 0
    ip = address.split("/")[0]
    assert (data_dir / "interop" / ip).read_text().startswith("interop1")

    if version != "0.3.1":
        with_prev = json.loads(conf)
        with_prev["prevResult"] = result
        checked = run_subprocess(
            plugin, dict(env, CNI_COMMAND="CHECK"), json.dumps(with_prev).encode()
        )
        assert checked.exit_code == 0, checked
    else:
        refused = run_subprocess(plugin, dict(env, CNI_COMMAND="CHECK"), conf)
        assert refused.error == {"code": 1, "msg": "config version does not allow CHECK"}

    for _ in range(2):  # DEL must be idempotent, all the way down to host-local
        deleted = run_subprocess(plugin, dict(env, CNI_COMMAND="DEL"), conf)
        assert (deleted.exit_code, deleted.stdout) == (0, b"")
    assert not (data_dir / "interop" / ip).exists()


def test_failed_add_after_ipam_releases_the_address(
    tmp_path: Path, bin_dir: Path, reference_bin: Path
) -> None:
    data_dir = tmp_path / "ipam"
    conf = json.loads(ipam_conf("1.0.0", data_dir))
    conf["failAfterIpam"] = True
    env = cni_env("ADD", container_id="fails", path=f"{bin_dir}:{reference_bin}")
    outcome = run_subprocess([str(bin_dir / "ipam-bridge")], env, json.dumps(conf).encode())
    assert outcome.error == {"code": 11, "msg": "failing after IPAM"}
    leftovers = [p.name for p in (data_dir / "interop").iterdir() if p.name[0].isdigit()]
    assert leftovers == []


def test_host_local_errors_pass_through_unchanged(
    tmp_path: Path, bin_dir: Path, reference_bin: Path
) -> None:
    conf = json.loads(ipam_conf("1.0.0", tmp_path / "ipam"))
    conf["ipam"]["subnet"] = "not-a-subnet"
    env = cni_env("ADD", path=f"{bin_dir}:{reference_bin}")
    ours = run_subprocess([str(bin_dir / "ipam-bridge")], env, json.dumps(conf).encode())
    theirs = run_subprocess([str(reference_bin / "host-local")], env, json.dumps(conf).encode())
    assert ours.exit_code == theirs.exit_code == 1
    assert ours.error == theirs.error


def _versioned_plugin(tmp_path: Path) -> list[str]:
    script = tmp_path / "versioned.py"
    script.write_text(
        "import cniskel\n"
        "class P(cniskel.Plugin):\n"
        f"    supported_versions = {DEBIAN_VERSIONS}\n"
        "    def add(self, ctx):\n"
        "        return cniskel.Result(ips=[cniskel.IPConfig('10.0.0.2/24')])\n"
        "P.main()\n"
    )
    return [sys.executable, str(script)]


BAD_INPUT: list[tuple[dict[str, str], bytes]] = [
    ({"CNI_COMMAND": "ADD"}, b'{"name": "n"}'),
    ({"CNI_COMMAND": "DEL", "CNI_PATH": "/x"}, b'{"name": "n"}'),
    ({"CNI_COMMAND": "CHECK", "CNI_CONTAINERID": "c"}, b'{"name": "n"}'),
    (cni_env("ADD"), b""),
    (cni_env("ADD"), b"{bad"),
    (cni_env("ADD"), b'{"name": "n", "cniVersion": "0.3.1"'),
    (cni_env("ADD"), b'{"name": 5}'),
    (cni_env("ADD"), b"[]"),
    (cni_env("ADD"), b'{"cniVersion": "0.4.0"}'),
    (cni_env("ADD"), b'{"name": "bad name", "cniVersion": "0.4.0"}'),
    (cni_env("ADD"), b'{"name": "n", "cniVersion": "0.5.0"}'),
    (cni_env("DEL"), b'{"name": "n", "cniVersion": "1.1.0"}'),
    (cni_env("ADD"), b'{"name": "n", "cniVersion": 1}'),
    (cni_env("CHECK"), b'{"name": "n", "cniVersion": "0.3.1"}'),
    (cni_env("CHECK"), b'{"name": "n", "cniVersion": "1.1.0"}'),
    (cni_env("ADD", ifname="way-too-long-name"), b'{"name": "n", "cniVersion": "1.0.0"}'),
    (cni_env("ADD", container_id="bad%id"), b'{"name": "n", "cniVersion": "1.0.0"}'),
    (cni_env("DEL", ifname="a/b"), b'{"name": "n", "cniVersion": "1.0.0"}'),
]


@pytest.mark.parametrize(("env", "stdin"), BAD_INPUT)
def test_error_output_matches_the_reference_byte_for_byte(
    env: dict[str, str], stdin: bytes, tmp_path: Path, reference_bin: Path
) -> None:
    env = dict(env, PATH=os.environ["PATH"])
    theirs = run_subprocess([str(reference_bin / "static")], env, stdin)
    ours = run_subprocess(_versioned_plugin(tmp_path), env, stdin)
    assert theirs.exit_code == 1, theirs
    assert (ours.exit_code, ours.stdout) == (theirs.exit_code, theirs.stdout)


def test_version_answer_has_the_reference_shape(tmp_path: Path, reference_bin: Path) -> None:
    env = {"CNI_COMMAND": "VERSION", "PATH": os.environ["PATH"]}
    theirs = run_subprocess([str(reference_bin / "static")], env)
    ours = run_subprocess(_versioned_plugin(tmp_path), env)
    assert theirs.stdout == ours.stdout.replace(b'"1.1.0"', b'"1.0.0"', 1)


CHAINS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "0.3.1",
        [
            {"type": "host-local", "ipam": {"type": "host-local", "subnet": "10.66.0.0/24"}},
            {"type": "noop"},
        ],
    ),
    (
        "0.4.0",
        [
            {
                "type": "static",
                "ipam": {
                    "type": "static",
                    "addresses": [{"address": "10.65.0.9/24", "gateway": "10.65.0.1"}],
                },
            },
            {"type": "noop"},
        ],
    ),
    (
        "1.0.0",
        [
            {"type": "noop"},
            {
                "type": "host-local",
                "ipam": {
                    "type": "host-local",
                    "subnet": "10.66.1.0/24",
                    "routes": [{"dst": "0.0.0.0/0"}],
                },
            },
        ],
    ),
]


@pytest.mark.parametrize(("version", "plugins"), CHAINS)
def test_the_tool_drives_reference_chains(
    version: str, plugins: list[dict[str, Any]], tmp_path: Path, bin_dir: Path, reference_bin: Path
) -> None:
    for plugin in plugins:
        if plugin["type"] == "host-local":
            plugin["ipam"]["dataDir"] = str(tmp_path / "ipam")
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "10-chain.conflist").write_text(
        json.dumps({"cniVersion": version, "name": "refchain", "plugins": plugins})
    )
    env = {
        "NETCONFPATH": str(net_d),
        "CNI_PATH": f"{bin_dir}:{reference_bin}",
        "CNISKEL_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": os.environ["PATH"],
    }
    tool = [sys.executable, "-m", "cniskel.runtime"]
    added = run_subprocess([*tool, "add", "refchain", "/var/run/netns/ref"], env)
    assert added.exit_code == 0, added
    assert added.result is not None and added.result["cniVersion"] == version
    assert added.result["ips"][0]["address"].startswith("10.6")
    cache = list((tmp_path / "cache" / "results").iterdir())
    assert len(cache) == 1
    if version != "0.3.1":
        checked = run_subprocess([*tool, "check", "refchain", "/var/run/netns/ref"], env)
        assert checked.exit_code == 0, checked
    for _ in range(2):
        deleted = run_subprocess([*tool, "del", "refchain", "/var/run/netns/ref"], env)
        assert deleted.exit_code == 0, deleted
    assert list((tmp_path / "cache" / "results").iterdir()) == []


def test_the_tool_reports_a_reference_plugin_error(tmp_path: Path, reference_bin: Path) -> None:
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "bad.conflist").write_text(
        json.dumps(
            {
                "cniVersion": "1.0.0",
                "name": "bad",
                "plugins": [
                    {
                        "type": "static",
                        "ipam": {"type": "static", "addresses": [{"address": "nope"}]},
                    }
                ],
            }
        )
    )
    env = {
        "NETCONFPATH": str(net_d),
        "CNI_PATH": str(reference_bin),
        "CNISKEL_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": os.environ["PATH"],
    }
    outcome = run_subprocess([sys.executable, "-m", "cniskel.runtime", "add", "bad", "/x"], env)
    assert outcome.exit_code == 1
    assert outcome.error is not None and outcome.error["code"] == 999
    assert b'plugin type="static" failed (add)' in outcome.stderr
