"""A hand-built period in Lạng Sơn (legacy scheme): stored programs and as-run logs with known counts.

Period 27–28/11/2026. Văn Quan district (184): its own station and the communes 06253 and 06256; Cao Lộc
district (183): the commune 06187. Messages: FIRE (from a directive), VACCINE (written by an office) and FLOOD
(an emergency nobody planned). Expected counts are in EXPECTED, keyed by (station, message name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from broadcast.config import DEFAULT_SESSIONS
from broadcast.db import Database
from broadcast.db.models import Directive, Message, PlanDay, PlayLog, Station
from broadcast.reports.results import Place, Report, StationInfo, build_report
from broadcast.units.importer import import_units

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
FIRST = date(2026, 11, 27)
LAST = date(2026, 11, 28)
VAN_QUAN, TRAN_NINH, CAO_LOC, VAN_QUAN_DISTRICT = "legacy-06253", "legacy-06256", "legacy-06187", "legacy-184"

# (station, message) → (planned, played, failed, completion) over FIRST..LAST
EXPECTED: dict[tuple[str, str], tuple[int, int, int, float | None]] = {
    (VAN_QUAN_DISTRICT, "fire"): (1, 1, 0, 100.0),
    (VAN_QUAN, "fire"): (3, 3, 0, 100.0),
    (VAN_QUAN, "vaccine"): (2, 1, 1, 50.0),
    (TRAN_NINH, "fire"): (3, 2, 1, 66.7),
    (TRAN_NINH, "vaccine"): (2, 2, 0, 100.0),
    (TRAN_NINH, "flood"): (0, 1, 0, None),  # an emergency play nobody planned
    (CAO_LOC, "fire"): (3, 4, 0, 100.0),  # one repeat too many: still 100 %
    (CAO_LOC, "vaccine"): (2, 0, 0, 0.0),
}
# Văn Quan: planned 11, played 10, failed 2, counted plays 9; Cao Lộc: 5, 4, 0, 3; the province: 16, 14, 2, 12.
DISTRICT_TOTALS = {"184": (3, 11, 10, 2, 81.8), "183": (1, 5, 4, 0, 60.0)}  # stations, planned, played, failed, %
PROVINCE_TOTAL = (4, 16, 14, 2, 75.0)


@dataclass(frozen=True)
class Period:
    database: Database
    directive: int
    messages: dict[str, int]  # "fire", "vaccine", "flood" → message id

    def key(self, station: str, name: str) -> tuple[str, int]:
        return station, self.messages[name]


def _message(db: Any, title: str, priority: str = "normal", directive: int | None = None) -> int:
    message = Message(
        title=title, text=f"Thông báo: {title}.", status="approved", priority=priority, directive_id=directive,
        starts_on=FIRST, ends_on=LAST, created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    db.add(message)
    db.flush()
    return message.id


def _program(*sessions: list[int]) -> dict[str, Any]:
    names = [("sáng", "05:30", "06:00"), ("chiều", "17:00", "17:30")]
    return {
        "sessions": [
            {
                "name": name,
                "start": start,
                "end": end,
                "items": [{"message_id": m, "offset": 30.0 * i, "duration": 30.0} for i, m in enumerate(items)],
            }
            for (name, start, end), items in zip(names, sessions, strict=False)
        ]
    }


def populate(database: Database) -> Period:
    """Write the period described above into a migrated database."""
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
        directive = Directive(
            sha256="a" * 64, file_name="cv-chay-rung.txt", doc_type="cong_van", number="123/UBND-KT",
            issuer="UBND tỉnh Lạng Sơn", subject="V/v phòng cháy, chữa cháy rừng", record={}, imported_at=NOW,
        )  # fmt: skip
        db.add(directive)
        db.flush()
        fire = _message(db, "Phòng chống cháy rừng mùa khô", directive=directive.id)
        vaccine = _message(db, "Lịch tiêm chủng mở rộng tháng 11")
        flood = _message(db, "Cảnh báo lũ quét", priority="emergency")
        _message(db, "Tin không phát", directive=directive.id)  # approved, never planned nor played

        communes = [VAN_QUAN, TRAN_NINH, CAO_LOC]
        plans = [
            (FIRST - timedelta(days=1), communes, _program([fire, vaccine, fire])),  # before the period
            (FIRST, communes, _program([fire, vaccine], [fire])),
            (FIRST, [VAN_QUAN_DISTRICT, "legacy-gone"], _program([fire])),  # a station deleted since
            (LAST, communes, _program([fire], [vaccine])),
            (LAST + timedelta(days=1), [VAN_QUAN], _program([fire])),  # after the period
        ]
        db.execute(
            insert(PlanDay),
            [
                {"day": day, "audience": f"audience-{n}", "stations": codes, "program": program, "shortfalls": [],
                 "created_at": NOW}
                for n, (day, codes, program) in enumerate(plans)
            ],
        )  # fmt: skip

        wanted = [*communes, VAN_QUAN_DISTRICT]
        ids = {code: id for code, id in db.execute(select(Station.code, Station.id).where(Station.code.in_(wanted)))}
        logs: list[tuple[str, date, int | None, str, bool]] = [
            (VAN_QUAN, FIRST, fire, "played", False),
            (VAN_QUAN, FIRST, fire, "played", False),
            (VAN_QUAN, LAST, fire, "played", False),
            (VAN_QUAN, FIRST, vaccine, "played", False),
            (VAN_QUAN, LAST, vaccine, "failed", False),
            (VAN_QUAN, LAST, vaccine, "skipped", False),  # not counted
            (VAN_QUAN, FIRST, None, "played", False),  # the station call: no message
            (VAN_QUAN, LAST + timedelta(days=1), fire, "played", False),  # after the period
            (TRAN_NINH, FIRST, fire, "played", False),
            (TRAN_NINH, FIRST, fire, "failed", False),
            (TRAN_NINH, LAST, fire, "played", False),
            (TRAN_NINH, FIRST, vaccine, "played", False),
            (TRAN_NINH, LAST, vaccine, "played", False),
            (TRAN_NINH, LAST, flood, "played", True),
            (CAO_LOC, FIRST, fire, "played", False),
            (CAO_LOC, FIRST, fire, "played", False),
            (CAO_LOC, LAST, fire, "played", False),
            (CAO_LOC, LAST, fire, "played", False),
            (VAN_QUAN_DISTRICT, FIRST, fire, "played", False),
            (VAN_QUAN_DISTRICT, FIRST - timedelta(days=1), fire, "played", False),  # before the period
        ]
        db.execute(
            insert(PlayLog),
            [
                {
                    "station_id": ids[code], "entry_id": f"{day:%Y%m%d}-{n:03d}", "day": day, "session": "sáng",
                    "kind": "message" if message else "ident", "message_id": message, "sha256": None,
                    "started_at": datetime.combine(day, time(5, 30), UTC), "duration": 30.0, "status": status,
                    "emergency": emergency, "received_at": NOW,
                }
                for n, (code, day, message, status, emergency) in enumerate(logs)
            ],
        )  # fmt: skip
        return Period(database, directive.id, {"fire": fire, "vaccine": vaccine, "flood": flood})


@pytest.fixture
def period(database: Database) -> Period:
    """The period on each backend."""
    return populate(database)


PROVINCE = Place("legacy", "20", "Tỉnh Lạng Sơn", "Tỉnh", "Lạng Sơn")
CITY = Place("legacy", "178", "Thành phố Lạng Sơn", "Thành phố", "Lạng Sơn")
DISTRICT = Place("legacy", "184", "Huyện Văn Quan", "Huyện", "Văn Quan")


def sample_report() -> Report:
    """A small report built without a database: two districts of one province, one unplanned emergency play."""
    stations = {
        "legacy-05977": StationInfo("legacy-05977", "Đài Truyền thanh phường Đông Kinh", "commune", "legacy",
                                    PROVINCE, CITY),
        "legacy-184": StationInfo("legacy-184", "Trung tâm VH-TT&TT huyện Văn Quan", "district", "legacy",
                                  PROVINCE, DISTRICT),
        "legacy-06253": StationInfo("legacy-06253", "Đài Truyền thanh thị trấn Văn Quan", "commune", "legacy",
                                    PROVINCE, DISTRICT),
    }  # fmt: skip
    planned = {("legacy-05977", 1): 4, ("legacy-184", 1): 2, ("legacy-06253", 1): 4, ("legacy-06253", 2): 2}
    played = {("legacy-05977", 1): 2, ("legacy-184", 1): 2, ("legacy-06253", 1): 4, ("legacy-06253", 3): 1}
    failed = {("legacy-05977", 1): 1}
    titles = {1: "Phòng chống cháy rừng", 2: "Lịch tiêm chủng", 3: "Cảnh báo lũ quét"}
    return build_report(FIRST, LAST, stations, planned, played, failed, titles, scope=("Địa bàn: Tỉnh Lạng Sơn",))
