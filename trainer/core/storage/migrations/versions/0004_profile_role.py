"""Coach profiles: ``profiles.role``.

``student`` (every existing profile) or ``coach``. A coach's PIN is required;
an unlocked coach may read every student's work (issue 15).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("role", sa.String(), nullable=False, server_default="student"))
        batch.create_check_constraint("ck_profiles_role", "role IN ('student', 'coach')")


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_constraint("ck_profiles_role", type_="check")
        batch.drop_column("role")
