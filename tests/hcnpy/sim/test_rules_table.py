"""The simulator's behaviour table is complete, well formed and its own.

Every rule names its evidence and source; every rule that fails a call is applied somewhere
in the simulator; the simulator spells no HRESULT outside the table (except its own
plumbing: faults, a broken configuration, SQLite trouble, internal errors); and it never
reads the client's validation, gate or feature tables.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hcnpy.sim import rules
from hcnpy.sim.rules import EVIDENCE_LEVELS, RULES

SIM = Path(rules.__file__).parent
#: Client modules whose tables the simulator must not borrow.
CLIENT_TABLES = {
    "hcnpy.validation",
    "hcnpy.features",
    "hcnpy.gates",
    "hcnpy.models",
    "hcnpy.convert",
    "hcnpy.client",
    "hcnpy.ops",
}
#: Leaves of hcnpy the simulator may use: value types and texts, no rule of the client.
LEAVES = {"guid", "hresult", "_hresult_bits", "hnsversion", "_cdef", "safefiles", "jsontext"}
#: Modules of the simulator that may use HRESULTs directly: the table, its messages, and
#: plumbing that is not HNS behaviour.
PLUMBING = {"rules.py", "messages.py", "engine.py", "faults.py"}


def _constant_names() -> dict[str, rules.Rule]:
    return {name: value for name, value in vars(rules).items() if isinstance(value, rules.Rule)}


def _sim_sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SIM.rglob("*.py"))}


def test_every_rule_is_well_formed() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)), "rule ids are unique"
    for rule in RULES:
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", rule.id), rule.id
        assert rule.evidence in EVIDENCE_LEVELS, rule.id
        assert rule.source.strip() and rule.does.strip() and rule.functions, rule.id
    assert set(_constant_names().values()) == set(RULES), "every rule has a constant name"


def test_every_level_is_used_and_counted() -> None:
    levels = {rule.evidence for rule in RULES}
    assert levels == set(EVIDENCE_LEVELS)


def test_every_failing_rule_is_applied_by_the_simulator() -> None:
    code = "\n".join(text for name, text in _sim_sources().items() if name != "rules.py")
    for name, rule in _constant_names().items():
        if rule.hresult is None:
            continue
        assert re.search(rf"\bR\.{name}\b", code), f"rule {rule.id} ({name}) is never applied"


@pytest.mark.parametrize("module", sorted(set(_sim_sources()) - PLUMBING))
def test_the_object_kinds_spell_no_hresult(module: str) -> None:
    assert "HResult." not in _sim_sources()[module], f"{module}: failures come from the table"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # The package a relative import starts from (for __init__.py: the package itself).
    package = ".".join(path.relative_to(SIM.parent.parent).parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def test_the_simulator_never_imports_the_clients_tables() -> None:
    for path in sorted(SIM.rglob("*.py")):
        borrowed = {
            name
            for name in _imports(path)
            if any(name == t or name.startswith(t + ".") for t in CLIENT_TABLES)
        }
        assert not borrowed, f"{path.name} imports {sorted(borrowed)}"


def test_only_the_backend_adapter_knows_the_bindings() -> None:
    for path in sorted(SIM.rglob("*.py")):
        client = {
            name
            for name in _imports(path)
            if name.startswith("hcnpy.")
            and not name.startswith("hcnpy.sim")
            # leaves: value types and texts, no rule of the client
            and name.split(".")[1] not in LEAVES
        }
        if path.name == "backend.py":
            assert client <= {
                "hcnpy._cdef",
                "hcnpy.backends",
                "hcnpy.backends.register_backend",
                "hcnpy.backends.Result",
                "hcnpy.backends.Transport",
                "hcnpy.bindings",
                "hcnpy.bindings.open_c_transport",
                "hcnpy.errors",
                "hcnpy.errors.HcnUnavailable",
            }, sorted(client)
        else:
            assert not client, f"{path.name} imports {sorted(client)}"
