"""Smoke-test the built packages (``make dist``): python tools/check_dist.py DIST_DIR.

1. The wheels and sdists of both distributions are there, named with ``hcnpy.__version__``.
2. The ``hcnpy`` wheel carries ``py.typed`` for both packages, the sources the simulator's
   stand-in library is built from and the pytest plugin ``hcnpy.testing`` (with its
   ``pytest11`` entry point); the ``hcnpy-winplugins`` wheel carries its ``py.typed``.
3. A fresh venv gets the ``hcnpy`` wheel and pytest, nothing else (dependencies from the
   package index or pip's cache). In it, from a directory outside the checkout:
   ``import hcnpy, cniskel`` comes from site-packages, not the checkout; ``hcnpy info``
   reaches a temporary simulated HNS with an empty stand-in cache, so the stand-in library
   is compiled from the installed sources.
4. The tutorial's project (``docs/tutorial/hello_hns``), copied to a temporary directory,
   ``pip install``-s with its own ``pyproject.toml`` and its tests pass under
   ``python -m pytest``: the ``simulated_hns`` fixture must come from hcnpy's entry point
   (the project has no ``conftest.py``), and the tests run the installed ``hello-hns``.
5. The ``hcnpy-winplugins`` wheel installs into the same venv, ``winplugins`` imports from
   it and ``nat`` answers ``CNI_COMMAND=VERSION`` with the version JSON.

Exits non-zero with a message on the first failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import hcnpy  # noqa: E402  (the checkout's, for the expected version)

VERSION = hcnpy.__version__
TUTORIAL = ROOT / "docs" / "tutorial" / "hello_hns"
#: What a run of the tutorial in place may leave in its directory (try-it.sh, pytest, pip).
NOT_THE_PROJECT = ("__pycache__", "*.pyc", ".pytest_cache", "*.sqlite3*", "net.d", "cache",
                   "build", "*.egg-info")
SCRIPTS = "Scripts" if os.name == "nt" else "bin"

#: Files the hcnpy wheel must carry: typing markers and the stand-in library's sources.
HCNPY_WHEEL_FILES = (
    "hcnpy/py.typed",
    "cniskel/py.typed",
    "hcnpy/_cdef.py",
    "hcnpy/_hcn_cffi.py",
    "hcnpy/sim/standin.py",
    "hcnpy/sim/_standin_build.py",
    "hcnpy/sim/standin.c",
    "hcnpy/sim/service.py",
    "hcnpy/sim/wire.py",
    "hcnpy/sim/engine.py",
    "hcnpy/testing.py",
)
WINPLUGINS_WHEEL_FILES = ("winplugins/py.typed", "winplugins/nat.py")


def fail(message: str) -> NoReturn:
    sys.exit(f"check_dist: FAILED: {message}")


def run(argv: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> str:
    done = subprocess.run(
        argv, env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        fail(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def check_artifacts(dist: Path) -> tuple[Path, Path]:
    hcnpy_wheel = dist / f"hcnpy-{VERSION}-py3-none-any.whl"
    plugins_wheel = dist / f"hcnpy_winplugins-{VERSION}-py3-none-any.whl"
    expected = [
        hcnpy_wheel,
        plugins_wheel,
        dist / f"hcnpy-{VERSION}.tar.gz",
        dist / f"hcnpy_winplugins-{VERSION}.tar.gz",
    ]
    for path in expected:
        if not path.is_file():
            found = sorted(p.name for p in dist.iterdir())
            fail(f"{path.name} was not built (found: {found})")
    contents = ((hcnpy_wheel, HCNPY_WHEEL_FILES), (plugins_wheel, WINPLUGINS_WHEEL_FILES))
    for wheel, needed in contents:
        names = set(zipfile.ZipFile(wheel).namelist())
        missing = [name for name in needed if name not in names]
        if missing:
            fail(f"{wheel.name} lacks {missing}")
    return hcnpy_wheel, plugins_wheel


def check_tutorial(python: str, env: dict[str, str], work: Path) -> int:
    """Install the tutorial's project next to the hcnpy wheel and run its tests; the count."""
    project = work / "hello-hns"
    shutil.copytree(TUTORIAL, project, ignore=shutil.ignore_patterns(*NOT_THE_PROJECT))
    if list(project.rglob("conftest.py")):
        fail("the tutorial's project has a conftest.py: the hcnpy plugin must load by itself")
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "."],
        env, project)
    plugins = run(
        [python, "-c", "from importlib.metadata import entry_points; "
         "print(*(e.value for e in entry_points(group='pytest11')))"],
        env,
        project,
    ).split()
    if "hcnpy.testing" not in plugins:
        fail(f"the hcnpy wheel registers no pytest11 entry point hcnpy.testing: {plugins}")
    out = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], env, project)
    summary = out.strip().splitlines()[-1] if out.strip() else ""
    # Exit status 0 also allows skipped and xfailed tests: every test must have run and passed.
    passed = re.fullmatch(r"(\d+) passed(?:, \d+ warnings?)? in [\d.]+s(?: \(.*\))?", summary)
    if passed is None:
        fail(f"the tutorial's tests did not all pass:\n{out}")
    return int(passed.group(1))


