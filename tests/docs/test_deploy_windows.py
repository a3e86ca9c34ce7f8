"""The Windows deployment files in deploy/windows/ (see docs/deployment/windows.md).

What can be checked on Linux is checked: every configuration list parses and is accepted by
the plugins' own configuration parser (flannel's delegate after flannel's additions), its
policies are valid HNS V2 policies, the containerd conflist works end to end under
``cniskel add``/``del`` against the simulated HNS, the containerd snippet is TOML with the
keys the page names, and the PowerShell script passes a static check (ASCII only, balanced
brackets outside strings and comments, strict mode, the documented parameters). The script
is parsed by PowerShell itself only where ``pwsh`` is installed; it has not been run here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from winplugins import config
from winplugins.core import SUPPORTED_VERSIONS, WindowsPlugin
from winplugins.nat import NatPlugin
from winplugins.sdnbridge import SdnBridgePlugin
from winplugins.sdnoverlay import SdnOverlayPlugin

import hcnpy

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy" / "windows"
SCRIPT = DEPLOY / "Install-HcnpyCni.ps1"
PAGE = ROOT / "docs" / "deployment" / "windows.md"
CONFLISTS = sorted(DEPLOY.rglob("*.conflist"))
PLUGINS: tuple[type[WindowsPlugin], ...] = (NatPlugin, SdnBridgePlugin, SdnOverlayPlugin)

#: What flannel's Windows code adds to its delegate (the node's pod subnet from
#: /run/flannel/subnet.env; the value here is an example).
FLANNEL_SUBNET = "10.244.1.0/24"


def plugin_for(kind: str) -> type[WindowsPlugin]:
    for plugin in PLUGINS:
        if kind.lower() in (t.lower() for t in plugin.config_types):
            return plugin
    raise AssertionError(f"no example plugin answers to type {kind!r}")


def plugin_inputs(conflist: dict[str, Any]) -> list[tuple[type[WindowsPlugin], dict[str, Any]]]:
    """Each plugin's stdin as the runtime (and flannel, for its delegate) would build it."""
    inputs = []
    for entry in conflist["plugins"]:
        stdin = {**entry, "name": conflist["name"], "cniVersion": conflist["cniVersion"]}
        if entry["type"] == "flannel":
            stdin = {
                **entry["delegate"],
                "name": conflist["name"],
                "cniVersion": conflist["cniVersion"],
                "ipam": {"type": "host-local", "subnet": FLANNEL_SUBNET},
            }
        inputs.append((plugin_for(stdin["type"]), stdin))
    return inputs


def test_the_promised_files_exist() -> None:
    names = {p.relative_to(DEPLOY).as_posix() for p in DEPLOY.rglob("*") if p.is_file()}
    assert {
        "Install-HcnpyCni.ps1",
        "containerd/10-nat.conflist",
        "containerd/config.toml",
        "kubernetes/10-flannel-sdnbridge.conflist",
        "kubernetes/10-flannel-sdnoverlay.conflist",
    } <= names


def test_the_page_names_every_file() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            assert path.relative_to(ROOT).as_posix() in page, f"{path} not named on {PAGE.name}"


