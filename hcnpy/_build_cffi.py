"""Generate ``hcnpy/_hcn_cffi.py``, the committed out-of-line ABI-mode cffi module.

``python -m hcnpy._build_cffi`` rewrites the module in place; ``python -m hcnpy._build_cffi DIR``
writes it under ``DIR`` instead (the test that checks the committed copy does that). Needs
``pycparser`` (a dependency of cffi), but only here: the generated module does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cffi import FFI  # type: ignore[import-untyped]

from hcnpy._cdef import CLIENT_CDEF

MODULE_NAME = "hcnpy._hcn_cffi"
MODULE_FILE = "_hcn_cffi.py"

ffibuilder = FFI()
ffibuilder.set_source(MODULE_NAME, None)
ffibuilder.cdef(CLIENT_CDEF)


def generate(directory: Path) -> Path:
    """Write the generated module into ``directory`` and return its path."""
    target = directory / MODULE_FILE
    ffibuilder.emit_python_code(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    """Regenerate the module (next to this file unless a directory is given)."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else Path(__file__).resolve().parent
    print(generate(directory))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
