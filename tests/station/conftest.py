"""A published site for the station tests: one station with a token, days exported from real MP3 tones, a large
tone for interrupted downloads, an optional emergency message, and the real server over it on a loopback port."""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import select

from broadcast.config import Settings, load_settings
from broadcast.db import Database, migrate, open_database
from broadcast.db.models import MessageTarget, PlayLog, Station, Unit
from broadcast.export.manifest import manifest_path
from broadcast.export.model import StationDay
from broadcast.export.publish import publish_days
from broadcast.server.tokens import issue_token
from broadcast.speech.engines import get_engine
from broadcast.speech.normalize import normalizer_for
from tests.conftest import Invoke, rendered_segment
from tests.export.conftest import Build, Tone, build, ffprobe_duration, tones
from tests.live_server import live_server
from tests.server.conftest import emergency_message

__all__ = ["build", "tones"]  # the export tests' MP3 tones and builders of days

STATION = "2025-06187"
DAY = date(2025, 3, 1)
NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)  # the server's clock: 09:00 in Hà Nội
EMERGENCY_TEXT = "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn."


@pytest.fixture(scope="session")
def big_tone(tmp_path_factory: pytest.TempPathFactory, tones: tuple[Tone, ...]) -> Tone:
    """A 20-second MP3 of a few hundred kilobytes: large enough to be cut off in the middle."""
    path = tmp_path_factory.mktemp("big") / "big.mp3"
    source = "sine=frequency=523:duration=20:sample_rate=44100"
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", source]
    subprocess.run([*command, "-c:a", "libmp3lame", "-b:a", "128k", str(path)], check=True)
    data = path.read_bytes()
    return Tone(path, hashlib.sha256(data).hexdigest(), len(data), ffprobe_duration(path))


@dataclass
class Site:
    settings: Settings
    database: Database
    token: str
    build: Build
    big: Tone  # a copy in the segment store

    def day(self, on: date = DAY, **overrides: Any) -> StationDay:
        return self.build.day(station=STATION, on=on, **overrides)

    def publish(self, *days: StationDay) -> None:
        publish_days(self.settings.export_root, days)

    def exported(self, relative: str) -> Path:
        return self.settings.export_root / relative

    def version(self, on: date = DAY) -> str:
        version: str = json.loads(self.exported(manifest_path(STATION, on)).read_bytes())["version"]
        return version

    def served(self) -> AbstractContextManager[str]:
        """The real server over the site, on a free loopback port."""
        return live_server(self.settings, now=lambda: NOW, token_ttl=0.2)

    def play_logs(self) -> list[PlayLog]:
        with self.database.transaction() as db:
            rows = list(db.scalars(select(PlayLog).order_by(PlayLog.started_at, PlayLog.entry_id)))
            db.expunge_all()
        return rows

    def add_emergency(self, tone: int = 3) -> str:
        """An approved emergency message for the station, its audio rendered; the audio's sha256."""
        made = self.build.tones[tone]
        settings = self.settings
        settings.audio_dir.mkdir(parents=True, exist_ok=True)
        (settings.audio_dir / f"{made.sha256}.mp3").write_bytes(made.path.read_bytes())
        voice = get_engine(settings.engine).resolve_voice(None, "north")
        spoken = normalizer_for(settings.lexicon).normalize(EMERGENCY_TEXT)
        approved = NOW - timedelta(hours=1)
        with self.database.transaction() as db:
            station = db.scalars(select(Station).where(Station.code == STATION)).one()
            db.add(rendered_segment(settings, voice, spoken, made.sha256, made.bytes, made.duration, NOW))
            target = MessageTarget(kind="station", station_id=station.id)
            db.add(emergency_message(EMERGENCY_TEXT, [target], approved))
        return made.sha256


@pytest.fixture
def site(tmp_path: Path, sqlite_url: str, tones: tuple[Tone, ...], big_tone: Tone) -> Iterator[Site]:
    migrate(sqlite_url)
    database = open_database(sqlite_url)
    settings = load_settings(env={"BROADCAST_HOME": str(tmp_path / "home"), "BROADCAST_DATABASE_URL": sqlite_url})
    segments = tmp_path / "segments"
    segments.mkdir()
    build = Build(segments, tones)
    big = Build(segments, (big_tone,)).tones[0]
    with database.transaction() as db:
        commune = Unit(scheme="2025", code="06187", name="Xã Hoàng Đồng", short_name="Hoàng Đồng", type_name="Xã")
        commune.kind = "commune"
        station = Station(
            code=STATION, name="Đài Truyền thanh xã Hoàng Đồng", kind="commune", unit=commune, voice_region="north"
        )
        db.add_all([commune, station])
        db.flush()
        token = issue_token(db, station, NOW)
    yield Site(settings, database, token, build, big)
    database.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The station's own folder."""
    return tmp_path / "station"


def sync(invoke: Invoke, site: Site, server: str, folder: Path, *extra: str) -> Result:
    """`broadcast station sync` with quick retries, for DAY unless --date is given."""
    options = ["--date", DAY.isoformat()] if "--date" not in extra else []
    return invoke(
        "station",
        "sync",
        "--server",
        server,
        "--station",
        STATION,
        "--token",
        site.token,
        "--dir",
        str(folder),
        "--retries",
        "2",
        "--retry-wait",
        "0",
        *options,
        *extra,
    )


def fake_player(tmp_path: Path) -> tuple[str, Path]:
    """A player command (a real process) that only appends the file it is given to a log; the command and log."""
    log = tmp_path / "played.txt"
    script = tmp_path / "player.py"
    script.write_text(f"import sys\nwith open({str(log)!r}, 'a') as out:\n    out.write(sys.argv[1] + '\\n')\n")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", log


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
