"""The runtime (libcni): config loading, stdin derivation, cache, chains and the tool."""

from __future__ import annotations

import base64
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cniskel.cache import ResultCache
from cniskel.conflist import ConfigError, PluginConfig, conflist_from_bytes, load_conflist
from cniskel.result import IPConfig, Result
from cniskel.runtime import (
    PluginFailed,
    Runtime,
    RuntimeConf,
    build_config,
    container_id_for,
    parse_cni_args,
    run_cli,
)


def write(directory: Path, name: str, data: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(json.dumps(data))


# --- loading -------------------------------------------------------------------------


def test_conflists_come_before_legacy_configs_and_legacy_is_upconverted(tmp_path: Path) -> None:
    write(tmp_path, "10-a.conf", {"cniVersion": "0.3.1", "name": "legacy", "type": "noop"})
    write(
        tmp_path, "20-b.conflist", {"cniVersion": "1.0.0", "name": "b", "plugins": [{"type": "x"}]}
    )
    write(
        tmp_path, "30-b.conflist", {"cniVersion": "0.4.0", "name": "b", "plugins": [{"type": "y"}]}
    )
    assert load_conflist(str(tmp_path), "b").plugins[0].type == "x"
    legacy = load_conflist(str(tmp_path), "legacy")
    assert (legacy.cni_version, [p.type for p in legacy.plugins]) == ("0.3.1", ["noop"])
    with pytest.raises(ConfigError, match=re.escape('no net configuration with name "zzz" in')):
        load_conflist(str(tmp_path), "zzz")
    with pytest.raises(ConfigError, match=r"no net configurations found in"):
        load_conflist(str(tmp_path / "empty"), "b")


def test_plugins_from_the_sibling_directory_are_appended(tmp_path: Path) -> None:
    write(
        tmp_path, "10.conflist", {"cniVersion": "1.1.0", "name": "net", "plugins": [{"type": "a"}]}
    )
    write(tmp_path / "net", "1.conf", {"type": "b"})
    assert [p.type for p in load_conflist(str(tmp_path), "net").plugins] == ["a", "b"]
    write(
        tmp_path,
        "10.conflist",
        {
            "cniVersion": "1.1.0",
            "name": "net",
            "loadOnlyInlinedPlugins": True,
            "plugins": [{"type": "a"}],
        },
    )
    assert [p.type for p in load_conflist(str(tmp_path), "net").plugins] == ["a"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"cniVersion": "1.0.0"}, "1.0.0"),
        ({"cniVersion": "0.4.0", "cniVersions": ["1.0.0", "0.3.1"]}, "1.0.0"),
        ({"cniVersions": ["1.1.0", "2.0.0"]}, "1.1.0"),
        ({"cniVersion": "1.0.0", "cniVersions": ["9.9.9"]}, "1.0.0"),
    ],
)
def test_cni_versions_negotiation(data: dict[str, Any], expected: str) -> None:
    body = dict(data, name="n", plugins=[{"type": "x"}])
    assert conflist_from_bytes(json.dumps(body).encode()).cni_version == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("TRUE", True), ("false", False), (None, False)],
)
def test_disable_check_accepts_bools_and_strings(value: object, expected: bool) -> None:
    body = {
        "name": "n",
        "cniVersion": "1.0.0",
        "disableCheck": value,
        "disableGC": value,
        "plugins": [{"type": "x"}],
    }
    conflist = conflist_from_bytes(json.dumps(body).encode())
    assert (conflist.disable_check, conflist.disable_gc) == (expected, expected)


@pytest.mark.parametrize(
    ("body", "msg"),
    [
        ({"plugins": [{"type": "x"}]}, "no name"),
        ({"name": "n", "plugins": []}, "no plugins in list"),
        ({"name": "n", "plugins": [{"name": "x"}]}, "missing 'type'"),
        ({"name": "n", "disableCheck": "maybe", "plugins": [{"type": "x"}]}, "disableCheck"),
    ],
)
def test_conflist_errors(body: dict[str, Any], msg: str) -> None:
    with pytest.raises(ConfigError, match=msg):
        conflist_from_bytes(json.dumps(body).encode())


# --- stdin derivation ----------------------------------------------------------------


