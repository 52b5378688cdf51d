"""SQLAlchemy 2 models. Each later feature adds its tables here and in a migration of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, Generic, TypedDict, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from broadcast.config import TIMEZONE
from broadcast.times import as_utc
from broadcast.vocabulary import SCHEMES as SCHEMES  # re-exported: older imports name them from here
from broadcast.vocabulary import STATION_KINDS as STATION_KINDS
from broadcast.vocabulary import UNIT_KINDS as UNIT_KINDS
from broadcast.vocabulary import VOICE_REGIONS as VOICE_REGIONS
from broadcast.vocabulary import MessageStatus, PlayStatus, Priority, Role

E = TypeVar("E", bound=StrEnum)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant, always stored in UTC and read back aware in UTC, on SQLite (which keeps no zone) as on
    PostgreSQL. A naive value is taken to be UTC already; a local one (Asia/Ho_Chi_Minh, say) is converted."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | date | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):  # a bare day: its start, in UTC
            value = datetime.combine(value, time(), UTC)
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Vocabulary(TypeDecorator[E], Generic[E]):
    """A StrEnum stored as its text in a VARCHAR column (checked by the table's CHECK constraint), read back as
    the enum member; no database enum type, so the schema is the same on SQLite and PostgreSQL."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


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
        CheckConstraint("speaking_rate BETWEEN 70 AND 130", name="ck_stations_speaking_rate"),
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
    engine: Mapped[str | None] = mapped_column(String(20))  # None: the configured default engine
    # Percent of the engine's normal pace (broadcast.speech.style): some areas want slower speech.
    speaking_rate: Mapped[int] = mapped_column(Integer, default=100, server_default="100")

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


class Directive(Base):
    """An official document (công văn, công điện, kế hoạch, …) as parsed from a file, stored once per content."""

    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[str | None] = mapped_column(String(10))  # "YYYY-MM-DD", or "YYYY-MM"/"YYYY" when left blank
    subject: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole parsed record, as `directive parse --json`
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)

    messages: Mapped[list[Message]] = relationship(back_populates="directive", order_by="Message.id")


class Message(Base):
    """An announcement to broadcast: drafted from a directive section or written by an office."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'approved', 'retired')", name="ck_messages_status"),
        CheckConstraint("priority IN ('normal', 'priority', 'emergency')", name="ck_messages_priority"),
        CheckConstraint("per_day IS NULL OR per_day >= 1", name="ck_messages_per_day"),
        Index("ix_messages_directive_id", "directive_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id", ondelete="SET NULL"))
    section_label: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[MessageStatus] = mapped_column(Vocabulary(MessageStatus, 10), default=MessageStatus.DRAFT)
    for_broadcast: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[Priority] = mapped_column(Vocabulary(Priority, 10), default=Priority.NORMAL)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    per_day: Mapped[int | None] = mapped_column(Integer)
    session_names: Mapped[str | None] = mapped_column(Text)  # comma-separated; None: any session
    weekdays: Mapped[int] = mapped_column(Integer, default=127)  # bitmask, Monday = bit 0
    approved_by: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rebuilt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # emergency rebuild done
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    directive: Mapped[Directive | None] = relationship(back_populates="messages")
    targets: Mapped[list[MessageTarget]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MessageTarget.id"
    )


class MessageTarget(Base):
    """Where a message goes: every station, the stations under a unit, or one station."""

    __tablename__ = "message_targets"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'all' AND unit_id IS NULL AND station_id IS NULL)"
            " OR (kind = 'unit' AND unit_id IS NOT NULL AND station_id IS NULL)"
            " OR (kind = 'station' AND station_id IS NOT NULL AND unit_id IS NULL)",
            name="ck_message_targets_kind",
        ),
        Index("ix_message_targets_message_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))

    message: Mapped[Message] = relationship(back_populates="targets")
    unit: Mapped[Unit | None] = relationship()
    station: Mapped[Station | None] = relationship()


class ProgramItem(TypedDict):
    """One message in a stored session: seconds from the session's start to its intro, and its own length."""

    message_id: int
    offset: float
    duration: float


class ProgramSession(TypedDict):
    name: str
    start: str  # "HH:MM", local time at the station
    end: str  # "HH:MM"
    items: list[ProgramItem]


class Program(TypedDict):
    """The stored program of one audience's day (PlanDay.program), as the planner wrote it."""

    sessions: list[ProgramSession]


class StoredShortfall(TypedDict):
    message_id: int
    wanted: int
    placed: int
    reason: str


