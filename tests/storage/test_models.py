"""The UTC datetime column type, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import StatementError

from trainer.core.storage import Database
from trainer.core.storage.models import Profile, UTCDateTime


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_naive_datetimes_are_rejected(dialect: object) -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2025, 1, 1), dialect)  # type: ignore[arg-type]


def test_datetimes_come_back_as_aware_utc(database: Database) -> None:
    seoul = datetime(2025, 3, 10, 9, 15, 30, 654321, tzinfo=timezone(timedelta(hours=9)))
    with database.sessions.begin() as s:
        s.add(Profile(name="Ann", created_at=seoul))
    with database.sessions.begin() as s:
        created = s.scalar(select(Profile.created_at))
    assert created == seoul
    assert created is not None and created.tzinfo == UTC
    assert created.hour == 0 and created.microsecond == 654321


def test_naive_datetime_never_reaches_the_database(database: Database) -> None:
    with pytest.raises(StatementError) as err, database.sessions.begin() as s:
        s.add(Profile(name="Ann", created_at=datetime(2025, 1, 1, 12, 0)))
    assert isinstance(err.value.orig, ValueError)
    with database.sessions.begin() as s:
        assert s.scalars(select(Profile)).all() == []
