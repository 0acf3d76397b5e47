"""Assignments: claims (or a whole pack) a coach sets, with a due date (issue 16).

``claim_ids`` and ``students`` are small JSON lists: the claims, and the
students it is for (``[{"uuid", "name"}]``, or ``NULL`` for the whole club).
On a shared database an assignment is simply there; for offline laptops it
travels as a ``.steelassign`` file and is stored on the laptop by its ``uuid``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("pack_id", sa.String(), nullable=False),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("students", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.UniqueConstraint("uuid", name="uq_assignments_uuid"),
    )


def downgrade() -> None:
    op.drop_table("assignments")
