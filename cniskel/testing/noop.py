"""A configurable noop plugin, the counterpart of the reference's ``plugins/test/noop``.

Without a debug file it passes ``prevResult`` through (or returns the
config's ``noopResult`` object, or an empty result) and succeeds on every
other verb, so it works as a delegate and as a chain member. A debug file
named by ``CNI_ARGS`` key ``DEBUG`` or config key ``debugFile`` drives it
(JSON, the reference's field names):

``ReportResult``
    raw stdout for ADD; ``PASSTHROUGH`` re-emits ``prevResult`` converted to the
    config version, ``INJECT-DNS`` does the same adding nameserver 1.2.3.4.
``ReportError``, ``ReportErrorCode``
    fail with this message and code (default 999).
``ReportStderr``
    text written to stderr.
``ReportVersionSupport``
    the versions VERSION reports.
``ExitWithCode``
    exit with this status before producing output.
``CommandLog``
    a file to which ``{"Command", "CmdArgs"}`` is appended as a JSON line.

Each invocation writes ``Command`` and ``CmdArgs`` back into the debug file.
"""

from __future__ import annotations

import os
import sys

from cniskel.plugin import Plugin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from cniskel.context import Context
    from cniskel.result import Result

ABOUT = "CNI noop plugin (cniskel)"


def _debug_path_from_args(raw: str) -> str:
    # Lenient on purpose: the noop must not fail on other plugins' CNI_ARGS.
    for pair in raw.split(";"):
        key, sep, value = pair.partition("=")
        if sep and key == "DEBUG":
            return value
    return ""


def _read_debug(path: str) -> dict[str, Any]:
    import json

    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return data if isinstance(data, dict) else {}


class NoopPlugin(Plugin):
    """Records its invocations and reports what its debug file says."""

    about = ABOUT

    def add(self, ctx: Context) -> Result | bytes | None:  # type: ignore[override]
        debug = self._behave(ctx)
        report = debug.get("ReportResult", "") if debug else ""
        if report in ("PASSTHROUGH", "INJECT-DNS") or not report:
            return self._passthrough(ctx, inject_dns=report == "INJECT-DNS")
        return str(report).encode()

    def delete(self, ctx: Context) -> None:
        self._behave(ctx)

    def check(self, ctx: Context) -> None:
        self._behave(ctx)

    def gc(self, ctx: Context) -> None:
        self._behave(ctx)

    def status(self, ctx: Context) -> None:
        self._behave(ctx)

    def _passthrough(self, ctx: Context, *, inject_dns: bool) -> Result:
        from cniskel.result import Result

        prev = ctx.prev_result
        if prev is None:
            configured = ctx.raw_config.get("noopResult")
            if isinstance(configured, dict):
                data = dict(configured)
                data.setdefault("cniVersion", ctx.cni_version)
                prev = Result.from_dict(data)
            else:
                prev = Result(ctx.cni_version)
        if inject_dns:
            prev.dns.nameservers.append("1.2.3.4")
        return prev

    def _debug_file(self, ctx: Context) -> str:
        from_args = _debug_path_from_args(ctx.args.raw)
        if from_args:
            return from_args
        value = ctx.raw_config.get("debugFile")
        return value if isinstance(value, str) else ""

    def _behave(self, ctx: Context) -> dict[str, Any]:
        import base64
        import json

        from cniskel.errors import CniError

        path = self._debug_file(ctx)
        if not path:
            return {}
        debug = _read_debug(path)
        cmd_args = {
            "ContainerID": ctx.container_id,
            "Netns": ctx.netns,
            "IfName": ctx.ifname,
            "Args": ctx.args.raw,
            "Path": ":".join(ctx.path),
            "StdinData": base64.b64encode(ctx.stdin).decode("ascii"),
        }
        debug["Command"] = ctx.command
        debug["CmdArgs"] = cmd_args
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(debug, handle)
        log = debug.get("CommandLog")
        if isinstance(log, str) and log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"Command": ctx.command, "CmdArgs": cmd_args}) + "\n")
        if debug.get("ReportStderr"):
            sys.stderr.write(str(debug["ReportStderr"]))
            sys.stderr.flush()
        exit_code = debug.get("ExitWithCode", 0)
        if isinstance(exit_code, int) and exit_code > 0:
            raise SystemExit(exit_code)
        if debug.get("ReportError"):
            code = debug.get("ReportErrorCode") or 999
            raise CniError(int(code), str(debug["ReportError"]))
        return debug


def main() -> None:
    """Process entry point (``python -m cniskel.testing.noop``)."""
    plugin = NoopPlugin()
    debug_path = _debug_path_from_args(os.environ.get("CNI_ARGS", ""))
    if debug_path:
        try:
            versions = _read_debug(debug_path).get("ReportVersionSupport")
        except (OSError, ValueError):
            versions = None
        if isinstance(versions, list) and versions:
            plugin.supported_versions = [str(v) for v in versions]
    from cniskel.dispatch import dispatch

    sys.exit(
        dispatch(
            plugin,
            os.environ,
            sys.stdin.buffer,
            sys.stdout.buffer,
            sys.stderr.buffer,
            guard_stdout=True,
        )
    )


if __name__ == "__main__":
    main()
