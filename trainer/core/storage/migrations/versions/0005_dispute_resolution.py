"""Disputes a coach resolves: ``disputes.status`` and the resolution.

``status`` is ``open`` (every existing dispute), ``accepted`` or ``rejected``.
An accepted dispute names the verdict the coach gave the key point
(``override_verdict``); the attempt's score follows it, and the score before
the override stays in ``attempt_scores`` (issue 15). ``resolved_by`` is the
coach's name when they resolved it, so it survives the coach profile.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disputes") as batch:
        batch.add_column(sa.Column("status", sa.String(), nullable=False, server_default="open"))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("resolution_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("override_verdict", sa.String(), nullable=True))
        batch.create_check_constraint("ck_disputes_status", "status IN ('open', 'accepted', 'rejected')")
        batch.create_check_constraint(
            "ck_disputes_override_verdict",
            "override_verdict IS NULL OR override_verdict IN ('covered', 'partly', 'missed')",
        )
        batch.create_index("ix_disputes_status", ["status"])


def downgrade() -> None:
    with op.batch_alter_table("disputes") as batch:
        batch.drop_index("ix_disputes_status")
        batch.drop_constraint("ck_disputes_override_verdict", type_="check")
        batch.drop_constraint("ck_disputes_status", type_="check")
        for column in ("override_verdict", "resolution_note", "resolved_by", "resolved_at", "status"):
            batch.drop_column(column)
