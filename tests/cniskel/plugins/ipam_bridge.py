"""A test plugin delegating IPAM like the reference's main plugins do.

It ADDs via ``ipam.type`` and builds an interface around the IPAM result; a
config key ``failAfterIpam`` makes ADD fail after the delegate succeeded, to
exercise the DEL-on-failure helper. CHECK, DEL, GC and STATUS are delegated.
"""

from __future__ import annotations

import cniskel
from cniskel import invoke


class IpamBridgeConf(cniskel.NetConf):
    fail_after_ipam: bool = False


class IpamBridge(cniskel.Plugin):
    about = "cniskel test ipam-bridge"
    config_class = IpamBridgeConf

    def _ipam(self, ctx: cniskel.Context) -> str:
        conf = ctx.config_as(IpamBridgeConf)
        if conf.ipam is None or not conf.ipam.type:
            raise cniskel.CniError(cniskel.ErrorCode.INVALID_NETWORK_CONFIG, "missing ipam.type")
        return conf.ipam.type

    def add(self, ctx: cniskel.Context) -> cniskel.Result:
        ipam_type = self._ipam(ctx)
        with invoke.delegated_add(ipam_type, ctx.stdin, ctx.env) as ipam:
            if ctx.config_as(IpamBridgeConf).fail_after_ipam:
                raise cniskel.CniError(cniskel.ErrorCode.TRY_AGAIN_LATER, "failing after IPAM")
            result = ipam.copy()
            result.interfaces = [
                cniskel.Interface(ctx.ifname, "0a:58:0a:00:00:01", 1500, ctx.netns)
            ]
            for ip in result.ips:
                ip.interface = 0
            return result

    def check(self, ctx: cniskel.Context) -> None:
        if ctx.prev_result is None:
            raise cniskel.CniError(cniskel.ErrorCode.INVALID_NETWORK_CONFIG, "missing prevResult")
        invoke.delegate_check(self._ipam(ctx), ctx.stdin, ctx.env)

    def delete(self, ctx: cniskel.Context) -> None:
        invoke.delegate_del(self._ipam(ctx), ctx.stdin, ctx.env)

    def gc(self, ctx: cniskel.Context) -> None:
        invoke.delegate_gc(self._ipam(ctx), ctx.stdin, ctx.env)

    def status(self, ctx: cniskel.Context) -> None:
        invoke.delegate_status(self._ipam(ctx), ctx.stdin, ctx.env)


def main() -> None:
    IpamBridge.main()


if __name__ == "__main__":
    main()
