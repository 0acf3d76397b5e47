"""The ORM tables. Private to the storage package: nothing outside it imports these.

The migrations in ``migrations/versions`` create the same schema;
``tests/storage/test_migrations.py`` checks that the two agree.
"""

from __future__ import annotations

import uuid as uuid_
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored as UTC and read back as timezone-aware UTC.

    PostgreSQL stores ``timestamptz``; SQLite stores the naive UTC wall time.
    Naive datetimes are refused: the caller must say which time zone it means.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: pass a timezone-aware one")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), float: Float()}


class Profile(Base):
    __tablename__ = "profiles"
    __table_args__ = (CheckConstraint("role IN ('student', 'coach')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    created_at: Mapped[datetime]
    pin_hash: Mapped[str | None] = mapped_column(String)
    role: Mapped[str] = mapped_column(String, server_default=sql_text("'student'"), default="student")
    uuid: Mapped[str] = mapped_column(String, unique=True, default=lambda: str(uuid_.uuid4()))  # added in 0007


OVERVIEW_COLUMNS = ("pack_id", "claim_id", "profile_id", "submitted_at", "score", "perspective_id", "duration_seconds")


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_profile_id_submitted_at", "profile_id", "submitted_at"),
        # 0006: pack and claim first (a pack's attempts), then every column the
        # class overview counts, so that its queries read this index, not the
        # rows with their texts and breakdowns.
        Index("ix_attempts_overview", *OVERVIEW_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    pack_id: Mapped[str] = mapped_column(String)
    pack_version: Mapped[str] = mapped_column(String)
    claim_id: Mapped[str] = mapped_column(String)
    perspective_id: Mapped[str | None] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime]
    submitted_at: Mapped[datetime]
    duration_seconds: Mapped[float]
    score: Mapped[float | None]
    breakdown: Mapped[dict[str, Any]]
    matcher_version: Mapped[str | None] = mapped_column(String)
    scored_at: Mapped[datetime]  # added in 0002
    # added in 0003; every attempt has one since 0007
    client_uuid: Mapped[str | None] = mapped_column(String, unique=True, default=lambda: str(uuid_.uuid4()))


class AttemptScore(Base):
    """An earlier score of an attempt (added in 0002)."""

    __tablename__ = "attempt_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    scored_at: Mapped[datetime]
    score: Mapped[float | None]
    breakdown: Mapped[dict[str, Any]]
    matcher_version: Mapped[str | None] = mapped_column(String)


class AttemptVerdict(Base):
    """One key point's verdict on an attempt, a coach's override included (added in 0006).

    Derived from ``attempts.breakdown`` and written with it (``verdicts.py``):
    the class overview counts these rows instead of decoding every breakdown.
    """

    __tablename__ = "attempt_verdicts"
    __table_args__ = (
        CheckConstraint("verdict IN ('covered', 'partly', 'missed')", name="verdict"),
        UniqueConstraint("attempt_id", "key_point_id"),
        Index("ix_attempt_verdicts_attempt_id_key_point_id_verdict", "attempt_id", "key_point_id", "verdict"),  # covering
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    key_point_id: Mapped[str] = mapped_column(String)
    verdict: Mapped[str] = mapped_column(String)


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("profile_id", "pack_id", "claim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    pack_id: Mapped[str] = mapped_column(String)
    claim_id: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    cursor_position: Mapped[int] = mapped_column(server_default=sql_text("0"))  # added in 0002
    perspective_id: Mapped[str | None] = mapped_column(String)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Dispute(Base):
    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint("kind IN ('did-make-point', 'verdict-wrong')", name="kind"),
        CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status"),
        CheckConstraint(
            "override_verdict IS NULL OR override_verdict IN ('covered', 'partly', 'missed')",
            name="override_verdict",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    key_point_id: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    # added in 0005: the coach's answer
    status: Mapped[str] = mapped_column(String, server_default=sql_text("'open'"), default="open", index=True)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String)
    resolution_note: Mapped[str] = mapped_column(Text, server_default=sql_text("''"), default="")
    override_verdict: Mapped[str | None] = mapped_column(String)
    uuid: Mapped[str] = mapped_column(String, unique=True, default=lambda: str(uuid_.uuid4()))  # added in 0007


class Assignment(Base):
    """Claims a coach set, with a due date (added in 0008)."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String, unique=True)
    title: Mapped[str] = mapped_column(String)
    pack_id: Mapped[str] = mapped_column(String)
    claim_ids: Mapped[list[str]] = mapped_column(JSON)
    due_on: Mapped[date]
    students: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)  # None: the whole club
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String)


class ReviewCard(Base):
    """When a student's claim is due for review: FSRS's card (added in 0009).

    Derived from the profile's submitted attempts (``storage/review.py``):
    written with each attempt, and rebuilt from them when needed.
    """

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("profile_id", "pack_id", "claim_id"),
        Index("ix_review_cards_profile_id_due", "profile_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    pack_id: Mapped[str] = mapped_column(String)
    claim_id: Mapped[str] = mapped_column(String)
    due: Mapped[datetime]
    state: Mapped[int]
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    last_review: Mapped[datetime | None]
    reps: Mapped[int]
    lapses: Mapped[int]
    last_rating: Mapped[int | None]
    updated_at: Mapped[datetime]


class Setting(Base):
    """A key/value setting, global (``profile_id`` NULL) or per profile.

    Two partial unique indexes, because NULLs are distinct in a plain
    UNIQUE constraint on both SQLite and PostgreSQL.
    """

    __tablename__ = "settings"
    __table_args__ = (
        Index(
            "uq_settings_global_key",
            "key",
            unique=True,
            sqlite_where=sql_text("profile_id IS NULL"),
            postgresql_where=sql_text("profile_id IS NULL"),
        ),
        Index(
            "uq_settings_profile_id_key",
            "profile_id",
            "key",
            unique=True,
            sqlite_where=sql_text("profile_id IS NOT NULL"),
            postgresql_where=sql_text("profile_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String)
    value: Mapped[str] = mapped_column(Text)