def test_build_config_injects_name_version_prev_result_and_runtime_config() -> None:
    plugin = PluginConfig(
        {
            "type": "p",
            "name": "ignored",
            "capabilities": {"portMappings": True, "mac": False},
            "zeta": {"b": 1, "a": 2},
            "cniVersion": "0.1.0",
        }
    )
    rt = RuntimeConf(
        "c1", capability_args={"portMappings": [{"hostPort": 80}], "mac": "x", "dns": {}}
    )
    prev = Result("0.4.0", ips=[IPConfig("10.0.0.2/24")])
    data = build_config("net", "0.4.0", plugin, prev, rt)
    assert data == (
        b'{"capabilities":{"mac":false,"portMappings":true},"cniVersion":"0.4.0","name":"net",'
        b'"prevResult":{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"}],'
        b'"dns":{}},"runtimeConfig":{"portMappings":[{"hostPort":80}]},"type":"p",'
        b'"zeta":{"a":2,"b":1}}'
    )
    bare = json.loads(build_config("net", "1.0.0", plugin, None, RuntimeConf("c1")))
    assert "runtimeConfig" not in bare and "prevResult" not in bare


def test_cnitool_helpers() -> None:
    assert container_id_for("/var/run/netns/x").startswith("cnitool-")
    assert len(container_id_for("/var/run/netns/x")) == len("cnitool-") + 20
    assert parse_cni_args("A=1;B=2") == [("A", "1"), ("B", "2")]
    for bad in ("A=", "=1", "A", "A=1=2"):
        with pytest.raises(ConfigError):
            parse_cni_args(bad)


# --- cache ------------------------------------------------------------------------------


def test_cache_file_format(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path))
    result = Result("1.0.0", ips=[IPConfig("10.0.0.2/24", "10.0.0.1")])
    cache.add(
        result,
        b'{"name":"net"}',
        "net",
        container_id="c1",
        ifname="eth0",
        netns="/var/run/netns/x",
        cni_args=[("K", "V")],
        capability_args={"mac": "m"},
    )
    path = tmp_path / "results" / "net-c1-eth0"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "results").stat().st_mode & 0o777) == "0o700"
    stored = json.loads(path.read_bytes())
    assert list(stored) == [
        "kind",
        "containerId",
        "config",
        "ifName",
        "networkName",
        "netns",
        "cniArgs",
        "capabilityArgs",
        "result",
    ]
    assert stored["kind"] == "cniCacheV1"
    assert base64.b64decode(stored["config"]) == b'{"name":"net"}'
    assert stored["cniArgs"] == [["K", "V"]]
    assert stored["result"] == {
        "cniVersion": "1.0.0",
        "dns": {},
        "ips": [{"address": "10.0.0.2/24", "gateway": "10.0.0.1"}],
    }
    converted = cache.result("net", "0.4.0", "c1", "eth0")
    assert converted is not None
    assert converted.to_dict()["ips"] == [
        {"version": "4", "address": "10.0.0.2/24", "gateway": "10.0.0.1"}
    ]
    [attachment] = cache.attachments("c1")
    assert (attachment.network, attachment.ifname, attachment.netns) == (
        "net",
        "eth0",
        "/var/run/netns/x",
    )
    cache.delete("net", "c1", "eth0")
    cache.delete("net", "c1", "eth0")
    assert cache.result("net", "1.0.0", "c1", "eth0") is None


def test_legacy_cache_files_hold_a_bare_result(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "net-c1-eth0").write_text(
        '{"cniVersion": "0.3.1", "ips": [{"version": "4", "address": "10.0.0.5/24"}]}'
    )
    result = ResultCache(str(tmp_path)).result("net", "1.0.0", "c1", "eth0")
    assert result is not None and result.to_dict()["ips"] == [{"address": "10.0.0.5/24"}]


# --- chains through the noop plugin ------------------------------------------------------


@pytest.fixture
def chain(
    tmp_path: Path, bin_dir: Path, debug_file: Callable[..., Path]
) -> tuple[Runtime, Path, Path, Path]:
    log = tmp_path / "log.jsonl"
    debug = debug_file(CommandLog=str(log))
    net_d = tmp_path / "net.d"
    runtime = Runtime([str(bin_dir)], str(tmp_path / "cache"), env={"PATH": os.environ["PATH"]})
    return runtime, net_d, debug, log


def commands(log: Path) -> list[tuple[str, dict[str, Any]]]:
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    return [
        (e["Command"], json.loads(base64.b64decode(e["CmdArgs"]["StdinData"]))) for e in entries
    ]


