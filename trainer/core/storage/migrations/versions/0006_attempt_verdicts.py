"""Each attempt's key point verdicts in a table of their own: ``attempt_verdicts``.

The class overview counts verdicts across the club; reading them out of every
attempt's breakdown JSON took about 2 s for 8,700 attempts
(``bench/class_overview.py``). The rows are filled here from the stored
breakdowns, and written with every breakdown from now on. The attempts' index
on (pack, claim) becomes a covering index of the overview's columns.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERDICTS = ("covered", "partly", "missed")
BATCH = 500
OVERVIEW_COLUMNS = ("pack_id", "claim_id", "profile_id", "submitted_at", "score", "perspective_id", "duration_seconds")


def _pairs(breakdown: object) -> list[tuple[str, str]]:
    if isinstance(breakdown, str):
        try:
            breakdown = json.loads(breakdown)
        except ValueError:
            return []
    if not isinstance(breakdown, dict):
        return []
    found: dict[str, str] = {}
    for kp in breakdown.get("key_points", ()) or ():
        if isinstance(kp, dict) and isinstance(kp.get("key_point_id"), str) and kp.get("verdict") in VERDICTS:
            found.setdefault(kp["key_point_id"], kp["verdict"])
    return list(found.items())


def upgrade() -> None:
    verdicts = op.create_table(
        "attempt_verdicts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("attempt_id", sa.Integer(), sa.ForeignKey("attempts.id", ondelete="CASCADE", name="fk_attempt_verdicts_attempt_id_attempts"), nullable=False),
        sa.Column("key_point_id", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.CheckConstraint("verdict IN ('covered', 'partly', 'missed')", name="ck_attempt_verdicts_verdict"),
        sa.UniqueConstraint("attempt_id", "key_point_id", name="uq_attempt_verdicts_attempt_id_key_point_id"),
    )
    op.create_index(
        "ix_attempt_verdicts_attempt_id_key_point_id_verdict", "attempt_verdicts", ["attempt_id", "key_point_id", "verdict"]
    )
    # The overview's columns in one index, so that its queries never read the
    # attempts' rows (texts and breakdowns); it serves a pack's attempts too.
    op.drop_index("ix_attempts_pack_id_claim_id", table_name="attempts")
    op.create_index("ix_attempts_overview", "attempts", list(OVERVIEW_COLUMNS))
    attempts = sa.table("attempts", sa.column("id", sa.Integer()), sa.column("breakdown", sa.JSON()))
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(attempts.c.id, attempts.c.breakdown).where(attempts.c.id > last).order_by(attempts.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        values = [{"attempt_id": i, "key_point_id": k, "verdict": v} for i, b in rows for k, v in _pairs(b)]
        if values:
            bind.execute(verdicts.insert(), values)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_attempts_overview", table_name="attempts")
    op.create_index("ix_attempts_pack_id_claim_id", "attempts", ["pack_id", "claim_id"])
    op.drop_table("attempt_verdicts")
