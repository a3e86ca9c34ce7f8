"""Running other plugins: delegation from a plugin, execution from a runtime.

Mirrors Go's ``pkg/invoke``: :func:`find_in_path`, the ``delegate_*``
functions (inherited environment, ``CNI_COMMAND`` overridden, the raw
config on stdin), :func:`exec_plugin` with the reference's error extraction,
result-version fix-up and :func:`get_version_info`. Plugin failures raise
:class:`~cniskel.CniError` with the delegate's own code, so letting one escape
from a verb reports it unchanged.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from contextlib import contextmanager

from cniskel._gojson import GoDecodeError, go_quote, loads, marshal
from cniskel._version import CURRENT
from cniskel.errors import CniError
from cniskel.result import Result

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from typing import IO

ENV_KEYS = ("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_ARGS", "CNI_IFNAME", "CNI_PATH")
_TEXT_BUSY_RETRIES = 5
_SIGNAL_NAMES = {
    1: "hangup",
    2: "interrupt",
    6: "aborted",
    9: "killed",
    11: "segmentation fault",
    13: "broken pipe",
    15: "terminated",
}


class InvokeError(Exception):
    """A delegation failure that is not the plugin's own error (worded like Go)."""


def _is_windows(windows: bool | None) -> bool:
    return sys.platform == "win32" if windows is None else windows


def split_path_list(value: str, *, windows: bool | None = None) -> list[str]:
    """Split ``CNI_PATH``: ``;`` on Windows, ``:`` elsewhere; ``""`` is empty."""
    if not value:
        return []
    return value.split(";" if _is_windows(windows) else ":")


def find_in_path(plugin: str, paths: Sequence[str], *, windows: bool | None = None) -> str:
    """The first regular file ``<dir>/<plugin>`` (``.exe`` tried first on Windows)."""
    win = _is_windows(windows)
    if plugin == "":
        raise InvokeError("no plugin name provided")
    separators = ("\\", "/") if win else ("/",)
    if any(sep in plugin for sep in separators):
        raise InvokeError(f"invalid plugin name: {plugin}")
    if not paths:
        raise InvokeError("no paths provided")
    extensions = (".exe", "") if win else ("",)
    for directory in paths:
        for ext in extensions:
            candidate = os.path.join(directory, plugin) + ext
            if os.path.isfile(candidate):
                # Absolute, so that running it runs this file: a bare name found through
                # an empty CNI_PATH entry would otherwise be looked up in PATH.
                return os.path.abspath(candidate)
    raise InvokeError(f"failed to find plugin {go_quote(plugin)} in path [{' '.join(paths)}]")


