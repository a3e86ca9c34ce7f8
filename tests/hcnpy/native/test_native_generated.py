"""The committed ABI-mode module is exactly what ``python -m hcnpy._build_cffi`` produces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import hcnpy
from hcnpy import _cdef
from hcnpy._ffi import CTransport as _CTransport
from hcnpy.bindings import Library

COMMITTED = Path(hcnpy.__file__).with_name("_hcn_cffi.py")


def test_committed_module_matches_a_fresh_generation(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hcnpy._build_cffi", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    fresh = (tmp_path / "_hcn_cffi.py").read_text()
    assert fresh == COMMITTED.read_text(), (
        "hcnpy/_hcn_cffi.py is stale: run `python -m hcnpy._build_cffi` and commit the result"
    )


def test_every_prototype_is_declared_and_exported_by_the_stand_in(library: Library) -> None:
    from hcnpy._hcn_cffi import ffi

    names = _cdef.function_names(_cdef.COMPUTENETWORK + _cdef.VMCOMPUTE + _cdef.OLE32 + _cdef.SIM)
    # 35 object functions, stats + addresses, 2 callbacks, HNSCall, CoTaskMemFree, 4 sim hooks
    assert len(names) == len(set(names)) == 35 + 2 + 2 + 1 + 1 + 4
    transport = library._transport
    assert isinstance(transport, _CTransport)
    for name in names:
        assert ffi.typeof(transport._fn(name)).kind == "function"
    create = ffi.typeof(transport._fn("HcnCreateEndpoint"))
    assert [t.cname for t in create.args] == [
        "void *",
        "struct _GUID *",
        "char16_t *",
        "void * *",
        "char16_t * *",
    ]
    assert create.result.cname == "int32_t"


def test_abi_widths_match_windows() -> None:
    from hcnpy._hcn_cffi import ffi

    assert ffi.sizeof("WCHAR") == 2
    assert ffi.sizeof("HRESULT") == 4
    assert ffi.sizeof("DWORD") == 4
    assert ffi.sizeof("GUID") == 16


def test_generated_module_needs_no_pycparser() -> None:
    code = (
        "import sys; sys.modules['pycparser'] = None; sys.modules['cffi'] = None\n"
        "from hcnpy._hcn_cffi import ffi; print(ffi.sizeof('GUID'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "16"
