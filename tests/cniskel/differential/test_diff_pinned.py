"""The documented divergences from Debian's libcni 1.1.2 (docs/cniskel/divergences.md), pinned.

Each test runs the Go reference and cniskel on the same input and asserts the difference
the documentation describes, so a change on either side shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path

from cniskel._gojson import GoDecodeError, loads
from cniskel._goquote import go_quote
from cniskel.invoke import decode_plugin_info
from cniskel.result import Result, ResultError

from .goref import Oracle, b64, unb64
from .test_diff_plugin import run_go, run_twin

ENV = {
    "CNI_CONTAINERID": b"c1",
    "CNI_NETNS": b"/var/run/netns/x",
    "CNI_IFNAME": b"eth0",
    "CNI_PATH": b"/opt/cni/bin",
}


def test_d1_spec_110_results_exist_only_in_cniskel(oracle: Oracle) -> None:
    data = b'{"cniVersion": "1.1.0", "interfaces": [{"name": "eth0", "mtu": 1400}]}'
    assert oracle.ask("result", version="1.1.0", data=b64(data)) == {
        "error": 'unsupported CNI result version "1.1.0"'
    }
    assert json.loads(Result.from_json(data).to_json())["interfaces"] == [
        {"mtu": 1400, "name": "eth0"}
    ]
    plain = b'{"cniVersion": "1.0.0", "ips": [{"address": "10.0.0.2/24"}]}'
    go = oracle.ask("result", version="1.0.0", data=b64(plain))
    assert go["as"]["1.1.0"] == {"error": "no converter for CNI result version 1.0.0 to 1.1.0"}
    assert Result.from_json(plain).to_json("1.1.0").startswith(b'{\n    "cniVersion": "1.1.0"')


def test_d2_gc_and_status_are_verbs_in_cniskel(refplugin: Path) -> None:
    stdin = b'{"cniVersion": "1.0.0", "name": "net"}'
    for command in (b"GC", b"STATUS"):
        env = dict(ENV, CNI_COMMAND=command)
        out, _err, code = run_go(refplugin, env, stdin)
        assert code == 1 and json.loads(out)["msg"] == f"unknown CNI_COMMAND: {command.decode()}"
        # cniskel gates both at config version 1.1.0 (here 1.0.0: code 1).
        twin_out, _twin_err, twin_code = run_twin(env, stdin)
        assert twin_code == 1 and json.loads(twin_out)["code"] == 1


def test_d3_version_answers_carry_spec_110(refplugin: Path, oracle: Oracle) -> None:
    env = dict(ENV, CNI_COMMAND=b"VERSION")
    assert run_go(refplugin, env, b"")[0].startswith(b'{"cniVersion":"1.0.0",')
    assert run_twin(env, b"")[0].startswith(b'{"cniVersion":"1.1.0",')
    legacy = b'{"cniVersion": "0.2.0"}'
    assert unb64(oracle.ask("plugininfo", data=b64(legacy))["out"]).startswith(
        b'{"cniVersion":"1.0.0"'
    )
    assert decode_plugin_info(legacy).cni_version == "1.1.0"


def test_d4_a_missing_address_is_an_error_not_nil(oracle: Oracle) -> None:
    data = b'{"cniVersion": "1.0.0", "ips": [{"gateway": "10.0.0.1"}]}'
    go = oracle.ask("result", version="1.0.0", data=b64(data))
    assert b'"address": "\\u003cnil\\u003e"' in unb64(go["print"]["out"])  # "<nil>"
    try:
        Result.from_json(data)
    except ResultError as exc:
        assert str(exc) == "invalid CIDR address: "
    else:
        raise AssertionError("cniskel accepted an address-less ips entry")


def test_d5_a_null_entry_is_an_error_not_a_crash(oracle: Oracle) -> None:
    data = b'{"cniVersion": "0.4.0", "interfaces": [null]}'
    # Go decodes a nil pointer, prints it as null and panics when converting it.
    go = oracle.proc  # the raw answer carries "panic", which Oracle.ask refuses
    assert go.stdin is not None and go.stdout is not None
    go.stdin.write(
        json.dumps({"op": "result", "version": "0.4.0", "data": b64(data)}).encode() + b"\n"
    )
    assert "panic" in json.loads(go.stdout.readline())
    try:
        Result.from_json(data)
    except ResultError as exc:
        assert str(exc) == "interfaces: null entry"
    else:
        raise AssertionError("cniskel accepted a null interface")


def test_d6_printability_follows_this_pythons_unicode_database() -> None:
    # U+16A70 (Tangsa) is newer than Go 1.19's Unicode 13 tables: Go quotes it as
    # \U00016a70, cniskel (Python 3.11, Unicode 14) prints it as is.
    assert go_quote("\U00016a70") in ('"\U00016a70"', '"\\U00016a70"')
    assert go_quote("\u00e9") == '"\u00e9"'


def test_d14_nesting_deeper_than_pythons_recursion_limit(oracle: Oracle) -> None:
    deep = b"[" * 5000 + b"]" * 5000
    assert oracle.ask("confversion", data=b64(deep))["error"].startswith(
        "decoding version from network config: json: cannot unmarshal array"
    )
    try:
        loads(deep)
    except GoDecodeError as exc:
        assert str(exc) == "exceeded max depth"
    else:
        raise AssertionError("expected Python's parser to give up")
