"""Arithmetic on HRESULT values: unsigned form, severity, hcsshim's normalisation.

Split from :mod:`hcnpy.hresult` (which re-exports it) so that a call that succeeds never
builds the :class:`~hcnpy.hresult.HResult` enum: a CNI plugin only needs its names to report
a failure.
"""

from __future__ import annotations

__all__ = ["is_failure", "normalize", "to_unsigned"]

_FACILITY_MASK = 0x1FFF0000
_FACILITY_WIN32 = 0x00070000


def to_unsigned(hr: int) -> int:
    """Return ``hr`` as an unsigned 32-bit value (a C ``long`` may arrive negative)."""
    return hr & 0xFFFFFFFF


def is_failure(hr: int) -> bool:
    """True when ``hr`` has the severity bit set (``FAILED(hr)`` in C)."""
    return bool(to_unsigned(hr) & 0x80000000)


def normalize(hr: int) -> int:
    """Apply hcsshim's rule: a Win32-facility failure becomes its Win32 code, others stay whole.

    ``0x80070490`` -> ``1168`` (ERROR_NOT_FOUND); ``0x803B0013`` stays ``0x803B0013``.
    """
    value = to_unsigned(hr)
    if is_failure(value) and (value & _FACILITY_MASK) == _FACILITY_WIN32:
        return value & 0xFFFF
    return value
