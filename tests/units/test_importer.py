from __future__ import annotations

from collections import Counter
from datetime import time

import pytest
from sqlalchemy import func, select

from broadcast.config import DEFAULT_SESSIONS, DefaultSession
from broadcast.db import Database
from broadcast.db.models import Session, Station, Unit
from broadcast.errors import SessionError, UnitsError
from broadcast.units.dataset import read_units, resolve_province
from broadcast.units.importer import import_units

TZ = "Asia/Ho_Chi_Minh"


def _counts(database: Database, scheme: str) -> Counter[str]:
    with database.transaction() as db:
        rows = db.execute(select(Unit.kind, func.count()).where(Unit.scheme == scheme).group_by(Unit.kind))
        return Counter({kind: count for kind, count in rows})


def _station_count(database: Database) -> int:
    with database.transaction() as db:
        return int(db.scalar(select(func.count()).select_from(Station)) or 0)


@pytest.mark.parametrize(
    ("query", "code"),
    [("lang son", "20"), ("Lạng Sơn", "20"), ("LẠNG SƠN", "20"), ("Tỉnh Lạng Sơn", "20"), ("20", "20"), ("hcm", "79")],
)
def test_province_names_match_without_diacritics_or_case(query: str, code: str) -> None:
    assert resolve_province("legacy", query) == code


def test_unknown_province_suggests_close_matches() -> None:
    with pytest.raises(UnitsError, match=r"no province 'lang sonn' in the 2025 scheme; did you mean Lạng Sơn\?"):
        resolve_province("2025", "lang sonn")


def test_a_province_merged_away_in_2025_is_unknown_there() -> None:
    assert resolve_province("legacy", "Hà Giang") == "02"
    with pytest.raises(UnitsError, match="no province 'Hà Giang' in the 2025 scheme"):
        resolve_province("2025", "Hà Giang")


def test_dataset_whole_country_legacy() -> None:
    counts = Counter(record.kind for record in read_units("legacy"))
    # The dataset's 10,040 rows are 10,035 communes and 5 island districts with no communes (Bạch Long Vĩ,
    # Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo), which are districts here.
    assert counts == {"province": 63, "district": 696, "commune": 10_035}


def test_dataset_whole_country_2025() -> None:
    assert Counter(record.kind for record in read_units("2025")) == {"province": 34, "commune": 3_321}


def test_import_lang_son_legacy(database: Database) -> None:
    with database.transaction() as db:
        result = import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, TZ)
    assert _counts(database, "legacy") == {"province": 1, "district": 11, "commune": 194}
    assert result.stations_created == 11 + 194
    assert result.sessions_created == 2
    with database.transaction() as db:
        commune = db.scalar(select(Unit).where(Unit.scheme == "legacy", Unit.code == "06253"))
        assert commune is not None
        assert (commune.name, commune.short_name, commune.type_name) == ("Thị trấn Văn Quan", "Văn Quan", "Thị trấn")
        district = commune.parent
        assert district is not None and (district.name, district.kind) == ("Huyện Văn Quan", "district")
        assert district.parent is not None and district.parent.name == "Tỉnh Lạng Sơn"
        station = db.scalar(select(Station).where(Station.code == "legacy-06253"))
        assert station is not None
        assert (station.name, station.kind, station.voice_region, station.timezone, station.active) == (
            "Đài Truyền thanh thị trấn Văn Quan",
            "commune",
            "north",
            TZ,
            True,
        )
        district_station = db.scalar(select(Station).where(Station.code == "legacy-184"))
        assert district_station is not None
        assert district_station.name == "Trung tâm Văn hóa, Thể thao và Truyền thông huyện Văn Quan"


def test_import_lang_son_2025_has_no_districts(database: Database) -> None:
    with database.transaction() as db:
        result = import_units(db, "2025", "Lạng Sơn", DEFAULT_SESSIONS, TZ)
    assert _counts(database, "2025") == {"province": 1, "commune": 65}
    assert result.stations_created == 65
    with database.transaction() as db:
        parents = set(db.scalars(select(Unit.parent_id).where(Unit.kind == "commune")))
        province_id = db.scalar(select(Unit.id).where(Unit.kind == "province"))
        assert parents == {province_id}


def test_reimport_is_idempotent(database: Database) -> None:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, TZ)
    with database.transaction() as db:
        again = import_units(db, "legacy", "20", DEFAULT_SESSIONS, TZ)
    assert sum(again.units_created.values()) == sum(again.units_updated.values()) == 0
    assert again.stations_created == again.sessions_created == 0
    assert _counts(database, "legacy") == {"province": 1, "district": 11, "commune": 194}
    assert _station_count(database) == 205
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Session)) == 2


def test_reimport_repairs_a_changed_name(database: Database) -> None:
    with database.transaction() as db:
        import_units(db, "2025", "lang son", DEFAULT_SESSIONS, TZ)
        unit = db.scalar(select(Unit).where(Unit.kind == "commune").limit(1))
        assert unit is not None
        good, unit.name = unit.name, "Wrong"
    with database.transaction() as db:
        result = import_units(db, "2025", "lang son", DEFAULT_SESSIONS, TZ)
        assert result.units_updated["commune"] == 1
        assert db.scalar(select(Unit.name).where(Unit.id == unit.id)) == good


def test_both_schemes_live_side_by_side(database: Database) -> None:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, TZ)
        import_units(db, "2025", "lang son", DEFAULT_SESSIONS, TZ)
    assert _station_count(database) == 205 + 65


def test_whole_country_legacy(database: Database) -> None:
    with database.transaction() as db:
        result = import_units(db, "legacy", None, DEFAULT_SESSIONS, TZ)
    assert _counts(database, "legacy") == {"province": 63, "district": 696, "commune": 10_035}
    assert result.stations_created == _station_count(database) == 696 + 10_035
    assert result.sessions_created == 63 * 2
    with database.transaction() as db:
        wanted = ["legacy-001", "legacy-474", "legacy-760"]  # Ba Đình, Thuận Hóa (Huế), Quận 1
        rows = db.execute(select(Station.code, Station.voice_region).where(Station.code.in_(wanted)))
        regions = {code: region for code, region in rows}
    assert regions == {"legacy-001": "north", "legacy-474": "central", "legacy-760": "south"}


def test_configured_default_sessions_are_used(database: Database) -> None:
    sessions = (DefaultSession("sáng", "06:00", "45m", "mon-fri"),)
    with database.transaction() as db:
        import_units(db, "2025", "lang son", sessions, TZ)
        stored = db.execute(select(Session.name, Session.start, Session.minutes, Session.weekdays)).all()
    assert [tuple(row) for row in stored] == [("sáng", time(6, 0), 45, 0b0011111)]


def test_overlapping_default_sessions_are_refused(database: Database) -> None:
    sessions = (DefaultSession("sáng", "05:30", "1h"), DefaultSession("sớm", "06:00", "30m"))
    with pytest.raises(SessionError, match="default sessions"), database.transaction() as db:
        import_units(db, "2025", "lang son", sessions, TZ)
    assert _station_count(database) == 0
