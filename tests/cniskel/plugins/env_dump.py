"""A test plugin that records its environment and stdin, then succeeds silently."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    target = os.environ.get("ENV_DUMP_FILE", "")
    if target:
        record = {"env": dict(os.environ), "stdin": sys.stdin.read()}
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    if os.environ.get("CNI_COMMAND") == "ADD":
        sys.stdout.write('{"ips": [{"address": "10.1.0.9/16"}]}')


if __name__ == "__main__":
    main()
