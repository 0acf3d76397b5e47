"""Idempotent attempts: ``attempts.client_uuid``.

A UUID the client generates for each submitted attempt, unique when present,
so an attempt written again from the offline outbox (after a crash between
writing it and crossing it off) is never stored twice. Existing rows: NULL.

Revision ID: 0003
Revises: 0002
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("client_uuid", sa.String(), nullable=True))
        batch.create_unique_constraint("uq_attempts_client_uuid", ["client_uuid"])


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_constraint("uq_attempts_client_uuid", type_="unique")
        batch.drop_column("client_uuid")
