"""Integration tests against the real Host Compute Network API (Windows only)."""
