"""SQLite for the simulator's state, without what the simulator does not use.

``import sqlite3`` runs ``sqlite3/dbapi2.py``, which only adds date and time adapters and
imports ``datetime`` for them: about 1.5 ms in every plugin process that loads the
simulator. The state stores text and integers, so the C module the package wraps is enough;
where it cannot be imported on its own (another interpreter), the package is used.
"""

from __future__ import annotations

try:
    import _sqlite3 as sqlite3
except ImportError:  # pragma: no cover - interpreters without CPython's C module
    import sqlite3  # type: ignore[no-redef]

__all__ = ["sqlite3"]