class PlanDay(Base):
    """One day's program for one audience: the stations that share eligible messages and sessions."""

    __tablename__ = "plan_days"
    __table_args__ = (
        UniqueConstraint("day", "audience", name="uq_plan_days_day_audience"),
        Index("ix_plan_days_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    audience: Mapped[str] = mapped_column(String(64))  # hash of the audience's sessions and eligible messages
    stations: Mapped[list[str]] = mapped_column(JSON)  # station codes
    program: Mapped[Program] = mapped_column(JSON)
    shortfalls: Mapped[list[StoredShortfall]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Segment(Base):
    """One piece of rendered speech, stored once per (engine, voice, spoken text, audio settings)."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of what the audio is made from
    engine: Mapped[str] = mapped_column(String(20))  # the engine asked for
    voice: Mapped[str] = mapped_column(Text)
    settings: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # the normalised, speakable text
    sha256: Mapped[str] = mapped_column(String(64))  # of the MP3 file, which is stored as audio/<sha256>.mp3
    bytes: Mapped[int] = mapped_column(Integer)
    duration: Mapped[float] = mapped_column(Float)  # seconds
    loudness: Mapped[float] = mapped_column(Float)  # LUFS, integrated, measured on the MP3
    true_peak: Mapped[float] = mapped_column(Float)  # dBTP
    rendered_by: Mapped[str] = mapped_column(String(20))  # differs from engine when a fallback spoke
    fallback_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StationToken(Base):
    """A station's API token, stored only as its sha256; the token itself is shown once when issued."""

    __tablename__ = "station_tokens"
    __table_args__ = (Index("ix_station_tokens_station_id", "station_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    station: Mapped[Station] = relationship()


class PlayLog(Base):
    """One as-run entry a station reported: what it played (or failed to play), when and for how long."""

    __tablename__ = "play_logs"
    __table_args__ = (
        UniqueConstraint("station_id", "entry_id", name="uq_play_logs_station_entry"),
        CheckConstraint("status IN ('played', 'failed', 'skipped', 'interrupted')", name="ck_play_logs_status"),
        Index("ix_play_logs_day", "day"),
        Index("ix_play_logs_message_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    entry_id: Mapped[str] = mapped_column(String(64))  # chosen by the station; the same entry twice is stored once
    day: Mapped[date] = mapped_column(Date)
    session: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: reports outlive deleted messages
    sha256: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration: Mapped[float] = mapped_column(Float)
    status: Mapped[PlayStatus] = mapped_column(Vocabulary(PlayStatus, 12))
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    cut_at: Mapped[float | None] = mapped_column(Float)  # seconds into an interrupted item where it stopped


class EmergencyJob(Base):
    """An approved emergency message waiting for its speech and its rebuild: the durable queue `serve` works
    through. A row is claimed while a worker does it, and done only when the rebuild is finished."""

    __tablename__ = "emergency_queue"
    __table_args__ = (
        Index("ix_emergency_queue_done_at", "done_at"),
        Index("ix_emergency_queue_message_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(80))  # the worker doing it now; None when free
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rendered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # its speech is in the segment store
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the rebuild is published
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)  # the last failure, for the operator


class StationContact(Base):
    """When a station last called the API, with the software version and free disk it reported then."""

    __tablename__ = "station_contacts"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    software: Mapped[str | None] = mapped_column(String(64))  # "0.11.0", from User-Agent: broadcast-station/0.11.0
    free_disk: Mapped[int | None] = mapped_column(BigInteger)  # bytes free in the station's mirror folder


class User(Base):
    """An office account: a role within a scope (a unit and its subtree); an operator's scope is one station."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'approver', 'editor', 'operator')", name="ck_users_role"),
        CheckConstraint("role <> 'operator' OR station_id IS NOT NULL", name="ck_users_operator_station"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # lower case, as typed at login
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Vocabulary(Role, 10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))  # None: the country
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="RESTRICT"))  # operators
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, with its parameters and salt
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    unit: Mapped[Unit | None] = relationship()
    station: Mapped[Station | None] = relationship()


class WebSession(Base):
    """A signed-in browser: only the sha256 of its cookie is kept; it ends at expires_at or when idle too long."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    address: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """One failed sign-in, by the name typed and the address it came from, for throttling."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username", "username"),
        Index("ix_login_failures_address", "address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """One change, as the audit trail (nhật ký) records it: who, when (UTC), what, and the values before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_kind", "kind"),
        Index("ix_audit_log_user_id", "user_id"),
        Index("ix_audit_log_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the trail outlives accounts
    actor: Mapped[str] = mapped_column(String(200))  # "hoa (Trần Thị Hoa)", or "cli:root" for the machine's operator
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "message.approve"
    object_type: Mapped[str] = mapped_column(String(20))  # message, directive, station, session, token, user
    object_id: Mapped[str | None] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(Integer)  # the unit it concerns, for filtering by scope
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
