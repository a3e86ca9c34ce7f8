"""Regression tests for the open defects that lived in cniskel (issues 10, 12 and 13)."""

from __future__ import annotations

import ast
import io
import json
import os
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

import cniskel
from cniskel import invoke
from cniskel.args import CommonArgs, NetIP
from cniskel.context import Context
from cniskel.keycheck import check_keys, closest
from cniskel.netconf import NetConf
from cniskel.runtime import run_cli
from cniskel.testing import cni_env, run_in_process

HUGE = "9" * 5000


class Counting(cniskel.Plugin):
    def add(self, ctx: Context) -> cniskel.Result:
        return cniskel.Result("1.0.0", ips=[cniskel.IPConfig("10.0.0.2/24")])

    def delete(self, ctx: Context) -> None: ...

    def check(self, ctx: Context) -> None: ...

    def gc(self, ctx: Context) -> None: ...

    def status(self, ctx: Context) -> None: ...


class MtuConf(NetConf):
    mtu: int = 0


class WithMtu(Counting):
    config_class = MtuConf


# --- 10.5: numbers Python's int() or float() cannot take ----------------------------------


@pytest.mark.parametrize("command", ["ADD", "DEL", "CHECK", "GC", "STATUS"])
def test_a_5000_digit_integer_in_an_undeclared_key_is_no_problem(command: str) -> None:
    stdin = f'{{"cniVersion": "1.1.0", "name": "n", "junk": {HUGE}}}'.encode()
    outcome = run_in_process(Counting, cni_env(command), stdin)
    assert outcome.exit_code == 0, outcome.stdout
    assert b"Traceback" not in outcome.stderr


@pytest.mark.parametrize("command", ["ADD", "DEL", "CHECK", "GC", "STATUS"])
@pytest.mark.parametrize("value", [HUGE, "1e400", "9223372036854775808"])
def test_an_out_of_range_number_in_a_declared_int_is_a_cni_error(command: str, value: str) -> None:
    stdin = f'{{"cniVersion": "1.1.0", "name": "n", "mtu": {value}}}'.encode()
    outcome = run_in_process(WithMtu, cni_env(command), stdin)
    assert outcome.exit_code == 1
    assert outcome.error is not None and outcome.error["code"] in (6,)
    assert "mtu" in outcome.error["msg"]
    assert b"Traceback" not in outcome.stderr


def _tool(tmp_path: Path, bin_dir: Path, *argv: str) -> tuple[int, str, str]:
    env = {
        "NETCONFPATH": str(tmp_path / "net.d"),
        "CNI_PATH": str(bin_dir),
        "CNISKEL_CACHE_DIR": str(tmp_path / "cache"),
        "ENV_DUMP_FILE": str(tmp_path / "dump.jsonl"),
        "PATH": os.environ["PATH"],
    }
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(list(argv), env, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("number", ["1e400", HUGE])
def test_the_tool_refuses_numbers_no_plugin_can_be_handed(
    tmp_path: Path, bin_dir: Path, number: str
) -> None:
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    conflist = net_d / "10.conflist"
    conflist.write_text(
        '{"cniVersion": "1.0.0", "name": "net", "plugins": '
        f'[{{"type": "env-dump", "x": {number}}}]}}'
    )
    code, out, err = _tool(tmp_path, bin_dir, "add", "net", "/var/run/netns/x")
    assert code == 1 and out == ""
    assert str(conflist) in err and "out of range" in err and "Traceback" not in err
    assert not (tmp_path / "dump.jsonl").exists()  # nothing (no Infinity) reached a plugin


def test_the_tool_hands_big_but_representable_numbers_on_exactly(
    tmp_path: Path, bin_dir: Path
) -> None:
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "10.conflist").write_text(
        '{"cniVersion": "1.0.0", "name": "net", "plugins": '
        '[{"type": "env-dump", "x": 123456789012345678901234567890}]}'
    )
    code, _out, err = _tool(tmp_path, bin_dir, "add", "net", "/var/run/netns/x")
    assert code == 0, err
    stdin = json.loads((tmp_path / "dump.jsonl").read_text().splitlines()[0])["stdin"]
    assert '"x":123456789012345678901234567890' in stdin


