"""Initial schema: profiles, attempts, drafts, disputes, settings.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("pin_hash", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        sa.UniqueConstraint("name", name="uq_profiles_name"),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(), nullable=False),
        sa.Column("pack_version", sa.String(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("perspective_id", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("submitted_at", UTC_DATETIME, nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("matcher_version", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_attempts_profile_id_profiles",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_attempts_profile_id_submitted_at", "attempts", ["profile_id", "submitted_at"]
    )
    op.create_index("ix_attempts_pack_id_claim_id", "attempts", ["pack_id", "claim_id"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("perspective_id", sa.String(), nullable=True),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.UniqueConstraint(
            "profile_id", "pack_id", "claim_id", name="uq_drafts_profile_id_pack_id_claim_id"
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_drafts_profile_id_profiles",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("key_point_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disputes"),
        sa.CheckConstraint("kind IN ('did-make-point', 'verdict-wrong')", name="ck_disputes_kind"),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name="fk_disputes_attempt_id_attempts",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_disputes_attempt_id", "disputes", ["attempt_id"])
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_settings"),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_settings_profile_id_profiles",
            ondelete="CASCADE",
        ),
    )
    # NULLs are distinct in UNIQUE constraints, so global and per-profile keys
    # get one partial unique index each.
    op.create_index(
        "uq_settings_global_key",
        "settings",
        ["key"],
        unique=True,
        sqlite_where=sa.text("profile_id IS NULL"),
        postgresql_where=sa.text("profile_id IS NULL"),
    )
    op.create_index(
        "uq_settings_profile_id_key",
        "settings",
        ["profile_id", "key"],
        unique=True,
        sqlite_where=sa.text("profile_id IS NOT NULL"),
        postgresql_where=sa.text("profile_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("disputes")
    op.drop_table("drafts")
    op.drop_table("attempts")
    op.drop_table("profiles")
