"""Stable ids for results that travel: ``profiles.uuid`` and ``disputes.uuid``.

A ``.steelresults`` file carries a student's work from a laptop to the coach
(``docs/results-format.md``). The coach's copy matches students by
``profiles.uuid``, attempts by ``attempts.client_uuid`` and disputes by
``disputes.uuid``, so importing a file twice adds nothing. Every existing
profile and dispute gets a fresh uuid here, and so does every attempt still
without a ``client_uuid`` (written before 0003).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _fill(table: str, column: str) -> None:
    bind = op.get_bind()
    t = sa.table(table, sa.column("id", sa.Integer()), sa.column(column, sa.String()))
    ids = [row[0] for row in bind.execute(sa.select(t.c.id).where(t.c[column].is_(None)))]
    for start in range(0, len(ids), 500):
        bind.execute(
            t.update().where(t.c.id == sa.bindparam("row_id")).values({column: sa.bindparam("value")}),
            [{"row_id": i, "value": str(uuid.uuid4())} for i in ids[start:start + 500]],
        )


def upgrade() -> None:
    for table in ("profiles", "disputes"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("uuid", sa.String(), nullable=True))
        _fill(table, "uuid")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("uuid", existing_type=sa.String(), nullable=False)
            batch.create_unique_constraint(f"uq_{table}_uuid", ["uuid"])
    _fill("attempts", "client_uuid")


def downgrade() -> None:
    for table in ("disputes", "profiles"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_uuid", type_="unique")
            batch.drop_column("uuid")
