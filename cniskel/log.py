"""Logging for plugins: stderr plus an optional file, never stdout.

``get_logger(__name__)`` returns a logger under ``cniskel``, configured once:
records go to the current ``sys.stderr`` and, when ``CNISKEL_LOG_FILE`` (or
``log_file=``) names an **absolute** path, are appended to that file too. A
relative path is rejected (a warning on stderr; no file is written), since a
plugin's working directory is whatever the runtime's happens to be. The level
comes from ``CNISKEL_LOG_LEVEL`` (default ``INFO``). The file is created 0600
and refused when it is a symlink or belongs to another user (a plugin runs as root).
"""

from __future__ import annotations

import logging
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

LOG_FILE_ENV = "CNISKEL_LOG_FILE"
LOG_LEVEL_ENV = "CNISKEL_LOG_LEVEL"
ROOT = "cniskel"
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time (tests swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class _FileStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that owns its (file) stream and closes it with itself."""

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            super().close()


def configure(
    env: Mapping[str, str] | None = None, *, log_file: str | None = None
) -> logging.Logger:
    """(Re)configure the ``cniskel`` logger; returns it."""
    env = os.environ if env is None else env
    logger = logging.getLogger(ROOT)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    level_name = env.get(LOG_LEVEL_ENV, "INFO").upper()
    logger.setLevel(getattr(logging, level_name, logging.INFO))
    logger.propagate = False
    formatter = logging.Formatter(_FORMAT)
    stderr_handler = _StderrHandler()
    stderr_handler.setFormatter(formatter)
    logger.addHandler(stderr_handler)
    path = log_file if log_file is not None else env.get(LOG_FILE_ENV, "")
    if path:
        if not os.path.isabs(path):
            logger.warning("ignoring log file %r: the path must be absolute", path)
        else:
            _add_file_handler(logger, path, formatter)
    return logger


def _add_file_handler(logger: logging.Logger, path: str, formatter: logging.Formatter) -> None:
    """Append to ``path``: created 0600, never through a symlink, never someone else's."""
    from hcnpy.safefiles import open_private

    try:
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    except OSError as exc:
        logger.warning("ignoring log file %r: %s", path, exc)
        return
    handler = _FileStreamHandler(os.fdopen(fd, "a", encoding="utf-8"))
    handler.setFormatter(formatter)
    logger.addHandler(handler)


def get_logger(name: str = ROOT) -> logging.Logger:
    """A logger under ``cniskel`` (configured from the environment on first use)."""
    root = logging.getLogger(ROOT)
    if not root.handlers:
        configure()
    if name == ROOT or name.startswith(ROOT + "."):
        return logging.getLogger(name)
    return logging.getLogger(f"{ROOT}.{name}")
