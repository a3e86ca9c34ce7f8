"""The tutorial (docs/tutorial/), followed on Linux exactly as a reader would.

The reader writes the files shown on the page, installs the plugin into a venv with
``pip install -e .``, runs ``try-it.sh`` (the simulated HNS, ``hcnpy`` and ``cniskel add``/
``del``) and the plugin's own tests. Here the files are copied from docs/tutorial/hello_hns
(the page shows them with ``literalinclude``, so page and test cannot disagree). The one
shortcut: the reader's venv gets hcnpy and cniskel from this checkout's development venv
(a ``.pth`` line) instead of ``pip install hcnpy``, which would need the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import pytest

from ..suite_env import environ_without

DOCS = Path(__file__).parents[2] / "docs"
TUTORIAL = DOCS / "tutorial"
FILES = TUTORIAL / "hello_hns"
SCRIPTS = "Scripts" if os.name == "nt" else "bin"

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the tutorial's Linux part")


class Reader:
    """A reader's working directory and venv, with the tutorial plugin installed."""

    def __init__(self, root: Path) -> None:
        self.project = root / "hello-hns"
        shutil.copytree(FILES, self.project)
        venv = root / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        self.python = venv / SCRIPTS / "python"
        site_packages = subprocess.run(
            [str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        ours = sysconfig.get_paths()["purelib"]
        Path(site_packages, "dev-env.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
        self.env = environ_without("HCNPY_", "CNI", "NETCONFPATH", "CAP_ARGS", "VIRTUAL_ENV")
        # The reader's venv first; then this interpreter's scripts (hcnpy, cniskel), which a
        # reader who ran `pip install hcnpy` would have in the same directory.
        self.env["PATH"] = os.pathsep.join(
            [str(venv / SCRIPTS), os.path.dirname(sys.executable), self.env.get("PATH", "")]
        )
        # A stand-in library built for this venv must not pile up in the user's cache.
        self.env["HCNPY_SIM_CACHE"] = str(root / "sim-cache")
        self.run([str(self.python), "-m", "pip", "install", "--quiet", "--no-deps",
                  "--no-build-isolation", "-e", "."])

    def run(self, argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            argv,
            cwd=self.project,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, f"{argv} failed:\n{result.stdout}\n{result.stderr}"
        return result


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    return Reader(tmp_path_factory.mktemp("reader"))


def test_the_page_shows_every_file_the_reader_needs() -> None:
    page = (TUTORIAL / "index.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"```\{literalinclude\} hello_hns/(\S+)", page))
    files = {p.name for p in FILES.iterdir() if p.is_file()}
    assert files <= shown, f"files not shown on the page: {sorted(files - shown)}"


def test_try_it_runs_add_and_del_under_cniskel(reader: Reader) -> None:
    out = reader.run(["bash", "try-it.sh"]).stdout

    block = re.search(r"^\{\n.*?^\}$", out, re.M | re.S)
    assert block is not None, out
    result = json.loads(block.group(0))
    assert result["cniVersion"] == "1.0.0"
    assert result["ips"] == [{"address": "10.10.0.2/24", "gateway": "10.10.0.1", "interface": 0}]
    (interface,) = result["interfaces"]
    assert interface["name"] == "eth0"
    assert re.fullmatch(r"00:15:5d(:[0-9a-f]{2}){3}", interface["mac"])
    namespace = str(uuid.UUID(interface["sandbox"]))

    # `hcnpy endpoint show c1_hello` after ADD: attached to the namespace, port published.
    shown = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in out.splitlines())
        if key.strip() in ("Name", "Network", "IP", "Namespace", "Policies")
    )
    assert shown == {
        "Name": "c1_hello",
        "Network": "helloNet",
        "IP": "10.10.0.2",
        "Namespace": namespace,
        "Policies": "PortMapping",
    }
    # After the two DELs: no endpoint left.
    assert out.rstrip().endswith("(no endpoints)")


def test_the_plugins_own_tests_pass(reader: Reader) -> None:
    out = reader.run(
        [str(reader.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hello_hns.py"]
    ).stdout
    assert re.search(r"\b16 passed\b", out), out


def test_the_plugin_answers_version(reader: Reader) -> None:
    out = reader.run(["hello-hns"], CNI_COMMAND="VERSION").stdout
    assert json.loads(out)["supportedVersions"][-1] == "1.1.0"
