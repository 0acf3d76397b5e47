"""Score history and draft cursors.

* ``attempt_scores``: earlier scores of an attempt, kept when it is re-scored;
* ``attempts.scored_at``: when the current score was computed (existing rows:
  their ``submitted_at``);
* ``drafts.cursor_position``: where the caret was (existing rows: 0).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("matcher_version", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_attempt_scores"),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name="fk_attempt_scores_attempt_id_attempts",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_attempt_scores_attempt_id", "attempt_scores", ["attempt_id"])

    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE attempts SET scored_at = submitted_at")
    with op.batch_alter_table("attempts") as batch:
        batch.alter_column("scored_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table("drafts") as batch:
        batch.add_column(
            sa.Column("cursor_position", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("cursor_position")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("scored_at")
    op.drop_index("ix_attempt_scores_attempt_id", table_name="attempt_scores")
    op.drop_table("attempt_scores")
