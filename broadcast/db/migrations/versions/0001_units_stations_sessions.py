"""Administrative units, stations and broadcast sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("short_name", sa.String(200), nullable=False),
        sa.Column("type_name", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=True),
        sa.UniqueConstraint("scheme", "code", name="uq_units_scheme_code"),
        sa.CheckConstraint("kind IN ('province', 'district', 'commune')", name="ck_units_kind"),
        sa.CheckConstraint("scheme IN ('legacy', '2025')", name="ck_units_scheme"),
    )
    op.create_index("ix_units_parent_id", "units", ["parent_id"])

    op.create_table(
        "stations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(250), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("voice_region", sa.String(10), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.CheckConstraint("kind IN ('commune', 'district', 'province')", name="ck_stations_kind"),
        sa.CheckConstraint("voice_region IN ('north', 'central', 'south')", name="ck_stations_voice_region"),
    )
    op.create_index("ix_stations_unit_id", "stations", ["unit_id"])

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("start", sa.Time, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("weekdays", sa.Integer, nullable=False),
        sa.CheckConstraint("(unit_id IS NULL) <> (station_id IS NULL)", name="ck_sessions_one_owner"),
        sa.CheckConstraint("minutes BETWEEN 1 AND 1440", name="ck_sessions_minutes"),
        sa.CheckConstraint("weekdays BETWEEN 1 AND 127", name="ck_sessions_weekdays"),
        sa.UniqueConstraint("unit_id", "name", name="uq_sessions_unit_name"),
        sa.UniqueConstraint("station_id", "name", name="uq_sessions_station_name"),
    )


def downgrade() -> None:
    op.drop_table("sessions")
    op.drop_index("ix_stations_unit_id", "stations")
    op.drop_table("stations")
    op.drop_index("ix_units_parent_id", "units")
    op.drop_table("units")
