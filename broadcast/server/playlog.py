"""The as-run log stations send back: validated entries, stored once each however often they are sent."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import PlayLog
from broadcast.vocabulary import PlayStatus

MAX_ENTRIES = 5000
MAX_BODY_BYTES = 4 * 1024 * 1024  # 5,000 entries of ~300 bytes each, with room to spare
_INT32 = 2**31 - 1
# Printable text only: control characters (NUL above all, which PostgreSQL refuses) and lone surrogates are out.
_PRINTABLE = re.compile(r"[^\x00-\x1f\x7f\ud800-\udfff]*")


def _printable(value: str | None) -> str | None:
    if value is not None and not _PRINTABLE.fullmatch(value):
        raise ValueError("must not contain control characters")
    return value


class PlayEntry(BaseModel):
    """One item a station played, failed or skipped."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=64, description="Chosen by the station; unique per station.")]
    date: dt.date
    session: Annotated[str | None, Field(max_length=200)] = None
    kind: Annotated[str, Field(min_length=1, max_length=20)]
    message_id: Annotated[int | None, Field(ge=1, le=_INT32)] = None
    sha256: Annotated[str | None, Field(pattern=r"^[0-9a-f]{64}$")] = None
    started_at: AwareDatetime = Field(description="ISO 8601 with a UTC offset, e.g. 2025-03-01T05:30:00+07:00.")
    duration: Annotated[float, Field(ge=0, le=86400 * 2, allow_inf_nan=False)]
    status: PlayStatus
    emergency: bool = False
    cut_at: Annotated[float | None, Field(ge=0, le=86400, allow_inf_nan=False)] = Field(
        None, description="For an interrupted item: seconds into it where it was faded out for an emergency."
    )

    @field_validator("id", "session", "kind")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return _printable(value)

    @field_validator("started_at")
    @classmethod
    def _in_range(cls, value: datetime) -> datetime:
        try:
            utc = value.astimezone(UTC)
        except OverflowError:
            raise ValueError("is out of range") from None
        if not 1970 <= utc.year <= 9998:
            raise ValueError("must be between 1970 and 9998")
        return utc

    @field_validator("date")
    @classmethod
    def _plausible(cls, value: dt.date) -> dt.date:
        if not 1970 <= value.year <= 9998:
            raise ValueError("must be between 1970 and 9998")
        return value

    @field_validator("duration")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number of seconds")
        return value


class PlayLogBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: Annotated[list[PlayEntry], Field(max_length=MAX_ENTRIES)]


class PlayLogReceipt(BaseModel):
    received: int = Field(description="Entries in the request.")
    stored: int = Field(description="Entries new to the server; the rest were stored before.")


def store_entries(db: DbSession, station_id: int, entries: Sequence[PlayEntry], now: datetime) -> int:
    """Insert the entries the station has not sent before; return how many were new."""
    unique = {entry.id: entry for entry in entries}  # the same id twice in one batch is one entry
    if not unique:
        return 0
    rows = [
        {
            "station_id": station_id,
            "entry_id": entry.id,
            "day": entry.date,
            "session": entry.session,
            "kind": entry.kind,
            "message_id": entry.message_id,
            "sha256": entry.sha256,
            "started_at": entry.started_at,
            "duration": entry.duration,
            "status": entry.status,
            "emergency": entry.emergency,
            "cut_at": entry.cut_at,
            "received_at": now,
        }
        for entry in unique.values()
    ]
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stored = 0
    for start in range(0, len(rows), 500):
        statement = (
            insert(PlayLog)
            .values(rows[start : start + 500])
            .on_conflict_do_nothing(index_elements=[PlayLog.station_id, PlayLog.entry_id])
            .returning(PlayLog.id)
        )
        stored += len(db.execute(statement).all())
    return stored
