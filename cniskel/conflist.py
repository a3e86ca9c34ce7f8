"""Network configuration lists as a runtime loads them (libcni ``conf.go``)."""

from __future__ import annotations

import os

from cniskel._gojson import GoDecodeError, loads
from cniskel._version import CURRENT, VersionError, greater_than, parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


class ConfigError(ValueError):
    """A configuration file or list libcni would refuse (worded like libcni)."""


class PluginConfig:
    """One plugin object of a list: its ``type``, ``name`` and raw JSON."""

    def __init__(self, raw: dict[str, object]) -> None:
        self.raw = raw
        plugin_type = raw.get("type")
        self.type = plugin_type if isinstance(plugin_type, str) else ""
        name = raw.get("name")
        self.name = name if isinstance(name, str) else ""
        caps = raw.get("capabilities")
        self.capabilities: dict[str, bool] = (
            {k: v for k, v in caps.items() if v is True} if isinstance(caps, dict) else {}
        )

    def describe(self) -> str:
        """libcni's ``pluginDescription``: ``type="x"`` plus ``name="y"`` when named."""
        text = f'type="{self.type}"'
        return f'{text} name="{self.name}"' if self.name else text


class NetworkConfigList:
    """A loaded ``.conflist`` (or an up-converted legacy ``.conf``)."""

    def __init__(
        self,
        *,
        name: str,
        cni_version: str,
        plugins: list[PluginConfig],
        raw: dict[str, object],
        data: bytes,
        disable_check: bool = False,
        disable_gc: bool = False,
        load_only_inlined_plugins: bool = False,
    ) -> None:
        self.name = name
        self.cni_version = cni_version
        self.plugins = plugins
        self.raw = raw
        self.bytes = data
        self.disable_check = disable_check
        self.disable_gc = disable_gc
        self.load_only_inlined_plugins = load_only_inlined_plugins


def _bool_key(raw: dict[str, object], key: str) -> bool:
    value = raw.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, str):
        raise ConfigError(f"error parsing configuration list: invalid {key} value {value!r}")
    raise ConfigError(
        f"error parsing configuration list: invalid {key} type {type(value).__name__}"
    )


def _negotiate(raw: dict[str, object], cni_version: str) -> str:
    versions = raw.get("cniVersions")
    if versions is None:
        return cni_version
    if not isinstance(versions, list):
        raise ConfigError("error parsing configuration list: invalid type for cniVersions")
    usable: list[str] = []
    try:
        for index, value in enumerate(versions):
            if not isinstance(value, str):
                raise ConfigError(
                    f"error parsing configuration list: invalid type for cniVersions index {index}"
                )
            if not greater_than(value, CURRENT):
                usable.append(value)
        if cni_version and not greater_than(cni_version, CURRENT):
            usable.append(cni_version)
        usable.sort(key=parse_version)
    except VersionError as exc:
        raise ConfigError(f"error parsing configuration list: {exc}") from None
    return usable[-1] if usable else cni_version


def _check_numbers(value: object, where: str) -> None:
    """Refuse numbers no plugin can be handed: beyond float64 (``1e400``, 400 digits).

    libcni re-encodes every config through Go's float64, which rejects them; writing
    them on would mean ``Infinity`` (not JSON) or a number Go plugins cannot read.
    """
    if isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_numbers(item, f"{where}[{index}]")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        from cniskel._godecode import float64
        from cniskel._gojson import number_literal

        if float64(value) is None:
            literal = number_literal(value)
            shown = literal if len(literal) <= 40 else f"{literal[:20]}...({len(literal)} digits)"
            raise ConfigError(f"the number {shown} at {where or 'the top level'} is out of range")


