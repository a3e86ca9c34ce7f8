"""Every command but the plain VERSION reply, in the Go reference's order.

The order is Debian's libcni 1.1.2 skel (what the drop-in Windows plugins vendor):
1. read the ``CNI_*`` variables (empty counts as missing); 2. the ``about`` text
when there is no command; 3. read stdin; 4. validate the config's ``name``, then
the container ID, then the interface name (every command but GC and STATUS);
5. dispatch with version gating; 6. errors go to stdout as JSON, exit status 1.
GC and STATUS, which 1.1.2 lacks, follow newer skel (only ``CNI_PATH`` required).
"""

from __future__ import annotations

import os
import sys

from cniskel._gojson import GoDecodeError, go_quote, go_quote_list, loads
from cniskel._reply import version_reply, write
from cniskel._version import CURRENT, VersionError, greater_than_or_equal
from cniskel.codes import ErrorCode
from cniskel.errors import CniError
from cniskel.validate import validate_container_id, validate_interface_name, validate_network_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import IO

    from cniskel._types import PluginLike as Plugin
    from cniskel.context import Context

_VERBS = ("ADD", "CHECK", "DEL")
_ALL_VERBS = ("ADD", "CHECK", "DEL", "GC", "STATUS")

# (variable, commands requiring it); the order is the reference's.
_ENV_TABLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CNI_COMMAND", ()),
    ("CNI_CONTAINERID", _VERBS),
    ("CNI_NETNS", ("ADD", "CHECK")),
    ("CNI_IFNAME", _VERBS),
    ("CNI_ARGS", ()),
    ("CNI_PATH", _ALL_VERBS),
    ("CNI_NETNS_OVERRIDE", ()),
)

_NETNS_SAME = "plugin's netns and netns from CNI_NETNS should not be the same"


class _Invocation:
    def __init__(self, env: dict[str, str], stdin: bytes, environ: Mapping[str, str]) -> None:
        self.env = env  # the CNI_* values, normalised
        self.environ = environ  # everything the dispatcher was given, for ctx.env
        self.stdin = stdin
        self.config_version = "0.1.0"


def run(
    plugin: Plugin,
    env: Mapping[str, str],
    stdin: bytes | IO[bytes],
    stdout: IO[bytes] | IO[str],
    stderr: IO[bytes] | IO[str],
    *,
    guard_stdout: bool = False,
) -> int:
    """Dispatch one invocation (see :func:`cniskel.dispatch.dispatch`)."""
    state: list[_Invocation] = []
    try:
        output = _main(plugin, env, stdin, stderr, state, guard_stdout)
    except CniError as err:
        version: str | None = None
        if plugin.error_cni_version:
            version = state[0].config_version if state else CURRENT
        import contextlib  # error path only: keeps start-up lean

        with contextlib.suppress(OSError):
            write(stdout, err.to_json(version))
        return 1
    if output:
        try:
            write(stdout, output)
        except OSError:
            return 1
    return 0


