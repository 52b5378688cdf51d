"""Message targets, approval and session restrictions; stored plans per day and audience.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("session_names", sa.Text, nullable=True))
        batch.add_column(sa.Column("weekdays", sa.Integer, nullable=False, server_default="127"))
        batch.add_column(sa.Column("approved_by", sa.Text, nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("rebuilt_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("messages") as batch:
        batch.alter_column("weekdays", server_default=None)
    op.create_table(
        "message_targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=True),
        sa.CheckConstraint(
            "(kind = 'all' AND unit_id IS NULL AND station_id IS NULL)"
            " OR (kind = 'unit' AND unit_id IS NOT NULL AND station_id IS NULL)"
            " OR (kind = 'station' AND station_id IS NOT NULL AND unit_id IS NULL)",
            name="ck_message_targets_kind",
        ),
    )
    op.create_index("ix_message_targets_message_id", "message_targets", ["message_id"])
    op.create_table(
        "plan_days",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("audience", sa.String(64), nullable=False),
        sa.Column("stations", sa.JSON, nullable=False),
        sa.Column("program", sa.JSON, nullable=False),
        sa.Column("shortfalls", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("day", "audience", name="uq_plan_days_day_audience"),
    )
    op.create_index("ix_plan_days_day", "plan_days", ["day"])


def downgrade() -> None:
    op.drop_index("ix_plan_days_day", "plan_days")
    op.drop_table("plan_days")
    op.drop_index("ix_message_targets_message_id", "message_targets")
    op.drop_table("message_targets")
    with op.batch_alter_table("messages") as batch:
        for column in ("rebuilt_at", "approved_at", "approved_by", "weekdays", "session_names"):
            batch.drop_column(column)
