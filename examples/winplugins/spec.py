"""What a concrete plugin declares: the configuration types it answers to and the HNS network
types it drives (a leaf: the verbs in ``flows.py`` read it, ``core.py`` fills it in)."""

from __future__ import annotations

__all__ = ["Declarations"]


class Declarations:
    """A plugin's declarations (see :class:`winplugins.core.WindowsPlugin`)."""

    __slots__ = ("config_types", "dual_stack_network_types", "network_types", "unknown_keys")

    def __init__(
        self,
        config_types: tuple[str, ...],
        network_types: tuple[str, ...],
        dual_stack_network_types: tuple[str, ...] = (),
        unknown_keys: str = "warn",
    ) -> None:
        #: Configuration ``type`` values answered to (compared case-insensitively).
        self.config_types = config_types
        #: HNS network types (the network's ``Type``) containers may be attached to.
        self.network_types = network_types
        #: Network types on which ``optionalFlags.enableDualStack`` is allowed.
        self.dual_stack_network_types = dual_stack_network_types
        #: Unknown configuration keys: ``"warn"``, ``"error"`` (code 7) or ``"ignore"``.
        self.unknown_keys = unknown_keys

    @property
    def name(self) -> str:
        """The plugin's name in messages: its first configuration type."""
        return self.config_types[0] if self.config_types else "plugin"

    def __repr__(self) -> str:
        return f"Declarations({self.config_types!r}, {self.network_types!r})"
