"""A CNI runtime: libcni's list operations as a library, and the ``cniskel`` tool.

:class:`Runtime` runs configuration lists the way libcni does: ADD in order
with ``prevResult`` chaining and a result cache, CHECK/DEL with the cached
result as ``prevResult`` (DEL in reverse order), GC with the valid attachments
under both keys plus DELs of stale cached attachments, STATUS, and VERSION
probing. :func:`main` is the command-line tool (cnitool's equivalent)::

    cniskel add|check|del|gc|status NETWORK [NETNS] [--ifname IF] [--container-id ID]
    cniskel version PLUGIN
"""

from __future__ import annotations

import hashlib
import os
import re
import sys

import cniskel.invoke as invoke
from cniskel._gojson import GoDecodeError, loads, marshal, marshal_indent
from cniskel._version import VersionError, greater_than_or_equal
from cniskel.cache import DEFAULT_CACHE_DIR, ResultCache
from cniskel.conflist import ConfigError, NetworkConfigList, PluginConfig, load_conflist
from cniskel.errors import CniError
from cniskel.result import Result, ResultError
from cniskel.validate import validate_container_id, validate_interface_name, validate_network_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from typing import IO, TextIO

DEFAULT_NETCONFPATH = "/etc/cni/net.d"
CACHE_DIR_ENV = "CNISKEL_CACHE_DIR"


class RuntimeConf:
    """The attachment: container ID, netns, interface, ``CNI_ARGS`` pairs, capability args."""

    def __init__(
        self,
        container_id: str,
        netns: str = "",
        ifname: str = "eth0",
        args: Sequence[tuple[str, str]] = (),
        capability_args: Mapping[str, object] | None = None,
    ) -> None:
        self.container_id = container_id
        self.netns = netns
        self.ifname = ifname
        self.args = list(args)
        self.capability_args: dict[str, object] = dict(capability_args or {})


class PluginFailed(Exception):
    """A plugin of a list failed; ``error`` is what it reported (libcni wording)."""

    def __init__(self, plugin: PluginConfig, action: str, error: CniError | Exception) -> None:
        self.plugin = plugin
        self.action = action
        self.error = error
        super().__init__(f"plugin {plugin.describe()} failed ({action}): {error}")


def build_config(
    name: str,
    cni_version: str,
    plugin: PluginConfig,
    prev_result: Result | None,
    rt: RuntimeConf | None,
    extra: Mapping[str, object] | None = None,
) -> bytes:
    """The stdin of one plugin (libcni ``buildOneConfig``): Go-map JSON, sorted keys."""
    conf: dict[str, object] = dict(plugin.raw)
    conf["name"] = name
    conf["cniVersion"] = cni_version
    if prev_result is not None:
        conf["prevResult"] = prev_result.to_dict()
    if extra:
        conf.update(extra)
    if rt is not None:
        runtime_config = {
            cap: rt.capability_args[cap] for cap in plugin.capabilities if cap in rt.capability_args
        }
        if runtime_config:
            conf["runtimeConfig"] = runtime_config
    # prevResult keeps its own key order (Go marshals it as a typed Result).
    ordered = {k: conf[k] for k in sorted(conf)}
    return _marshal_map(ordered)


