"""The Python examples in docs/hcnpy/{schema,policies,queries,v1}.md run."""

import re
from pathlib import Path

import pytest

import hcnpy

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hcnpy"
PAGES = ["schema.md", "policies.md", "queries.md", "v1.md"]


@pytest.mark.parametrize("page", PAGES)
def test_examples_run(page: str) -> None:
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    namespace: dict[str, object] = {"hcnpy": hcnpy}
    for block in blocks:
        if " -> " in block:  # a signature listing, not an example
            continue
        exec(compile(block, page, "exec"), namespace)


def test_documented_query_json() -> None:
    text = (DOCS / "queries.md").read_text()
    assert '# {"SchemaVersion":{"Major":2,"Minor":0}}' in text
    assert hcnpy.HostComputeQuery().to_json() == '{"SchemaVersion":{"Major":2,"Minor":0}}'
