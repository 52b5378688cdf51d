"""When each station last called the API, its software version and free disk.

Revision ID: 0008
Revises: 0006 (chained after 0007 when merged)
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_contacts",
        sa.Column(
            "station_id", sa.Integer, sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True, nullable=False
        ),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("software", sa.String(64), nullable=True),
        sa.Column("free_disk", sa.BigInteger, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("station_contacts")
