"""A small published site for the API tests: two stations with tokens, a day exported from real MP3 tones, an
emergency message rendered for one station, and the real server running over it on a loopback port."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.config import Settings, load_settings
from broadcast.db import Database
from broadcast.db.models import Message, MessageTarget, Station, Unit
from broadcast.export.manifest import manifest_path
from broadcast.export.publish import publish_days
from broadcast.server.tokens import issue_token
from broadcast.speech.engines import get_engine
from broadcast.speech.normalize import normalizer_for
from tests.conftest import rendered_segment
from tests.export.conftest import Build, Tone, tones
from tests.live_server import live_server

__all__ = ["tones"]  # the session-wide MP3 tones, shared with the export tests

NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
DAY = date(2025, 3, 1)
HOME_CODE = "2025-06187"
OTHER_CODE = "legacy-183"
EMERGENCY_TEXT = "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn."


# For tests whose subject does not depend on the database (paths, headers): SQLite only, to keep the suite quick.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@dataclass
class Site:
    settings: Settings
    database: Database
    token: str  # HOME_CODE's
    other_token: str  # OTHER_CODE's
    version: str  # of HOME_CODE's manifest for DAY
    manifest: bytes
    tones: tuple[Tone, ...]
    build: Build
    emergency_id: int
    emergency_sha: str

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


def _station(db: DbSession, code: str, unit: Unit, name: str) -> Station:
    station = Station(code=code, name=name, kind="commune", unit=unit, voice_region="north")
    db.add(station)
    return station


@pytest.fixture
def site(database: Database, tmp_path: Path, tones: tuple[Tone, ...]) -> Site:
    home = tmp_path / "home"
    url = database.engine.url.render_as_string(hide_password=False)
    settings = load_settings(env={"BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": url})
    segments = tmp_path / "segments"
    segments.mkdir()
    build = Build(segments, tones)
    publish_days(settings.export_root, [build.day(station=HOME_CODE, on=DAY), build.day(station=OTHER_CODE, on=DAY)])
    manifest = (settings.export_root / manifest_path(HOME_CODE, DAY)).read_bytes()

    # The emergency message's audio, as the segment store keeps it: a row by key and audio/<sha256>.mp3.
    tone = build.tones[3]
    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    (settings.audio_dir / f"{tone.sha256}.mp3").write_bytes(tone.path.read_bytes())
    voice = get_engine(settings.engine).resolve_voice(None, "north")
    spoken = normalizer_for(settings.lexicon).normalize(EMERGENCY_TEXT)
    with database.transaction() as db:
        province = Unit(scheme="2025", code="20", name="Tỉnh Lạng Sơn", short_name="Lạng Sơn", type_name="Tỉnh")
        province.kind = "province"
        commune = Unit(scheme="2025", code="06187", name="Xã Hoàng Đồng", short_name="Hoàng Đồng", type_name="Xã")
        commune.kind, commune.parent = "commune", province
        other = Unit(scheme="legacy", code="183", name="Xã Tân Thành", short_name="Tân Thành", type_name="Xã")
        other.kind = "commune"
        db.add_all([province, commune, other])
        home_station = _station(db, HOME_CODE, commune, "Đài Truyền thanh xã Hoàng Đồng")
        other_station = _station(db, OTHER_CODE, other, "Đài Truyền thanh xã Tân Thành")
        db.flush()
        token = issue_token(db, home_station, NOW)
        other_token = issue_token(db, other_station, NOW)
        db.add(rendered_segment(settings, voice, spoken, tone.sha256, tone.bytes, tone.duration, NOW))
        message = emergency_message(EMERGENCY_TEXT, [MessageTarget(kind="unit", unit_id=province.id)])
        db.add(message)
        db.flush()
        emergency_id = message.id
    return Site(
        settings=settings,
        database=database,
        token=token,
        other_token=other_token,
        version=json.loads(manifest)["version"],
        manifest=manifest,
        tones=build.tones,
        build=build,
        emergency_id=emergency_id,
        emergency_sha=tone.sha256,
    )


def emergency_message(
    text: str, targets: list[MessageTarget], approved: datetime = NOW - timedelta(hours=1)
) -> Message:
    return Message(
        title="Khẩn cấp: bão số 3",
        text=text,
        status="approved",
        for_broadcast=True,
        priority="emergency",
        starts_on=DAY,
        ends_on=DAY,
        per_day=1,
        weekdays=127,
        approved_by="Chủ tịch UBND xã",
        approved_at=approved,
        created_at=approved,
        updated_at=approved,
        targets=targets,
    )


@pytest.fixture
def base_url(site: Site) -> Iterator[str]:
    """The real server over the site, on a free loopback port, with the clock at NOW."""
    with live_server(site.settings, now=lambda: NOW, token_ttl=0.2) as url:
        yield url


def station_id(site: Site, code: str) -> int:
    with site.database.transaction() as db:
        found = db.scalar(select(Station.id).where(Station.code == code))
    assert found is not None
    return found


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
