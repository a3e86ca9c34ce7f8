"""Build the stand-in shared library: cffi embedding mode around the Python simulator.

The library exports the C functions of ``computenetwork.dll``, ``vmcompute.dll`` (``HNSCall``)
and ``CoTaskMemFree``. Every HCN export is a ``def_extern`` in ``hcnpy.sim._standin_glue``;
out-strings are ``malloc``-ed here in C and counted, and ``CoTaskMemFree`` frees and uncounts
them, so tests can assert that the bindings free every string.

POSIX only (Linux, macOS): cffi writes the C file and this module runs the C compiler itself, so
the link flags fit the running interpreter. Use :func:`hcnpy.sim.standin.library_path`, which
caches the result; this module only builds.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from hcnpy._cdef import COMPUTENETWORK, TYPES, VMCOMPUTE

__all__ = ["EMBEDDED_MODULE", "StandinBuildError", "build", "compiler_command", "link_flags"]

#: The module name cffi gives the embedded ``ffi``/``lib`` inside the running interpreter.
EMBEDDED_MODULE = "_hcnpy_standin"

#: Exports implemented in Python (``def_extern``): every HCN function, HNSCall, and the two
#: simulator hooks of ``_cdef.SIM`` that need the engine. The third, ``HcnSimOutstandingStrings``,
#: is plain C below, next to the allocator it counts.
_EMBEDDING_API = (
    COMPUTENETWORK
    + VMCOMPUTE
    + """
uint32_t HcnSimOpenHandles(void);
uint32_t HcnSimReady(void);
"""
)

#: Helpers the Python side calls through ``lib``.
_HELPERS = """
WCHAR *hcnsim_alloc_string(size_t units);
"""

_C_SOURCE = (
    r"""
#ifdef __APPLE__
typedef uint16_t char16_t;          /* macOS' C headers have no <uchar.h> */
#else
#include <uchar.h>
#endif
#include <stdlib.h>
#define WINAPI
#define __stdcall                   /* cffi spells the callback type with it; no-op here */
#define HCNSIM_EXPORT __attribute__((visibility("default")))
"""
    + TYPES
    + r"""
static uint32_t hcnsim_outstanding = 0;

/* A zeroed buffer of `units` UTF-16 code units (terminating NUL included), counted. */
static WCHAR *hcnsim_alloc_string(size_t units)
{
    WCHAR *buffer = (WCHAR *)calloc(units ? units : 1, sizeof(WCHAR));
    if (buffer != NULL)
        __atomic_add_fetch(&hcnsim_outstanding, 1, __ATOMIC_SEQ_CST);
    return buffer;
}

HCNSIM_EXPORT void CoTaskMemFree(void *pv)
{
    if (pv != NULL) {
        free(pv);
        __atomic_sub_fetch(&hcnsim_outstanding, 1, __ATOMIC_SEQ_CST);
    }
}

HCNSIM_EXPORT uint32_t HcnSimOutstandingStrings(void)
{
    return __atomic_load_n(&hcnsim_outstanding, __ATOMIC_SEQ_CST);
}
"""
)

_INIT_CODE = f"""
from {EMBEDDED_MODULE} import ffi, lib
from hcnpy.sim import _standin_glue
_standin_glue.install(ffi, lib)
"""


class StandinBuildError(RuntimeError):
    """The stand-in could not be built; the message says why and what to install."""


def _make_builder() -> object:
    from cffi import FFI  # type: ignore[import-untyped]  # build time only

    builder = FFI()
    builder.cdef(TYPES + _HELPERS)
    builder.embedding_api(_EMBEDDING_API)
    builder.set_source(EMBEDDED_MODULE, _C_SOURCE)
    builder.embedding_init_code(_INIT_CODE)
    return builder


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
        "install one (Debian/Ubuntu: apt-get install gcc python3-dev; macOS: "
        "xcode-select --install)"
    )


def link_flags() -> list[str]:
    """How to resolve libpython: link it when Python is a shared build, else leave it open.

    The stand-in is only ever loaded into a running Python, whose symbols are already global:
    a static interpreter exports them from its executable, so linking a second (static) copy
    would be wrong; macOS resolves them at load time with ``-undefined dynamic_lookup``.
    """
    if sys.platform == "darwin":
        return ["-undefined", "dynamic_lookup"]
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libdir = sysconfig.get_config_var("LIBDIR") or ""
        ldlibrary = sysconfig.get_config_var("LDLIBRARY") or ""
        name = ldlibrary[3:] if ldlibrary.startswith("lib") else ldlibrary
        name = name.split(".so", 1)[0]
        if name:
            search = [f"-L{libdir}", f"-Wl,-rpath,{libdir}"] if libdir else []
            return [*search, f"-l{name}"]
    return []


def _include_flags() -> list[str]:
    dirs = []
    for key in ("include", "platinclude"):
        path = sysconfig.get_path(key)
        if path and path not in dirs:
            dirs.append(path)
    if not any(Path(d, "Python.h").is_file() for d in dirs):
        raise StandinBuildError(
            "Python.h not found (looked in " + ", ".join(dirs) + "); install the Python "
            "development headers (Debian/Ubuntu: apt-get install python3-dev)"
        )
    return [f"-I{d}" for d in dirs]


def build(output: Path) -> Path:
    """Write the C source next to ``output`` and compile it into ``output``."""
    if sys.platform == "win32":
        raise StandinBuildError(
            "the stand-in library is built on Linux and macOS only; on Windows use the real "
            "HCN (HCNPY_BACKEND=hcn) or the in-process simulator (HCNPY_BACKEND=sim-inprocess)"
        )
    try:
        builder = _make_builder()
    except ImportError as exc:
        raise StandinBuildError(f"building the stand-in needs cffi and pycparser: {exc}") from exc
    c_file = output.with_name(output.name + ".c")
    with contextlib.redirect_stdout(io.StringIO()):
        builder.emit_c_code(str(c_file))  # type: ignore[attr-defined]
    command = [
        *compiler_command(),
        "-shared",
        "-fPIC",
        "-O2",
        "-fvisibility=hidden",
        *_include_flags(),
        str(c_file),
        "-o",
        str(output),
        *link_flags(),
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
