"""ACL settings: endpoint ``ACL``, network ``NetworkACL`` and endpoint ``TierAcl``.

Protocols, ports and addresses are comma-separated strings on the wire (``"6,17"``,
``"80,8000-8080"``); the constructors also take ints and sequences and join them.
"""

import attrs

from .._base import Model, StrWireEnum, csv_string, opt, seq, wire
from .base import PolicySetting

__all__ = [
    "AclPolicySetting",
    "ActionType",
    "DirectionType",
    "NetworkACLPolicySetting",
    "RuleType",
    "TierAclPolicySetting",
    "TierAclRule",
]


class ActionType(StrWireEnum):
    """What an ACL rule does with matching traffic (``PASS`` is for tier ACLs, schema 2.10)."""

    ALLOW = "Allow"
    BLOCK = "Block"
    PASS = "Pass"


class DirectionType(StrWireEnum):
    """Traffic direction, seen from the endpoint."""

    IN = "In"
    OUT = "Out"


class RuleType(StrWireEnum):
    """Where an ACL is enforced: ``HOST`` (WFP) or ``SWITCH`` (VFP)."""

    HOST = "Host"
    SWITCH = "Switch"


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class _CommonAclPolicySetting(PolicySetting):
    protocols: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("Protocols", csv=True, check="protocols")
    )
    action: ActionType | str = attrs.field(
        metadata=wire("Action", omit=False, missing=ActionType.ALLOW)
    )
    direction: DirectionType | str = attrs.field(
        metadata=wire("Direction", omit=False, missing=DirectionType.IN)
    )
    local_addresses: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("LocalAddresses", csv=True)
    )
    remote_addresses: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("RemoteAddresses", csv=True)
    )
    local_ports: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("LocalPorts", csv=True, check="ports")
    )
    remote_ports: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("RemotePorts", csv=True, check="ports")
    )
    rule_type: RuleType | str | None = opt("RuleType")
    priority: int | None = opt("Priority", uint=16)
    id: str | None = opt("Id")


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class AclPolicySetting(_CommonAclPolicySetting):
    """``ACL`` (endpoint). ``action`` and ``direction`` are required and always sent.

    Addresses may name IP-set ids as well as IPs/prefixes, so they are not format-checked.
    """


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class NetworkACLPolicySetting(_CommonAclPolicySetting):
    """``NetworkACL`` (network); the same fields as :class:`AclPolicySetting`."""


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class TierAclRule(Model):
    """One rule of a :class:`TierAclPolicySetting`; ``tier_acl_rule_action`` is always sent."""

    id: str | None = opt("Id")
    protocols: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("Protocols", csv=True, check="protocols")
    )
    tier_acl_rule_action: ActionType | str = attrs.field(
        metadata=wire("TierAclRuleAction", omit=False, missing=ActionType.ALLOW)
    )
    local_addresses: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("LocalAddresses", csv=True)
    )
    remote_addresses: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("RemoteAddresses", csv=True)
    )
    local_ports: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("LocalPorts", csv=True, check="ports")
    )
    remote_ports: str | None = attrs.field(
        default=None, converter=csv_string, metadata=wire("RemotePorts", csv=True, check="ports")
    )
    priority: int | None = opt("Priority", uint=16)


@attrs.frozen(kw_only=True, slots=False, repr=False, eq=False)
class TierAclPolicySetting(PolicySetting):
    """``TierAcl`` (endpoint, HNS 14.0+): an ordered tier of rules; name/direction/order sent."""

    name: str = attrs.field(metadata=wire("Name", omit=False, missing=""))
    direction: DirectionType | str = attrs.field(
        metadata=wire("Direction", omit=False, missing=DirectionType.IN)
    )
    order: int = attrs.field(metadata=wire("Order", omit=False, missing=0, uint=16))
    tier_acl_rules: tuple[TierAclRule, ...] = seq("TierAclRules")
