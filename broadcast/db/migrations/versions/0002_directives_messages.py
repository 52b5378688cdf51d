"""Directives read from files and the messages drafted from them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
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
        "directives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("doc_type", sa.String(20), nullable=False),
        sa.Column("number", sa.Text, nullable=True),
        sa.Column("issuer", sa.Text, nullable=True),
        sa.Column("issued_on", sa.String(10), nullable=True),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("directive_id", sa.Integer, sa.ForeignKey("directives.id", ondelete="SET NULL"), nullable=True),
        sa.Column("section_label", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("for_broadcast", sa.Boolean, nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=True),
        sa.Column("ends_on", sa.Date, nullable=True),
        sa.Column("per_day", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'approved', 'retired')", name="ck_messages_status"),
        sa.CheckConstraint("priority IN ('normal', 'priority', 'emergency')", name="ck_messages_priority"),
        sa.CheckConstraint("per_day IS NULL OR per_day >= 1", name="ck_messages_per_day"),
    )
    op.create_index("ix_messages_directive_id", "messages", ["directive_id"])


def downgrade() -> None:
    op.drop_index("ix_messages_directive_id", "messages")
    op.drop_table("messages")
    op.drop_table("directives")