def _sorted_deep(value: object) -> object:
    if isinstance(value, dict):
        return {k: _sorted_deep(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_deep(v) for v in value]
    return value


def _marshal_map(conf: dict[str, object]) -> bytes:
    return marshal({k: (v if k == "prevResult" else _sorted_deep(v)) for k, v in conf.items()})


class Runtime:
    """libcni's ``CNIConfig``: plugin search path, cache directory and environment."""

    def __init__(
        self,
        path: Sequence[str],
        cache_dir: str = DEFAULT_CACHE_DIR,
        env: Mapping[str, str] | None = None,
        *,
        verbose: bool = False,
        stderr: IO[bytes] | IO[str] | None = None,
    ) -> None:
        self.path = list(path)
        self.cache = ResultCache(cache_dir)
        self.env: dict[str, str] = dict(os.environ if env is None else env)
        #: Show each plugin's stderr even when it fails (the tool's ``--verbose``).
        self.verbose = verbose
        #: Where plugins' stderr is copied (default: this process's stderr).
        self.stderr = stderr

    def _env(self, command: str, rt: RuntimeConf | None) -> dict[str, str]:
        return invoke.args_env(
            command,
            container_id=rt.container_id if rt else "",
            netns=rt.netns if rt else "",
            ifname=rt.ifname if rt else "",
            args=rt.args if rt else "",
            path=os.pathsep.join(self.path),
            base=self.env,
        )

    def _find(self, plugin: PluginConfig) -> str:
        return invoke.find_in_path(plugin.type, self.path)

    # -- ADD -------------------------------------------------------------------

    def add_network_list(self, conflist: NetworkConfigList, rt: RuntimeConf) -> Result | None:
        """ADD every plugin in order, chaining results; cache and return the last."""
        result: Result | None = None
        for plugin in conflist.plugins:
            try:
                result = self._add_one(conflist, plugin, result, rt)
            except (CniError, invoke.InvokeError, ResultError) as exc:
                raise PluginFailed(plugin, "add", exc) from exc
        if result is not None:
            self.cache.add(
                result,
                conflist.bytes,
                conflist.name,
                container_id=rt.container_id,
                ifname=rt.ifname,
                netns=rt.netns,
                cni_args=rt.args,
                capability_args=rt.capability_args,
            )
        return result

    def _add_one(
        self,
        conflist: NetworkConfigList,
        plugin: PluginConfig,
        prev: Result | None,
        rt: RuntimeConf,
    ) -> Result:
        path = self._find(plugin)
        for error in (
            validate_container_id(rt.container_id),
            validate_network_name(conflist.name),
            validate_interface_name(rt.ifname),
        ):
            if error is not None:
                raise error
        stdin = build_config(conflist.name, conflist.cni_version, plugin, prev, rt)
        return invoke.exec_plugin_with_result(
            path, stdin, self._env("ADD", rt), verbose=self.verbose, stderr=self.stderr
        )

    # -- CHECK / DEL -------------------------------------------------------------

    def check_network_list(self, conflist: NetworkConfigList, rt: RuntimeConf) -> None:
        """CHECK every plugin with the cached result (configs >= 0.4.0 only)."""
        if not self._at_least(conflist.cni_version, "0.4.0"):
            raise ConfigError(
                f'configuration version "{conflist.cni_version}" does not support the CHECK command'
            )
        if conflist.disable_check:
            return
        try:
            cached = self.cache.result(
                conflist.name, conflist.cni_version, rt.container_id, rt.ifname
            )
        except ResultError as exc:
            raise ConfigError(
                f'failed to get network "{conflist.name}" cached result: {exc}'
            ) from exc
        for plugin in conflist.plugins:
            self._run_one("CHECK", "check", conflist, plugin, cached, rt)

    def del_network_list(self, conflist: NetworkConfigList, rt: RuntimeConf) -> None:
        """DEL every plugin in reverse order; the cached result is the ``prevResult`` (>= 0.4.0)."""
        cached: Result | None = None
        if self._at_least(conflist.cni_version, "0.4.0"):
            try:
                cached = self.cache.result(
                    conflist.name, conflist.cni_version, rt.container_id, rt.ifname
                )
            except ResultError:
                self.cache.delete(conflist.name, rt.container_id, rt.ifname)
                cached = None
        for plugin in reversed(conflist.plugins):
            self._run_one("DEL", "delete", conflist, plugin, cached, rt)
        self.cache.delete(conflist.name, rt.container_id, rt.ifname)

    def _run_one(
        self,
        command: str,
        action: str,
        conflist: NetworkConfigList,
        plugin: PluginConfig,
        prev: Result | None,
        rt: RuntimeConf,
    ) -> None:
        try:
            path = self._find(plugin)
            stdin = build_config(conflist.name, conflist.cni_version, plugin, prev, rt)
            invoke.exec_plugin_without_result(
                path, stdin, self._env(command, rt), verbose=self.verbose, stderr=self.stderr
            )
        except (CniError, invoke.InvokeError) as exc:
            raise PluginFailed(plugin, action, exc) from exc

    # -- GC / STATUS ---------------------------------------------------------------

    def gc_network_list(
        self,
        conflist: NetworkConfigList,
        valid_attachments: Sequence[tuple[str, str]] | None = None,
    ) -> list[Exception]:
        """GC: DEL stale cached attachments, then GC each plugin (configs >= 1.1.0).

        ``valid_attachments`` are ``(containerID, ifname)`` pairs. Returns every
        error; like libcni it keeps going after one.
        """
        if conflist.disable_gc:
            return []
        valid = {tuple(pair) for pair in valid_attachments or ()}
        errors: list[Exception] = []
        for cached in self.cache.attachments():
            if cached.network != conflist.name or (cached.container_id, cached.ifname) in valid:
                continue
            rt = RuntimeConf(
                cached.container_id,
                cached.netns,
                cached.ifname,
                cached.cni_args,
                cached.capability_args,
            )
            try:
                self.del_network_list(conflist, rt)
            except Exception as exc:
                errors.append(
                    RuntimeError(
                        f"failed to delete stale attachment {rt.container_id} {rt.ifname}: {exc}"
                    )
                )
        if self._at_least(conflist.cni_version, "1.1.0"):
            listed = [{"containerID": c, "ifname": i} for c, i in valid_attachments or ()]
            value: object = listed or None  # Go marshals an empty slice it built as null
            extra = {"cni.dev/valid-attachments": value, "cni.dev/attachments": value}
            for plugin in conflist.plugins:
                try:
                    path = self._find(plugin)
                    stdin = build_config(
                        conflist.name, conflist.cni_version, plugin, None, None, extra
                    )
                    invoke.exec_plugin_without_result(
                        path, stdin, self._env("GC", None), verbose=self.verbose, stderr=self.stderr
                    )
                except (CniError, invoke.InvokeError) as exc:
                    errors.append(PluginFailed(plugin, "gc", exc))
        return errors

    def status_network_list(self, conflist: NetworkConfigList) -> None:
        """STATUS each plugin in order (configs >= 1.1.0); the first error is raised as is."""
        if not self._at_least(conflist.cni_version, "1.1.0"):
            return
        for plugin in conflist.plugins:
            path = self._find(plugin)
            stdin = build_config(conflist.name, conflist.cni_version, plugin, None, None)
            invoke.exec_plugin_without_result(
                path, stdin, self._env("STATUS", None), verbose=self.verbose, stderr=self.stderr
            )

    def version_info(self, plugin_type: str) -> invoke.PluginInfo:
        """VERSION of a plugin found in the search path."""
        return invoke.get_version_info(invoke.find_in_path(plugin_type, self.path), self.env)

    @staticmethod
    def _at_least(version: str, minimum: str) -> bool:
        try:
            return greater_than_or_equal(version, minimum)
        except VersionError as exc:
            raise ConfigError(str(exc)) from None


# --- command line ------------------------------------------------------------------


def container_id_for(netns: str) -> str:
    """cnitool's container ID: ``cnitool-`` and 10 bytes of SHA-512 of the netns path."""
    return "cnitool-" + hashlib.sha512(netns.encode()).hexdigest()[:20]


def parse_cni_args(text: str) -> list[tuple[str, str]]:
    """cnitool's ``CNI_ARGS`` parsing: ``k=v`` pairs, both sides non-empty."""
    if not text:
        return []
    pairs = []
    for pair in text.split(";"):
        parts = pair.split("=")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ConfigError(f'invalid CNI_ARGS pair "{pair}"')
        pairs.append((parts[0], parts[1]))
    return pairs


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="cniskel",
        description="Run CNI network configuration lists (a cnitool equivalent).",
        epilog="Environment: NETCONFPATH (default /etc/cni/net.d), CNI_PATH, CNI_ARGS, "
        "CAP_ARGS (JSON), CNI_IFNAME, CNISKEL_CACHE_DIR (default /var/lib/cni).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for verb in ("add", "check", "del", "gc", "status"):
        sub = commands.add_parser(verb, help=f"{verb.upper()} a network")
        sub.add_argument("network", help="network name (the config list's name)")
        needs_netns = verb in ("add", "check", "del")
        sub.add_argument("netns", nargs=None if needs_netns else "?", default="", help="netns path")
        sub.add_argument("--ifname", default=None, help="interface (default $CNI_IFNAME or eth0)")
        sub.add_argument("--container-id", default=None, help="default: derived from NETNS")
        sub.add_argument("--cache-dir", default=None, help="result cache directory")
        sub.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="show each plugin's stderr, also when it fails",
        )
        if verb == "gc":
            sub.add_argument(
                "--valid",
                action="append",
                default=[],
                metavar="CONTAINERID/IFNAME",
                help="an attachment to keep (repeatable)",
            )
    version = commands.add_parser("version", help="ask a plugin which versions it supports")
    version.add_argument("plugin", help="plugin name, found in CNI_PATH")
    return parser


