"""Delegation and plugin execution (pkg/invoke, §2.4)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cniskel import invoke
from cniskel.errors import CniError
from cniskel.invoke import InvokeError


def test_find_in_path(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "plugin").write_text("")
    (first / "plugin").mkdir()  # a directory is not a plugin
    assert invoke.find_in_path("plugin", [str(first), str(second)]) == str(second / "plugin")


@pytest.mark.parametrize(
    ("name", "paths", "windows", "msg"),
    [
        ("", ["/x"], False, "no plugin name provided"),
        ("a/b", ["/x"], False, "invalid plugin name: a/b"),
        ("a\\b", ["/x"], True, "invalid plugin name: a\\b"),
        ("a/b", ["/x"], True, "invalid plugin name: a/b"),
        ("plugin", [], False, "no paths provided"),
        (
            "plugin",
            ["/nope1", "/nope2"],
            False,
            'failed to find plugin "plugin" in path [/nope1 /nope2]',
        ),
    ],
)
def test_find_in_path_errors(name: str, paths: list[str], windows: bool, msg: str) -> None:
    with pytest.raises(InvokeError) as info:
        invoke.find_in_path(name, paths, windows=windows)
    assert str(info.value) == msg


def test_find_in_path_tries_exe_on_windows(tmp_path: Path) -> None:
    (tmp_path / "plugin.exe").write_text("")
    assert invoke.find_in_path("plugin", [str(tmp_path)], windows=True).endswith("plugin.exe")
    with pytest.raises(InvokeError):
        invoke.find_in_path("plugin", [str(tmp_path)], windows=False)


def test_path_list_separators() -> None:
    assert invoke.split_path_list("/a:/b", windows=False) == ["/a", "/b"]
    assert invoke.split_path_list("C:\\cni;D:\\more", windows=True) == ["C:\\cni", "D:\\more"]
    assert invoke.split_path_list("") == []


ERROR_CASES = [
    (1, b'{"code": 7, "msg": "bad", "details": "why"}', b"", (7, "bad", "why")),
    (1, b"", b"", (0, "netplugin failed with no error message: exit status 1", "")),
    (2, b"", b"it broke\n", (0, 'netplugin failed: "it broke\\n": exit status 2', "")),
    (-9, b"", b"", (0, "netplugin failed with no error message: signal: killed", "")),
    (
        1,
        b"garbage",
        b"",
        (
            0,
            'netplugin failed but error parsing its diagnostic message "garbage": '
            "invalid character 'g' looking for beginning of value",
            "",
        ),
    ),
    (1, b'{"code": 11, "msg": "later"}', b"ignored stderr", (11, "later", "")),
]


@pytest.mark.parametrize(("status", "stdout", "stderr", "expected"), ERROR_CASES)
def test_plugin_error_extraction(
    status: int, stdout: bytes, stderr: bytes, expected: tuple[int, str, str]
) -> None:
    error = invoke.plugin_error(status, stdout, stderr)
    assert (error.code, error.msg, error.details) == expected


@pytest.mark.parametrize(
    ("conf", "output", "version", "result_version"),
    [
        (b'{"cniVersion": "1.0.0"}', b'{"ips": []}', "1.0.0", "1.0.0"),
        (b'{"cniVersion": "1.0.0"}', b'{"cniVersion": "", "ips": []}', "1.0.0", "1.0.0"),
        (b"{}", b"{}", "0.1.0", "0.1.0"),
        (b'{"cniVersion": "0.4.0"}', b"null", "0.4.0", "0.4.0"),
        (b'{"cniVersion": "1.0.0"}', b'{"cniVersion": "0.4.0"}', "0.4.0", "0.4.0"),
    ],
)
def test_result_version_fixup(
    conf: bytes, output: bytes, version: str, result_version: str
) -> None:
    got, raw = invoke.fixup_result_version(conf, output)
    assert got == version
    assert raw["cniVersion"] == result_version


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            b'{"cniVersion": "1.0.0", "supportedVersions": ["0.4.0", "1.0.0"]}',
            ("1.0.0", ["0.4.0", "1.0.0"]),
        ),
        # Go's PluginSupports: the library's own version (1.1.0 here, 1.0.0 in libcni 1.1.2).
        (b'{"cniVersion": "0.2.0"}', ("1.1.0", ["0.1.0", "0.2.0"])),
        (b'{"CNIVersion": "0.2.0", "supportedversions": ["0.2.0"]}', ("0.2.0", ["0.2.0"])),
        (b'{"cniVersion": "0.3.0"}', "decoding version info: missing field supportedVersions"),
        (b'{"supportedVersions": ["0.1.0"]}', "decoding version info: missing field cniVersion"),
        (b"{", "decoding version info: unexpected end of JSON input"),
    ],
)
def test_plugin_decoder(output: bytes, expected: tuple[str, list[str]] | str) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvokeError) as info:
            invoke.decode_plugin_info(output)
        assert str(info.value) == expected
    else:
        info_ = invoke.decode_plugin_info(output)
        assert (info_.cni_version, info_.supported_versions) == expected


def _script(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def test_version_probe_environment_and_legacy_answer(tmp_path: Path) -> None:
    dump = tmp_path / "probe.txt"
    plugin = _script(
        tmp_path,
        "probe",
        f"env > {dump}; cat >> {dump}\n"
        'echo \'{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}\'\n',
    )
    info = invoke.get_version_info(str(plugin), {"KEEP": "me"})
    assert info.supported_versions == ["1.0.0"]
    text = dump.read_text()
    for line in (
        "CNI_COMMAND=VERSION",
        "CNI_NETNS=dummy",
        "CNI_IFNAME=dummy",
        "CNI_PATH=dummy",
        "CNI_CONTAINERID=",
        "CNI_ARGS=",
        "KEEP=me",
    ):
        assert line + "\n" in text
    assert text.endswith('{"cniVersion":"1.1.0"}')
    legacy = _script(
        tmp_path, "legacy", 'printf \'{"code":4,"msg":"unknown CNI_COMMAND: VERSION"}\'; exit 1\n'
    )
    assert invoke.get_version_info(str(legacy)).supported_versions == ["0.1.0"]


def test_delegation_inherits_env_and_overrides_only_the_command(
    bin_dir: Path, tmp_path: Path
) -> None:
    dump = tmp_path / "dump.jsonl"
    env = {
        "CNI_COMMAND": "ADD",
        "CNI_CONTAINERID": "c1",
        "CNI_NETNS": "/var/run/netns/n",
        "CNI_IFNAME": "eth0",
        "CNI_ARGS": "A=1",
        "CNI_PATH": str(bin_dir),
        "ENV_DUMP_FILE": str(dump),
    }
    conf = b'{"cniVersion": "1.0.0", "name": "n", "ipam": {"type": "env-dump"}}'
    result = invoke.delegate_add("env-dump", conf, env)
    assert result.cni_version == "1.0.0"  # fixed up from the config
    assert str(result.ips[0].address) == "10.1.0.9/16"
    for _command, delegate in (
        ("CHECK", invoke.delegate_check),
        ("DEL", invoke.delegate_del),
        ("GC", invoke.delegate_gc),
        ("STATUS", invoke.delegate_status),
    ):
        delegate("env-dump", conf, env)
    records = [json.loads(line) for line in dump.read_text().splitlines()]
    assert [r["env"]["CNI_COMMAND"] for r in records] == ["ADD", "CHECK", "DEL", "GC", "STATUS"]
    for record in records:
        assert record["stdin"] == conf.decode()
        for key in ("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"):
            assert record["env"][key] == env[key]


def test_delegate_errors_surface_as_cni_errors(
    bin_dir: Path, debug_file: Callable[..., Path]
) -> None:
    debug = debug_file(ReportError="no addresses left", ReportErrorCode=11)
    env = {
        "CNI_PATH": str(bin_dir),
        "CNI_ARGS": f"DEBUG={debug}",
        "CNI_CONTAINERID": "c",
        "CNI_NETNS": "/x",
        "CNI_IFNAME": "eth0",
    }
    with pytest.raises(CniError) as info:
        invoke.delegate_add("noop", b'{"cniVersion": "1.0.0", "name": "n"}', env)
    assert (info.value.code, info.value.msg) == (11, "no addresses left")
    with pytest.raises(InvokeError, match=re.escape('failed to find plugin "missing"')):
        invoke.delegate_del("missing", b"{}", env)


def test_del_on_failure_releases_the_delegate(
    bin_dir: Path, debug_file: Callable[..., Path], tmp_path: Path
) -> None:
    log = tmp_path / "commands.jsonl"
    debug = debug_file(CommandLog=str(log))
    env = {
        "CNI_PATH": str(bin_dir),
        "CNI_ARGS": f"DEBUG={debug}",
        "CNI_CONTAINERID": "c",
        "CNI_NETNS": "/x",
        "CNI_IFNAME": "eth0",
    }
    conf = b'{"cniVersion": "1.0.0", "name": "n"}'
    with pytest.raises(RuntimeError, match=r"later step"), invoke.delegated_add("noop", conf, env):
        raise RuntimeError("later step")
    commands = [json.loads(line)["Command"] for line in log.read_text().splitlines()]
    assert commands == ["ADD", "DEL"]
    with invoke.delegated_add("noop", conf, env) as result:
        assert result.cni_version == "1.0.0"
    commands = [json.loads(line)["Command"] for line in log.read_text().splitlines()]
    assert commands == ["ADD", "DEL", "ADD"]
