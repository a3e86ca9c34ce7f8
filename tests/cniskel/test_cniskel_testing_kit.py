"""The testing kit, the noop plugin and logging, in-process and as processes."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import cniskel
from cniskel import log as cnilog
from cniskel.testing import cni_env, noop_argv, run_in_process, run_subprocess
from cniskel.testing.noop import NoopPlugin
from cniskel.testing.noop import main as noop_main

CONF = b'{"cniVersion": "1.0.0", "name": "n"}'


def test_outcome_of_a_main_function_in_process() -> None:
    def main() -> None:
        NoopPlugin.main()

    outcome = run_in_process(main, cni_env("ADD"), b'{"cniVersion": "0.4.0", "name": "n"}')
    assert outcome.ok and outcome.error is None
    assert outcome.result == {"cniVersion": "0.4.0", "dns": {}}
    failed = run_in_process(main, cni_env("ADD"), b"{")
    assert failed.exit_code == 1 and failed.result is None
    assert failed.error == {
        "code": 6,
        "msg": "error unmarshall network config: unexpected end of JSON input",
    }
    assert "CNI_COMMAND" not in os.environ or os.environ.get("CNI_COMMAND") != "ADD"


def test_noop_passthrough_and_inject_dns(debug_file: Callable[..., Path]) -> None:
    prev = {"cniVersion": "0.3.1", "ips": [{"version": "4", "address": "10.0.0.2/24"}]}
    stdin = json.dumps({"cniVersion": "0.4.0", "name": "n", "prevResult": prev}).encode()
    outcome = run_in_process(NoopPlugin, cni_env("ADD"), stdin)
    assert outcome.result == {"cniVersion": "0.4.0", "ips": prev["ips"], "dns": {}}
    debug = debug_file(ReportResult="INJECT-DNS")
    injected = run_in_process(NoopPlugin, cni_env("ADD", args=f"DEBUG={debug}"), stdin)
    assert injected.result is not None
    assert injected.result["dns"] == {"nameservers": ["1.2.3.4"]}


def test_noop_reports_what_the_debug_file_says(debug_file: Callable[..., Path]) -> None:
    debug = debug_file(ReportResult='{"raw": true}', ReportStderr="hello stderr")
    outcome = run_in_process(NoopPlugin, cni_env("ADD", args=f"DEBUG={debug}"), CONF)
    assert outcome.stdout == b'{"raw": true}'
    assert b"hello stderr" in outcome.stderr
    recorded = json.loads(debug.read_text())
    assert recorded["Command"] == "ADD"
    assert recorded["CmdArgs"]["ContainerID"] == "ctr-1"
    err = debug_file(ReportError="nope")
    assert run_in_process(NoopPlugin, cni_env("DEL", args=f"DEBUG={err}"), CONF).error == {
        "code": 999,
        "msg": "nope",
    }
    exits = debug_file(ExitWithCode=3)
    outcome = run_in_process(NoopPlugin, cni_env("CHECK", args=f"DEBUG={exits}"), CONF)
    assert (outcome.exit_code, outcome.stdout) == (3, b"")


def test_noop_debug_file_from_the_config(debug_file: Callable[..., Path]) -> None:
    debug = debug_file(ReportError="from config", ReportErrorCode=50)
    stdin = json.dumps({"cniVersion": "1.1.0", "name": "n", "debugFile": str(debug)}).encode()
    outcome = run_in_process(NoopPlugin, cni_env("STATUS"), stdin)
    assert outcome.error == {"code": 50, "msg": "from config"}


def test_noop_as_a_process_with_reported_versions(debug_file: Callable[..., Path]) -> None:
    debug = debug_file(ReportVersionSupport=["0.4.0", "1.0.0"])
    env = {"CNI_COMMAND": "VERSION", "CNI_ARGS": f"DEBUG={debug}"}
    outcome = run_subprocess(noop_argv(), env)
    assert outcome.result == {"cniVersion": "1.1.0", "supportedVersions": ["0.4.0", "1.0.0"]}
    refused = run_subprocess(
        noop_argv(), dict(cni_env("ADD", args=f"DEBUG={debug}")), CONF.replace(b"1.0.0", b"0.3.1")
    )
    assert refused.error is not None and refused.error["code"] == 1
    assert run_in_process(noop_main, {}, b"").stderr.startswith(b"CNI noop plugin")


def test_parallel_processes_each_get_their_own_answer(tmp_path: Path) -> None:
    def one(index: int) -> tuple[int, dict[str, object] | None]:
        conf = {
            "cniVersion": "1.0.0",
            "name": f"net{index}",
            "noopResult": {"ips": [{"address": f"10.9.{index}.2/24"}]},
        }
        outcome = run_subprocess(
            noop_argv(), cni_env("ADD", container_id=f"c{index}"), json.dumps(conf).encode()
        )
        return index, outcome.result

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(one, range(12)))
    for index, result in answers:
        assert result is not None
        assert result["ips"] == [{"address": f"10.9.{index}.2/24"}]


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("cniskel")
    assert script.exists()
    proc = subprocess.run([str(script), "--help"], capture_output=True, check=False)
    assert proc.returncode == 0 and b"cniskel" in proc.stdout


# --- logging -------------------------------------------------------------------------


def test_logs_go_to_stderr_and_an_absolute_file(tmp_path: Path) -> None:
    log_file = tmp_path / "plugin.log"

    class Logging(cniskel.Plugin):
        def add(self, ctx: cniskel.Context) -> cniskel.Result:
            cnilog.configure({"CNISKEL_LOG_FILE": str(log_file), "CNISKEL_LOG_LEVEL": "debug"})
            cnilog.get_logger("myplugin").debug("allocating for %s", ctx.container_id)
            return cniskel.Result(ips=[cniskel.IPConfig("10.0.0.2/24")])

    try:
        outcome = run_in_process(Logging, cni_env("ADD"), CONF)
    finally:
        cnilog.configure({})
    assert b"allocating for ctr-1" in outcome.stderr
    assert b"allocating" not in outcome.stdout
    assert json.loads(outcome.stdout)["ips"] == [{"address": "10.0.0.2/24"}]
    assert "cniskel.myplugin: allocating for ctr-1" in log_file.read_text()


def test_relative_log_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    stream = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stream.append(record.getMessage())

    logger = cnilog.configure({"CNISKEL_LOG_FILE": "relative.log"})
    try:
        assert [type(h).__name__ for h in logger.handlers] == ["_StderrHandler"]
        logger.addHandler(Capture())
        logger.warning("hello")
    finally:
        cnilog.configure({})
    assert not (tmp_path / "relative.log").exists()
    assert stream == ["hello"]


# --- start-up --------------------------------------------------------------------------

HEAVY = [
    "json",
    "enum",
    "typing",
    "re",
    "ipaddress",
    "dataclasses",
    "logging",
    "subprocess",
    "importlib",
    "cniskel.result",
    "cniskel.errors",
    "cniskel._dispatch_full",
]


def test_version_path_imports_nothing_heavy(tmp_path: Path) -> None:
    plugin = tmp_path / "minimal.py"
    plugin.write_text(
        "from __future__ import annotations\n"
        "import sys\n"
        "import cniskel\n"
        "class P(cniskel.Plugin):\n"
        "    def add(self, ctx: cniskel.Context) -> cniskel.Result:\n"
        "        return cniskel.Result()\n"
        "before = set(sys.modules)\n"
        "try:\n"
        "    P.main()\n"
        "finally:\n"
        "    sys.stderr.write(' '.join(sorted(set(sys.modules))))\n"
    )
    outcome = run_subprocess([sys.executable, str(plugin)], {"CNI_COMMAND": "VERSION"})
    assert outcome.result is not None and outcome.result["cniVersion"] == "1.1.0"
    loaded = set(outcome.stderr.decode().split())
    assert "cniskel.dispatch" in loaded
    assert sorted(loaded & set(HEAVY)) == []


def test_ctx_env_is_the_whole_environment_for_delegates() -> None:
    """ctx.env carries every variable the plugin got (PATH etc.), not only CNI_*."""
    seen: dict[str, str] = {}

    class EnvPlugin(cniskel.Plugin):
        def delete(self, ctx: cniskel.Context) -> None:
            seen.update(ctx.env)

    env = cni_env("DEL", PATH="/usr/bin", HOME="/root")
    outcome = run_in_process(EnvPlugin, env, b'{"cniVersion":"1.0.0","name":"n","type":"t"}')
    assert outcome.exit_code == 0, outcome
    assert seen["PATH"] == "/usr/bin" and seen["HOME"] == "/root"
    assert seen["CNI_COMMAND"] == "DEL" and seen["CNI_CONTAINERID"] == "ctr-1"
