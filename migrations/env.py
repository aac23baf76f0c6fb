"""Alembic environment: the tables' metadata, the connection handed over by queue-kiosk."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from queue_kiosk.config.settings import Settings
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import metadata

target_metadata = metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # The project's own types render bare (`UTCDateTime()`), as the template imports them.
        user_module_prefix="",
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    # Run from the alembic command line: the same URL resolution as queue-kiosk itself.
    store = Store(Settings.from_env().db_url())
    with store.begin() as conn:
        run_with(conn)


run()
