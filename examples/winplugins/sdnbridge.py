"""The ``sdnbridge`` CNI plugin: containers bridged onto the host's network (HNS **L2Bridge**).

A copy of the ``nat.py`` template with different answers (read that file first). L2Bridge
endpoints get addresses from the node's pod subnet, usually through an IPAM plugin
(``"ipam": {"type": "host-local", ...}``), and reach other nodes through the physical
network; ``optionalFlags.forceBridgeGateway`` gives them the ``.2`` gateway flannel's
host-gw mode expects. L2Tunnel networks (everything forwarded to the host's switch) are
accepted too, and dual stack is available on L2Bridge.
"""

from __future__ import annotations

from winplugins.core import WindowsPlugin, run


class SdnBridgePlugin(WindowsPlugin):
    """L2Bridge / L2Tunnel networks; dual stack on L2Bridge."""

    # "l2bridge"/"l2tunnel" are what the reference's own example files say (they predate
    # the "sdnbridge" name), so those files work unchanged with this program.
    config_types = ("sdnbridge", "L2Bridge", "L2Tunnel")
    network_types = ("L2Bridge", "L2Tunnel")
    dual_stack_network_types = ("L2Bridge",)
    about = "sdnbridge: Windows CNI plugin for HNS L2Bridge/L2Tunnel networks (hcnpy example)"


def main() -> None:
    """The console-script entry point (``sdnbridge`` / ``sdnbridge.exe``)."""
    run(SdnBridgePlugin)


if __name__ == "__main__":
    main()
