"""The ``sdnoverlay`` CNI plugin: containers on a VXLAN overlay (HNS **Overlay** network).

A copy of the ``nat.py`` template with different answers (read that file first). Overlay
endpoints need a ``ProviderAddress`` endpoint policy naming the host's address, passed in
``AdditionalArgs``; the network itself usually carries a ``VSID`` subnet policy (the VXLAN
network identifier). See ``examples/configs/sdnoverlay.conf``.
"""

from __future__ import annotations

from winplugins.core import WindowsPlugin, run


class SdnOverlayPlugin(WindowsPlugin):
    """Overlay (VXLAN) networks; single stack."""

    config_types = ("sdnoverlay", "Overlay")
    network_types = ("Overlay",)
    dual_stack_network_types = ()
    about = "sdnoverlay: Windows CNI plugin for HNS Overlay networks (hcnpy example)"


def main() -> None:
    """The console-script entry point (``sdnoverlay`` / ``sdnoverlay.exe``)."""
    run(SdnOverlayPlugin)


if __name__ == "__main__":
    main()
