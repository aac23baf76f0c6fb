"""Provides schema creation, upgrade and the check that refuses an outdated database.

The check runs before every command and screen, so it does not load Alembic (about 0.3 s):
it reads `alembic_version` and compares it with the revisions listed here, which a test keeps
equal to the scripts in migrations/versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from queue_kiosk.config.paths import migrations_path
from queue_kiosk.domain.errors import StoreError
from queue_kiosk.store.db import sqlite_path
from queue_kiosk.store.store import Store

if TYPE_CHECKING:
    from alembic.config import Config

SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008",
                    "0009_notice_outbox", "0010_screen_heartbeats", "0011_identity",
                    "0012_calendar_days", "0013_alerts", "0014_admin_changes",
                    "0015_booking_aged", "0016_province_grants", "0017_shipping",
                    "0018_counter_sign_in")
"""Every revision in migrations/versions, oldest first; the last is the head."""


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return config


def head_revision() -> str:
    return SCHEMA_REVISIONS[-1]


def current_revision(store: Store) -> str | None:
    with store.read() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if value is None else str(value)


def upgrade(store: Store) -> None:
    """Create or upgrade the schema to the newest revision (idempotent)."""
    from alembic import command

    path = sqlite_path(str(store.engine.url))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    current = current_revision(store)  # a file that is no database fails here, in one line
    if current is not None and current not in SCHEMA_REVISIONS:
        raise StoreError("store.newer", url=store.url, current=current)
    config = alembic_config()
    with store.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def check_schema(store: Store) -> None:
    """Refuse to use a database that is missing, empty, older or newer than this program."""
    path = sqlite_path(str(store.engine.url))
    if path is not None and not path.exists():
        raise StoreError("store.not_initialised", url=store.url)
    current = current_revision(store)
    if current is None:
        raise StoreError("store.not_initialised", url=store.url)
    if current == head_revision():
        return
    code = "store.outdated" if current in SCHEMA_REVISIONS else "store.newer"
    raise StoreError(code, url=store.url, current=current)


def new_revision(message: str) -> None:
    """Developer helper: autogenerate a migration from the models against a scratch SQLite
    database at the current head (`render_as_batch` keeps it SQLite-safe). Then add its id
    to SCHEMA_REVISIONS; the migration tests say so if it is missing."""
    import tempfile

    from alembic import command

    with tempfile.TemporaryDirectory() as scratch:
        store = Store(f"sqlite:///{scratch}/scratch.db")
        upgrade(store)
        config = alembic_config()
        with store.begin() as conn:
            config.attributes["connection"] = conn
            command.revision(config, message=message, autogenerate=True)
        store.dispose()
