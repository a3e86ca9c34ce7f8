"""The Go reference programs (tests/go) as the differential tests use them.

``make go-reference`` builds them from Debian's ``golang-github-appc-cni-dev`` into
``build/go``. When they are missing the tests fail under CI (``CI`` set) and skip with
the command to run elsewhere.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
GO_BUILD_DIR = Path(os.environ.get("CNISKEL_GO_BUILD_DIR", ROOT / "build" / "go"))
ORACLE = GO_BUILD_DIR / "oracle"
REFPLUGIN = GO_BUILD_DIR / "refplugin"

#: Result versions Debian's library (cni 1.1.2) implements.
GO_VERSIONS = ("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0")


def require(path: Path) -> Path:
    """``path`` if it is built; otherwise fail under CI and skip elsewhere."""
    if os.access(path, os.X_OK):
        return path
    message = (
        f"{path} is not built: run `make go-reference` "
        "(needs golang-go and golang-github-appc-cni-dev)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def b64(data: bytes | str) -> str:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return base64.b64encode(raw).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


class Oracle:
    """One long-lived oracle process answering JSON-line requests."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )

    def ask(self, op: str, **fields: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        line = json.dumps({"op": op, **fields}).encode() + b"\n"
        self.proc.stdin.write(line)
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"oracle exited (status {self.proc.wait()})")
        decoded: dict[str, Any] = json.loads(answer)
        if "fatal" in decoded or "panic" in decoded:
            raise RuntimeError(f"oracle could not answer {op}: {decoded}")
        return decoded

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)
