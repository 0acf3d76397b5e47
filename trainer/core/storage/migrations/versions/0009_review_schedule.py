"""The review schedule: one FSRS card per profile × claim (issue 17).

``review_cards`` holds when each claim a student has tried is due for review
(``trainer/core/review.py``). A card is derived from the profile's submitted
attempts, so existing users get their schedule here: each profile × claim's
attempts are replayed in time order, in Python, with the default rating
thresholds (none could be set before this revision). The replay uses the
app's ``core/review.py``; a card is derived data, so a later change there
only changes what a rebuild gives.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    cards = op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("due", UTC_DATETIME, nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("last_review", UTC_DATETIME, nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_rating", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_cards"),
        sa.UniqueConstraint("profile_id", "pack_id", "claim_id", name="uq_review_cards_profile_id_pack_id_claim_id"),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"], name="fk_review_cards_profile_id_profiles", ondelete="CASCADE"),
    )
    op.create_index("ix_review_cards_profile_id_due", "review_cards", ["profile_id", "due"])
    _backfill(cards)


def _backfill(cards: sa.Table) -> None:
    from trainer.core.review import Thresholds, replay

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    def read(value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def write(value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None) if sqlite else value.astimezone(UTC)

    attempts = sa.table(
        "attempts", sa.column("id", sa.Integer()), sa.column("profile_id", sa.Integer()), sa.column("pack_id", sa.String()),
        sa.column("claim_id", sa.String()), sa.column("submitted_at", UTC_DATETIME), sa.column("score", sa.Float()),
    )
    answers: dict[tuple[int, str, str], list[tuple[datetime, float | None]]] = defaultdict(list)
    query = sa.select(attempts.c.profile_id, attempts.c.pack_id, attempts.c.claim_id, attempts.c.submitted_at, attempts.c.score)
    for profile_id, pack_id, claim_id, submitted_at, score in bind.execute(query.order_by(attempts.c.submitted_at, attempts.c.id)):
        answers[(profile_id, pack_id, claim_id)].append((read(submitted_at), score))
    now = datetime.now(UTC)
    rows = []
    for (profile_id, pack_id, claim_id), given in answers.items():
        card = replay(given, profile_id=profile_id, pack_id=pack_id, claim_id=claim_id, thresholds=Thresholds(), now=now)
        assert card is not None
        rows.append({
            "profile_id": profile_id, "pack_id": pack_id, "claim_id": claim_id, "due": write(card.due), "state": card.state,
            "step": card.step, "stability": card.stability, "difficulty": card.difficulty, "last_review": write(card.last_review),
            "reps": card.reps, "lapses": card.lapses, "last_rating": card.last_rating, "updated_at": write(card.updated_at),
        })
    for start in range(0, len(rows), 1000):
        bind.execute(cards.insert(), rows[start:start + 1000])


def downgrade() -> None:
    op.drop_index("ix_review_cards_profile_id_due", table_name="review_cards")
    op.drop_table("review_cards")
