"""Rendered speech segments, content-addressed; each station may name its own speech engine.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("voice", sa.Text, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("loudness", sa.Float, nullable=False),
        sa.Column("true_peak", sa.Float, nullable=False),
        sa.Column("rendered_by", sa.String(20), nullable=False),
        sa.Column("fallback_reason", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("stations") as batch:
        batch.add_column(sa.Column("engine", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("engine")
    op.drop_table("segments")
