"""The documentation site's own guarantees: runnable examples, complete tables, complete API.

``make docs`` builds the site with warnings as errors; these tests cover what a build cannot
see: that the Python examples of the object pages run against the simulated HNS, that the
generated tables cover every HRESULT and feature, and that every public module is on an API
page.
"""

from __future__ import annotations

import json
import pkgutil
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import cniskel
import hcnpy
import hcnpy.ops
from hcnpy.sim import engine

DOCS = Path(__file__).parents[2] / "docs"
EXAMPLE_PAGES = [
    "networks.md",
    "endpoints.md",
    "namespaces.md",
    "loadbalancers.md",
    "routes.md",
    "errors.md",
    "features.md",
    "timeouts.md",
    "plugin-helpers.md",
]

#: Modules deliberately left off the API pages: implementation details reached through the
#: documented ones (the CLI is documented on its own page, the simulator's rules by topic).
NOT_ON_API_PAGES = {
    "hcnpy.__main__",
    *(f"hcnpy.cli.{m}" for m in ("conformance", "context", "endpoint", "errors", "info", "inputs",
                                 "loadbalancer", "namespace", "network", "policy", "resolve",
                                 "route", "sim", "simnet", "tables", "typed")),
    *(f"hcnpy.sim.{m}" for m in ("addressing", "balancers", "context", "endpoints", "jsondoc",
                                 "namespaces", "networks", "policies", "ports",
                                 "queries", "routes", "v1answers", "v1schema")),
    "cniskel.testing.noop",
    "cniskel.validate",
}


@pytest.fixture
def fresh_hns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HCNPY_SIM_STATE", str(tmp_path / "hns.sqlite3"))
    for name in ("HCNPY_BACKEND", "HCNPY_SIM_FAULTS", "HCNPY_SIM_HNS_VERSION", "HCNPY_TRACE"):
        monkeypatch.delenv(name, raising=False)
    engine.reset_engine()
    hcnpy.ops.clear_version_cache()
    yield
    engine.reset_engine()
    hcnpy.ops.clear_version_cache()


@pytest.mark.parametrize("page", EXAMPLE_PAGES)
def test_the_guide_pages_examples_run(page: str, fresh_hns: None) -> None:
    text = (DOCS / "hcnpy" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, f"{page} has no Python example"
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, page, "exec"), namespace)


def test_the_generated_tables_are_complete() -> None:
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import hcnpy_tables
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    assert hcnpy_tables.coverage_problems() == []
    rows = hcnpy_tables.hresult_rows()
    assert len(rows) == len(hcnpy.HResult)
    assert all(row[3] and row[4] for row in rows), "every code has a meaning and advice"
    port = next(r for r in rows if r[0] == "`HCN_E_PORT_ALREADY_EXISTS`")
    assert port[1:3] == ["`0x803B0013`", "`PortAlreadyExistsError`"]
    assert len(hcnpy_tables.feature_rows()) == len(hcnpy.Feature)


def public_modules() -> set[str]:
    names = {"hcnpy", "cniskel"}
    for package in (hcnpy, cniskel):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.add(info.name)
    return names


def test_every_public_module_is_on_an_api_page() -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in (DOCS / "api").glob("*.md"))
    documented = set(re.findall(r"^\.\. automodule:: (\S+)$", pages, re.M))
    missing = public_modules() - documented - NOT_ON_API_PAGES
    assert not missing, f"public modules on no API page: {sorted(missing)}"
    assert not documented & NOT_ON_API_PAGES


def test_the_migration_examples_are_accepted() -> None:
    """Every configuration on the migration page parses; win-* ones after a new `type` only."""
    from winplugins import config

    page = (DOCS / "winplugins" / "migration.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", page, re.S)]
    kinds = [b["type"] for b in blocks]
    assert kinds == ["win-bridge", "sdnbridge", "win-overlay", "sdnoverlay"]
    renamed = {"win-bridge": "sdnbridge", "win-overlay": "sdnoverlay"}
    for block in blocks:
        kind = renamed.get(block["type"], block["type"])
        conf = config.parse(json.dumps({**block, "type": kind}))
        assert conf.endpoint_policies, block["type"]
        for policy in conf.endpoint_policies:
            hcnpy.validate(hcnpy.from_dict(hcnpy.EndpointPolicy, policy))


def test_the_error_code_table_matches_the_plugins() -> None:
    """The codes in the plugins' README table (included on the site) are the ones they use."""
    from winplugins import errors

    readme = (DOCS.parent / "examples" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    table = {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.M)}
    used = {v for k, v in vars(errors).items() if k.startswith("ERR_") and isinstance(v, int)}
    assert table == used
