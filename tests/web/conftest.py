"""An office app on a real SQLite database with Lạng Sơn (legacy scheme) and a few accounts, and a signed-in client."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadcast.accounts.users import add_user
from broadcast.config import DEFAULT_SESSIONS, Settings, load_settings
from broadcast.db import Database, migrate, open_database
from broadcast.server.app import create_app
from broadcast.units.importer import import_units

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
PASSWORD = "mot-mat-khau-du-dai"
# username: (role, scope)
ACCOUNTS = {
    "tinh": ("admin", "legacy:20"),  # Tỉnh Lạng Sơn
    "caoloc": ("approver", "legacy:183"),  # Huyện Cao Lộc
    "bientap": ("editor", "legacy:183"),
    "vanquan": ("editor", "legacy:185"),  # Huyện Bắc Sơn: another district (the account's name is only a name)
    "dai": ("operator", "legacy-06253"),  # Đài Truyền thanh thị trấn Văn Quan
}


@dataclass
class Office:
    settings: Settings
    database: Database
    app_client: Callable[[], TestClient]


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    url = f"sqlite:///{tmp_path / 'broadcast.db'}"
    settings = load_settings(env={"BROADCAST_HOME": str(tmp_path / "home"), "BROADCAST_DATABASE_URL": url})
    migrate(url)
    database = open_database(url)
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, settings.timezone)
        for username, (role, scope) in ACCOUNTS.items():
            add_user(db, username, f"Cán bộ {username}", role, scope, PASSWORD, now=NOW)
    app = create_app(settings, database)
    yield Office(settings, database, lambda: TestClient(app))
    database.dispose()


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign client in as username; return the CSRF token of its session."""
    response = client.post("/login", data={"username": username, "password": password, "next": "/"})
    assert response.status_code == 200, response.text
    return csrf_of(response.text)
