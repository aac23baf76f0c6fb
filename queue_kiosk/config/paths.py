"""Provides the platform directories and the location of bundled assets."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import platformdirs

APP_NAME = "queue-kiosk"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'queue-kiosk.db'}"


def asset_path(*parts: str) -> Path:
    return Path(str(importlib.resources.files("queue_kiosk.assets").joinpath(*parts)))


def migrations_path() -> Path:
    return Path(str(importlib.resources.files("queue_kiosk.migrations")))


def backup_dir() -> Path:
    """Where `backup`, close-day and `init` put their copies of the database."""
    return data_dir() / "backups"


def log_dir() -> Path:
    """Where a screen writes its log file when no journal takes it."""
    return data_dir() / "logs"
