"""The cniskel twin of tests/go/refplugin: same verbs, same declarations.

Run as a module (``python -m tests.cniskel.differential.twin``) it is a CNI plugin
process; the differential tests also drive it in-process through ``dispatch``.
"""

from __future__ import annotations

from cniskel.args import CommonArgs, NetIP
from cniskel.context import Context
from cniskel.netconf import NetConf
from cniskel.plugin import Plugin
from cniskel.result import Interface, IPConfig, Result

#: Go's version.All in Debian's libcni 1.1.2.
GO_ALL = ("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0")


class TwinConf(NetConf):
    case_insensitive_keys = True
    bridge: str = ""
    mtu: int = 0


class TwinArgs(CommonArgs):
    IP: NetIP = NetIP()
    K8S_POD_NAME: str = ""
    K8S_POD_NAMESPACE: str = ""


class Twin(Plugin):
    supported_versions = GO_ALL
    about = "reference twin plugin"
    config_class = TwinConf
    args_class = TwinArgs
    unknown_config_keys = "ignore"  # Go is silent about undeclared keys
    netns_check = False  # libcni 1.1.2 has no netns check

    def add(self, ctx: Context) -> Result:
        prev = ctx.prev_result
        if prev is not None:
            return prev
        result = Result("1.0.0", interfaces=[Interface(ctx.ifname, sandbox=ctx.netns)])
        address = ctx.args_as(TwinArgs).IP.address
        if address is not None:
            bits = 32 if address.version == 4 else 128
            result.ips.append(IPConfig(f"{address}/{bits}", interface=0))
        return result

    def check(self, ctx: Context) -> None:
        _ = ctx.prev_result

    def delete(self, ctx: Context) -> None:
        _ = ctx.prev_result


def main() -> None:
    Twin.main()


if __name__ == "__main__":
    main()
