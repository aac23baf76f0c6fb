"""The migrations build exactly the models' schema, and an outdated database is refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from queue_kiosk.domain.errors import StoreError
from queue_kiosk.store import migrate
from queue_kiosk.store.store import Store
from queue_kiosk.store.tables import metadata


def test_upgrade_from_empty_matches_the_models(db_url: str) -> None:
    store = Store(db_url)
    migrate.upgrade(store)
    migrate.upgrade(store)  # idempotent
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                metadata)
    assert diff == []
    assert migrate.current_revision(store) == migrate.head_revision()
    migrate.check_schema(store)


def test_sqlite_store_runs_in_durable_wal_mode(tmp_path: object) -> None:
    store = Store(f"sqlite:///{tmp_path}/q.db")
    migrate.upgrade(store)
    with store.engine.connect() as conn:
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                       "busy_timeout": 10_000}


def test_a_missing_or_empty_database_asks_for_init(db_url: str) -> None:
    with pytest.raises(StoreError, match="not initialised: run `queue-kiosk init`"):
        migrate.check_schema(Store(db_url))


def test_the_listed_revisions_are_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    in_order = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert list(migrate.SCHEMA_REVISIONS) == in_order, (
        "add the new revision id to queue_kiosk.store.migrate.SCHEMA_REVISIONS")


def test_an_older_schema_is_never_used_silently(db_url: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(db_url)
    migrate.upgrade(store)
    # Pretend this program ships a newer revision than the database has.
    monkeypatch.setattr(migrate, "SCHEMA_REVISIONS", (*migrate.SCHEMA_REVISIONS, "9999"))
    with pytest.raises(StoreError, match="older schema .*run `queue-kiosk init` to upgrade"):
        migrate.check_schema(store)


def test_a_database_from_a_newer_program_is_refused(db_url: str) -> None:
    store = Store(db_url)
    migrate.upgrade(store)
    with store.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_unknown'"))
    with pytest.raises(StoreError, match="newer than this program"):
        migrate.check_schema(store)


def test_staff_counters_move_from_a_list_of_codes_to_the_relation(db_url: str) -> None:
    from alembic import command

    store = Store(db_url)
    config = migrate.alembic_config()
    with store.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
        conn.execute(text("INSERT INTO site (id, code, name, timezone, hall_json, updated_at, "
                          "catalog_version) VALUES (1, 's', 'S', 'UTC', '{}', "
                          "'2026-11-25 08:00:00', 1)"))
        for counter_id, code in ((1, "1"), (2, "2"), (3, "3")):
            conn.execute(text("INSERT INTO counter (id, site_id, code, name, name_en, position, "
                              "active, normal_streak) VALUES (:id, 1, :code, 'Q', '', :id, "
                              "true, 0)"), {"id": counter_id, "code": code})
        for staff_id, counters in ((1, "1,3"), (2, ""), (3, "2,gone")):
            conn.execute(text("INSERT INTO staff (id, site_id, code, name, role, pin_hash, "
                              "counters, active, failed_logins) VALUES (:id, 1, :code, 'N', "
                              "'official', '', :counters, true, 0)"),
                         {"id": staff_id, "code": f"s{staff_id}", "counters": counters})
    migrate.upgrade(store)
    with store.read() as conn:
        links = conn.execute(text("SELECT staff_id, counter_id FROM staff_counter "
                                  "ORDER BY staff_id, counter_id")).all()
    # Anyone who had a list keeps exactly its counters; a code no counter has is dropped.
    assert [tuple(r) for r in links] == [(1, 1), (1, 3), (3, 2)]
    store.dispose()
