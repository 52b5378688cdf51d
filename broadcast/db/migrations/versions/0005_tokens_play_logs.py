"""Station API tokens and the as-run play logs stations report.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_station_tokens_station_id", "station_tokens", ["station_id"])
    op.create_table(
        "play_logs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("session", sa.Text, nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("message_id", sa.Integer, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("emergency", sa.Boolean, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("station_id", "entry_id", name="uq_play_logs_station_entry"),
        sa.CheckConstraint("status IN ('played', 'failed', 'skipped')", name="ck_play_logs_status"),
    )
    op.create_index("ix_play_logs_day", "play_logs", ["day"])
    op.create_index("ix_play_logs_message_id", "play_logs", ["message_id"])


def downgrade() -> None:
    op.drop_index("ix_play_logs_message_id", "play_logs")
    op.drop_index("ix_play_logs_day", "play_logs")
    op.drop_table("play_logs")
    op.drop_index("ix_station_tokens_station_id", "station_tokens")
    op.drop_table("station_tokens")