def check_imports(python: str, env: dict[str, str], work: Path, modules: list[str]) -> None:
    """``modules`` import from the fresh venv, and hcnpy has the checkout's version."""
    code = f"import {', '.join(modules)}; print(hcnpy.__version__); " + "; ".join(
        f"print({module}.__file__)" for module in modules
    )
    where = run([python, "-c", code], env, work).split()
    if where[0] != VERSION:
        fail(f"the installed hcnpy says version {where[0]}, expected {VERSION}")
    outside = [path for path in where[1:] if not path.startswith(str(work / "venv"))]
    if outside:
        fail(f"imported from outside the fresh venv: {outside}")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/check_dist.py DIST_DIR")
    dist = Path(sys.argv[1]).resolve()
    hcnpy_wheel, plugins_wheel = check_artifacts(dist)
    with tempfile.TemporaryDirectory(prefix="hcnpy-dist-") as tmp:
        work = Path(tmp)
        venv.EnvBuilder(with_pip=True).create(work / "venv")
        bin_dir = work / "venv" / SCRIPTS
        python = str(bin_dir / "python")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("HCNPY_", "CNI", "VIRTUAL_ENV", "PYTHON", "PYTEST_"))
        }
        env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
        # The stand-in library `hcnpy info` builds below, which the tutorial's tests reuse.
        env["HCNPY_SIM_CACHE"] = str(work / "standin-cache")
        # The simulator service this install starts leaves soon after the check.
        env["HCNPY_SIM_SERVICE_IDLE"] = "5"
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run([*pip, str(hcnpy_wheel), "pytest"], env, work)
        check_imports(python, env, work, ["hcnpy", "cniskel"])

        sim_env = {**env, "HCNPY_BACKEND": "sim", "HCNPY_SIM_STATE": str(work / "hns.sqlite3")}
        info = json.loads(run([str(bin_dir / "hcnpy"), "info", "--json"], sim_env, work))
        library = str(info.get("LibraryPath") or "")
        if info.get("Backend") != "sim" or not info.get("HnsVersion"):
            fail(f"hcnpy info did not reach the simulated HNS: {info}")
        if not library.startswith(env["HCNPY_SIM_CACHE"]):
            fail(f"the stand-in library was not built from the installed wheel: {library}")

        tutorial_tests = check_tutorial(python, env, work)
        check_imports(python, env, work, ["hcnpy", "cniskel"])  # the project kept this hcnpy

        run([*pip, str(plugins_wheel)], env, work)
        check_imports(python, env, work, ["hcnpy", "cniskel", "winplugins"])
        answer = json.loads(
            run([str(bin_dir / "nat")], {**env, "CNI_COMMAND": "VERSION"}, work, stdin="")
        )
        if "1.0.0" not in answer.get("supportedVersions", []):
            fail(f"nat VERSION answered {answer}")

    print(
        f"check_dist: OK: hcnpy {VERSION} installs into a fresh venv (import, `hcnpy info` with "
        f"the stand-in built from the wheel); the tutorial's project installs beside it and its "
        f"{tutorial_tests} tests pass; hcnpy-winplugins {VERSION} installs too and `nat` "
        f"answers VERSION"
    )


if __name__ == "__main__":
    main()
