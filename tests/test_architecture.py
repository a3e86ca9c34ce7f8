"""The import graph follows the layers of ``docs/architecture.md``, and has no cycle.

Every ``import`` counts, at module level, inside functions and under ``TYPE_CHECKING``: a
lazy import that reaches upwards is still a dependency upwards.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "hcnpy": ROOT / "hcnpy",
    "cniskel": ROOT / "cniskel",
    "winplugins": ROOT / "examples" / "winplugins",
}
DOC = ROOT / "docs" / "architecture.md"


def _modules() -> dict[str, Path]:
    found = {}
    for package, directory in PACKAGES.items():
        for path in sorted(directory.rglob("*.py")):
            parts = [package, *path.relative_to(directory).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """The project modules ``module`` imports (a package's submodules by their own name)."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
            submodules = [name for name in names if name in MODULES]
            targets.update(submodules)
            if len(submodules) < len(names):  # some names are attributes of ``target``
                targets.add(target)
    return {t for t in targets if t in MODULES and t != module}


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _layers() -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Group -> (module patterns, excluded patterns, what it may import) from the doc."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- layers: begin -->")[1].split("<!-- layers: end -->")[0]
    layers = {}
    for line in table.strip().splitlines()[2:]:
        group, modules, allowed = (cell.strip() for cell in line.strip("|").split("|"))
        included, _, excluded = modules.partition(" except ")
        layers[group] = (
            re.findall(r"`([^`]+)`", included),
            re.findall(r"`([^`]+)`", excluded),
            [] if allowed == "—" else [a.strip(" `") for a in allowed.split(",")],
        )
    return layers


LAYERS = _layers()


def _group(module: str) -> str:
    groups = [
        group
        for group, (patterns, excluded, _) in LAYERS.items()
        if any(fnmatch.fnmatch(module, p) for p in patterns)
        and not any(fnmatch.fnmatch(module, p) for p in excluded)
    ]
    assert len(groups) == 1, f"{module} belongs to {groups or 'no group'} in docs/architecture.md"
    return groups[0]


def test_every_module_belongs_to_exactly_one_group() -> None:
    for module in MODULES:
        _group(module)


def test_no_layer_imports_upwards() -> None:
    problems = []
    for module, targets in GRAPH.items():
        group = _group(module)
        allowed = LAYERS[group][2]
        for target in sorted(targets):
            other = _group(target)
            if other == group or other in allowed or target in allowed:
                continue
            problems.append(f"{module} ({group}) imports {target} ({other})")
    assert not problems, "\n".join(problems)


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in GRAPH:
        if node not in index:
            visit(node)
    return found


def test_there_is_no_import_cycle() -> None:
    assert _cycles() == []


def test_the_plugins_import_nothing_private() -> None:
    private = {
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.startswith("winplugins")
        for target in targets
        if not target.startswith("winplugins")
        and any(part.startswith("_") for part in target.split("."))
    }
    names: set[str] = set()
    for module, path in MODULES.items():
        if not module.startswith("winplugins"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.update(
                    f"{module} imports {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                )
    assert not private | names


@pytest.mark.parametrize(
    ("entry", "forbidden"),
    [
        ("import hcnpy.bindings", "hcnpy.sim"),
        ("import hcnpy.ops", "hcnpy.sim"),
        ("import hcnpy.sim.engine", "hcnpy.features"),
        ("import hcnpy.sim.engine", "hcnpy.bindings"),
        ("import cniskel.dispatch", "hcnpy.errors"),
    ],
)
def test_importing_a_layer_loads_nothing_it_must_not_know(entry: str, forbidden: str) -> None:
    shown = f"[m for m in sys.modules if m == {forbidden!r} or m.startswith({forbidden!r} + '.')]"
    code = f"{entry}; import sys; print(sorted({shown}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"{entry} loads {done.stdout.strip()}"
