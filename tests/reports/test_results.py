"""Counting planned against played: the pure report builder, and the loader on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from broadcast.config import DEFAULT_SESSIONS
from broadcast.db.models import PlanDay
from broadcast.errors import NotFoundError, ReportError, UnitsError
from broadcast.reports.results import Place, Report, ReportRow, StationInfo, Tally, Total, build_report, load_report
from broadcast.units.importer import import_units
from tests.reports.conftest import (
    CAO_LOC,
    DISTRICT_TOTALS,
    EXPECTED,
    FIRST,
    LAST,
    PROVINCE_TOTAL,
    TRAN_NINH,
    VAN_QUAN,
    VAN_QUAN_DISTRICT,
    Period,
    sample_report,
)


def load(period: Period, **filters: object) -> Report:
    with period.database.transaction() as db:
        return load_report(db, FIRST, LAST, **filters)  # type: ignore[arg-type]


def counts(report: Report) -> dict[tuple[str, int], tuple[int, int, int, float | None]]:
    return {
        (r.station.code, r.message_id): (r.tally.planned, r.tally.played, r.tally.failed, r.tally.completion)
        for r in report.rows
    }


def expected(period: Period, names: tuple[str, ...] = ("fire", "vaccine", "flood"), stations: object = None) -> dict:
    return {
        period.key(code, name): value
        for (code, name), value in EXPECTED.items()
        if name in names and (stations is None or code in stations)  # type: ignore[operator]
    }


def total_of(total: Total) -> tuple[int, int, int, int, float | None]:
    t = total.tally
    return (total.stations, t.planned, t.played, t.failed, t.completion)


def test_planned_and_played_match_the_fixture(period: Period) -> None:
    report = load(period)
    assert counts(report) == expected(period)
    assert {t.district.code: total_of(t) for t in report.districts if t.district} == DISTRICT_TOTALS
    assert [total_of(t) for t in report.provinces] == [PROVINCE_TOTAL]
    assert total_of(report.total) == PROVINCE_TOTAL
    assert report.total.label == "Tổng cộng" and report.provinces[0].label == "Tổng cộng tỉnh Lạng Sơn"
    assert [t.label for t in report.districts] == ["Tổng cộng huyện Cao Lộc", "Tổng cộng huyện Văn Quan"]


def test_rows_carry_places_titles_and_sort_by_place_station_message(period: Period) -> None:
    report = load(period)
    assert [(r.station.code, r.message_id) for r in report.rows] == [
        period.key(CAO_LOC, "fire"),
        period.key(CAO_LOC, "vaccine"),
        period.key(VAN_QUAN_DISTRICT, "fire"),  # a district's own station before its communes
        period.key(VAN_QUAN, "fire"),
        period.key(VAN_QUAN, "vaccine"),
        period.key(TRAN_NINH, "fire"),
        period.key(TRAN_NINH, "vaccine"),
        period.key(TRAN_NINH, "flood"),
    ]
    first = report.rows[0]
    assert first.station.province and first.station.province.name == "Tỉnh Lạng Sơn"
    assert first.station.district and first.station.district.name == "Huyện Cao Lộc"
    assert first.station.name == "Đài Truyền thanh thị trấn Cao Lộc"
    assert first.title == "Phòng chống cháy rừng mùa khô"
    district_station = report.rows[2].station
    assert district_station.district and district_station.district.code == "184"


def test_directive_keeps_only_its_messages(period: Period) -> None:
    report = load(period, directive_id=period.directive)
    assert counts(report) == expected(period, ("fire",))
    assert report.directive_id == period.directive
    assert report.scope == ("Văn bản số 123/UBND-KT: V/v phòng cháy, chữa cháy rừng",)
    assert total_of(report.total) == (4, 10, 10, 1, 90.0)  # 1 + 3 + 3 + 3 planned; 1 + 3 + 2 + 3 counted


@pytest.mark.parametrize(
    ("under", "stations"),
    [("184", {VAN_QUAN_DISTRICT, VAN_QUAN, TRAN_NINH}), ("legacy:06253", {VAN_QUAN}), ("20", None)],
)
def test_under_keeps_stations_below_a_unit(period: Period, under: str, stations: set[str] | None) -> None:
    report = load(period, under=under)
    assert counts(report) == expected(period, stations=stations)
    assert report.under == f"legacy:{under.removeprefix('legacy:')}"


def test_under_a_district_names_it_with_its_province(period: Period) -> None:
    report = load(period, under="184", directive_id=period.directive)
    assert report.scope[-1] == "Địa bàn: Huyện Văn Quan, Tỉnh Lạng Sơn"
    assert total_of(report.total) == (3, 7, 6, 1, 85.7)
    assert [t.district.code for t in report.districts if t.district] == ["184"]


def test_bad_filters_and_periods(period: Period) -> None:
    with pytest.raises(ReportError, match="before the first day"), period.database.transaction() as db:
        load_report(db, LAST, FIRST)
    with pytest.raises(NotFoundError, match="no directive"), period.database.transaction() as db:
        load_report(db, FIRST, LAST, directive_id=9999)
    with pytest.raises(NotFoundError, match="no unit"), period.database.transaction() as db:
        load_report(db, FIRST, LAST, under="99999")


def test_a_period_with_nothing_is_an_empty_report(period: Period) -> None:
    with period.database.transaction() as db:
        report = load_report(db, LAST.replace(year=2030), LAST.replace(year=2030))
    assert report.rows == () and report.districts == () and report.provinces == ()
    assert total_of(report.total) == (0, 0, 0, 0, None)
    assert list(report.lines()) == [report.total]


def test_lines_put_each_total_after_its_rows() -> None:
    report = sample_report()
    shown = [
        line.label if isinstance(line, Total) else f"{line.station.code}/{line.message_id}" for line in report.lines()
    ]
    assert shown == [
        "legacy-05977/1",
        "Tổng cộng thành phố Lạng Sơn",
        "legacy-184/1",
        "legacy-06253/1",
        "legacy-06253/2",
        "legacy-06253/3",
        "Tổng cộng huyện Văn Quan",
        "Tổng cộng tỉnh Lạng Sơn",
        "Tổng cộng",
    ]
    assert [total_of(t) for t in report.districts] == [(1, 4, 2, 1, 50.0), (2, 8, 7, 0, 75.0)]
    assert total_of(report.total) == (3, 12, 9, 1, 66.7)


def test_the_2025_scheme_has_no_district_level() -> None:
    province = Place("2025", "20", "Tỉnh Lạng Sơn", "Tỉnh", "Lạng Sơn")
    other = Place("2025", "19", "Tỉnh Thái Nguyên", "Tỉnh", "Thái Nguyên")
    stations = {
        "2025-06253": StationInfo("2025-06253", "Đài Truyền thanh xã Văn Quan", "commune", "2025", province, None),
        "2025-05977": StationInfo("2025-05977", "Đài Truyền thanh phường Đông Kinh", "commune", "2025", province, None),
        "2025-05500": StationInfo("2025-05500", "Đài Truyền thanh phường Phan Đình Phùng", "commune", "2025", other,
                                  None),
    }  # fmt: skip
    planned = {(code, 7): 2 for code in stations} | {("unknown-station", 7): 5}
    played = {("2025-06253", 7): 2, ("2025-05500", 7): 1}
    report = build_report(FIRST, LAST, stations, planned, played, {}, {})
    assert report.districts == ()
    assert [(t.label, total_of(t)) for t in report.provinces] == [
        ("Tổng cộng tỉnh Thái Nguyên", (1, 2, 1, 0, 50.0)),
        ("Tổng cộng tỉnh Lạng Sơn", (2, 4, 2, 0, 50.0)),
    ]
    assert [r.station.code for r in report.rows] == ["2025-05500", "2025-05977", "2025-06253"]
    assert {r.title for r in report.rows} == {"(tin đã xoá)"}  # titles of deleted messages are gone
    kinds = [type(line).__name__ for line in report.lines()]
    assert kinds == ["ReportRow", "Total", "ReportRow", "ReportRow", "Total", "Total"]


def test_completion_counts_plays_only_up_to_the_plan() -> None:
    assert Tally.of(3, 5, 0).completion == 100.0
    assert Tally.of(3, 1, 2).completion == 33.3
    assert Tally.of(0, 2, 0).completion is None
    assert (Tally.of(2, 4, 0) + Tally.of(2, 0, 0)).completion == 50.0  # one station's repeats don't cover another


def test_row_values_are_plain_data() -> None:
    row = sample_report().rows[0]
    assert isinstance(row, ReportRow) and row.tally == Tally(4, 2, 1, 2)


def test_both_schemes_side_by_side(period: Period) -> None:
    with period.database.transaction() as db:
        import_units(db, "2025", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
        program = {"sessions": [{"name": "sáng", "items": [{"message_id": period.messages["vaccine"]}] * 2}]}
        db.add(PlanDay(day=FIRST, audience="2025", stations=["2025-06253"], program=program, shortfalls=[],
                       created_at=FIRST))  # fmt: skip
    report = load(period)
    new = [r for r in report.rows if r.station.scheme == "2025"]
    assert [(r.station.code, r.tally.planned, r.station.district) for r in new] == [("2025-06253", 2, None)]
    assert new[0].station.province and new[0].station.province.ref == "2025:20"
    assert report.rows[0] == new[0]  # schemes sort by name: "2025" before "legacy"
    assert [(t.province.ref, t.stations) for t in report.provinces if t.province] == [("2025:20", 1), ("legacy:20", 4)]
    assert total_of(report.total)[:2] == (5, 18)
    with pytest.raises(UnitsError, match="exists in both schemes"), period.database.transaction() as db:
        load_report(db, FIRST, LAST, under="20")
    assert [r.station.code for r in load(period, under="2025:20").rows] == ["2025-06253"]
