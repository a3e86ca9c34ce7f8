"""The ``nat`` CNI plugin: containers on an HNS **NAT** network (Docker's default on Windows).

This file is a template: copy it to make your own plugin. A plugin is a subclass of
:class:`winplugins.core.WindowsPlugin` that says three things, and a ``main`` function:

1. which ``"type"`` values in a network configuration it answers to;
2. which HNS network types it can put containers on;
3. (optionally) which of those allow ``optionalFlags.enableDualStack``.

Everything else (ADD, DEL, CHECK, GC, STATUS; IPAM delegation; port mappings; DNS; the
CNI result) is the shared core. The runtime finds this program by the configuration's
``type`` in its CNI bin directory; ``pip`` installs it there as ``nat`` (``nat.exe`` on
Windows) from the ``[project.scripts]`` table of ``examples/pyproject.toml``.

A minimal configuration (the network ``natNet`` must exist; see ``examples/README.md``)::

    {"cniVersion": "1.0.0", "name": "natNet", "type": "nat",
     "capabilities": {"portMappings": true}}
"""

from __future__ import annotations

from winplugins.core import WindowsPlugin, run


class NatPlugin(WindowsPlugin):
    """Containers behind the host's NAT; port mappings publish container ports."""

    # The reference accepts its binary name and the HNS type name ("nat" / "NAT");
    # names are compared case-insensitively, so one entry covers both.
    config_types = ("nat",)
    # The HNS network named by the configuration must be of this type, else code 7.
    network_types = ("NAT",)
    # No dual stack on NAT networks (leave the tuple empty).
    dual_stack_network_types = ()
    # Shown when the program is run by hand without CNI_COMMAND.
    about = "nat: Windows CNI plugin for HNS NAT networks (hcnpy example)"


def main() -> None:
    """The console-script entry point (``nat`` / ``nat.exe``)."""
    run(NatPlugin)


if __name__ == "__main__":
    main()
