"""Tests of the wire-level operations and the typed client."""
