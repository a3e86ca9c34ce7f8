"""The Windows workflow runs the kit on windows-2022 and windows-2025 and keeps the report
(it cannot run here: these tests read it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # installed with the docs tools (myst-parser)

WORKFLOW = Path(__file__).parents[3] / ".github" / "workflows" / "windows-integration.yml"
DOCS = Path(__file__).parents[3] / "docs" / "hcnpy" / "conformance.md"
COMMAND = "hcnpy conformance --backend hcn --record report-dir --json"


def _job() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job: dict[str, Any] = data["jobs"]["conformance"]
    return job


def test_the_kit_runs_on_both_windows_server_runners() -> None:
    job = _job()
    assert job["strategy"]["matrix"]["os"] == ["windows-2022", "windows-2025"]
    assert job["strategy"]["fail-fast"] is False
    assert job["runs-on"] == "${{ matrix.os }}"


def test_the_job_installs_runs_and_uploads_the_report() -> None:
    steps = _job()["steps"]
    runs = [step.get("run", "") for step in steps]
    install = next(i for i, run in enumerate(runs) if "pip install" in run)
    kit = runs.index(COMMAND)
    upload = next(
        i
        for i, step in enumerate(steps)
        if step.get("uses", "").startswith("actions/upload-artifact")
    )
    assert install < kit < upload
    assert steps[upload]["if"] == "always()"
    assert steps[upload]["with"]["path"] == "report-dir"
    assert "${{ matrix.os }}" in steps[upload]["with"]["name"]


def test_the_docs_give_the_same_command() -> None:
    page = DOCS.read_text(encoding="utf-8")
    assert page.startswith("# Check the simulator against your Windows node\n")
    assert "hcnpy.exe conformance --backend hcn --record report-dir" in page
    assert "conformance report: <build>" in page