# --- 10.8: an empty CNI_PATH entry -----------------------------------------------------------


def test_an_empty_cni_path_entry_runs_exactly_the_file_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, elsewhere = tmp_path / "cwd", tmp_path / "on-path"
    for directory, word in ((here, "cwd"), (elsewhere, "path")):
        directory.mkdir()
        script = directory / "probe"
        script.write_text(f"#!/bin/sh\nprintf {word}\n")
        script.chmod(0o755)
    monkeypatch.chdir(here)
    found = invoke.find_in_path("probe", ["", str(tmp_path / "none")])
    assert found == str(here / "probe")
    env = {"PATH": f"{elsewhere}:{os.environ['PATH']}"}
    assert invoke.exec_plugin(found, b"", env) == b"cwd"


# --- 13.5: a crashing plugin under the tool ---------------------------------------------------


def test_verbose_shows_the_plugin_stderr_and_999_names_the_exception(
    tmp_path: Path, bin_dir: Path
) -> None:
    crash = bin_dir / "crash"
    crash.write_text(
        f"#!{sys.executable}\n"
        "import cniskel\n"
        "class Crash(cniskel.Plugin):\n"
        "    def add(self, ctx):\n"
        "        return {}['sctp']\n"
        "Crash.main()\n"
    )
    crash.chmod(0o755)
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "10.conflist").write_text(
        '{"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "crash"}]}'
    )
    code, out, err = _tool(tmp_path, bin_dir, "add", "net", "/var/run/netns/x")
    assert code == 1
    assert json.loads(out) == {"code": 999, "msg": "KeyError: 'sctp'"}
    assert "Traceback" not in err
    code, out, err = _tool(tmp_path, bin_dir, "add", "--verbose", "net", "/var/run/netns/x")
    assert code == 1 and json.loads(out)["msg"] == "KeyError: 'sctp'"
    assert "Traceback" in err and "KeyError: 'sctp'" in err


# --- 13.2: ctx.hns_namespace -------------------------------------------------------------------

GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


@pytest.mark.parametrize(
    "netns",
    [GUID, GUID.upper(), f"/var/run/netns/{GUID}", f"C:\\ns\\{GUID}", f"{{{GUID}}}", f"/x/{GUID}/"],
)
def test_hns_namespace_accepts_a_guid_or_a_path_ending_in_one(netns: str) -> None:
    ctx = Context(command="ADD", netns=netns, config=NetConf())
    assert ctx.hns_namespace.strip("{}").lower() == GUID


@pytest.mark.parametrize("netns", ["", "none", "/var/run/netns/x", f"{GUID}x", GUID[:-1]])
def test_hns_namespace_is_code_4_otherwise(netns: str) -> None:
    ctx = Context(command="ADD", netns=netns, config=NetConf())
    with pytest.raises(cniskel.CniError) as info:
        _ = ctx.hns_namespace
    assert info.value.code == 4


# --- 13.6: misspelt or wrongly-cased keys ----------------------------------------------------


class PortConf(NetConf):
    allow_ports: list[int] = cniskel.field(factory=list)
    optional_flags: dict[str, bool] = cniskel.field(factory=dict)
    network: str = ""


class Ports(Counting):
    config_class = PortConf


class StrictPorts(Ports):
    unknown_config_keys = "error"


CONF_WITH_TYPOS = (
    b'{"cniVersion": "1.0.0", "name": "n", "allowPort": [80], "Network": "x", "zzz": 1}'
)