def run_cli(
    argv: Sequence[str],
    env: Mapping[str, str],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """The tool without exiting: returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    options = _parser().parse_args(list(argv))
    runtime = Runtime(
        invoke.split_path_list(env.get("CNI_PATH", "")),
        getattr(options, "cache_dir", None) or env.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR,
        env,
        verbose=getattr(options, "verbose", False),
        stderr=err,
    )
    try:
        return _run(options, runtime, env, out)
    except PluginFailed as exc:
        # The plugin's own error object goes to stdout unchanged (it is the protocol);
        # the tool's line on stderr is its own, in Python's words.
        if isinstance(exc.error, CniError):
            _print_json(exc.error.to_json(), out)
        print(f"cniskel: {python_wording(str(exc))}", file=err)
        return 1
    except (CniError, ConfigError, invoke.InvokeError, ResultError, OSError) as exc:
        if isinstance(exc, CniError):
            _print_json(exc.to_json(), out)
        print(f"cniskel: {python_wording(str(exc))}", file=err)
        return 1


def _print_json(data: bytes, out: TextIO) -> None:
    """JSON on the tool's stdout always ends with a newline."""
    text = data.decode("utf-8", "replace")
    out.write(text if text.endswith("\n") else text + "\n")
    out.flush()


_GO_TYPES = {
    "string": "a string",
    "bool": "true or false",
    "int": "an integer",
    "float64": "a number",
}


def _python_type(gotype: str) -> str:
    if gotype in _GO_TYPES:
        return _GO_TYPES[gotype]
    if gotype.startswith("[]"):
        return "a list"
    if gotype.startswith("*"):
        return _python_type(gotype[1:])
    return "an object"


def python_wording(message: str) -> str:
    """A message of the Go-compatible layer re-worded for the person running the tool.

    ``json: cannot unmarshal number into Go struct field .cniVersion of type string``
    becomes ``cniVersion: expected a string, got a number``; JSON syntax errors say
    ``invalid JSON``. Everything else is returned unchanged.
    """

    def field(match: re.Match[str]) -> str:
        kind, literal, path, gotype = match.group(1, 2, 3, 4)
        place = f"{path}: " if path else ""
        if literal and gotype in ("int", "float64"):
            return f"{place}the number {literal} does not fit {_python_type(gotype)}"
        got = f"the number {literal}" if literal else _KINDS.get(kind, kind)
        return f"{place}expected {_python_type(gotype)}, got {got}"

    message = _TYPE_ERROR.sub(field, message)
    message = message.replace("unexpected end of JSON input", "invalid JSON: the text ends early")
    return _SYNTAX_ERROR.sub(r"invalid JSON: unexpected character \1 \2", message)


_KINDS = {
    "string": "a string",
    "number": "a number",
    "bool": "a boolean",
    "array": "a list",
    "object": "an object",
}
_TYPE_ERROR = re.compile(
    r"json: cannot unmarshal (\w+)(?: (\S+))? into Go "
    r"(?:struct field \w*\.(\S+)|value) of type (.+?)(?=$|;|\))"
)
_SYNTAX_ERROR = re.compile(r"invalid character ('(?:[^']|\\')+') ([a-z][^;]*)")


def _run(options: argparse.Namespace, runtime: Runtime, env: Mapping[str, str], out: TextIO) -> int:
    command = options.command
    if command == "version":
        info = runtime.version_info(options.plugin)
        _print_json(marshal_indent(info.to_dict()), out)
        return 0
    netconf_dir = env.get("NETCONFPATH") or DEFAULT_NETCONFPATH
    conflist = load_conflist(netconf_dir, options.network)
    if command == "status":
        runtime.status_network_list(conflist)
        return 0
    if command == "gc":
        valid = [tuple(v.split("/", 1)) for v in options.valid]
        if any(len(v) != 2 for v in valid):
            raise ConfigError("--valid takes CONTAINERID/IFNAME")
        errors = runtime.gc_network_list(conflist, [(v[0], v[1]) for v in valid])
        for error in errors:
            if isinstance(error, PluginFailed):
                raise error
        if errors:
            raise ConfigError("; ".join(str(e) for e in errors))
        return 0
    netns = os.path.abspath(options.netns)
    container_id = options.container_id or container_id_for(netns)
    ifname = options.ifname or env.get("CNI_IFNAME") or "eth0"
    capability_args: dict[str, object] = {}
    if env.get("CAP_ARGS"):
        try:
            decoded = loads(env["CAP_ARGS"])
        except GoDecodeError as exc:
            raise ConfigError(f"CAP_ARGS: {exc}") from None
        if not isinstance(decoded, dict):
            raise ConfigError("CAP_ARGS must be a JSON object")
        capability_args = decoded
    rt = RuntimeConf(
        container_id, netns, ifname, parse_cni_args(env.get("CNI_ARGS", "")), capability_args
    )
    if command == "add":
        result = runtime.add_network_list(conflist, rt)
        if result is not None:
            _print_json(result.to_json(), out)
    elif command == "check":
        runtime.check_network_list(conflist, rt)
    else:
        runtime.del_network_list(conflist, rt)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of the ``cniskel`` tool."""
    sys.exit(run_cli(sys.argv[1:] if argv is None else argv, os.environ))


if __name__ == "__main__":
    main()