def conflist_from_bytes(data: bytes, *, require_plugins: bool = True) -> NetworkConfigList:
    """Parse a configuration list (libcni ``NetworkConfFromBytes``)."""
    try:
        raw = loads(data)
    except GoDecodeError as exc:
        raise ConfigError(f"error parsing configuration list: {exc}") from None
    _check_numbers(raw, "")
    if not isinstance(raw, dict):
        raise ConfigError("error parsing configuration list: not a JSON object")
    name = raw.get("name")
    if not isinstance(name, str):
        raise ConfigError("error parsing configuration list: no name")
    version = raw.get("cniVersion", "")
    if not isinstance(version, str):
        raise ConfigError("error parsing configuration list: invalid cniVersion type")
    version = _negotiate(raw, version)
    plugins_raw = raw.get("plugins")
    if plugins_raw is None and not require_plugins:
        plugins_raw = []
    if not isinstance(plugins_raw, list):
        raise ConfigError("error parsing configuration list: invalid 'plugins' type")
    if not plugins_raw and require_plugins:
        raise ConfigError("error parsing configuration list: no plugins in list")
    plugins = [_plugin(item, index) for index, item in enumerate(plugins_raw)]
    return NetworkConfigList(
        name=name,
        cni_version=version,
        plugins=plugins,
        raw=raw,
        data=data,
        disable_check=_bool_key(raw, "disableCheck"),
        disable_gc=_bool_key(raw, "disableGC"),
        load_only_inlined_plugins=_bool_key(raw, "loadOnlyInlinedPlugins"),
    )


def _plugin(item: object, index: int) -> PluginConfig:
    if not isinstance(item, dict):
        raise ConfigError(f"failed to parse plugin config {index}: not a JSON object")
    plugin = PluginConfig(item)
    if not plugin.type:
        raise ConfigError(f"failed to parse plugin config {index}: missing 'type'")
    return plugin


def conflist_from_conf(data: bytes) -> NetworkConfigList:
    """Up-convert a legacy single-plugin config (libcni ``ConfListFromConf``)."""
    try:
        raw = loads(data)
    except GoDecodeError as exc:
        raise ConfigError(f"error parsing configuration: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError("error parsing configuration: not a JSON object")
    if not isinstance(raw.get("type"), str) or not raw["type"]:
        raise ConfigError("error parsing configuration: missing 'type'")
    name = raw.get("name")
    version = raw.get("cniVersion", "")
    listed: dict[str, object] = {
        "cniVersion": version if isinstance(version, str) else "",
        "name": name if isinstance(name, str) else "",
        "plugins": [raw],
    }
    from cniskel._gojson import marshal

    return conflist_from_bytes(marshal(listed))


def conf_files(directory: str, extensions: Sequence[str]) -> list[str]:
    """Sorted files in ``directory`` with one of ``extensions`` (missing dir: none)."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(
        os.path.join(directory, n)
        for n in names
        if os.path.splitext(n)[1] in extensions and os.path.isfile(os.path.join(directory, n))
    )


def conflist_from_file(path: str) -> NetworkConfigList:
    """Load a ``.conflist`` plus plugin objects from ``<dir>/<name>/*.conf``.

    Every error names the file.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        return _conflist_from_file(path, data)
    except ConfigError as exc:
        if path in str(exc):
            raise
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _conflist_from_file(path: str, data: bytes) -> NetworkConfigList:
    conflist = conflist_from_bytes(data, require_plugins=False)
    if not conflist.load_only_inlined_plugins:
        extra_dir = os.path.join(os.path.dirname(path), conflist.name)
        for extra in conf_files(extra_dir, (".conf",)):
            with open(extra, "rb") as handle:
                try:
                    item = loads(handle.read())
                except GoDecodeError as exc:
                    raise ConfigError(f"failed to load plugin config {extra}: {exc}") from None
            try:
                _check_numbers(item, "")
            except ConfigError as exc:
                raise ConfigError(f"failed to load plugin config {extra}: {exc}") from None
            conflist.plugins.append(_plugin(item, len(conflist.plugins)))
    if not conflist.plugins:
        raise ConfigError(f"no plugin configs found in {path}")
    return conflist


def load_conflist(directory: str, name: str) -> NetworkConfigList:
    """Find network ``name`` in ``directory``: ``.conflist`` first, then legacy configs."""
    lists = conf_files(directory, (".conflist",))
    for path in lists:
        conflist = conflist_from_file(path)
        if conflist.name == name:
            return conflist
    singles = conf_files(directory, (".conf", ".json"))
    if not singles:
        if lists:
            raise ConfigError(f'no net configuration with name "{name}" in {directory}')
        raise ConfigError(f"no net configurations found in {directory}")
    for path in singles:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            raw = loads(data)
        except GoDecodeError as exc:
            raise ConfigError(f"error parsing {path}: {exc}") from None
        if isinstance(raw, dict) and raw.get("name") == name:
            try:
                return conflist_from_conf(data)
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from None
    raise ConfigError(f'no net configuration with name "{name}" in {directory}')