def test_unknown_keys_are_warned_about_with_the_closest_known_key() -> None:
    outcome = run_in_process(Ports, cni_env("ADD"), CONF_WITH_TYPOS)
    assert outcome.exit_code == 0
    assert outcome.stderr.decode().splitlines() == [
        'warning: unknown configuration key "allowPort" (did you mean "allowPorts"?)',
        'warning: unknown configuration key "Network" (did you mean "network"?)',
        'warning: unknown configuration key "zzz"',
    ]


def test_strict_plugins_reject_unknown_keys_with_code_7() -> None:
    outcome = run_in_process(StrictPorts, cni_env("ADD"), CONF_WITH_TYPOS)
    assert outcome.error == {
        "code": 7,
        "msg": 'unknown configuration key "allowPort" (did you mean "allowPorts"?)',
    }


def test_case_insensitive_configs_accept_other_cases_and_the_hook_is_reusable() -> None:
    class Folded(PortConf):
        case_insensitive_keys = True

    class FoldedPorts(Counting):
        config_class = Folded

    stdin = b'{"cniVersion": "1.0.0", "name": "n", "AllowPorts": [80], "NETWORK": "x"}'
    assert run_in_process(FoldedPorts, cni_env("ADD"), stdin).stderr == b""
    err = io.StringIO()
    found = check_keys({"optionalFlag": 1}, ["optionalFlags"], stderr=err)
    assert found == ["optionalFlag"]
    assert "did you mean" in err.getvalue()
    assert closest("ipam", ["ipMasq", "IPAM"]) == "IPAM"


# --- 13.10 / 13.11: the tool's own messages ------------------------------------------------------


def test_the_tool_words_its_own_messages_in_python_and_names_broken_files(
    tmp_path: Path, bin_dir: Path
) -> None:
    bad = bin_dir / "badresult"
    bad.write_text('#!/bin/sh\ncat >/dev/null\nprintf \'{"cniVersion":"1.0.0","ips":"x"}\'\n')
    bad.chmod(0o755)
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "10.conflist").write_text(
        '{"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "badresult"}]}'
    )
    code, out, err = _tool(tmp_path, bin_dir, "add", "net", "/var/run/netns/x")
    assert code == 1 and out == ""
    assert "ips: expected a list, got a string" in err
    assert "Go struct" not in err
    (net_d / "05.conflist").write_text('{"cniVersion": "1.0.0", "name": ')
    code, out, err = _tool(tmp_path, bin_dir, "add", "net", "/var/run/netns/x")
    assert code == 1
    assert str(net_d / "05.conflist") in err and "invalid JSON" in err


def test_json_on_the_tools_stdout_ends_with_a_newline(tmp_path: Path, bin_dir: Path) -> None:
    net_d = tmp_path / "net.d"
    net_d.mkdir()
    (net_d / "10.conflist").write_text(
        '{"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "env-dump"}]}'
    )
    for argv in (
        ("add", "net", "/var/run/netns/x"),
        ("version", "noop"),
        ("add", "net", "/x", "--ifname", "a/b"),
    ):
        _code, out, _err = _tool(tmp_path, bin_dir, *argv)
        assert out.endswith("}\n"), argv


# --- 12.3: one parse of stdin and of CNI_ARGS -----------------------------------------------------


class Args(CommonArgs):
    IP: NetIP = NetIP()


class SingleParse(Counting):
    config_class = PortConf
    args_class = Args
    seen: ClassVar[dict[str, Any]] = {}

    def add(self, ctx: Context) -> cniskel.Result:
        first, second = ctx.args_as(Args), ctx.args_as(Args)
        assert first is second is ctx.args.typed
        SingleParse.seen = {
            "stdin": ctx.stdin,
            "raw": ctx.raw_config,
            "ports": ctx.config_as(PortConf).allow_ports,
            "ip": str(first.IP),
        }
        return super().add(ctx)


