"""Fixtures for the storage tests: real SQLite files and a real PostgreSQL server.

``database_url`` runs each test once on SQLite (a file in ``tmp_path``) and
once on PostgreSQL (a fresh database on the server named by
``STEELMAN_TEST_PG_URL``, dropped afterwards). Without that variable the
PostgreSQL case is skipped, or fails when ``STEELMAN_REQUIRE_PG=1``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from trainer.core.storage import Database, Repository, open_database

PG_URL_ENV = "STEELMAN_TEST_PG_URL"
REQUIRE_PG_ENV = "STEELMAN_REQUIRE_PG"


def _libpq_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'steelman.sqlite3'}"
        return
    server_url = os.environ.get(PG_URL_ENV)
    if not server_url:
        reason = f"{PG_URL_ENV} is not set, so there is no PostgreSQL server to test against"
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{reason}, and {REQUIRE_PG_ENV}=1 requires one")
        pytest.skip(reason)
    name = f"steelman_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_libpq_conninfo(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq_conninfo(server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backend(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 3, 9, 14, 30, 15, 123456, tzinfo=UTC))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def repo(database: Database, clock: Callable[[], datetime]) -> Repository:
    return Repository(database, clock=clock)