@pytest.mark.parametrize("path", CONFLISTS, ids=lambda p: p.name)
def test_every_conflist_is_accepted_by_the_plugins(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "containerd's JSON parser rejects a BOM"
    conflist = json.loads(raw)
    assert conflist["cniVersion"] in SUPPORTED_VERSIONS
    for plugin, stdin in plugin_inputs(conflist):
        conf = config.parse(json.dumps(stdin))
        assert conf.name == conflist["name"]
        assert plugin.__name__ and conf.type.lower() in (t.lower() for t in plugin.config_types)
        for policy in conf.endpoint_policies:
            hcnpy.validate(hcnpy.from_dict(hcnpy.EndpointPolicy, policy))


def test_the_containerd_conflist_adds_and_deletes(tmp_path: Path) -> None:
    """10-nat.conflist under `cniskel add`/`del`, the plugin run as containerd would run it."""
    net_d = tmp_path / "conf"
    net_d.mkdir()
    shutil.copy(DEPLOY / "containerd" / "10-nat.conflist", net_d)
    bin_dir = os.path.dirname(sys.executable)  # where pip put `nat` (make setup)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HCNPY_BACKEND": "sim",
        "HCNPY_SIM_STATE": str(tmp_path / "hns.sqlite3"),
        "WINPLUGINS_LOCK_DIR": str(tmp_path / "locks"),
        "NETCONFPATH": str(net_d),
        "CNI_PATH": bin_dir,
        "CNISKEL_CACHE_DIR": str(tmp_path / "cache"),
    }
    if "HCNPY_SIM_CACHE" in os.environ:
        env["HCNPY_SIM_CACHE"] = os.environ["HCNPY_SIM_CACHE"]

    def run(*argv: str) -> str:
        done = subprocess.run(
            argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
        return done.stdout

    hcnpy_cli = [sys.executable, "-m", "hcnpy"]
    tool = [sys.executable, "-m", "cniskel.runtime"]
    run(*hcnpy_cli, "network", "create", "--name", "nat", "--type", "NAT",
        "--subnet", "10.88.0.0/16", "--gateway", "10.88.0.1")
    namespace = json.loads(run(*hcnpy_cli, "namespace", "create", "--json"))["ID"]
    result = json.loads(run(*tool, "add", "nat", namespace, "--container-id", "pod1"))
    (ip,) = result["ips"]
    assert ip["address"].startswith("10.88.") and ip["gateway"] == "10.88.0.1"
    endpoints = json.loads(run(*hcnpy_cli, "endpoint", "list", "--json"))
    assert [e["HostComputeNamespace"] for e in endpoints] == [namespace]
    run(*tool, "del", "nat", namespace, "--container-id", "pod1")
    assert json.loads(run(*hcnpy_cli, "endpoint", "list", "--json")) == []


def test_the_containerd_snippet() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    text = (DEPLOY / "containerd" / "config.toml").read_text(encoding="utf-8")
    cni = tomllib.loads(text)["plugins"]["io.containerd.grpc.v1.cri"]["cni"]
    assert cni["bin_dir"] == r"C:\Program Files\containerd\cni\bin"
    assert cni["conf_dir"] == r"C:\Program Files\containerd\cni\conf"
    script = SCRIPT.read_text(encoding="ascii")
    assert r"'containerd\cni\bin'" in script and r"'containerd\cni\conf'" in script


# -- the PowerShell script ------------------------------------------------------------------

PARAMETERS = {
    "Python": "'py'",
    "InstallDir": None,
    "WheelDir": "''",
    "Package": None,
    "Offline": "switch",
    "CniBinDir": None,
    "CniConfDir": None,
    "ConfList": "''",
    "NoCopy": "switch",
    "LogFile": None,
    "SkipCompile": "switch",
}


def powershell_code(text: str) -> str:
    """``text`` with comments removed and string contents blanked (quotes kept).

    Knows single- and double-quoted strings (also multi-line), here-strings (``@"``/``@'``
    to a line starting with ``"@``/``'@``), ``#`` and ``<# #>`` comments and backtick
    escapes. Raises ``ValueError`` for an unterminated string, here-string or comment.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("<#", i):
            end = text.find("#>", i + 2)
            if end < 0:
                raise ValueError(f"unterminated block comment at offset {i}")
            i = end + 2
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith(('@"\n', "@'\n", '@"\r\n', "@'\r\n"), i):
            quote = text[i + 1]
            end = text.find(f"\n{quote}@", i)
            if end < 0:
                raise ValueError(f"unterminated here-string at offset {i}")
            out.append(f"@{quote}{quote}@")
            i = end + 3
        elif c == "'":
            j = i + 1
            while True:
                if j >= n:
                    raise ValueError(f"unterminated '-string at offset {i}")
                if text[j] == "'":
                    if text.startswith("''", j):
                        j += 2
                        continue
                    break
                j += 1
            out.append("''")
            i = j + 1
        elif c == '"':
            j = i + 1
            while True:
                if j >= n:
                    raise ValueError(f'unterminated "-string at offset {i}')
                if text[j] == "`":
                    j += 2
                    continue
                if text[j] == '"':
                    if text.startswith('""', j):
                        j += 2
                        continue
                    break
                j += 1
            out.append('""')
            i = j + 1
        elif c == "`":
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def balanced(code: str) -> bool:
    pairs = {")": "(", "}": "{", "]": "["}
    stack: list[str] = []
    for c in code:
        if c in "({[":
            stack.append(c)
        elif c in pairs and (not stack or stack.pop() != pairs[c]):
            return False
    return not stack


def param_block(code: str) -> str:
    start = code.index("param(", code.index("[CmdletBinding()]"))
    depth = 0
    for j in range(start + len("param"), len(code)):
        depth += {"(": 1, ")": -1}.get(code[j], 0)
        if depth == 0:
            return code[start + len("param(") : j]
    raise AssertionError("param( is never closed")


def test_the_static_checker_notices_problems() -> None:
    assert balanced(powershell_code("if ($a) { '}' } # }\n<# { #>"))
    assert not balanced(powershell_code('if ($a) { "x" '))
    with pytest.raises(ValueError):
        powershell_code("Write-Host 'oops")


def test_the_install_script_passes_a_static_check() -> None:
    raw = SCRIPT.read_bytes()
    # Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page: stay ASCII.
    text = raw.decode("ascii")
    code = powershell_code(text)
    assert balanced(code), "unbalanced (), {} or [] outside strings and comments"
    assert re.search(r"^Set-StrictMode -Version Latest$", text, re.M)
    assert re.search(r"^\$ErrorActionPreference = 'Stop'$", text, re.M)

    declared = dict(
        re.findall(r"\$(\w+)(?:\s*=\s*(.+?))?\s*(?:,|$)", param_block(text), re.M)
    )
    switches = set(re.findall(r"\[switch\]\s*\$(\w+)", text))
    assert set(declared) == set(PARAMETERS)
    for name, default in PARAMETERS.items():
        if default == "switch":
            assert name in switches
        else:
            assert declared[name], f"-{name} has no default"
            if default is not None:
                assert declared[name] == default
        body = text[text.index("Set-StrictMode") :]
        assert f"${name}" in body, f"-{name} is declared but never used"
        assert f".PARAMETER {name}\n" in text, f"-{name} is not documented"

    for needed in (
        "-m', 'venv'",
        "'pip', 'install'",
        "compileall",
        "CNISKEL_LOG_FILE",
        "@('nat', 'sdnbridge', 'sdnoverlay')",
        "\"$Plugin.exe\"",
        "ConvertFrom-Json",
        "$LASTEXITCODE",
    ):
        assert needed in text, f"the script lost {needed!r}"


@pytest.mark.skipif(shutil.which("pwsh") is None, reason="PowerShell (pwsh) is not installed")
def test_the_install_script_parses_in_powershell() -> None:
    command = (
        "$errors = $null; "
        f"[void][System.Management.Automation.Language.Parser]::ParseFile('{SCRIPT}', "
        "[ref]$null, [ref]$errors); "
        "if ($errors) { $errors | ForEach-Object { $_.ToString() }; exit 1 }"
    )
    done = subprocess.run(
        ["pwsh", "-NoProfile", "-NonInteractive", "-Command", command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
