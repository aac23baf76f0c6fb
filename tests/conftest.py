"""Shared fixtures: a fresh database per test, a frozen clock, the user's own setup kept out."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from queue_kiosk.config.hall import HallConfig, default_hall_path, load_hall, parse_hall
from queue_kiosk.domain.clock import FrozenClock
from queue_kiosk.service.catalog import load_catalog
from queue_kiosk.service.facade import QueueService
from queue_kiosk.store.db import sqlite_path
from queue_kiosk.store.migrate import upgrade
from queue_kiosk.store.store import Store

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday morning, inside the default opening hours.
MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=VN)
PG_BASE = os.environ.get("QUEUE_KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (races, kill loops, browsers) first: in a parallel run they would
    otherwise start last and finish the run alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own database, printer and language out of every test."""
    for name in list(os.environ):
        # CI's QUEUE_KIOSK_REQUIRE_* stay: a test that needs a server, a browser or OCR
        # must fail there rather than skip; QUEUE_KIOSK_TEST_* set up the tests themselves.
        if name.startswith("QUEUE_KIOSK_") \
                and not name.startswith(("QUEUE_KIOSK_REQUIRE_", "QUEUE_KIOSK_TEST_")):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MORNING)


@pytest.fixture(scope="session")
def default_hall() -> HallConfig:
    return load_hall(default_hall_path())


def small_hall(**policy: object) -> HallConfig:
    """Two counters, three fields: small enough to reason about exact orders in tests."""
    lines = [f"{key} = {_toml(value)}" for key, value in policy.items()]
    return parse_hall("""
[site]
code = "test"
name = "Trung tâm Phục vụ hành chính công xã Thử"
[hours]
enforce = true
[policy]
""" + "\n".join(lines) + """
[[priorities]]
code = "elderly"
name = "Người cao tuổi"
name_en = "Elderly"
[[fields]]
code = "A"
prefix = "A"
name = "Chứng thực"
minutes = 4
daily_cap = 5
procedures = [{ code = "A1", name = "Chứng thực chữ ký" }]
[[fields]]
code = "B"
prefix = "B"
name = "Hộ tịch"
minutes = 12
[[fields]]
code = "C"
block = 1001
name = "Đất đai"
minutes = 18
[[counters]]
code = "1"
name = "Tư pháp - Hộ tịch"
fields = ["B", "A"]
[[counters]]
code = "2"
name = "Đất đai"
fields = ["C"]
""")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}"


def postgres_url() -> Iterator[str]:
    """A fresh schema per test on the shared server; skipped (or failed, in CI) without one."""
    import psycopg

    try:
        admin = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        reason = f"no PostgreSQL server at {PG_BASE}: {str(exc).strip().splitlines()[0]}"
        if os.environ.get("QUEUE_KIOSK_REQUIRE_PG"):
            pytest.fail(f"{reason} (QUEUE_KIOSK_REQUIRE_PG is set)")
        pytest.skip(reason)
    schema = f"qk_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        yield from postgres_url()


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from postgres_url()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file Alembic brought to the head once per run (per xdist worker): a test's
    store starts as a copy of it, 4 ms instead of 0.15 s of migrations. tests/migrations
    still runs every upgrade itself."""
    path = tmp_path_factory.mktemp("migrated") / "queue.db"
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    store.dispose()  # the last connection closing folds the WAL into the file
    return path


def migrated_store(url: str, migrated: Path) -> Store:
    """A store at the schema's head: a new SQLite file as a copy of `migrated`, anything
    else migrated (an existing file is upgraded, as the commands do)."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        shutil.copyfile(migrated, path)
        return Store(url)
    store = Store(url)
    upgrade(store)
    return store


@pytest.fixture
def store(db_url: str, migrated_sqlite: Path) -> Iterator[Store]:
    store = migrated_store(db_url, migrated_sqlite)
    yield store
    store.dispose()


@pytest.fixture
def service(store: Store, clock: FrozenClock) -> QueueService:
    load_catalog(store, small_hall(), clock)
    return QueueService(store, clock=clock)


def make_service(store: Store, clock: FrozenClock, hall: HallConfig) -> QueueService:
    load_catalog(store, hall, clock)
    return QueueService(store, clock=clock)
