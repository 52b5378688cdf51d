"""A small Lạng Sơn office whose one station with sessions (Văn Quan town, Huyện Văn Quan, legacy:184) has a built day.

Only that station has a session, so a build renders a handful of segments with real espeak-ng and ffmpeg.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from broadcast.accounts.users import add_user
from broadcast.build import build_days
from broadcast.config import Settings, load_settings
from broadcast.db import Database, migrate, open_database
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.server.app import create_app
from broadcast.units.clock import SessionClock
from broadcast.units.importer import import_units
from broadcast.units.sessions import set_session
from tests.web.conftest import ACCOUNTS, NOW, PASSWORD

DAY = date(2026, 12, 1)  # the day after NOW, so no session has begun when the message is approved
STATION = "legacy-06253"  # Đài Truyền thanh thị trấn Văn Quan, Huyện Văn Quan (legacy:184)
TITLE = "Phòng cháy <b>rừng</b>"


@dataclass
class Built:
    settings: Settings
    database: Database
    app: object
    message_id: int
    short_id: int

    def client(self) -> TestClient:
        return TestClient(self.app)  # type: ignore[arg-type]


def make_office(root: Path, *, build: bool = True) -> Built:
    url = f"sqlite:///{root / 'broadcast.db'}"
    settings = load_settings(env={"BROADCAST_HOME": str(root / "home"), "BROADCAST_DATABASE_URL": url})
    migrate(url)
    database = open_database(url)
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", (), settings.timezone)
        set_session(db, STATION, SessionClock.parse("sáng", "05:30", "15m"))
        db.flush()
        for username, (role, scope) in ACCOUNTS.items():
            add_user(db, username, f"Cán bộ {username}", role, scope, PASSWORD, now=NOW)
        changes = MessageChanges(
            title=TITLE, text="Bà con không đốt nương rẫy trong mùa khô hanh.", targets=["legacy:184"],
            starts_on=DAY, ends_on=DAY + timedelta(days=1),
        )  # fmt: skip
        message_id = add_message(db, changes, NOW).id
        approve_message(db, settings, message_id, "Cán bộ", NOW)
        # Asks for three plays a day with one session: the planner says why it falls short.
        short = MessageChanges(
            title="Tiêm chủng", text="Trạm Y tế tiêm vắc xin sởi.", targets=["legacy:184"],
            starts_on=DAY, ends_on=DAY, per_day=3,
        )  # fmt: skip
        short_id = add_message(db, short, NOW).id
        approve_message(db, settings, short_id, "Cán bộ", NOW)
    if build:
        build_days(settings, DAY, 1, now=NOW)
    app = create_app(settings, database, now=lambda: NOW)
    return Built(settings, database, app, message_id, short_id)
