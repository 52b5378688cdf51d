"""SQLAlchemy 2 models. Each later feature adds its tables here and in a migration of its own."""

from __future__ import annotations

from datetime import time

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from broadcast.config import TIMEZONE

SCHEMES = ("legacy", "2025")
UNIT_KINDS = ("province", "district", "commune")
STATION_KINDS = ("commune", "district", "province")
VOICE_REGIONS = ("north", "central", "south")


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """An administrative unit of one scheme: province, district (legacy only) or commune."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("scheme", "code", name="uq_units_scheme_code"),
        CheckConstraint("kind IN ('province', 'district', 'commune')", name="ck_units_kind"),
        CheckConstraint("scheme IN ('legacy', '2025')", name="ck_units_scheme"),
        Index("ix_units_parent_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))  # full official name, e.g. "Xã Hoàng Đồng"
    short_name: Mapped[str] = mapped_column(String(200))  # without the type, e.g. "Hoàng Đồng"
    type_name: Mapped[str] = mapped_column(String(50))  # "Tỉnh", "Huyện", "Thành phố", "Xã", "Phường", …
    kind: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    @property
    def ref(self) -> str:
        """The scheme-qualified code, which is unambiguous when both schemes are loaded."""
        return f"{self.scheme}:{self.code}"


class Station(Base):
    """A loudspeaker or radio station serving one unit."""

    __tablename__ = "stations"
    __table_args__ = (
        CheckConstraint("kind IN ('commune', 'district', 'province')", name="ck_stations_kind"),
        CheckConstraint("voice_region IN ('north', 'central', 'south')", name="ck_stations_voice_region"),
        Index("ix_stations_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    voice_region: Mapped[str] = mapped_column(String(10), default="north")
    timezone: Mapped[str] = mapped_column(String(64), default=TIMEZONE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship()


class Session(Base):
    """A daily broadcast session (buổi phát) owned by exactly one unit or one station."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("(unit_id IS NULL) <> (station_id IS NULL)", name="ck_sessions_one_owner"),
        CheckConstraint("minutes BETWEEN 1 AND 1440", name="ck_sessions_minutes"),
        CheckConstraint("weekdays BETWEEN 1 AND 127", name="ck_sessions_weekdays"),
        UniqueConstraint("unit_id", "name", name="uq_sessions_unit_name"),
        UniqueConstraint("station_id", "name", name="uq_sessions_station_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    start: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(Integer)
    weekdays: Mapped[int] = mapped_column(Integer)  # bitmask, Monday = bit 0