def first_result(version: str) -> dict[str, Any]:
    if version in ("0.1.0", "0.2.0"):
        return {"ip4": {"ip": "10.5.0.2/24"}}
    if version.startswith("0."):
        return {"ips": [{"version": "4", "address": "10.5.0.2/24"}]}
    return {"ips": [{"address": "10.5.0.2/24"}]}


def noop_list(version: str, **extra: object) -> dict[str, Any]:
    return {
        "cniVersion": version,
        "name": "chain",
        "plugins": [
            {"type": "noop", "noopResult": first_result(version)},
            {"type": "noop", "name": "second", "capabilities": {"mac": True}},
            {"type": "noop", "name": "third"},
        ],
        **extra,
    }


def test_add_chains_prev_results_check_and_del_in_reverse(
    chain: tuple[Runtime, Path, Path, Path],
) -> None:
    runtime, net_d, debug, log = chain
    write(net_d, "10.conflist", noop_list("1.0.0"))
    conflist = load_conflist(str(net_d), "chain")
    rt = RuntimeConf("ctr1", "/var/run/netns/ctr1", "eth0", [("DEBUG", str(debug))], {"mac": "aa"})
    result = runtime.add_network_list(conflist, rt)
    assert result is not None and str(result.ips[0].address) == "10.5.0.2/24"
    runtime.check_network_list(conflist, rt)
    runtime.del_network_list(conflist, rt)
    runtime.del_network_list(conflist, rt)
    seen = commands(log)
    assert [c for c, _ in seen] == ["ADD"] * 3 + ["CHECK"] * 3 + ["DEL"] * 6
    adds = [stdin for c, stdin in seen if c == "ADD"]
    assert "prevResult" not in adds[0]
    assert adds[1]["prevResult"]["ips"] == [{"address": "10.5.0.2/24"}]
    assert adds[1]["runtimeConfig"] == {"mac": "aa"}
    assert "runtimeConfig" not in adds[2]
    assert all(s["name"] == "chain" and s["cniVersion"] == "1.0.0" for _, s in seen)
    checks = [s for c, s in seen if c == "CHECK"]
    assert all(s["prevResult"]["cniVersion"] == "1.0.0" for s in checks)
    dels = [s for c, s in seen if c == "DEL"]
    assert [s.get("name") for s in dels[:3]] == ["chain"] * 3
    assert [s["type"] for s in dels[:3]] == ["noop"] * 3
    assert "prevResult" in dels[0] and "prevResult" not in dels[3]  # cache gone after first DEL
    order = [s.get("capabilities") for s in dels[:3]]
    assert order == [None, {"mac": True}, None]  # third, second, first


def test_del_for_old_configs_has_no_prev_result_and_check_is_refused(
    chain: tuple[Runtime, Path, Path, Path],
) -> None:
    runtime, net_d, debug, log = chain
    write(net_d, "10.conflist", noop_list("0.3.1"))
    conflist = load_conflist(str(net_d), "chain")
    rt = RuntimeConf("ctr1", "/var/run/netns/ctr1", "eth0", [("DEBUG", str(debug))])
    runtime.add_network_list(conflist, rt)
    with pytest.raises(
        ConfigError,
        match=re.escape('configuration version "0.3.1" does not support the CHECK command'),
    ):
        runtime.check_network_list(conflist, rt)
    runtime.del_network_list(conflist, rt)
    assert all("prevResult" not in s for c, s in commands(log) if c == "DEL")


def test_disable_check_skips_plugins(chain: tuple[Runtime, Path, Path, Path]) -> None:
    runtime, net_d, debug, log = chain
    write(net_d, "10.conflist", noop_list("1.0.0", disableCheck="true"))
    conflist = load_conflist(str(net_d), "chain")
    rt = RuntimeConf("ctr1", "/x", "eth0", [("DEBUG", str(debug))])
    runtime.add_network_list(conflist, rt)
    runtime.check_network_list(conflist, rt)
    assert "CHECK" not in [c for c, _ in commands(log)]


