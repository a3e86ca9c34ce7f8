"""Smoke-test the built packages (``make dist``): python tools/check_dist.py DIST_DIR.

1. The wheels and sdists of both distributions are there, named with ``hcnpy.__version__``.
2. The ``hcnpy`` wheel carries ``py.typed`` for both packages and the sources the simulator's
   stand-in library is built from; the ``hcnpy-winplugins`` wheel carries its ``py.typed``.
3. Both wheels install into a fresh venv (dependencies from the package index or pip's cache).
4. In that venv, from a directory outside the checkout:
   ``python -c "import hcnpy, cniskel, winplugins"`` (from site-packages, not the checkout),
   ``hcnpy info`` against a temporary simulated HNS, with an empty stand-in cache, so the
   stand-in library is compiled from the installed sources, and ``nat`` answering
   ``CNI_COMMAND=VERSION`` with the version JSON.

Exits non-zero with a message on the first failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import hcnpy  # noqa: E402  (the checkout's, for the expected version)

VERSION = hcnpy.__version__
SCRIPTS = "Scripts" if os.name == "nt" else "bin"

#: Files the hcnpy wheel must carry: typing markers and the stand-in library's sources.
HCNPY_WHEEL_FILES = (
    "hcnpy/py.typed",
    "cniskel/py.typed",
    "hcnpy/_cdef.py",
    "hcnpy/_hcn_cffi.py",
    "hcnpy/sim/standin.py",
    "hcnpy/sim/_standin_build.py",
    "hcnpy/sim/_standin_glue.py",
    "hcnpy/sim/engine.py",
)
WINPLUGINS_WHEEL_FILES = ("winplugins/py.typed", "winplugins/nat.py")


def fail(message: str) -> None:
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


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/check_dist.py DIST_DIR")
    dist = Path(sys.argv[1]).resolve()
    wheels = check_artifacts(dist)
    with tempfile.TemporaryDirectory(prefix="hcnpy-dist-") as tmp:
        work = Path(tmp)
        venv.EnvBuilder(with_pip=True).create(work / "venv")
        bin_dir = work / "venv" / SCRIPTS
        python = str(bin_dir / "python")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("HCNPY_", "CNI", "VIRTUAL_ENV", "PYTHON"))
        }
        env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
        run(
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             *map(str, wheels)],
            env,
            work,
        )

        where = run(
            [python, "-c", "import hcnpy, cniskel, winplugins; print(hcnpy.__version__); "
             "print(hcnpy.__file__); print(cniskel.__file__); print(winplugins.__file__)"],
            env,
            work,
        ).split()
        if where[0] != VERSION:
            fail(f"the installed hcnpy says version {where[0]}, expected {VERSION}")
        outside = [path for path in where[1:] if not path.startswith(str(work / "venv"))]
        if outside:
            fail(f"imported from outside the fresh venv: {outside}")

        sim_env = {
            **env,
            "HCNPY_BACKEND": "sim",
            "HCNPY_SIM_STATE": str(work / "hns.sqlite3"),
            "HCNPY_SIM_CACHE": str(work / "standin-cache"),  # empty: build from the wheel
        }
        info = json.loads(run([str(bin_dir / "hcnpy"), "info", "--json"], sim_env, work))
        library = str(info.get("LibraryPath") or "")
        if info.get("Backend") != "sim" or not info.get("HnsVersion"):
            fail(f"hcnpy info did not reach the simulated HNS: {info}")
        if not library.startswith(str(work / "standin-cache")):
            fail(f"the stand-in library was not built from the installed wheel: {library}")

        answer = json.loads(
            run([str(bin_dir / "nat")], {**env, "CNI_COMMAND": "VERSION"}, work, stdin="")
        )
        if "1.0.0" not in answer.get("supportedVersions", []):
            fail(f"nat VERSION answered {answer}")

    print(
        f"check_dist: OK: hcnpy {VERSION} and hcnpy-winplugins {VERSION} install into a fresh "
        f"venv; import, `hcnpy info` (stand-in built from the wheel) and `nat` VERSION pass"
    )


if __name__ == "__main__":
    main()
