"""Shared fixtures: a migrated database on SQLite and on a real PostgreSQL server, and a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from broadcast.cli import cli
from broadcast.config import Settings
from broadcast.db import Database, migrate, open_database
from broadcast.db.models import Segment
from broadcast.db.scratch import throwaway_database
from broadcast.speech.segments import segment_key

POSTGRES_ADMIN_URL = os.environ.get("BROADCAST_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("BROADCAST_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The admin URL of the PostgreSQL server that scripts/test starts."""
    if not POSTGRES_ADMIN_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("BROADCAST_TEST_POSTGRES_URL is not set; run the tests with ./scripts/test")
        pytest.skip("no PostgreSQL server: run ./scripts/test, which starts one")
    return POSTGRES_ADMIN_URL


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'broadcast.db'}"
    else:
        with throwaway_database(request.getfixturevalue("postgres_admin_url"), "broadcast_test") as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database URL, for tests whose subject does not depend on the database."""
    return f"sqlite:///{tmp_path / 'broadcast.db'}"


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A migrated database on each backend."""
    migrate(db_url)
    db = open_database(db_url)
    yield db
    db.dispose()


Invoke = Callable[..., Result]


def _runner() -> CliRunner:
    # click 8.1 (which gTTS pins) mixes stderr into output unless told not to; click 8.2 always separates them.
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    except TypeError:
        return CliRunner()


def make_invoke(home: Path, db_url: str) -> Invoke:
    def invoke(*args: str, input: str | None = None) -> Result:
        env = {"BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": db_url, "BROADCAST_CONFIG": ""}
        return _runner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def invoke(tmp_path: Path, sqlite_url: str) -> Invoke:
    """Run `broadcast …` in-process against a fresh SQLite home."""
    return make_invoke(tmp_path / "home", sqlite_url)


@pytest.fixture
def invoke_any(tmp_path: Path, db_url: str) -> Invoke:
    """Run `broadcast …` in-process against a fresh database on each backend."""
    return make_invoke(tmp_path / "home", db_url)


def rendered_segment(
    settings: Settings, voice: str, spoken: str, sha256: str, size: int, duration: float, created_at: datetime
) -> Segment:
    """A segment row as the store would write it for already normalised text, for tests that bring their own MP3."""
    return Segment(
        key=segment_key(settings.engine, voice, spoken, settings.audio),
        engine=settings.engine,
        voice=voice,
        settings=settings.audio.key(),
        text=spoken,
        sha256=sha256,
        bytes=size,
        duration=duration,
        loudness=-16.0,
        true_peak=-1.5,
        rendered_by=settings.engine,
        fallback_reason=None,
        created_at=created_at,
    )
