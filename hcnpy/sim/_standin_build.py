"""Build the stand-in shared library: the C client of the simulated HNS service.

The library exports the C functions of ``computenetwork.dll``, ``vmcompute.dll`` (``HNSCall``)
and ``CoTaskMemFree``, written in C (``standin.c``): each sends its call to the simulator
service (:mod:`hcnpy.sim.service`) and writes back what it answers, as the real DLL is a client
of the HNS service. No Python runs in the process that loads it. Out-strings are ``calloc``-ed
and counted, and ``CoTaskMemFree`` frees and uncounts them, so tests can assert that the
bindings free every string.

POSIX only (Linux, macOS); this module runs the C compiler. Use
:func:`hcnpy.sim.standin.library_path`, which caches the result; this module only builds.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from hcnpy._cdef import CLIENT_CDEF, SIM_READY

__all__ = ["SOURCE", "StandinBuildError", "build", "c_source", "compiler_command"]

#: The hand-written C of the exports.
SOURCE = Path(__file__).with_name("standin.c")

_PROLOGUE = """\
#ifdef __APPLE__
typedef unsigned short char16_t;    /* macOS' C headers have no <uchar.h> */
#else
#include <uchar.h>
#endif
#include <stdint.h>
#define WINAPI
"""


class StandinBuildError(RuntimeError):
    """The stand-in could not be built; the message says why and what to install."""


def c_source() -> str:
    """The complete C file: the HCN types and prototypes of ``hcnpy._cdef`` (so the compiler
    checks every export against them), then ``standin.c``."""
    return (
        _PROLOGUE
        + CLIENT_CDEF
        + f"#define HCNSIM_READY 0x{SIM_READY:08X}u\n"
        + SOURCE.read_text(encoding="utf-8")
    )


def compiler_command() -> list[str]:
    """The C compiler: ``$CC``, else the one Python was built with, else ``cc``."""
    configured = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    command = shlex.split(configured)
    if command and shutil.which(command[0]):
        return command
    if shutil.which("cc"):
        return ["cc"]
    raise StandinBuildError(
        f"no C compiler found (tried {command[0] if command else 'CC'!r} and 'cc'); "
        "install one (Debian/Ubuntu: apt-get install gcc; macOS: "
        "xcode-select --install)"
    )


def build(output: Path) -> Path:
    """Write the C source next to ``output`` and compile it into ``output``."""
    if sys.platform == "win32":
        raise StandinBuildError(
            "the stand-in library is built on Linux and macOS only; on Windows use the real "
            "HCN (HCNPY_BACKEND=hcn) or the in-process simulator (HCNPY_BACKEND=sim-inprocess)"
        )
    c_file = output.with_name(output.name + ".c")
    c_file.write_text(c_source(), encoding="utf-8")
    command = [
        *compiler_command(),
        "-shared",
        "-fPIC",
        "-O2",
        "-fvisibility=hidden",
        str(c_file),
        "-o",
        str(output),
        *([] if sys.platform == "darwin" else ["-pthread"]),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StandinBuildError(f"cannot run the C compiler {command[0]!r}: {exc}") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise StandinBuildError(f"compiling the stand-in failed ({shlex.join(command)}):\n{tail}")
    return output


if __name__ == "__main__":
    print(build(Path(sys.argv[1]).resolve()))
