"""Tests of the C ABI layer: cffi bindings, the stand-in library, tracing and replay."""
