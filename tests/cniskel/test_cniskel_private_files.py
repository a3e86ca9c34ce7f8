"""The runtime's result cache and the plugins' log file: private, and never through a link.

A runtime and its plugins run as root; the cache holds every attachment's configuration.
(Issue 10, item 8.)
"""

from __future__ import annotations

import io
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cniskel import log
from cniskel.cache import ResultCache
from cniskel.result import Result


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_cache_entry_is_0600_in_a_0700_directory(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "cache"))
    cache.add(Result(), b"{}", "net", container_id="c1", ifname="eth0")
    entry = Path(cache.path("net", "c1", "eth0"))
    assert _mode(entry) == 0o600
    assert _mode(entry.parent) == 0o700
    assert cache.result("net", "1.1.0", "c1", "eth0") is not None


def test_a_planted_cache_link_is_neither_written_through_nor_read(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "cache"))
    victim = tmp_path / "victim"
    victim.write_text("keep")
    entry = Path(cache.path("net", "c1", "eth0"))
    entry.parent.mkdir(parents=True)
    entry.symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        cache.add(Result(), b"{}", "net", container_id="c1", ifname="eth0")
    assert victim.read_text() == "keep"
    assert cache.read("net", "c1", "eth0") is None  # a link is not an entry
    assert cache.attachments() == []


def test_a_linked_results_directory_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "results").symlink_to(elsewhere)
    with pytest.raises(OSError, match="symbolic link"):
        ResultCache(str(tmp_path / "cache")).add(
            Result(), b"{}", "net", container_id="c1", ifname="eth0"
        )
    assert list(elsewhere.iterdir()) == []


@pytest.fixture
def clean_logger() -> Iterator[None]:
    yield
    logger = logging.getLogger(log.ROOT)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_the_log_file_is_0600(tmp_path: Path, clean_logger: None) -> None:
    path = tmp_path / "plugin.log"
    logger = log.configure({}, log_file=str(path))
    logger.info("hello")
    for handler in logger.handlers:
        handler.flush()
    assert _mode(path) == 0o600
    assert "hello" in path.read_text()


def test_a_log_file_link_is_refused_with_a_warning(
    tmp_path: Path, clean_logger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "plugin.log"
    link.symlink_to(victim)
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    logger = log.configure({}, log_file=str(link))
    logger.info("secret")
    assert victim.read_text() == "keep"
    assert "ignoring log file" in err.getvalue() and "symbolic link" in err.getvalue()
    assert os.path.islink(link)
