"""The emergency queue (a durable list of approved emergencies to render and rebuild for), and play logs that
say where an interrupted item was cut off.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('played', 'failed', 'skipped')"
NEW_STATUSES = "status IN ('played', 'failed', 'skipped', 'interrupted')"


def upgrade() -> None:
    op.create_table(
        "emergency_queue",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_emergency_queue_done_at", "emergency_queue", ["done_at"])
    op.create_index("ix_emergency_queue_message_id", "emergency_queue", ["message_id"])
    with op.batch_alter_table("play_logs") as batch:
        batch.drop_constraint("ck_play_logs_status", type_="check")
        batch.alter_column("status", type_=sa.String(12), existing_type=sa.String(10), existing_nullable=False)
        batch.add_column(sa.Column("cut_at", sa.Float, nullable=True))
        batch.create_check_constraint("ck_play_logs_status", NEW_STATUSES)


def downgrade() -> None:
    op.execute("DELETE FROM play_logs WHERE status = 'interrupted'")
    with op.batch_alter_table("play_logs") as batch:
        batch.drop_constraint("ck_play_logs_status", type_="check")
        batch.drop_column("cut_at")
        batch.alter_column("status", type_=sa.String(10), existing_type=sa.String(12), existing_nullable=False)
        batch.create_check_constraint("ck_play_logs_status", OLD_STATUSES)
    op.drop_index("ix_emergency_queue_message_id", "emergency_queue")
    op.drop_index("ix_emergency_queue_done_at", "emergency_queue")
    op.drop_table("emergency_queue")
