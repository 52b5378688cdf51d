"""Planned against played, per station and message, with totals per district, per province and overall.

Counting rules (the same in every format):

- planned: how many items carry the message in the stored programs (PlanDay) of the days in the period whose
  station list names the station;
- played / failed: as-run entries (PlayLog) of the station, message and period with status "played" / "failed",
  each entry id once; emergency plays count as plays of their message, "skipped" entries are not counted;
- completion: the share of planned items that went out, min(played, planned) / planned × 100, one decimal.
  Extra plays (repeats, emergency re-broadcasts) show in `played` but never lift a row above 100 % nor make up
  for another station's misses in a total; with nothing planned, completion is None (shown as "—").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import Message, PlanDay, PlayLog, Station, Unit
from broadcast.errors import ReportError
from broadcast.messages.drafting import find_directive
from broadcast.units.tree import ancestors, find_unit, subtree_ids
from broadcast.vocabulary import PlayStatus

DELETED_TITLE = "(tin đã xoá)"
KIND_ORDER = {"province": 0, "district": 1, "commune": 2}
CHUNK = 500  # ids per IN (…) list, well under SQLite's parameter limit


@dataclass(frozen=True)
class Place:
    """A province or district as a report names it."""

    scheme: str
    code: str
    name: str  # "Huyện Văn Quan"
    type_name: str  # "Huyện"
    short_name: str  # "Văn Quan"

    @property
    def ref(self) -> str:
        """The scheme-qualified code, as `find_unit` takes it."""
        return f"{self.scheme}:{self.code}"

    @property
    def label(self) -> str:
        """The name inside a sentence: "huyện Văn Quan", "thành phố Lạng Sơn"."""
        return f"{self.type_name.lower()} {self.short_name}"


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    kind: str
    scheme: str
    province: Place | None
    district: Place | None  # None for province stations and in the 2025 scheme


@dataclass(frozen=True)
class Tally:
    planned: int = 0
    played: int = 0
    failed: int = 0
    done: int = 0  # plays that count toward completion: at most `planned` per station and message

    @classmethod
    def of(cls, planned: int, played: int, failed: int) -> Tally:
        return cls(planned, played, failed, min(played, planned))

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.planned + other.planned, self.played + other.played, self.failed + other.failed, self.done + other.done
        )

    @property
    def completion(self) -> float | None:
        """Per cent of planned items played, one decimal; None when nothing was planned."""
        return round(100 * self.done / self.planned, 1) if self.planned else None


@dataclass(frozen=True)
class ReportRow:
    station: StationInfo
    message_id: int
    title: str
    tally: Tally


@dataclass(frozen=True)
class Total:
    level: str  # "district", "province" or "all"
    province: Place | None
    district: Place | None
    stations: int
    tally: Tally

    @property
    def label(self) -> str:
        """ "Tổng cộng huyện Văn Quan", "Tổng cộng tỉnh Lạng Sơn", "Tổng cộng"."""
        place = self.district if self.level == "district" else self.province if self.level == "province" else None
        return f"Tổng cộng {place.label}" if place else "Tổng cộng"


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    rows: tuple[ReportRow, ...]
    districts: tuple[Total, ...]
    provinces: tuple[Total, ...]
    total: Total
    directive_id: int | None = None
    under: str | None = None  # the unit's scheme-qualified code
    scope: tuple[str, ...] = field(default=())  # Vietnamese lines naming the filters, for titles

    def lines(self) -> Iterator[ReportRow | Total]:
        """Rows in reading order, each district's total after its rows, each province's after its districts."""
        districts = {(t.province, t.district): t for t in self.districts}
        provinces = {t.province: t for t in self.provinces}
        current: tuple[Place | None, Place | None] | None = None
        for row in self.rows:
            key = (row.station.province, row.station.district)
            if current is not None and key != current:
                yield from _closing(current, key, districts, provinces)
            current = key
            yield row
        if current is not None:
            yield from _closing(current, None, districts, provinces)
        yield self.total


def _closing(
    current: tuple[Place | None, Place | None],
    following: tuple[Place | None, Place | None] | None,
    districts: Mapping[tuple[Place | None, Place | None], Total],
    provinces: Mapping[Place | None, Total],
) -> Iterator[Total]:
    if current[1] is not None and current in districts:
        yield districts[current]
    if (following is None or following[0] != current[0]) and current[0] in provinces:
        yield provinces[current[0]]


def _sort_key(station: StationInfo) -> tuple[str, str, str, int, str]:
    return (
        station.scheme,
        station.province.code if station.province else "",
        station.district.code if station.district else "",
        KIND_ORDER.get(station.kind, 3),
        station.code,
    )


def build_report(
    start: date,
    end: date,
    stations: Mapping[str, StationInfo],
    planned: Mapping[tuple[str, int], int],
    played: Mapping[tuple[str, int], int],
    failed: Mapping[tuple[str, int], int],
    titles: Mapping[int, str],
    **extra: Any,
) -> Report:
    """The report over counts keyed by (station code, message id); keys of unknown stations are left out."""
    keys = {key for counts in (planned, played, failed) for key in counts if key[0] in stations}
    rows = []
    for key in keys:
        tally = Tally.of(planned.get(key, 0), played.get(key, 0), failed.get(key, 0))
        rows.append(ReportRow(stations[key[0]], key[1], titles.get(key[1], DELETED_TITLE), tally))
    rows.sort(key=lambda r: (*_sort_key(r.station), r.message_id))
    districts = _totals("district", rows, lambda s: (s.province, s.district) if s.district else None)
    provinces = _totals("province", rows, lambda s: (s.province, None) if s.province else None)
    everything = _totals("all", rows, lambda s: (None, None))
    total = everything[0] if everything else Total("all", None, None, 0, Tally())
    return Report(start, end, tuple(rows), districts, provinces, total, **extra)


def _totals(level: str, rows: Iterable[ReportRow], group: Any) -> tuple[Total, ...]:
    tallies: dict[tuple[Place | None, Place | None], Tally] = {}
    codes: dict[tuple[Place | None, Place | None], set[str]] = defaultdict(set)
    for row in rows:  # rows are sorted, so dict order is reading order
        key = group(row.station)
        if key is None:
            continue
        tallies[key] = tallies.get(key, Tally()) + row.tally
        codes[key].add(row.station.code)
    return tuple(Total(level, key[0], key[1], len(codes[key]), tally) for key, tally in tallies.items())


def load_report(
    db: DbSession, start: date, end: date, directive_id: int | None = None, under: str | None = None
) -> Report:
    """Load plans and as-run logs of [start, end] in a handful of queries and build the report."""
    if end < start:
        raise ReportError(
            f"{{end}} {end:%d/%m/%Y} is before {{start}} {start:%d/%m/%Y}; give the first day first",
            fields=("end", "start"),
        )
    scope: list[str] = []
    keep: set[int] | None = None
    if directive_id is not None:
        directive = find_directive(db, directive_id)
        keep = set(db.scalars(select(Message.id).where(Message.directive_id == directive_id)))
        scope.append(_directive_line(directive.number, directive.subject, directive.file_name))
    unit = find_unit(db, under) if under else None
    if unit is not None:
        scope.append("Địa bàn: " + ", ".join(u.name for u in ancestors(unit)))
    stations = _load_stations(db, unit)
    planned = _load_planned(db, start, end, stations, keep)
    played, failed = _load_logs(db, start, end, stations, keep, unit)
    ids = {message_id for counts in (planned, played, failed) for _, message_id in counts}
    return build_report(
        start, end, stations, planned, played, failed, _load_titles(db, ids),
        directive_id=directive_id, under=unit.ref if unit else None, scope=tuple(scope),
    )  # fmt: skip


def _directive_line(number: str | None, subject: str | None, file_name: str) -> str:
    named = f"Văn bản số {number}" if number else f"Văn bản {file_name}"
    return f"{named}: {subject}" if subject else named


def _load_stations(db: DbSession, unit: Unit | None) -> dict[str, StationInfo]:
    query = select(Station.code, Station.name, Station.kind, Unit.scheme, Unit.id, Unit.kind, Unit.parent_id).join(
        Unit, Station.unit_id == Unit.id
    )
    if unit is not None:
        query = query.where(Station.unit_id.in_(subtree_ids(unit)))
    found = list(db.execute(query))
    schemes = {row[3] for row in found}
    places: dict[int, tuple[Place, str, int | None]] = {}
    if schemes:
        for uid, scheme, code, name, type_name, short, kind, parent in db.execute(
            select(Unit.id, Unit.scheme, Unit.code, Unit.name, Unit.type_name, Unit.short_name, Unit.kind,
                   Unit.parent_id)
            .where(Unit.kind != "commune", Unit.scheme.in_(schemes))
        ):  # fmt: skip
            places[uid] = (Place(scheme, code, name, type_name, short), kind, parent)
    out = {}
    for code, name, kind, scheme, unit_id, unit_kind, parent_id in found:
        # A commune's place is its parent (a district, or in 2025 the province); other stations sit on theirs.
        start = parent_id if unit_kind == "commune" else unit_id
        province = district = None
        while start is not None and start in places:
            place, place_kind, start = places[start]
            if place_kind == "district":
                district = district or place
            elif place_kind == "province":
                province = province or place
        out[code] = StationInfo(code, name, kind, scheme, province, district)
    return out


def _load_planned(
    db: DbSession, start: date, end: date, stations: Mapping[str, StationInfo], keep: set[int] | None
) -> Counter[tuple[str, int]]:
    # Stations of one audience share a program: count each distinct program once, then per station how many
    # days it had that program, so the work grows with station-days, not with station-days × items.
    programs: dict[tuple[tuple[int, int], ...], int] = {}
    days: dict[str, Counter[int]] = defaultdict(Counter)
    query = select(PlanDay.stations, PlanDay.program).where(PlanDay.day >= start, PlanDay.day <= end)
    for codes, program in db.execute(query):
        counts = Counter(
            item["message_id"]
            for session in program.get("sessions", [])
            for item in session.get("items", [])
            if item.get("message_id") is not None and (keep is None or item["message_id"] in keep)
        )
        if not counts:
            continue
        index = programs.setdefault(tuple(sorted(counts.items())), len(programs))
        for code in codes:
            if code in stations:
                days[code][index] += 1
    signatures = list(programs)
    planned: Counter[tuple[str, int]] = Counter()
    for code, per_program in days.items():
        for index, times in per_program.items():
            for message_id, items in signatures[index]:
                planned[(code, message_id)] += items * times
    return planned


def _load_logs(
    db: DbSession,
    start: date,
    end: date,
    stations: Mapping[str, StationInfo],
    keep: set[int] | None,
    unit: Unit | None,
) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], int]]:
    query = (
        select(Station.code, PlayLog.message_id, PlayLog.status, func.count(func.distinct(PlayLog.entry_id)))
        .join(Station, PlayLog.station_id == Station.id)
        .where(PlayLog.day >= start, PlayLog.day <= end)
        .where(PlayLog.message_id.is_not(None), PlayLog.status.in_((PlayStatus.PLAYED, PlayStatus.FAILED)))
        .group_by(Station.code, PlayLog.message_id, PlayLog.status)
    )
    if unit is not None:  # a province's report should not aggregate the whole country's logs
        query = query.where(Station.unit_id.in_(subtree_ids(unit)))
    played: dict[tuple[str, int], int] = {}
    failed: dict[tuple[str, int], int] = {}
    for code, message_id, status, count in db.execute(query):
        if code in stations and message_id is not None and (keep is None or message_id in keep):
            (played if status == PlayStatus.PLAYED else failed)[(code, message_id)] = count
    return played, failed


def _load_titles(db: DbSession, ids: set[int]) -> dict[int, str]:
    ordered = sorted(ids)
    titles: dict[int, str] = {}
    for at in range(0, len(ordered), CHUNK):
        chunk = ordered[at : at + CHUNK]
        query = select(Message.id, Message.title).where(Message.id.in_(chunk))
        titles.update((message_id, title) for message_id, title in db.execute(query))
    return titles
