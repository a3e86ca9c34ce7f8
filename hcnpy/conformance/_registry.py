"""Scenarios and where they are registered: one per checkable rule of the behaviour table.

A scenario is two functions. ``expect(x)`` computes the expected parts from the rule alone
(its ``hresult``, its ``params``, the HNS version for gated rules) and may raise
:class:`NotApplicable`; ``observe(probe)`` makes the calls and returns the observed parts
under the same labels. Expectations never read hcnpy's client tables (``hcnpy.features``,
``hcnpy.validation``, ``hcnpy.gates``): a wrong client table must not pass on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..sim.rules import RULES, Rule, by_id, describe_ranges, in_ranges
from ._outcome import OK, NotApplicable, Parts, code
from ._probe import Probe

__all__ = ["REGISTRY", "Expect", "Registry", "Scenario", "scenario"]

Ranges = tuple[tuple[int, int, int | None, int | None], ...]


class Expect:
    """What a scenario's ``expect`` gets: its rule and the HNS version (``None``: unknown)."""

    def __init__(self, rule: Rule, version: tuple[int, int] | None) -> None:
        self.rule = rule
        self.version = version

    def fails(self, rule: Rule | None = None) -> str:
        """The outcome of breaking ``rule`` (default: the scenario's own): its HRESULT."""
        target = rule or self.rule
        if target.hresult is None:
            raise ValueError(f"rule {target.id} has no HRESULT")
        return code(target.hresult)

    def supports(self, ranges: Ranges, what: str) -> bool:
        """Whether the HNS version is in ``ranges``; not applicable when it is unknown."""
        if self.version is None:
            raise NotApplicable(f"the HNS version is unknown, and {what} depends on it")
        return in_ranges(ranges, self.version)

    def gated(self, ranges: Ranges, what: str, rule: Rule | None = None) -> str:
        """``S_OK`` where the version supports ``what``, else the failure of ``rule``."""
        return OK if self.supports(ranges, what) else self.fails(rule)

    def only_on(self, ranges: Ranges, what: str) -> None:
        """Not applicable unless the version is in ``ranges`` (``what`` needs them)."""
        if not self.supports(ranges, what):
            major, minor = self.version or (0, 0)
            raise NotApplicable(
                f"{what} needs HNS {describe_ranges(ranges)}; this HNS is {major}.{minor}"
            )


Expectation = Callable[[Expect], Parts]
Observation = Callable[[Probe], Parts]


class Scenario:
    """The check of one rule."""

    __slots__ = ("expect", "observe", "rule_id")

    def __init__(self, rule_id: str, expect: Expectation, observe: Observation) -> None:
        self.rule_id = rule_id
        self.expect = expect
        self.observe = observe

    @property
    def summary(self) -> str:
        """The first line of the observing function's docstring."""
        return (self.observe.__doc__ or "").strip().splitlines()[0] if self.observe.__doc__ else ""

    def __repr__(self) -> str:
        return f"Scenario({self.rule_id!r})"


class Registry:
    """Scenarios by rule ID."""

    def __init__(self) -> None:
        self._scenarios: dict[str, Scenario] = {}

    def scenario(self, rule_id: str, expect: Expectation) -> Callable[[Observation], Observation]:
        """Register the decorated function as the observation of ``rule_id``."""

        def register(observe: Observation) -> Observation:
            if rule_id in self._scenarios:
                raise ValueError(f"rule {rule_id} has two scenarios")
            self._scenarios[rule_id] = Scenario(rule_id, expect, observe)
            return observe

        return register

    def __len__(self) -> int:
        return len(self._scenarios)

    def __iter__(self) -> Iterator[Scenario]:
        """Scenarios in the order of the behaviour table (unknown rules last)."""
        order = {rule.id: index for index, rule in enumerate(RULES)}
        yield from sorted(self._scenarios.values(), key=lambda s: order.get(s.rule_id, len(order)))

    def get(self, rule_id: str) -> Scenario | None:
        """The scenario of ``rule_id``, if any."""
        return self._scenarios.get(rule_id)

    def problems(self, rules: list[Rule] | None = None) -> list[str]:
        """What keeps the registry from covering ``rules`` (default: the table) one to one."""
        table = RULES if rules is None else rules
        known = {rule.id: rule for rule in table}
        found = []
        for rule_id in self._scenarios:
            rule = known.get(rule_id)
            if rule is None:
                found.append(f"scenario {rule_id}: no such rule in the behaviour table")
            elif not rule.checkable:
                found.append(f"scenario {rule_id}: the rule is marked checkable=False")
        found.extend(
            f"rule {rule.id}: checkable, but has no scenario"
            for rule in table
            if rule.checkable and rule.id not in self._scenarios
        )
        return found

    def rule(self, scenario: Scenario) -> Rule:
        """The rule a registered scenario checks."""
        return by_id(scenario.rule_id)


#: The kit's scenarios (filled when :mod:`hcnpy.conformance._scenarios` is imported).
REGISTRY = Registry()
scenario = REGISTRY.scenario
