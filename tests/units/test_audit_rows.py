"""Sessions, station settings and tokens write audit rows, and office actors are held to admin role and scope."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor, AuditFilter, list_entries
from broadcast.config import DEFAULT_SESSIONS
from broadcast.db import Database
from broadcast.db.models import AuditEntry, StationToken
from broadcast.errors import PermissionDenied, SessionError
from broadcast.units.clock import SessionClock
from broadcast.units.importer import import_units
from broadcast.units.sessions import clear_sessions, session_effect, set_session
from broadcast.units.station_settings import StationChanges, change_station
from broadcast.units.tokens import hash_token, issue_token, list_tokens, revoke_tokens
from broadcast.units.tree import find_station, find_unit
from broadcast.vocabulary import Role

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
CAO_LOC, VAN_QUAN, STATION_183 = "legacy:183", "legacy:185", "legacy-183"


@pytest.fixture
def lang_son(database: Database) -> Database:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
    return database


def office_actor(db: DbSession, role: Role, ref: str) -> Actor:
    return Actor(f"{role.value}-{ref}", user_id=None, role=role, unit_id=find_unit(db, ref).id)


def entries(db: DbSession, kind: str) -> list[AuditEntry]:
    return list_entries(db, AuditFilter(kind=kind))


def test_setting_and_clearing_sessions_are_recorded_with_before_and_after(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        admin = office_actor(db, Role.ADMIN, CAO_LOC)
        set_session(db, CAO_LOC, SessionClock.parse("trưa", "11:00", "45m"), actor=admin)
        clear_sessions(db, CAO_LOC, "trưa", actor=admin)
        (set_row,) = entries(db, "session.set")
        (clear_row,) = entries(db, "session.clear")
        district = find_unit(db, CAO_LOC)
        assert (set_row.actor, set_row.object_id, set_row.unit_id) == (admin.name, CAO_LOC, district.id)
        assert set_row.before is not None and "sáng 05:30" in set_row.before["sessions"]  # inherited
        assert set_row.before["inherited_from"].startswith("Tỉnh Lạng Sơn")
        assert set_row.after == {"sessions": "trưa 11:00-11:45 daily"}
        assert clear_row.before == {"sessions": "trưa 11:00-11:45 daily"} and clear_row.after == {"sessions": "—"}


def test_the_effect_of_a_session_is_told_before_saving(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        effect = session_effect(db, STATION_183, SessionClock.parse("trưa", "11:00", "45m"))
        assert effect.inheriting_from is not None and effect.inheriting_from.ref == "legacy:20"
        assert [c.name for c in effect.inherited] == ["sáng", "chiều"] and not effect.replaces_own
        assert not list(db.scalars(select(AuditEntry)))  # nothing saved, nothing recorded
        set_session(db, STATION_183, SessionClock.parse("trưa", "11:00", "45m"))
        again = session_effect(db, STATION_183, SessionClock.parse("trưa", "12:00", "30m"))
        assert again.inheriting_from is None and again.replaces_own
        with pytest.raises(SessionError, match="overlap"):
            session_effect(db, STATION_183, SessionClock.parse("sớm", "11:30", "30m"))


def test_an_editor_or_an_admin_of_another_district_may_not_change_sessions(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        for actor in (office_actor(db, Role.EDITOR, CAO_LOC), office_actor(db, Role.ADMIN, VAN_QUAN)):
            with pytest.raises(PermissionDenied):
                set_session(db, CAO_LOC, SessionClock.parse("trưa", "11:00", "45m"), actor=actor)
            with pytest.raises(PermissionDenied):
                clear_sessions(db, STATION_183, actor=actor)
            with pytest.raises(PermissionDenied):
                change_station(db, STATION_183, StationChanges(active=False), actor=actor)
            with pytest.raises(PermissionDenied):
                issue_token(db, find_station(db, STATION_183), NOW, actor=actor)
        assert not list(db.scalars(select(AuditEntry)))


def test_station_settings_are_recorded(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        admin = office_actor(db, Role.ADMIN, "legacy:20")
        changes = StationChanges(voice_region="south", active=False, rate=80)
        change_station(db, STATION_183, changes, actor=admin)
        (row,) = entries(db, "station.set")
        assert row.before == {"engine": "default", "voice_region": "north", "speaking_rate": 100, "active": True}
        assert row.after == {"engine": "default", "voice_region": "south", "speaking_rate": 80, "active": False}


def test_tokens_are_recorded_without_their_value(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        admin = office_actor(db, Role.ADMIN, CAO_LOC)
        station = find_station(db, STATION_183)
        token = issue_token(db, station, NOW, actor=admin)
        issue_token(db, station, NOW)  # the CLI, without an actor
        assert revoke_tokens(db, station, NOW, actor=admin) == 2
        stored = list_tokens(db, station)
        assert [t.token_hash for t in stored].count(hash_token(token)) == 1
        assert all(t.revoked_at is not None for t in stored)
        issued = entries(db, "token.issue")
        assert [r.actor.startswith("cli:") for r in issued] == [True, False]
        (revoked,) = entries(db, "token.revoke")
        assert revoked.before == {"live_tokens": 2} and revoked.after == {"live_tokens": 0}
        for row in db.scalars(select(AuditEntry)):
            assert token not in repr((row.summary, row.before, row.after, row.object_id))
            assert hash_token(token) not in repr((row.summary, row.before, row.after))
        assert not db.scalars(select(StationToken).where(StationToken.token_hash == token)).first()


def test_an_admin_adds_accounts_only_within_its_scope(lang_son: Database) -> None:
    from broadcast.accounts.users import add_user, list_users
    from broadcast.errors import AccountError

    with lang_son.transaction() as db:
        admin = office_actor(db, Role.ADMIN, CAO_LOC)
        for scope in ("legacy:20", "all", VAN_QUAN):
            with pytest.raises(AccountError, match="beyond your own"):
                add_user(db, "moi", "Người Mới", "admin", scope, "mot-mat-khau-du-dai", actor=admin, now=NOW)
        with pytest.raises(PermissionDenied):
            add_user(db, "moi", "Người Mới", "editor", CAO_LOC, "mot-mat-khau-du-dai",
                     actor=office_actor(db, Role.APPROVER, CAO_LOC), now=NOW)  # fmt: skip
        add_user(db, "moi", "Người Mới", "editor", CAO_LOC, "mot-mat-khau-du-dai", actor=admin, now=NOW)
        add_user(db, "khac", "Người Khác", "editor", VAN_QUAN, "mot-mat-khau-du-dai", now=NOW)
        assert [u.username for u in list_users(db, admin)] == ["moi"]
        (row,) = entries(db, "user.add")[1:]
        assert row.actor == admin.name and row.after is not None and row.after["scope"] == CAO_LOC
