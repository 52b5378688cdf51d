"""Store administrative units from the official dataset, with one station per district and commune."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session as DbSession

from broadcast.config import DefaultSession
from broadcast.db.models import Session, Station, Unit
from broadcast.units.clock import SessionClock, check_no_overlap
from broadcast.units.dataset import UnitRecord, read_units, resolve_province

# Station kinds made on import: every commune and every district gets its own station.
STATION_KINDS = ("district", "commune")


@dataclass
class ImportResult:
    """What an import created and changed, per kind."""

    scheme: str
    units_created: Counter[str] = field(default_factory=Counter)
    units_updated: Counter[str] = field(default_factory=Counter)
    units_total: Counter[str] = field(default_factory=Counter)
    stations_created: int = 0
    sessions_created: int = 0


def station_code(scheme: str, unit_code: str) -> str:
    """A station's code: the scheme and its unit's official code, unique across both schemes."""
    return f"{scheme}-{unit_code}"


def station_name(kind: str, type_name: str, short_name: str) -> str:
    """The name listeners hear in the station call, e.g. "Đài Truyền thanh xã Hoàng Đồng"."""
    if kind == "commune":
        return f"Đài Truyền thanh {type_name.lower()} {short_name}"
    return f"Trung tâm Văn hóa, Thể thao và Truyền thông {type_name.lower()} {short_name}"


def voice_region(province_code: str) -> str:
    """The espeak-ng voice region for a province: north up to Thanh Hóa, central to Gia Lai, south beyond."""
    number = int(province_code)
    if number <= 38:
        return "north"
    return "central" if number <= 64 else "south"


def import_units(
    db: DbSession,
    scheme: str,
    province: str | None,
    default_sessions: tuple[DefaultSession, ...],
    timezone: str,
) -> ImportResult:
    """Insert or update the units of a scheme (or of one province) and create their stations; idempotent."""
    clocks = [SessionClock.parse(s.name, s.start, s.length, s.weekdays) for s in default_sessions]
    check_no_overlap(clocks, "the default sessions in the config file")
    province_code = resolve_province(scheme, province) if province else None
    records = list(read_units(scheme, province_code))
    result = ImportResult(scheme)

    existing = {
        row.code: row
        for row in db.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.short_name, Unit.type_name, Unit.kind, Unit.parent_id).where(
                Unit.scheme == scheme
            )
        )
    }
    ids = {code: row.id for code, row in existing.items()}
    new_provinces: list[int] = []
    for kind in ("province", "district", "commune"):
        level = [r for r in records if r.kind == kind]
        result.units_total[kind] = len(level)
        inserts, updates = [], []
        for record in level:
            values = _unit_values(record, ids)
            row = existing.get(record.code)
            if row is None:
                inserts.append({"scheme": scheme, **values})
            elif any(getattr(row, key) != value for key, value in values.items()):
                updates.append({"id": row.id, **values})
        if inserts:
            db.execute(insert(Unit), inserts)
            level_query = select(Unit.code, Unit.id).where(Unit.scheme == scheme, Unit.kind == kind)
            level_ids = {code: unit_id for code, unit_id in db.execute(level_query)}
            ids.update(level_ids)
            if kind == "province":
                new_provinces.extend(level_ids[str(i["code"])] for i in inserts)
        if updates:
            db.execute(update(Unit), updates)
        result.units_created[kind] = len(inserts)
        result.units_updated[kind] = len(updates)

    result.stations_created = _create_stations(db, scheme, records, ids, timezone)
    for province_id in new_provinces:
        db.add_all(
            Session(unit_id=province_id, name=c.name, start=c.start, minutes=c.minutes, weekdays=c.weekdays)
            for c in clocks
        )
        result.sessions_created += len(clocks)
    return result


def _unit_values(record: UnitRecord, ids: dict[str, int]) -> dict[str, object]:
    return {
        "code": record.code,
        "name": record.name,
        "short_name": record.short_name,
        "type_name": record.type_name,
        "kind": record.kind,
        "parent_id": ids[record.parent_code] if record.parent_code else None,
    }


def _create_stations(db: DbSession, scheme: str, records: list[UnitRecord], ids: dict[str, int], timezone: str) -> int:
    existing = set(db.scalars(select(Station.code).where(Station.code.like(f"{scheme}-%"))))
    # A commune's parent is a district (legacy) or the province itself (2025).
    province_of = {r.code: r.parent_code or r.code for r in records if r.kind != "commune"}
    rows = []
    for record in records:
        code = station_code(scheme, record.code)
        if record.kind not in STATION_KINDS or code in existing:
            continue
        province = province_of[record.parent_code or record.code]
        rows.append(
            {
                "code": code,
                "name": station_name(record.kind, record.type_name, record.short_name),
                "kind": record.kind,
                "unit_id": ids[record.code],
                "voice_region": voice_region(province),
                "timezone": timezone,
                "active": True,
            }
        )
    if rows:
        db.execute(insert(Station), rows)
    return len(rows)
