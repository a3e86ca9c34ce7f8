"""Release hygiene: one version, a changelog, and packages that carry what they need."""

from __future__ import annotations

import re
from pathlib import Path

import hcnpy

ROOT = Path(__file__).parents[2]


def project_version(pyproject: Path) -> str | None:
    """The static ``version`` of ``[project]`` (``None`` when it is dynamic)."""
    text = pyproject.read_text(encoding="utf-8")
    project = text.split("[project]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', project, re.M)
    return match.group(1) if match else None


def test_hcnpy_has_one_version() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert project_version(ROOT / "pyproject.toml") is None
    assert re.search(r'^dynamic = \["version"\]$', pyproject, re.M)
    assert '[tool.hatch.version]\npath = "hcnpy/__init__.py"' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?", hcnpy.__version__)


def test_the_plugins_distribution_has_the_same_version() -> None:
    assert project_version(ROOT / "examples" / "pyproject.toml") == hcnpy.__version__


def test_the_changelog_has_an_entry_for_the_work_in_progress() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text or f"## [{hcnpy.__version__}]" in text


def test_the_packages_are_typed() -> None:
    for package in ("hcnpy", "cniskel", "examples/winplugins"):
        assert (ROOT / package / "py.typed").is_file(), package
