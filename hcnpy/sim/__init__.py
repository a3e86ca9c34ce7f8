"""The simulated HNS: a pure-Python engine behind the same C functions as ``computenetwork.dll``.

Kept empty on purpose: this package is imported on every plugin's call path.
"""
