"""cniskel: the CNI plugin skeleton for spec 0.1.0 to 1.1.0.

Public names are loaded on first access (PEP 562) so that a plugin answering
VERSION imports almost nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cniskel import invoke, log, runtime, testing
    from cniskel.args import ArgsSpec, CniArgs, CommonArgs, K8sArgs
    from cniskel.codes import ErrorCode
    from cniskel.context import Context
    from cniskel.errors import CniError
    from cniskel.model import Model, field
    from cniskel.netconf import (
        DNSConf,
        GCAttachment,
        IPAMConf,
        NetConf,
        PortMapping,
        RuntimeConfig,
    )
    from cniskel.plugin import Plugin
    from cniskel.result import DNS, Interface, IPConfig, Result, Route

__all__ = [
    "DNS",
    "ArgsSpec",
    "CniArgs",
    "CniError",
    "CommonArgs",
    "Context",
    "DNSConf",
    "ErrorCode",
    "GCAttachment",
    "IPAMConf",
    "IPConfig",
    "Interface",
    "K8sArgs",
    "Model",
    "NetConf",
    "Plugin",
    "PortMapping",
    "Result",
    "Route",
    "RuntimeConfig",
    "field",
    "invoke",
    "log",
    "runtime",
    "testing",
]

_WHERE = {
    "Plugin": "cniskel.plugin",
    "Context": "cniskel.context",
    "CniError": "cniskel.errors",
    "ErrorCode": "cniskel.codes",
    "Result": "cniskel.result",
    "Interface": "cniskel.result",
    "IPConfig": "cniskel.result",
    "Route": "cniskel.result",
    "DNS": "cniskel.result",
    "NetConf": "cniskel.netconf",
    "IPAMConf": "cniskel.netconf",
    "DNSConf": "cniskel.netconf",
    "RuntimeConfig": "cniskel.netconf",
    "PortMapping": "cniskel.netconf",
    "GCAttachment": "cniskel.netconf",
    "Model": "cniskel.model",
    "field": "cniskel.model",
    "ArgsSpec": "cniskel.args",
    "CniArgs": "cniskel.args",
    "CommonArgs": "cniskel.args",
    "K8sArgs": "cniskel.args",
}
_MODULES = frozenset(("invoke", "log", "runtime", "testing"))


def _load(module: str) -> object:
    # __import__ rather than importlib: importing importlib costs start-up time.
    __import__(module)
    import sys

    return sys.modules[module]


def __getattr__(name: str) -> object:
    if name in _MODULES:
        return _load(f"cniskel.{name}")
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'cniskel' has no attribute {name!r}")
    value = getattr(_load(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
