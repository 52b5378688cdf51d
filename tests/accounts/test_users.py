"""Office accounts: names, passwords (argon2id), roles and scopes, sign-in throttling, and their audit rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from broadcast.accounts.logins import IDLE, end_session, find_session, form_token, form_token_ok, start_session
from broadcast.accounts.users import (
    MAX_FAILURES_PER_ACCOUNT,
    THROTTLE_WINDOW,
    UserChanges,
    add_user,
    authenticate,
    set_password,
    set_user,
    user_json,
)
from broadcast.audit import Actor, AuditFilter, list_entries
from broadcast.config import DEFAULT_SESSIONS
from broadcast.db import Database
from broadcast.db.models import Station, User, WebSession
from broadcast.errors import AccountError, LoginThrottled, NotFoundError, PermissionDenied
from broadcast.units.importer import import_units
from broadcast.units.scope import require_role, scope_of
from broadcast.vocabulary import Role

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
PASSWORD = "mot-mat-khau-du-dai"


@pytest.fixture
def lang_son(database: Database) -> Database:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
    return database


def add(database: Database, username: str = "hoa", role: str = "editor", scope: str = "legacy:183") -> None:
    with database.transaction() as db:
        add_user(db, username, "Trần Thị Hoa", role, scope, PASSWORD, actor=Actor.cli("admin"), now=NOW)


def test_an_account_is_stored_hashed_and_audited(lang_son: Database) -> None:
    add(lang_son, "Hoa")  # names are kept in lower case
    with lang_son.transaction() as db:
        user = db.scalar(select(User).where(User.username == "hoa"))
        assert user is not None and user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert user_json(user)["scope_name"] == "Huyện Cao Lộc"
        [entry] = list_entries(db, AuditFilter(kind="user"))
        assert (entry.actor, entry.kind, entry.object_id) == ("cli:admin", "user.add", "hoa")
        assert entry.after == {"full_name": "Trần Thị Hoa", "role": "editor", "scope": "legacy:183", "active": True}
        assert "password" not in str(entry.after)


@pytest.mark.parametrize(
    ("username", "role", "scope", "password", "problem"),
    [
        ("a", "editor", "legacy:183", PASSWORD, "must be 2 to 64"),
        ("hoa hoa", "editor", "legacy:183", PASSWORD, "must be 2 to 64"),
        ("hoa", "boss", "legacy:183", PASSWORD, "unknown role"),
        ("hoa", "editor", "legacy:183", "short", "at least 10"),
        ("hoa", "editor", "legacy:183", "HOA", "at least 10"),
        ("hoa", "operator", "legacy:183", PASSWORD, "no station"),
        ("hoa", "operator", "all", PASSWORD, "one station"),
        ("hoa", "editor", "legacy-06253", PASSWORD, "is a station"),
    ],
)
def test_bad_accounts_are_refused(
    lang_son: Database, username: str, role: str, scope: str, password: str, problem: str
) -> None:
    with pytest.raises((AccountError, NotFoundError), match=problem), lang_son.transaction() as db:
        add_user(db, username, "Tên", role, scope, password, now=NOW)


def test_a_taken_name_is_refused(lang_son: Database) -> None:
    add(lang_son)
    with pytest.raises(AccountError, match="taken"), lang_son.transaction() as db:
        add_user(db, "HOA", "Another", "editor", "all", PASSWORD, now=NOW)


def test_sign_in_gives_one_answer_and_is_throttled(lang_son: Database) -> None:
    add(lang_son)
    for username, password in [("hoa", "wrong password"), ("nobody", PASSWORD)]:
        with lang_son.transaction() as db:
            assert authenticate(db, username, password, "10.0.0.1", NOW) is None
    with lang_son.transaction() as db:
        assert authenticate(db, " HOA ", PASSWORD, "10.0.0.1", NOW) is not None  # success clears the name's failures
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        with lang_son.transaction() as db:
            assert authenticate(db, "hoa", "wrong password", "10.0.0.2", NOW) is None
    with pytest.raises(LoginThrottled), lang_son.transaction() as db:
        authenticate(db, "hoa", PASSWORD, "10.0.0.3", NOW)  # even the right password, until the window passes
    with lang_son.transaction() as db:
        assert authenticate(db, "hoa", PASSWORD, "10.0.0.3", NOW + THROTTLE_WINDOW) is not None


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(lang_son: Database) -> None:
    add(lang_son)
    with lang_son.transaction() as db:
        user = authenticate(db, "hoa", PASSWORD, "10.0.0.1", NOW)
        assert user is not None
        token = start_session(db, user, "10.0.0.1", NOW)
    with lang_son.transaction() as db:
        set_user(db, "hoa", UserChanges(active=False), now=NOW)
    with lang_son.transaction() as db:
        assert find_session(db, token, NOW) is None
        assert authenticate(db, "hoa", PASSWORD, "10.0.0.1", NOW) is None
        [change] = list_entries(db, AuditFilter(kind="user.set"))
        assert change.before is not None and change.after is not None
        assert (change.before["active"], change.after["active"]) == (True, False)


def test_sessions_end_when_idle_at_sign_out_and_on_a_new_password(lang_son: Database) -> None:
    add(lang_son)
    with lang_son.transaction() as db:
        user = db.scalar(select(User))
        assert user is not None
        first, second, third = (start_session(db, user, None, NOW) for _ in range(3))
        assert db.scalar(select(WebSession.token_hash).limit(1)) not in (first, second, third)  # stored hashed
    with lang_son.transaction() as db:
        assert find_session(db, first, NOW + IDLE - timedelta(seconds=1)) is not None
        assert find_session(db, second, NOW + IDLE) is None
        end_session(db, first)
    with lang_son.transaction() as db:
        assert find_session(db, first, NOW) is None
        set_password(db, "hoa", "mot-mat-khau-moi-hon", now=NOW)
    with lang_son.transaction() as db:
        assert find_session(db, third, NOW) is None
    assert form_token_ok(third, form_token(third)) and not form_token_ok(third, form_token(first))
    assert not form_token_ok(None, form_token(third))


def test_scopes_follow_the_tree(lang_son: Database) -> None:
    add(lang_son, "huyen", "approver", "legacy:183")
    add(lang_son, "dai", "operator", "legacy-06253")
    add(lang_son, "tinh", "admin", "legacy:20")
    with lang_son.transaction() as db:
        users = {u.username: Actor.of(u) for u in db.scalars(select(User))}
        cao_loc = scope_of(db, users["huyen"])
        stations = list(db.scalars(select(Station)))
        inside = [s.code for s in stations if cao_loc.has_station(s)]
        assert (
            "legacy-183" in inside and "legacy-06253" not in inside and len(inside) == 1 + 22
        )  # the district station and its 22 communes
        assert [s.code for s in stations if scope_of(db, users["dai"]).has_station(s)] == ["legacy-06253"]
        assert all(scope_of(db, users["tinh"]).has_station(s) for s in stations)
        assert scope_of(db, Actor.cli()).everything
    require_role(users["tinh"], Role.APPROVER, "approve")
    require_role(Actor.cli(), Role.ADMIN, "add users")
    with pytest.raises(PermissionDenied):
        require_role(users["huyen"], Role.ADMIN, "add users")
    with pytest.raises(PermissionDenied):
        require_role(users["dai"], Role.EDITOR, "edit messages")