def test_gc_deletes_stale_attachments_and_sends_both_keys(
    chain: tuple[Runtime, Path, Path, Path],
) -> None:
    runtime, net_d, debug, log = chain
    write(net_d, "10.conflist", noop_list("1.1.0"))
    conflist = load_conflist(str(net_d), "chain")
    for ctr in ("keep", "stale"):
        runtime.add_network_list(conflist, RuntimeConf(ctr, "/x", "eth0", [("DEBUG", str(debug))]))
    assert runtime.gc_network_list(conflist, [("keep", "eth0")]) == []
    seen = commands(log)
    dels = [s for c, s in seen if c == "DEL"]
    assert len(dels) == 3
    gcs = [s for c, s in seen if c == "GC"]
    assert len(gcs) == 0  # GC runs without CNI_ARGS, so the noop has no debug file to log to
    assert [a.container_id for a in runtime.cache.attachments()] == ["keep"]
    stdin = build_config(
        "chain",
        "1.1.0",
        conflist.plugins[0],
        None,
        None,
        {"cni.dev/valid-attachments": None, "cni.dev/attachments": None},
    )
    assert b'"cni.dev/attachments":null' in stdin and b'"cni.dev/valid-attachments":null' in stdin


def test_gc_and_status_through_a_debug_config(
    tmp_path: Path, bin_dir: Path, debug_file: Callable[..., Path]
) -> None:
    log = tmp_path / "log.jsonl"
    debug = debug_file(CommandLog=str(log))
    net_d = tmp_path / "net.d"
    write(
        net_d,
        "10.conflist",
        {
            "cniVersion": "1.1.0",
            "name": "g",
            "plugins": [{"type": "noop", "debugFile": str(debug)}],
        },
    )
    runtime = Runtime([str(bin_dir)], str(tmp_path / "cache"))
    conflist = load_conflist(str(net_d), "g")
    assert runtime.gc_network_list(conflist, [("a", "eth0")]) == []
    runtime.status_network_list(conflist)
    seen = commands(log)
    assert [c for c, _ in seen] == ["GC", "STATUS"]
    gc_stdin = seen[0][1]
    assert gc_stdin["cni.dev/valid-attachments"] == [{"containerID": "a", "ifname": "eth0"}]
    assert gc_stdin["cni.dev/attachments"] == gc_stdin["cni.dev/valid-attachments"]


def test_add_failure_is_wrapped_like_libcni(
    chain: tuple[Runtime, Path, Path, Path], debug_file: Callable[..., Path]
) -> None:
    runtime, net_d, _debug, _log = chain
    failing = debug_file(ReportError="no luck", ReportErrorCode=7)
    write(net_d, "10.conflist", noop_list("1.0.0"))
    conflist = load_conflist(str(net_d), "chain")
    with pytest.raises(PluginFailed) as info:
        runtime.add_network_list(
            conflist, RuntimeConf("c", "/x", "eth0", [("DEBUG", str(failing))])
        )
    assert str(info.value) == 'plugin type="noop" failed (add): no luck'


def test_cli_add_check_del_and_errors(tmp_path: Path, bin_dir: Path) -> None:
    net_d = tmp_path / "net.d"
    write(net_d, "10.conflist", noop_list("0.4.0"))
    env = {
        "NETCONFPATH": str(net_d),
        "CNI_PATH": str(bin_dir),
        "CNISKEL_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": os.environ["PATH"],
    }

    def cli(*argv: str, extra: dict[str, str] | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run_cli(list(argv), {**env, **(extra or {})}, out, err)
        return code, out.getvalue(), err.getvalue()

    code, out, _ = cli("add", "chain", "/var/run/netns/t", "--container-id", "t1")
    assert code == 0
    assert json.loads(out)["ips"] == [{"version": "4", "address": "10.5.0.2/24"}]
    assert (tmp_path / "cache" / "results" / "chain-t1-eth0").exists()
    assert cli("check", "chain", "/var/run/netns/t", "--container-id", "t1")[0] == 0
    assert cli("del", "chain", "/var/run/netns/t", "--container-id", "t1")[:2] == (0, "")
    code, out, err = cli("add", "nothere", "/x")
    assert code == 1 and 'no net configuration with name "nothere"' in err
    code, out, err = cli("add", "chain", "/x", "--ifname", "bad/name")
    assert code == 1
    assert json.loads(out) == {
        "code": 4,
        "msg": "interface name contains / or : or whitespace characters",
    }
    assert err.startswith('cniskel: plugin type="noop" failed (add): interface name')
    code, out, _ = cli("version", "noop")
    assert code == 0 and json.loads(out)["cniVersion"] == "1.1.0"
