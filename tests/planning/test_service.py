"""Planning a date range against the database: targets, audiences and stored programs, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from broadcast.config import DEFAULT_SESSIONS, load_settings
from broadcast.db import Database
from broadcast.db.models import PlanDay
from broadcast.errors import MessageError
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.planning.service import plan_range
from broadcast.units.importer import import_units

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
DAY = date(2026, 11, 27)


@pytest.fixture
def lang_son(database: Database, tmp_path: object) -> Database:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
    return database


def settings(tmp_path: object) -> object:
    return load_settings(env={"BROADCAST_HOME": str(tmp_path)})


def approved(database: Database, tmp_path: object, title: str, targets: list[str], **extra: object) -> int:
    changes = MessageChanges(
        title=title,
        text=f"Thông báo về {title.lower()} tới bà con nhân dân trong xã.",
        targets=targets,
        starts_on=DAY,
        ends_on=DAY,
        **extra,  # type: ignore[arg-type]
    )
    with database.transaction() as db:
        message = add_message(db, changes, NOW)
        approve_message(db, settings(tmp_path), message.id, "Cán bộ duyệt", NOW)  # type: ignore[arg-type]
        return message.id


def programs(database: Database) -> dict[str, list[int]]:
    """Each station's message ids for the day, across its sessions."""
    out: dict[str, list[int]] = {}
    with database.transaction() as db:
        for row in db.scalars(select(PlanDay)):
            played = [i["message_id"] for s in row.program["sessions"] for i in s["items"]]
            for code in row.stations:
                out[code] = played
    return out


def test_targets_reach_their_subtrees(lang_son: Database, tmp_path: object) -> None:
    everyone = approved(lang_son, tmp_path, "Phòng chống cháy rừng", ["all"])
    district = approved(lang_son, tmp_path, "Lịch cắt điện Văn Quan", ["184"])
    commune = approved(lang_son, tmp_path, "Họp thôn", ["legacy-06253"])
    with lang_son.transaction() as db:
        summary = plan_range(db, settings(tmp_path), DAY, 1, NOW)  # type: ignore[arg-type]
    played = programs(lang_son)
    assert len(played) == 205 == summary.station_days
    assert sorted(played["legacy-06253"]) == sorted([everyone, district, commune])  # thị trấn Văn Quan
    assert sorted(played["legacy-184"]) == sorted([everyone, district])  # Văn Quan district's own station
    assert played["legacy-06187"] == [everyone]  # a commune in Cao Lộc
    # Audiences: Văn Quan's commune with its own message, the rest of Văn Quan, everyone else.
    assert summary.audiences == 3
    assert summary.shortfalls == []


def test_stations_share_one_stored_program_per_audience(lang_son: Database, tmp_path: object) -> None:
    approved(lang_son, tmp_path, "Tiêm chủng", ["20"], per_day=2)
    with lang_son.transaction() as db:
        plan_range(db, settings(tmp_path), DAY, 1, NOW)  # type: ignore[arg-type]
        rows = list(db.scalars(select(PlanDay)))
    assert len(rows) == 1 and len(rows[0].stations) == 205
    assert [len(s["items"]) for s in rows[0].program["sessions"]] == [1, 1]


def test_replanning_replaces_the_range(lang_son: Database, tmp_path: object) -> None:
    approved(lang_son, tmp_path, "Tiêm chủng", ["all"])
    with lang_son.transaction() as db:
        plan_range(db, settings(tmp_path), DAY, 1, NOW)  # type: ignore[arg-type]
        plan_range(db, settings(tmp_path), DAY, 1, NOW)  # type: ignore[arg-type]
        assert len(list(db.scalars(select(PlanDay)))) == 1


def test_nothing_to_plan(lang_son: Database, tmp_path: object) -> None:
    with pytest.raises(MessageError, match="nothing to plan"), lang_son.transaction() as db:
        plan_range(db, settings(tmp_path), DAY, 1, NOW)  # type: ignore[arg-type]