def _read_env(plugin: Plugin, env: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    command = env.get("CNI_COMMAND", "") or ""
    values: dict[str, str] = {}
    missing: list[str] = []
    for name, required_for in _ENV_TABLE:
        value = env.get(name, "") or ""
        values[name] = value
        required = name == "CNI_COMMAND" or command in required_for
        if name == "CNI_PATH" and not plugin.require_cni_path:
            required = False
        if value == "" and required:
            missing.append(name)
    if missing:
        raise CniError(
            ErrorCode.INVALID_ENVIRONMENT_VARIABLES,
            f"required env variables [{','.join(missing)}] missing",
        )
    return command, values


def _main(
    plugin: Plugin,
    env: Mapping[str, str],
    stdin: bytes | IO[bytes],
    stderr: IO[bytes] | IO[str],
    state: list[_Invocation],
    guard_stdout: bool,
) -> bytes:
    try:
        command, values = _read_env(plugin, env)
    except CniError as err:
        if (
            err.code == ErrorCode.INVALID_ENVIRONMENT_VARIABLES
            and not env.get("CNI_COMMAND")
            and plugin.about
        ):
            versions = ", ".join(plugin.supported_versions)
            text = f"{plugin.about}\nCNI protocol versions supported: {versions}\n"
            write(stderr, text.encode("utf-8", "replace"))
            return b""
        raise

    if command == "VERSION":
        return _version(plugin, stdin)

    data = _read_stdin(stdin)
    invocation = _Invocation(values, data, env)
    state.append(invocation)
    decoded = _validate_config(data)
    if command not in ("GC", "STATUS"):
        for error in (
            validate_container_id(values["CNI_CONTAINERID"]),
            validate_interface_name(values["CNI_IFNAME"]),
        ):
            if error is not None:
                raise error

    if command in ("ADD", "DEL"):
        # The reference checks the namespace after the callback, when an ADD has already
        # done its work; here it is checked before, so a refused ADD leaves nothing
        # (see docs/cniskel/divergences.md, row 7).
        _check_netns(plugin, values)
        return _check_version_and_call(plugin, command, invocation, decoded, stderr, guard_stdout)
    if command == "CHECK":
        return _gated(plugin, command, "0.4.0", invocation, decoded, stderr, guard_stdout)
    if command in ("GC", "STATUS"):
        return _gated(plugin, command, "1.1.0", invocation, decoded, stderr, guard_stdout)
    raise CniError(ErrorCode.INVALID_ENVIRONMENT_VARIABLES, f"unknown CNI_COMMAND: {command}")


def _version(plugin: Plugin, stdin: bytes | IO[bytes]) -> bytes:
    # Only reached with version_echo_request: answer the requested version.
    requested = CURRENT
    try:
        decoded = loads(_read_stdin(stdin))
    except (CniError, GoDecodeError):
        decoded = None
    if isinstance(decoded, dict):
        value = decoded.get("cniVersion")
        if isinstance(value, str) and value:
            requested = value
    return version_reply(requested, plugin.supported_versions)


def _read_stdin(stdin: bytes | IO[bytes]) -> bytes:
    if isinstance(stdin, (bytes, bytearray, memoryview)):
        return bytes(stdin)
    try:
        data = stdin.read()
    except (OSError, ValueError) as exc:
        raise CniError(ErrorCode.IO_FAILURE, f"error reading from stdin: {exc}") from None
    return data if isinstance(data, bytes) else str(data).encode()


def _decode_as(decoded: object, key: str, gotype: str) -> str:
    """The string field ``key`` of an anonymous Go struct decoded from ``decoded``."""
    from cniskel._godecode import STRING, Field, Struct, unmarshal

    value: str = unmarshal(decoded, Struct("", gotype, [Field(key, STRING)]))[key]
    return value


_NAME_STRUCT = 'struct { Name string "json:\\"name\\"" }'
_VERSION_STRUCT = 'struct { CNIVersion string "json:\\"cniVersion\\"" }'


def _validate_config(data: bytes) -> object:
    prefix = "error unmarshall network config: "
    try:
        decoded = loads(data)
        name = _decode_as(decoded, "name", _NAME_STRUCT)
    except Exception as exc:  # a syntax error or a Go type error, worded like Go
        raise CniError(ErrorCode.DECODING_FAILURE, prefix + str(exc)) from None
    if not name:
        raise CniError(ErrorCode.INVALID_NETWORK_CONFIG, "missing network name")
    error = validate_network_name(name)
    if error is not None:
        raise error
    return decoded


def _config_version(decoded: object) -> str:
    """Go's ``version.ConfigDecoder``: the config's ``cniVersion``, ``""`` meaning 0.1.0."""
    try:
        value = _decode_as(decoded, "cniVersion", _VERSION_STRUCT)
    except Exception as exc:
        raise CniError(
            ErrorCode.DECODING_FAILURE, f"decoding version from network config: {exc}"
        ) from None
    return value or "0.1.0"


def _gated(
    plugin: Plugin,
    command: str,
    minimum: str,
    invocation: _Invocation,
    decoded: object,
    stderr: IO[bytes] | IO[str],
    guard_stdout: bool,
) -> bytes:
    config_version = _config_version(decoded)
    invocation.config_version = config_version
    try:
        if not greater_than_or_equal(config_version, minimum):
            raise CniError(
                ErrorCode.INCOMPATIBLE_CNI_VERSION, f"config version does not allow {command}"
            )
        for plugin_version in plugin.supported_versions:
            if greater_than_or_equal(plugin_version, config_version):
                return _check_version_and_call(
                    plugin, command, invocation, decoded, stderr, guard_stdout
                )
    except VersionError as exc:
        raise CniError(ErrorCode.DECODING_FAILURE, str(exc)) from None
    raise CniError(ErrorCode.INCOMPATIBLE_CNI_VERSION, f"plugin version does not allow {command}")


def _check_version_and_call(
    plugin: Plugin,
    command: str,
    invocation: _Invocation,
    decoded: object,
    stderr: IO[bytes] | IO[str],
    guard_stdout: bool,
) -> bytes:
    config_version = _config_version(decoded)
    invocation.config_version = config_version
    supported = list(plugin.supported_versions)
    if config_version not in supported:
        raise CniError(
            ErrorCode.INCOMPATIBLE_CNI_VERSION,
            "incompatible CNI versions",
            f"config is {go_quote(config_version)}, plugin supports {go_quote_list(supported)}",
        )
    method = _callback(plugin, command)
    if method is None:
        return b""
    ctx = _context(plugin, command, invocation, decoded, config_version, stderr)
    outcome = _call(method, ctx, stderr, guard_stdout)
    if command != "ADD" or outcome is None:
        return b""
    if isinstance(outcome, (bytes, bytearray)):
        return bytes(outcome)  # raw output: an escape hatch for test doubles
    from cniskel.result import Result, ResultError

    if not isinstance(outcome, Result):
        raise CniError(
            ErrorCode.INTERNAL, f"add() returned {type(outcome).__name__}, not cniskel.Result"
        )
    try:
        return outcome.to_json(config_version)
    except ResultError as exc:
        raise CniError(ErrorCode.INTERNAL, str(exc)) from None


def _callback(plugin: Plugin, command: str) -> Callable[[Context], object] | None:
    name = {"ADD": "add", "DEL": "delete", "CHECK": "check", "GC": "gc", "STATUS": "status"}[
        command
    ]
    if getattr(getattr(type(plugin), name, None), "_cniskel_default_verb", False):
        return None  # not overridden: the reference's nil callback
    method: Callable[[Context], object] = getattr(plugin, name)
    return method


def _context(
    plugin: Plugin,
    command: str,
    invocation: _Invocation,
    decoded: object,
    version: str,
    stderr: IO[bytes] | IO[str],
) -> Context:
    from cniskel.args import ArgsError, CniArgs
    from cniskel.context import Context
    from cniskel.netconf import NetConf

    raw = decoded if isinstance(decoded, dict) else {}
    if plugin.parse_config:
        config_class = plugin.config_class or NetConf
        config = config_class.from_dict(raw)
        if plugin.unknown_config_keys != "ignore":
            from cniskel.keycheck import check_keys

            check_keys(
                raw,
                config_class.known_keys(),
                mode=plugin.unknown_config_keys,
                fold=config_class.case_insensitive_keys,
                stderr=stderr,
            )
    else:
        config = NetConf.skeleton(raw)
    env = invocation.env
    args = CniArgs(env["CNI_ARGS"])
    if plugin.args_class is not None:
        try:
            args.typed = plugin.args_class.load(args.raw)
        except ArgsError as exc:
            raise CniError(ErrorCode.INVALID_ENVIRONMENT_VARIABLES, str(exc)) from None
    return Context(
        command=command,
        container_id=env["CNI_CONTAINERID"],
        netns=env["CNI_NETNS"],
        ifname=env["CNI_IFNAME"],
        args=args,
        path=env["CNI_PATH"],
        netns_override=env["CNI_NETNS_OVERRIDE"],
        stdin=invocation.stdin,
        config=config,
        cni_version=version,
        env={**invocation.environ, **env},
    )


def _call(
    method: Callable[[Context], object],
    ctx: Context,
    stderr: IO[bytes] | IO[str],
    guard_stdout: bool,
) -> object:
    saved = sys.stdout
    if guard_stdout:
        sys.stdout = sys.stderr
    try:
        return method(ctx)
    except CniError:
        raise
    except Exception as exc:
        # Reported as code 999 like the reference; the traceback goes to
        # stderr, which runtimes treat as free-form logging.
        import contextlib
        import traceback

        text = "".join(traceback.format_exception(exc))
        with contextlib.suppress(OSError):
            write(stderr, f"cniskel: unhandled error in {ctx.command}:\n{text}".encode())
        raise CniError(ErrorCode.INTERNAL, describe_exception(exc)) from None
    finally:
        if guard_stdout:
            sys.stdout = saved


def describe_exception(exc: BaseException) -> str:
    """``KeyError: 'sctp'``: the exception's type and text, for a code-999 message."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_netns(plugin: Plugin, values: dict[str, str]) -> None:
    override = values.get("CNI_NETNS_OVERRIDE", "")
    if not plugin.netns_check or override.upper() == "TRUE" or override == "1":
        return
    netns = values.get("CNI_NETNS", "")
    if not netns or not sys.platform.startswith("linux"):
        return
    try:
        target = os.stat(netns)
        own = os.stat("/proc/self/ns/net")
    except OSError:
        return  # cannot open CNI_NETNS (e.g. DEL after teardown): nothing to compare
    if (target.st_dev, target.st_ino) == (own.st_dev, own.st_ino):
        raise CniError(ErrorCode.INVALID_NETNS, _NETNS_SAME)
