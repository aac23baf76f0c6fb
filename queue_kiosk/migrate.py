"""Provides schema creation, upgrade and the check that refuses an outdated database."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from queue_kiosk.db import safe_url, sqlite_path
from queue_kiosk.errors import StoreError
from queue_kiosk.paths import migrations_path


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    from queue_kiosk.db import read

    with read(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision (idempotent)."""
    path = sqlite_path(str(engine.url))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def check_schema(engine: Engine) -> None:
    """Refuse to use a database that is missing, empty, older or newer than this program."""
    path = sqlite_path(str(engine.url))
    if path is not None and not path.exists():
        raise StoreError("store.not_initialised", url=safe_url(engine))
    current = current_revision(engine)
    if current is None:
        raise StoreError("store.not_initialised", url=safe_url(engine))
    head = head_revision()
    if current == head:
        return
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in scripts.walk_revisions()}
    code = "store.outdated" if current in known else "store.newer"
    raise StoreError(code, url=safe_url(engine), current=current)


def new_revision(message: str) -> None:
    """Developer helper: autogenerate a migration from the models against a scratch SQLite
    database at the current head (`render_as_batch` keeps it SQLite-safe)."""
    import tempfile

    from queue_kiosk.db import make_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        upgrade(engine)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.revision(config, message=message, autogenerate=True)
        engine.dispose()
