"""Provides where a screen's log goes: the journal when systemd runs it (its standard error
is the journal), else a rotating file in the data directory, since a screen's terminal
belongs to the screen and a warning written there is lost."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from queue_kiosk.config.paths import log_dir

LOG_BYTES = 1_000_000
LOG_FILES = 5
"""Five files of 1 MB: weeks of a centre's warnings, never a full disk."""
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def under_systemd(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get("JOURNAL_STREAM") or env.get("INVOCATION_ID"))


def log_target(environ: Mapping[str, str] | None = None) -> Path | None:
    """The log file, or None when the journal takes the log."""
    return None if under_systemd(environ) else log_dir() / "queue-kiosk.log"


def start_logging(role: str) -> Path | None:
    """Send this process's warnings to the journal or the log file; returns the file. Once
    per process (a second call changes nothing)."""
    root = logging.getLogger()
    if any(getattr(h, "queue_kiosk", False) for h in root.handlers):
        return log_target()
    path = log_target()
    handler: logging.Handler
    if path is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(f"{role}: %(levelname)s %(name)s: %(message)s"))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES,
                                                       backupCount=LOG_FILES, encoding="utf-8")
        handler.setFormatter(logging.Formatter(FORMAT.replace("%(name)s", f"{role} %(name)s")))
    setattr(handler, "queue_kiosk", True)  # noqa: B010 - marks ours among the handlers
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return path
