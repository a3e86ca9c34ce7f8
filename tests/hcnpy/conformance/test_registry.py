"""The registry holds one scenario per checkable rule, and the expectation helpers compute
from the rule table alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hcnpy.conformance
from hcnpy.bindings import Library
from hcnpy.conformance import Expect, NotApplicable, Registry, run_kit, scenarios
from hcnpy.sim.rules import RULES, by_id

NOT_CHECKABLE = [rule for rule in RULES if not rule.checkable]


def _copy() -> Registry:
    copy = Registry()
    for scenario in scenarios():
        copy.scenario(scenario.rule_id, scenario.expect)(scenario.observe)
    return copy


def test_a_checkable_rule_without_a_scenario_is_a_problem() -> None:
    registry = Registry()
    for scenario in scenarios():
        if scenario.rule_id != "subnet.overlap":
            registry.scenario(scenario.rule_id, scenario.expect)(scenario.observe)
    assert registry.problems() == ["rule subnet.overlap: checkable, but has no scenario"]


def test_a_scenario_naming_an_unknown_rule_is_a_problem() -> None:
    registry = _copy()
    registry.scenario("no.such-rule", lambda x: {})(lambda p: {})
    assert registry.problems() == ["scenario no.such-rule: no such rule in the behaviour table"]


def test_a_scenario_of_a_rule_that_cannot_be_checked_is_a_problem() -> None:
    registry = _copy()
    rule = NOT_CHECKABLE[0]
    registry.scenario(rule.id, lambda x: {})(lambda p: {})
    assert registry.problems() == [f"scenario {rule.id}: the rule is marked checkable=False"]


def test_a_rule_gets_one_scenario_only() -> None:
    registry = _copy()
    with pytest.raises(ValueError, match="two scenarios"):
        registry.scenario("subnet.overlap", lambda x: {})(lambda p: {})


def test_the_kit_refuses_a_registry_with_problems(library: Library) -> None:
    registry = Registry()
    with pytest.raises(ValueError, match="do not match the rule table"):
        run_kit(library, registry=registry)
    with pytest.raises(ValueError, match="no scenario for rule"):
        run_kit(library, only=["no.such-rule"])


def test_every_scenario_documents_what_it_does() -> None:
    assert all(scenario.summary for scenario in scenarios())


def test_expectations_come_from_the_rule() -> None:
    gate = by_id("subnet.ipv6-gate")
    assert Expect(gate, (11, 10)).gated(gate.params["ranges"], "IPv6") == "S_OK"
    assert Expect(gate, (11, 9)).gated(gate.params["ranges"], "IPv6") == (
        "HCN_E_REQUEST_UNSUPPORTED (0x803B0015)"
    )
    with pytest.raises(NotApplicable, match="version is unknown"):
        Expect(gate, None).gated(gate.params["ranges"], "IPv6")
    with pytest.raises(NotApplicable, match=r"needs HNS >= 11.10; this HNS is 10.4"):
        Expect(gate, (10, 4)).only_on(gate.params["ranges"], "IPv6")
    with pytest.raises(ValueError, match="no HRESULT"):
        Expect(by_id("enumerate.order"), (15, 4)).fails()


#: What the kit may not read: the client's tables (a wrong one must not pass on both sides).
CLIENT_TABLES = ("hcnpy.validation", "hcnpy.features", "hcnpy.gates", "hcnpy.models",
                 "hcnpy.convert", "hcnpy.client", "hcnpy.ops")  # fmt: skip


def test_the_kit_never_imports_the_clients_tables() -> None:
    package = Path(hcnpy.conformance.__file__).parent
    seen: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        depth = len(path.relative_to(package).parts)  # 1 in the package, 2 in _scenarios
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                base = ["hcnpy", "conformance", "_scenarios"][: 2 + depth - node.level]
                names = [".".join([*base, node.module] if node.module else base)]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(CLIENT_TABLES), f"{path.name} imports {name}"
            seen.update(names)
    assert {"hcnpy.sim.rules", "hcnpy.bindings", "hcnpy.conformance._probe"} <= seen
