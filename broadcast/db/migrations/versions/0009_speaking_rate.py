"""A speaking rate per station, in percent of the engine's normal pace (100 for every existing station).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:  # batch: SQLite adds a check constraint by copying the table
        batch.add_column(sa.Column("speaking_rate", sa.Integer, nullable=False, server_default="100"))
        batch.create_check_constraint("ck_stations_speaking_rate", "speaking_rate BETWEEN 70 AND 130")


def downgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.drop_constraint("ck_stations_speaking_rate", type_="check")
        batch.drop_column("speaking_rate")