def test_stdin_and_cni_args_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from cniskel import _gojson, args

    calls = {"loads": 0, "args": 0}
    real_loads, real_load = _gojson.loads, args.ArgsSpec.load.__func__  # type: ignore[attr-defined]

    def counting_loads(data: Any) -> Any:
        calls["loads"] += 1
        return real_loads(data)

    def counting_load(cls: Any, raw: str) -> Any:
        calls["args"] += 1
        return real_load(cls, raw)

    monkeypatch.setattr(_gojson, "loads", counting_loads)
    monkeypatch.setattr("cniskel._dispatch_full.loads", counting_loads)
    monkeypatch.setattr(args.ArgsSpec, "load", classmethod(counting_load))
    stdin = b'{"cniVersion": "1.0.0", "name": "n", "allowPorts": [80]}'
    outcome = run_in_process(SingleParse, cni_env("ADD", args="IP=10.0.0.9"), stdin)
    assert outcome.exit_code == 0, outcome.stdout
    assert calls == {"loads": 1, "args": 1}
    assert SingleParse.seen == {
        "stdin": stdin,
        "raw": {"cniVersion": "1.0.0", "name": "n", "allowPorts": [80]},
        "ports": [80],
        "ip": "10.0.0.9",
    }


def test_a_malformed_typed_cni_args_is_code_4() -> None:
    outcome = run_in_process(SingleParse, cni_env("ADD", args="IP=nope"), b'{"name": "n"}')
    assert outcome.error == {
        "code": 4,
        "msg": 'ARGS: error parsing value of pair "IP=nope": invalid IP address: nope',
    }


class SelfParsing(Counting):
    parse_config = False
    seen: Any = None

    def add(self, ctx: Context) -> cniskel.Result:
        SelfParsing.seen = (ctx.config.name, ctx.config.cni_version, ctx.raw_config["dns"])
        return super().add(ctx)


def test_a_self_parsing_plugin_gets_only_the_skeleton_keys_decoded() -> None:
    stdin = b'{"cniVersion": "1.0.0", "name": "n", "dns": "not an object", "x": 1}'
    outcome = run_in_process(SelfParsing, cni_env("ADD"), stdin)
    assert outcome.exit_code == 0 and outcome.stderr == b""
    assert SelfParsing.seen == ("n", "1.0.0", "not an object")


# --- 12.2: no import cycles ---------------------------------------------------------------


def _imports(path: Path, module: str) -> set[str]:
    """Every cniskel module ``path`` imports: top-level, in functions or TYPE_CHECKING."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _is_module(candidate) else base)
    return {name for name in found if name == "cniskel" or name.startswith("cniskel.")}


def _is_module(name: str) -> bool:
    root = Path(cniskel.__file__).parent.parent
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_cniskel_has_no_import_cycles() -> None:
    root = Path(cniskel.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        relative = path.relative_to(root.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        module = ".".join(parts)
        graph[module] = _imports(path, module) - {module}
    # Importing cniskel.x runs cniskel/__init__ first: that implicit edge is not a cycle,
    # but naming the package itself (from cniskel import x) from a submodule is.
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        assert node not in visiting, "import cycle: " + " -> ".join([*visiting, node])
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target)
        visiting.pop()
        done.add(node)

    for module in sorted(graph):
        visit(module)


# --- 12.1: one key-lookup rule -------------------------------------------------------------


def test_every_decoder_lets_the_last_matching_key_win_like_go() -> None:
    from cniskel.result import Result

    class Folded(NetConf):
        case_insensitive_keys = True
        bridge: str = ""

    conf = Folded.from_dict({"name": "n", "BRIDGE": "a", "bridge": None, "Bridge": "b"})
    assert conf.bridge == "b"
    stdin = b'{"name": "a", "NAME": "b", "cniVersion": "1.0.0", "CNIVERSION": "0.4.0"}'
    outcome = run_in_process(Counting, cni_env("ADD"), stdin)
    assert outcome.result is not None and outcome.result["cniVersion"] == "0.4.0"
    result = Result.from_dict(
        {"cniVersion": "1.0.0", "ips": [{"address": "10.0.0.1/8"}], "IPS": [], "ip\u017f": None}
    )
    assert result.ips == []
