# ruff: noqa: E501  (conformance tables keep one case per line)
"""The dispatcher against the Go reference's skel behaviour (pkg/skel, §2.1)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import cniskel
from cniskel.testing import Outcome, cni_env, run_in_process

CONF = b'{"cniVersion": "1.0.0", "name": "net1", "type": "p"}'


class Recorder(cniskel.Plugin):
    """Records each verb call; ADD returns a fixed result."""

    about = "CNI recorder test plugin"

    def __init__(self) -> None:
        self.calls: list[tuple[str, cniskel.Context]] = []

    def add(self, ctx: cniskel.Context) -> cniskel.Result:
        self.calls.append(("ADD", ctx))
        return cniskel.Result(ips=[cniskel.IPConfig("10.0.0.2/24", "10.0.0.1")])

    def delete(self, ctx: cniskel.Context) -> None:
        self.calls.append(("DEL", ctx))

    def check(self, ctx: cniskel.Context) -> None:
        self.calls.append(("CHECK", ctx))

    def gc(self, ctx: cniskel.Context) -> None:
        self.calls.append(("GC", ctx))

    def status(self, ctx: cniskel.Context) -> None:
        self.calls.append(("STATUS", ctx))


def run(plugin: cniskel.Plugin, env: dict[str, str], stdin: bytes = CONF) -> Outcome:
    return run_in_process(plugin, env, stdin)


def error_of(outcome: Outcome) -> dict[str, Any]:
    assert outcome.exit_code == 1
    assert outcome.error is not None
    return outcome.error


FULL = {
    "CNI_COMMAND": "",
    "CNI_CONTAINERID": "ctr",
    "CNI_NETNS": "/var/run/netns/x",
    "CNI_IFNAME": "eth0",
    "CNI_ARGS": "",
    "CNI_PATH": "/opt/cni/bin",
}


# The reference's environment table: (command, variables left empty, missing list).
ENV_CASES = [
    ("ADD", [], None),
    ("ADD", ["CNI_CONTAINERID"], "CNI_CONTAINERID"),
    ("ADD", ["CNI_NETNS"], "CNI_NETNS"),
    ("ADD", ["CNI_IFNAME"], "CNI_IFNAME"),
    ("ADD", ["CNI_PATH"], "CNI_PATH"),
    ("ADD", ["CNI_ARGS"], None),
    (
        "ADD",
        ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"],
        "CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH",
    ),
    ("CHECK", ["CNI_NETNS"], "CNI_NETNS"),
    ("CHECK", ["CNI_CONTAINERID", "CNI_PATH"], "CNI_CONTAINERID,CNI_PATH"),
    ("DEL", ["CNI_NETNS"], None),
    ("DEL", ["CNI_CONTAINERID"], "CNI_CONTAINERID"),
    ("DEL", ["CNI_IFNAME", "CNI_PATH"], "CNI_IFNAME,CNI_PATH"),
    ("GC", ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME"], None),
    ("GC", ["CNI_PATH"], "CNI_PATH"),
    ("STATUS", ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME"], None),
    ("STATUS", ["CNI_PATH"], "CNI_PATH"),
    ("VERSION", ["CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"], None),
]


@pytest.mark.parametrize(("command", "empty", "missing"), ENV_CASES)
def test_required_environment_per_verb(command: str, empty: list[str], missing: str | None) -> None:
    env = dict(FULL, CNI_COMMAND=command)
    for name in empty:
        env[name] = ""  # empty counts as missing, like an unset variable
    conf = b'{"cniVersion": "1.1.0", "name": "net1"}'
    outcome = run(Recorder(), env, conf)
    if missing is None:
        assert outcome.exit_code == 0, outcome
    else:
        assert error_of(outcome) == {
            "code": 4,
            "msg": f"required env variables [{missing}] missing",
        }


def test_unset_and_empty_variables_are_the_same() -> None:
    env = {"CNI_COMMAND": "ADD", "CNI_CONTAINERID": "c", "CNI_IFNAME": "eth0", "CNI_PATH": "/x"}
    assert error_of(run(Recorder(), env))["msg"] == "required env variables [CNI_NETNS] missing"


def test_missing_command_without_about_is_code_4() -> None:
    plugin = Recorder()
    plugin.about = ""
    assert error_of(run(plugin, {})) == {
        "code": 4,
        "msg": "required env variables [CNI_COMMAND] missing",
    }


def test_missing_command_with_about_prints_it_to_stderr() -> None:
    outcome = run(Recorder(), {})
    assert outcome.exit_code == 0
    assert outcome.stdout == b""
    assert outcome.stderr == (
        b"CNI recorder test plugin\n"
        b"CNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n"
    )


VALIDATION_CASES = [
    ("CNI_CONTAINERID", "1234%%%", 4, "invalid characters in containerID", "1234%%%"),
    ("CNI_CONTAINERID", "-abc", 4, "invalid characters in containerID", "-abc"),
    (
        "CNI_IFNAME",
        "a" * 16,
        4,
        "interface name is too long",
        "interface name should be less than 16 characters",
    ),
    ("CNI_IFNAME", "..", 4, "interface name is . or ..", ""),
    ("CNI_IFNAME", "eth 0", 4, "interface name contains / or : or whitespace characters", ""),
    ("CNI_IFNAME", "eth/0", 4, "interface name contains / or : or whitespace characters", ""),
]


@pytest.mark.parametrize(("var", "value", "code", "msg", "details"), VALIDATION_CASES)
@pytest.mark.parametrize("command", ["ADD", "CHECK", "DEL"])
def test_validators_run_for_required_variables(
    command: str, var: str, value: str, code: int, msg: str, details: str
) -> None:
    env = dict(FULL, CNI_COMMAND=command, **{var: value})
    expected: dict[str, Any] = {"code": code, "msg": msg}
    if details:
        expected["details"] = details
    assert error_of(run(Recorder(), env)) == expected


# libcni 1.1.2's order (checked against it by tests/cniskel/differential): missing
# variables, then the config, then the container ID, then the interface name.


def test_a_missing_variable_wins_over_an_invalid_one() -> None:
    env = dict(FULL, CNI_COMMAND="ADD", CNI_CONTAINERID="bad%", CNI_PATH="")
    assert error_of(run(Recorder(), env))["msg"] == "required env variables [CNI_PATH] missing"


def test_the_config_is_checked_before_the_container_id_and_interface() -> None:
    env = dict(FULL, CNI_COMMAND="ADD", CNI_CONTAINERID="bad%", CNI_IFNAME="a:b")
    assert error_of(run(Recorder(), env, b'{"name": "n n"}'))["code"] == 7
    assert error_of(run(Recorder(), env))["msg"] == "invalid characters in containerID"
    env["CNI_CONTAINERID"] = "c1"
    assert error_of(run(Recorder(), env))["msg"].startswith("interface name contains")


@pytest.mark.parametrize("command", ["GC", "STATUS", "NOPE"])
def test_validators_run_for_every_command_but_gc_and_status(command: str) -> None:
    env = dict(FULL, CNI_COMMAND=command, CNI_CONTAINERID="bad%", CNI_IFNAME="a/b")
    outcome = run(Recorder(), env, b'{"cniVersion": "1.1.0", "name": "n"}')
    if command == "NOPE":
        assert error_of(outcome)["msg"] == "invalid characters in containerID"
        env["CNI_CONTAINERID"], env["CNI_IFNAME"] = "c1", "eth0"
        outcome = run(Recorder(), env, b'{"cniVersion": "1.1.0", "name": "n"}')
        assert error_of(outcome) == {"code": 4, "msg": "unknown CNI_COMMAND: NOPE"}
    else:
        assert outcome.exit_code == 0


CONFIG_CASES = [
    (b"", 6, "error unmarshall network config: unexpected end of JSON input"),
    (
        b"{bad",
        6,
        "error unmarshall network config: invalid character 'b' looking for beginning of object key string",
    ),
    (b'{"name": "n", "x": 1', 6, "error unmarshall network config: unexpected end of JSON input"),
    (
        b'{"name": 5}',
        6,
        "error unmarshall network config: json: cannot unmarshal number into Go struct field .name of type string",
    ),
    (
        b"[1]",
        6,
        'error unmarshall network config: json: cannot unmarshal array into Go value of type struct { Name string "json:\\"name\\"" }',
    ),
    (b"null", 7, "missing network name"),
    (b"{}", 7, "missing network name"),
    (b'{"name": ""}', 7, "missing network name"),
]


@pytest.mark.parametrize(("stdin", "code", "msg"), CONFIG_CASES)
@pytest.mark.parametrize("command", ["ADD", "DEL", "CHECK", "GC", "STATUS", "UNKNOWN"])
def test_config_validation_precedes_dispatch(
    command: str, stdin: bytes, code: int, msg: str
) -> None:
    outcome = run(Recorder(), dict(FULL, CNI_COMMAND=command), stdin)
    assert error_of(outcome) == {"code": code, "msg": msg}


def test_invalid_network_name_is_code_7_with_the_name_as_details() -> None:
    outcome = run(Recorder(), dict(FULL, CNI_COMMAND="ADD"), b'{"name": "my net"}')
    assert error_of(outcome) == {
        "code": 7,
        "msg": "invalid characters found in network name",
        "details": "my net",
    }


def test_name_key_matches_case_insensitively_like_go() -> None:
    outcome = run(Recorder(), dict(FULL, CNI_COMMAND="ADD"), b'{"NAME": "n"}')
    assert outcome.exit_code == 0


@pytest.mark.parametrize(
    ("config_version", "supported", "ok", "details"),
    [
        ("0.3.1", ["0.3.1"], True, ""),
        ("", ["0.1.0"], True, ""),
        (None, ["0.1.0", "0.2.0"], True, ""),
        (
            "0.3.1",
            ["0.3.0", "0.4.0"],
            False,
            'config is "0.3.1", plugin supports ["0.3.0" "0.4.0"]',
        ),
        (None, ["0.2.0"], False, 'config is "0.1.0", plugin supports ["0.2.0"]'),
        ("1.0", ["1.0.0"], False, 'config is "1.0", plugin supports ["1.0.0"]'),
    ],
)
@pytest.mark.parametrize("command", ["ADD", "DEL"])
def test_exact_version_reconciliation(
    command: str, config_version: str | None, supported: list[str], ok: bool, details: str
) -> None:
    plugin = Recorder()
    plugin.supported_versions = supported
    conf: dict[str, Any] = {"name": "n"}
    if config_version is not None:
        conf["cniVersion"] = config_version
    outcome = run(plugin, dict(FULL, CNI_COMMAND=command), json.dumps(conf).encode())
    if ok:
        assert outcome.exit_code == 0
        assert plugin.calls[0][0] == command
    else:
        assert error_of(outcome) == {
            "code": 1,
            "msg": "incompatible CNI versions",
            "details": details,
        }
        assert plugin.calls == []


def test_non_string_cni_version_is_a_decoding_failure() -> None:
    outcome = run(Recorder(), dict(FULL, CNI_COMMAND="ADD"), b'{"name": "n", "cniVersion": 1}')
    assert error_of(outcome) == {
        "code": 6,
        "msg": "decoding version from network config: json: cannot unmarshal number "
        "into Go struct field .cniVersion of type string",
    }


GATE_CASES = [
    ("CHECK", "0.3.1", None, "config version does not allow CHECK"),
    ("CHECK", "0.4.0", None, ""),
    ("CHECK", "1.1.0", ["0.4.0", "1.0.0"], "plugin version does not allow CHECK"),
    ("GC", "1.0.0", None, "config version does not allow GC"),
    ("GC", "1.1.0", None, ""),
    ("GC", "1.1.0", ["0.4.0", "1.0.0"], "plugin version does not allow GC"),
    ("STATUS", "1.0.0", None, "config version does not allow STATUS"),
    ("STATUS", "1.1.0", None, ""),
    ("STATUS", "1.1.0", ["1.0.0"], "plugin version does not allow STATUS"),
]


@pytest.mark.parametrize(("command", "version", "supported", "msg"), GATE_CASES)
def test_version_gating(command: str, version: str, supported: list[str] | None, msg: str) -> None:
    plugin = Recorder()
    if supported is not None:
        plugin.supported_versions = supported
    stdin = json.dumps({"name": "n", "cniVersion": version}).encode()
    outcome = run(plugin, dict(FULL, CNI_COMMAND=command), stdin)
    if msg:
        assert error_of(outcome) == {"code": 1, "msg": msg}
        assert plugin.calls == []
    else:
        assert outcome.exit_code == 0
        assert [c for c, _ in plugin.calls] == [command]


def test_check_reconciles_exactly_after_finding_a_newer_plugin_version() -> None:
    plugin = Recorder()
    plugin.supported_versions = ["0.3.1", "1.0.0"]
    stdin = b'{"name": "n", "cniVersion": "0.4.0"}'
    assert error_of(run(plugin, dict(FULL, CNI_COMMAND="CHECK"), stdin)) == {
        "code": 1,
        "msg": "incompatible CNI versions",
        "details": 'config is "0.4.0", plugin supports ["0.3.1" "1.0.0"]',
    }


@pytest.mark.parametrize(
    ("version", "supported", "msg"),
    [
        (
            "1.x",
            None,
            'failed to convert minor version part "x": strconv.Atoi: parsing "x": invalid syntax',
        ),
        ("1.2.3.4", None, 'invalid version "1.2.3.4": too many parts'),
        (
            "0.4.0",
            ["0.3.1", "x.0.0"],
            'failed to convert major version part "x": strconv.Atoi: parsing "x": invalid syntax',
        ),
    ],
)
def test_malformed_versions_in_gating_are_code_6(
    version: str, supported: list[str] | None, msg: str
) -> None:
    plugin = Recorder()
    if supported is not None:
        plugin.supported_versions = supported
    stdin = json.dumps({"name": "n", "cniVersion": version}).encode()
    assert error_of(run(plugin, dict(FULL, CNI_COMMAND="CHECK"), stdin)) == {"code": 6, "msg": msg}


def test_version_reply_is_the_library_version_and_ignores_stdin() -> None:
    outcome = run(Recorder(), {"CNI_COMMAND": "VERSION"}, b"not even json")
    assert outcome.exit_code == 0
    assert outcome.stdout == (
        b'{"cniVersion":"1.1.0","supportedVersions":'
        b'["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n'
    )


def test_version_never_reads_stdin() -> None:
    class Exploding:
        def read(self) -> bytes:
            raise AssertionError("VERSION read stdin")

    plugin = Recorder()
    outcome = run_in_process(plugin, {"CNI_COMMAND": "VERSION"}, Exploding())  # type: ignore[arg-type]
    assert outcome.result == {"cniVersion": "1.1.0", "supportedVersions": list(cniskel_all())}


def cniskel_all() -> tuple[str, ...]:
    from cniskel._version import ALL_VERSIONS

    return ALL_VERSIONS


def test_version_echo_option_answers_the_requested_version() -> None:
    plugin = Recorder()
    plugin.version_echo_request = True
    plugin.supported_versions = ["0.4.0", "1.0.0"]
    outcome = run(plugin, {"CNI_COMMAND": "VERSION"}, b'{"cniVersion": "1.0.0"}')
    assert outcome.result == {"cniVersion": "1.0.0", "supportedVersions": ["0.4.0", "1.0.0"]}
    fallback = run(plugin, {"CNI_COMMAND": "VERSION"}, b"")
    assert fallback.result == {"cniVersion": "1.1.0", "supportedVersions": ["0.4.0", "1.0.0"]}


def test_stdin_read_failure_is_code_5() -> None:
    class Broken:
        def read(self) -> bytes:
            raise OSError("boom")

    outcome = run_in_process(Recorder(), dict(FULL, CNI_COMMAND="ADD"), Broken())  # type: ignore[arg-type]
    assert error_of(outcome) == {"code": 5, "msg": "error reading from stdin: boom"}


def test_add_prints_result_in_config_version_with_go_layout() -> None:
    outcome = run(Recorder(), dict(FULL, CNI_COMMAND="ADD"), b'{"cniVersion":"0.3.1","name":"n"}')
    assert outcome.stdout == (
        b'{\n    "cniVersion": "0.3.1",\n    "ips": [\n        {\n            "version": "4",\n'
        b'            "address": "10.0.0.2/24",\n            "gateway": "10.0.0.1"\n'
        b'        }\n    ],\n    "dns": {}\n}'
    )


def test_errors_are_go_indented_json_without_trailing_newline() -> None:
    outcome = run(Recorder(), {"CNI_COMMAND": "ADD", "CNI_PATH": "/x"}, CONF)
    assert outcome.stdout == (
        b'{\n    "code": 4,\n    "msg": "required env variables '
        b'[CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME] missing"\n}'
    )


def test_error_cni_version_option_adds_the_config_version() -> None:
    plugin = Recorder()
    plugin.error_cni_version = True
    plugin.supported_versions = ["0.4.0"]
    outcome = run(plugin, dict(FULL, CNI_COMMAND="ADD"), CONF)
    assert error_of(outcome)["cniVersion"] == "1.0.0"


def test_require_cni_path_option_follows_the_spec_instead() -> None:
    plugin = Recorder()
    plugin.require_cni_path = False
    assert run(plugin, dict(FULL, CNI_COMMAND="ADD", CNI_PATH=""), CONF).exit_code == 0
    assert plugin.calls[0][1].path == []


class Raising(cniskel.Plugin):
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def add(self, ctx: cniskel.Context) -> cniskel.Result:
        raise self.exc


def test_cni_error_from_a_verb_is_printed_as_is() -> None:
    exc = cniskel.CniError(cniskel.ErrorCode.TRY_AGAIN_LATER, "busy", "retry in a second")
    assert error_of(run(Raising(exc), dict(FULL, CNI_COMMAND="ADD"))) == {
        "code": 11,
        "msg": "busy",
        "details": "retry in a second",
    }


def test_other_exceptions_become_code_999_with_traceback_on_stderr() -> None:
    outcome = run(Raising(RuntimeError("disk on fire")), dict(FULL, CNI_COMMAND="ADD"))
    assert error_of(outcome) == {"code": 999, "msg": "RuntimeError: disk on fire"}
    assert b"Traceback" in outcome.stderr
    assert b"RuntimeError: disk on fire" in outcome.stderr


def test_unoverridden_verbs_succeed_silently() -> None:
    class Bare(cniskel.Plugin):
        pass

    for command in ("ADD", "DEL", "CHECK", "GC", "STATUS"):
        stdin = b'{"cniVersion": "1.1.0", "name": "n"}'
        outcome = run(Bare(), dict(FULL, CNI_COMMAND=command), stdin)
        assert (outcome.exit_code, outcome.stdout) == (0, b""), command


def test_context_carries_the_invocation() -> None:
    plugin = Recorder()
    env = dict(
        FULL,
        CNI_COMMAND="ADD",
        CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod",
        CNI_PATH="/a:/b",
    )
    stdin = (
        b'{"cniVersion": "1.0.0", "name": "n", "type": "p", "extraKey": true,'
        b' "runtimeConfig": {"portMappings": [{"hostPort": 80, "containerPort": 8080,'
        b' "protocol": "tcp"}], "mac": "c2:11:22:33:44:55"},'
        b' "prevResult": {"ips": [{"address": "10.1.0.5/16"}]}}'
    )
    assert run(plugin, env, stdin).exit_code == 0
    ctx = plugin.calls[0][1]
    assert (ctx.container_id, ctx.netns, ctx.ifname) == ("ctr", "/var/run/netns/x", "eth0")
    assert ctx.path == ["/a", "/b"]
    assert ctx.stdin == stdin
    assert ctx.cni_version == "1.0.0"
    assert ctx.args.get("K8S_POD_NAMESPACE") == "ns1"
    assert ctx.args.k8s.K8S_POD_NAME == "pod"
    assert ctx.config.name == "n"
    assert ctx.config.extra == {"extraKey": True}
    mapping = (ctx.runtime_config.port_mappings or [])[0]
    assert (mapping.host_port, mapping.container_port, mapping.protocol) == (80, 8080, "tcp")
    assert ctx.runtime_config.mac == "c2:11:22:33:44:55"
    prev = ctx.prev_result
    assert prev is not None
    assert prev.cni_version == "1.0.0"
    assert str(prev.ips[0].address) == "10.1.0.5/16"


def test_stdout_guard_sends_stray_prints_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from cniskel.dispatch import dispatch

    class Chatty(cniskel.Plugin):
        def add(self, ctx: cniskel.Context) -> cniskel.Result:
            print("debugging output")
            return cniskel.Result(ips=[cniskel.IPConfig("10.0.0.2/24")])

    out, err = io.BytesIO(), io.BytesIO()
    code = dispatch(Chatty(), dict(FULL, CNI_COMMAND="ADD"), CONF, out, err, guard_stdout=True)
    assert code == 0
    assert json.loads(out.getvalue())["ips"] == [{"address": "10.0.0.2/24"}]
    assert "debugging output" in capsys.readouterr().err


def test_netns_equal_to_the_plugins_own_is_code_8_before_the_plugin_acts() -> None:
    env = dict(FULL, CNI_COMMAND="ADD", CNI_NETNS="/proc/self/ns/net")
    plugin = Recorder()
    outcome = run(plugin, env)
    assert plugin.calls == []  # refused before ADD could create anything (issue 10.6)
    assert outcome.stdout.count(b"{") == 1  # only the error object, no result before it
    assert error_of(outcome) == {
        "code": 8,
        "msg": "plugin's netns and netns from CNI_NETNS should not be the same",
    }
    for override in ("TRUE", "true", "1"):
        env["CNI_NETNS_OVERRIDE"] = override
        assert run(Recorder(), env).exit_code == 0


def test_netns_check_applies_to_del_but_tolerates_a_missing_namespace() -> None:
    env = dict(FULL, CNI_COMMAND="DEL", CNI_NETNS="/proc/self/ns/net")
    plugin = Recorder()
    assert error_of(run(plugin, env))["code"] == 8
    assert plugin.calls == []
    env["CNI_NETNS"] = "/nonexistent/netns"
    assert run(Recorder(), env).exit_code == 0


def test_add_conversion_failure_is_code_999() -> None:
    class NoIP(cniskel.Plugin):
        def add(self, ctx: cniskel.Context) -> cniskel.Result:
            return cniskel.Result(interfaces=[cniskel.Interface("eth0")])

    stdin = b'{"cniVersion": "0.2.0", "name": "n"}'
    assert error_of(run(NoIP(), dict(FULL, CNI_COMMAND="ADD"), stdin)) == {
        "code": 999,
        "msg": "cannot convert: no valid IP addresses",
    }


def test_text_streams_are_accepted() -> None:
    import io

    from cniskel.dispatch import dispatch

    out, err = io.StringIO(), io.StringIO()
    assert dispatch(Recorder(), {"CNI_COMMAND": "VERSION"}, b"", out, err) == 0
    assert json.loads(out.getvalue())["cniVersion"] == "1.1.0"


def test_cni_env_helper_builds_a_complete_environment() -> None:
    env = cni_env("DEL", container_id="abc", CUSTOM="1")
    assert env["CNI_COMMAND"] == "DEL"
    assert env["CNI_CONTAINERID"] == "abc"
    assert env["CUSTOM"] == "1"
    assert run(Recorder(), env).exit_code == 0
