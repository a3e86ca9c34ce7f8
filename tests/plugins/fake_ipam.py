"""A tiny IPAM plugin for tests: hands out 10.0.5.<n>/16, logs every call, fails on demand.

Environment: ``FAKE_IPAM_DIR`` (state and log), ``FAKE_IPAM_FAIL`` (comma-separated commands
that fail with code 11). It records ``<command> <container id> <stdin keys>`` per call.
Installed into a test's CNI_PATH under any name by :func:`install`.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path


def main() -> int:
    command = os.environ.get("CNI_COMMAND", "")
    if command == "VERSION":
        print(json.dumps({"cniVersion": "1.1.0", "supportedVersions": ["0.3.1", "1.0.0", "1.1.0"]}))
        return 0
    root = Path(os.environ["FAKE_IPAM_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    stdin = sys.stdin.buffer.read()
    conf = json.loads(stdin)
    with open(root / "calls.log", "a") as log:
        log.write(f"{command} {os.environ.get('CNI_CONTAINERID', '')} {sorted(conf)}\n")
    (root / "last_stdin.json").write_bytes(stdin)
    if command in os.environ.get("FAKE_IPAM_FAIL", "").split(","):
        print(
            json.dumps(
                {"cniVersion": conf.get("cniVersion"), "code": 11, "msg": f"fake {command} failure"}
            )
        )
        return 1
    if command != "ADD":
        return 0
    counter = root / "counter"
    n = int(counter.read_text()) + 1 if counter.exists() else 10
    counter.write_text(str(n))
    version = conf.get("cniVersion", "1.0.0")
    if version in ("0.1.0", "0.2.0"):  # answer in the configuration's result version
        result = {"cniVersion": version, "ip4": {"ip": f"10.0.5.{n}/16", "gateway": "10.0.0.1"}}
    else:
        result = {
            "cniVersion": version,
            "ips": [{"address": f"10.0.5.{n}/16", "gateway": "10.0.0.1"}],
        }
    print(json.dumps(result))
    return 0


def install(directory: Path, name: str = "fake-ipam") -> Path:
    """Write an executable ``name`` into ``directory`` that runs this module."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    runner = f"runpy.run_path({str(Path(__file__))!r}, run_name='__main__')"
    path.write_text(f"#!{sys.executable}\nimport runpy\n{runner}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


if __name__ == "__main__":
    sys.exit(main())