def args_env(
    command: str,
    *,
    container_id: str = "",
    netns: str = "",
    ifname: str = "",
    args: Sequence[tuple[str, str]] | str = "",
    path: str = "",
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A runtime's plugin environment (Go ``Args.AsEnv``): ``base`` plus all six ``CNI_*``."""
    env = dict(os.environ if base is None else base)
    args_text = args if isinstance(args, str) else ";".join(f"{k}={v}" for k, v in args)
    env.update(
        CNI_COMMAND=command,
        CNI_CONTAINERID=container_id,
        CNI_NETNS=netns,
        CNI_ARGS=args_text,
        CNI_IFNAME=ifname,
        CNI_PATH=path,
    )
    return env


def _exit_text(returncode: int) -> str:
    if returncode < 0:
        return f"signal: {_SIGNAL_NAMES.get(-returncode, f'signal {-returncode}')}"
    return f"exit status {returncode}"


def plugin_error(returncode: int, stdout: bytes, stderr: bytes) -> CniError:
    """The error a failed plugin reported (Go ``pluginErr``)."""
    exit_text = _exit_text(returncode)
    if not stdout:
        if not stderr:
            return CniError(0, f"netplugin failed with no error message: {exit_text}")
        text = stderr.decode("utf-8", "replace")
        return CniError(0, f"netplugin failed: {go_quote(text)}: {exit_text}")
    text = stdout.decode("utf-8", "replace")
    try:
        decoded = loads(stdout)
    except GoDecodeError as exc:
        return CniError(
            0, f"netplugin failed but error parsing its diagnostic message {go_quote(text)}: {exc}"
        )
    if decoded is None:
        return CniError(0, "")
    if not isinstance(decoded, dict):
        kind = {list: "array", str: "string", bool: "bool"}.get(type(decoded), "number")
        detail = f"json: cannot unmarshal {kind} into Go value of type types.Error"
        return CniError(
            0,
            f"netplugin failed but error parsing its diagnostic message {go_quote(text)}: {detail}",
        )
    return CniError.from_dict(decoded)


def exec_plugin(
    path: str,
    stdin: bytes,
    env: Mapping[str, str],
    *,
    stderr: IO[bytes] | IO[str] | None = None,
    timeout: float | None = None,
    show_failure_stderr: bool = False,
    pass_fds: Sequence[int] = (),
) -> bytes:
    """Run a plugin binary; return stdout or raise the :class:`CniError` it reported.

    Retries on "text file busy" like the reference; on success the plugin's
    stderr is copied to ``stderr`` (default: this process's stderr), and on
    failure too when ``show_failure_stderr`` (the runtime tool's ``--verbose``).
    ``pass_fds``: descriptors the plugin inherits (POSIX only), e.g. a lock file
    that must stay held until the delegate exits even if the caller is killed.
    """
    for attempt in range(_TEXT_BUSY_RETRIES + 1):
        try:
            proc = subprocess.run(
                [path],
                input=stdin,
                env=dict(env),
                capture_output=True,
                timeout=timeout,
                check=False,
                pass_fds=tuple(pass_fds) if os.name == "posix" else (),
            )
            break
        except OSError as exc:
            if exc.errno == errno.ETXTBSY and attempt < _TEXT_BUSY_RETRIES:
                time.sleep(1)
                continue
            raise InvokeError(f"fork/exec {path}: {exc.strerror}") from None
    if proc.stderr and (proc.returncode == 0 or show_failure_stderr):
        from cniskel._reply import write

        write(stderr if stderr is not None else sys.stderr.buffer, proc.stderr)
    if proc.returncode != 0:
        raise plugin_error(proc.returncode, proc.stdout, proc.stderr)
    return proc.stdout


def _as_bytes(netconf: bytes | Mapping[str, object]) -> bytes:
    return netconf if isinstance(netconf, bytes) else marshal(dict(netconf))


def fixup_result_version(netconf: bytes, output: bytes) -> tuple[str, dict[str, object]]:
    """Go's ``fixupResultVersion``: a result without ``cniVersion`` takes the config's."""
    try:
        conf = loads(netconf)
    except GoDecodeError as exc:
        raise InvokeError(f"decoding version from network config: {exc}") from None
    conf_version = conf.get("cniVersion") if isinstance(conf, dict) else None
    if not isinstance(conf_version, str) or not conf_version:
        conf_version = "0.1.0"
    try:
        raw = loads(output)
    except GoDecodeError as exc:
        raise InvokeError(f"failed to unmarshal raw result: {exc}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvokeError("failed to unmarshal raw result: not a JSON object")
    version = raw.get("cniVersion")
    if version is None or version == "":
        raw["cniVersion"] = conf_version
        return conf_version, raw
    if not isinstance(version, str):
        raise InvokeError(f"failed to convert result version {version} to string")
    return version, raw


def exec_plugin_with_result(
    path: str,
    netconf: bytes | Mapping[str, object],
    env: Mapping[str, str],
    *,
    verbose: bool = False,
    stderr: IO[bytes] | IO[str] | None = None,
    pass_fds: Sequence[int] = (),
) -> Result:
    """Run a plugin and decode its result with the reference's version fix-up.

    ``verbose``: the plugin's stderr is shown even when it fails.
    """
    conf = _as_bytes(netconf)
    output = exec_plugin(
        path, conf, env, show_failure_stderr=verbose, stderr=stderr, pass_fds=pass_fds
    )
    version, raw = fixup_result_version(conf, output)
    return Result.from_dict(raw, version)


def exec_plugin_without_result(
    path: str,
    netconf: bytes | Mapping[str, object],
    env: Mapping[str, str],
    *,
    verbose: bool = False,
    stderr: IO[bytes] | IO[str] | None = None,
    pass_fds: Sequence[int] = (),
) -> None:
    """Run a plugin whose output is ignored (CHECK, DEL, GC, STATUS)."""
    conf = _as_bytes(netconf)
    exec_plugin(path, conf, env, show_failure_stderr=verbose, stderr=stderr, pass_fds=pass_fds)


def _delegate_env(command: str, env: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(os.environ if env is None else env)
    merged["CNI_COMMAND"] = command
    return merged


def _delegate_path(plugin: str, env: Mapping[str, str]) -> str:
    return find_in_path(plugin, split_path_list(env.get("CNI_PATH", "")))


def delegate_add(
    plugin: str,
    netconf: bytes | Mapping[str, object],
    env: Mapping[str, str] | None = None,
    *,
    pass_fds: Sequence[int] = (),
) -> Result:
    """ADD via the plugin named ``plugin`` found in ``CNI_PATH``; returns its result.

    ``env`` defaults to this process's environment (pass ``ctx.env`` from a verb);
    ``netconf`` is normally ``ctx.stdin``, the complete config; ``pass_fds`` are
    descriptors the delegate inherits (see :func:`exec_plugin`).
    """
    full_env = _delegate_env("ADD", env)
    path = _delegate_path(plugin, full_env)
    return exec_plugin_with_result(path, netconf, full_env, pass_fds=pass_fds)


def _delegate(
    command: str,
    plugin: str,
    netconf: bytes | Mapping[str, object],
    env: Mapping[str, str] | None,
    pass_fds: Sequence[int] = (),
) -> None:
    full_env = _delegate_env(command, env)
    path = _delegate_path(plugin, full_env)
    exec_plugin_without_result(path, netconf, full_env, pass_fds=pass_fds)


def delegate_check(
    plugin: str, netconf: bytes | Mapping[str, object], env: Mapping[str, str] | None = None
) -> None:
    """CHECK via a delegate (raises its :class:`CniError`)."""
    _delegate("CHECK", plugin, netconf, env)


def delegate_del(
    plugin: str,
    netconf: bytes | Mapping[str, object],
    env: Mapping[str, str] | None = None,
    *,
    pass_fds: Sequence[int] = (),
) -> None:
    """DEL via a delegate (raises its :class:`CniError`); ``pass_fds`` as for ADD."""
    _delegate("DEL", plugin, netconf, env, pass_fds)


def delegate_gc(
    plugin: str, netconf: bytes | Mapping[str, object], env: Mapping[str, str] | None = None
) -> None:
    """GC via a delegate (raises its :class:`CniError`)."""
    _delegate("GC", plugin, netconf, env)


def delegate_status(
    plugin: str, netconf: bytes | Mapping[str, object], env: Mapping[str, str] | None = None
) -> None:
    """STATUS via a delegate (raises its :class:`CniError`)."""
    _delegate("STATUS", plugin, netconf, env)


@contextmanager
def del_on_failure(
    plugin: str, netconf: bytes | Mapping[str, object], env: Mapping[str, str] | None = None
) -> Iterator[None]:
    """DEL the delegate ``plugin`` if the ``with`` block raises, then re-raise.

    Use it around the ADD steps that follow a successful :func:`delegate_add`,
    as the spec asks of a plugin whose ADD fails after delegating.
    """
    try:
        yield
    except BaseException:
        try:
            delegate_del(plugin, netconf, env)
        except Exception as exc:  # the original error is what the runtime needs
            from cniskel.log import get_logger

            get_logger("invoke").warning("DEL of delegate %s after a failed ADD: %s", plugin, exc)
        raise


@contextmanager
def delegated_add(
    plugin: str, netconf: bytes | Mapping[str, object], env: Mapping[str, str] | None = None
) -> Iterator[Result]:
    """ADD via a delegate and yield its result; DEL it if the block then raises."""
    result = delegate_add(plugin, netconf, env)
    with del_on_failure(plugin, netconf, env):
        yield result


class PluginInfo:
    """A VERSION answer: ``cni_version`` and ``supported_versions``."""

    def __init__(self, cni_version: str, supported_versions: Sequence[str]) -> None:
        self.cni_version = cni_version
        self.supported_versions = list(supported_versions)

    def to_dict(self) -> dict[str, object]:
        """The JSON object (``supportedVersions`` left out when empty, as Go does)."""
        out: dict[str, object] = {"cniVersion": self.cni_version}
        if self.supported_versions:
            out["supportedVersions"] = self.supported_versions
        return out

    def __repr__(self) -> str:
        return f"PluginInfo({self.cni_version!r}, {self.supported_versions!r})"


def decode_plugin_info(data: bytes) -> PluginInfo:
    """Go's ``PluginDecoder.Decode`` (keys match like Go's decoder, ``CNIVersion`` too).

    A 0.2.0 plugin that lists no versions supports 0.1.0 and 0.2.0; like Go, the
    answer then carries this library's own version (:data:`cniskel._version.CURRENT`).
    """
    from cniskel._godecode import STRING, Field, Slice, Struct, unmarshal

    schema = Struct(
        "pluginInfo",
        "version.pluginInfo",
        [Field("cniVersion", STRING), Field("supportedVersions", Slice(STRING, "[]string"))],
    )
    try:
        info = unmarshal(loads(data), schema)
    except GoDecodeError as exc:
        raise InvokeError(f"decoding version info: {exc}") from None
    except Exception as exc:  # a Go type error
        raise InvokeError(f"decoding version info: {exc}") from None
    cni_version = info["cniVersion"]
    if not cni_version:
        raise InvokeError("decoding version info: missing field cniVersion")
    supported = info["supportedVersions"]
    if not supported:
        if cni_version == "0.2.0":
            return PluginInfo(CURRENT, ["0.1.0", "0.2.0"])
        raise InvokeError("decoding version info: missing field supportedVersions")
    return PluginInfo(cni_version, supported)


def get_version_info(path: str, env: Mapping[str, str] | None = None) -> PluginInfo:
    """Probe a plugin's versions like libcni's ``GetVersionInfo``."""
    probe_env = args_env("VERSION", netns="dummy", ifname="dummy", path="dummy", base=env)
    stdin = f'{{"cniVersion":"{CURRENT}"}}'.encode()
    try:
        output = exec_plugin(path, stdin, probe_env)
    except CniError as exc:
        if str(exc) == "unknown CNI_COMMAND: VERSION":
            return PluginInfo("0.1.0", ["0.1.0"])
        raise
    return decode_plugin_info(output)
