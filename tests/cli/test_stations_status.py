"""`broadcast stations status`: silent stations, sessions missed yesterday and unplayed emergencies, as a table for
people and JSON for scripts, for a unit's subtree; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from broadcast.db import open_database
from broadcast.db.models import Message, MessageTarget, PlanDay, Station, StationContact, Unit
from broadcast.times import today, utc_now
from tests.cli.test_cli import fails, lang_son, ok
from tests.conftest import Invoke

__all__ = ["lang_son"]

SEEN = "legacy-06253"  # Đài Truyền thanh thị trấn Văn Quan (huyện Văn Quan, legacy:184)
QUIET = "legacy-183"  # Đài huyện Cao Lộc


@pytest.fixture
def status_site(lang_son: Invoke, db_url: str) -> Invoke:
    """Lạng Sơn with one station seen an hour ago, one seen two days ago, a session of yesterday planned for the
    first and never played, and an emergency for huyện Cao Lộc approved an hour ago and played nowhere."""
    now = utc_now()
    database = open_database(db_url)
    with database.transaction() as db:
        ids = dict(db.execute(select(Station.code, Station.id).where(Station.code.in_([SEEN, QUIET]))).all())
        db.add(StationContact(station_id=ids[SEEN], last_seen_at=now - timedelta(hours=1), software="0.1.0",
                              free_disk=12_500_000_000))  # fmt: skip
        db.add(StationContact(station_id=ids[QUIET], last_seen_at=now - timedelta(hours=50), software="0.0.9"))
        yesterday = today("Asia/Ho_Chi_Minh", now) - timedelta(days=1)
        session = {"name": "sáng", "start": "05:30", "end": "06:00", "items": [{"message_id": 7, "offset": 1.0,
                   "duration": 30.0}]}  # fmt: skip
        db.add(PlanDay(day=yesterday, audience="x", stations=[SEEN], program={"sessions": [session]}, shortfalls=[],
                       created_at=now))  # fmt: skip
        cao_loc = db.scalars(select(Unit).where(Unit.scheme == "legacy", Unit.code == "183")).one()
        on = today("Asia/Ho_Chi_Minh", now)
        db.add(Message(title="Khẩn cấp: lũ quét", text="Lũ quét ở thượng nguồn, bà con tránh xa bờ suối.",
                       status="approved", priority="emergency", for_broadcast=True, starts_on=on, ends_on=on,
                       per_day=1, weekdays=127, approved_at=now - timedelta(hours=1), created_at=now,
                       updated_at=now, targets=[MessageTarget(kind="unit", unit_id=cao_loc.id)]))  # fmt: skip
    database.dispose()
    return lang_son


def test_json_lists_silent_stations_missed_sessions_and_unplayed_emergencies(status_site: Invoke) -> None:
    data = json.loads(ok(status_site, "stations", "status", "--json"))
    silent = {s["code"]: s for s in data["silent"]}
    assert SEEN not in silent
    assert silent[QUIET]["state"] == "silent" and silent[QUIET]["software"] == "0.0.9"
    assert data["counts"]["never_seen"] == data["stations"] - 2 == len(silent) - 1
    assert data["counts"]["missed"] == 1  # seen, but missed yesterday's morning
    assert [(s["station"], s["session"], s["state"], s["planned"], s["played"]) for s in data["sessions"]] == [
        (SEEN, "sáng", "missed", 1, 0)
    ]
    emergencies = {e["station"] for e in data["emergencies"]}
    assert QUIET in emergencies and SEEN not in emergencies  # Cao Lộc's stations only
    assert all(e["title"] == "Khẩn cấp: lũ quét" for e in data["emergencies"])

    # A longer window: the station seen two days ago is no longer silent.
    longer = json.loads(ok(status_site, "stations", "status", "--json", "--hours", "72"))
    assert QUIET not in {s["code"] for s in longer["silent"]}


def test_under_a_district_lists_only_its_stations(status_site: Invoke) -> None:
    data = json.loads(ok(status_site, "stations", "status", "--under", "legacy:184", "--json"))
    codes = {s["code"] for s in data["silent"]}
    assert codes and all(code != QUIET for code in codes)
    assert data["emergencies"] == []  # the emergency is for Cao Lộc
    assert [s["station"] for s in data["sessions"]] == [SEEN]


def test_the_table_speaks_vietnamese(status_site: Invoke) -> None:
    output = ok(status_site, "stations", "status", "--under", "legacy:183")
    assert "Đài không liên lạc quá 24 giờ:" in output
    assert "Đài Truyền thanh huyện Cao Lộc" in output or "Cao Lộc" in output
    assert "chưa bao giờ" in output  # never seen
    assert "Tin khẩn cấp chưa phát:" in output and "Khẩn cấp: lũ quét" in output
    assert "Buổi phát ngày" in output


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (("--under", "99999"), "no unit with code '99999'"),
        (("--under", "mars:1"), "unknown scheme"),
    ],
)
def test_a_wrong_option_is_one_error_line(lang_son: Invoke, args: tuple[str, ...], wanted: str) -> None:
    assert wanted in fails(lang_son, "stations", "status", *args)


def test_hours_must_be_positive(lang_son: Invoke) -> None:
    result = lang_son("stations", "status", "--hours", "0")
    assert result.exit_code == 2  # a usage error, as click reports every option value it cannot take
    assert "Invalid value for '--hours'" in result.stderr and "Traceback" not in result.output
