"""Office accounts: add, list, change, disable, set a password, and sign in (throttled).

Every change is written to the audit trail in the same transaction; passwords are never recorded, only that one
was set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.accounts.passwords import check_strength, hash_password, needs_rehash, verify_password
from broadcast.audit import Actor
from broadcast.db.models import LoginFailure, Station, Unit, User, WebSession
from broadcast.errors import AccountError, LoginThrottled, NotFoundError, PermissionDenied
from broadcast.text import nfc
from broadcast.units.scope import require_role, scope_of
from broadcast.units.tree import find_station, find_unit
from broadcast.validation import MAX_NAME, clean_text
from broadcast.vocabulary import Role

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5  # then the name is refused until the window has passed (OWASP's lockout advice)
MAX_FAILURES_PER_ADDRESS = 20  # many names tried from one address


@dataclass(frozen=True)
class UserChanges:
    """What `users set` (or the users page) was given; None leaves a field as it is. scope is a unit code, a
    station code (operators), or "all" for the whole country."""

    full_name: str | None = None
    role: str | None = None
    scope: str | None = None
    active: bool | None = None


def user_json(user: User) -> dict[str, Any]:
    """An account as `users list --json` prints it (never its password hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "scope": _scope_ref(user),
        "scope_name": user.station.name if user.station else user.unit.name if user.unit else "Toàn quốc",
        "active": user.active,
        "created_at": user.created_at.isoformat(timespec="seconds"),
    }


def _scope_ref(user: User) -> str:
    if user.station is not None:
        return user.station.code
    return user.unit.ref if user.unit is not None else "all"


def find_user(db: DbSession, username: str) -> User:
    user = db.scalar(select(User).where(User.username == _clean_name(username)))
    if user is None:
        raise NotFoundError(f"no user named {username!r}; see the list of users")
    return user


def list_users(db: DbSession, actor: Actor | None = None) -> list[User]:
    """Every account, or for an office actor those whose scope lies within theirs."""
    users = list(db.scalars(select(User).order_by(User.username)))
    if actor is None or actor.role is None:
        return users
    return [user for user in users if _within(db, actor, user)]


def find_user_for(db: DbSession, username: str, actor: Actor | None = None) -> User:
    """The account named username, if the actor is an admin whose scope holds it (PermissionDenied otherwise)."""
    user = find_user(db, username)
    _require_admin_over(db, actor, user, f"manage the account {user.username}")
    return user


def _within(db: DbSession, actor: Actor, user: User) -> bool:
    """Whether user's scope lies inside actor's: the same unit or one below it (an operator's station likewise)."""
    scope = scope_of(db, actor)
    if scope.everything:
        return True
    if user.station is not None:
        return scope.has_station(user.station)
    return user.unit_id is not None and scope.has_unit(user.unit_id)


def _require_admin_over(db: DbSession, actor: Actor | None, user: User, what: str) -> None:
    if actor is None or actor.role is None:
        return
    require_role(actor, Role.ADMIN, what)
    if not _within(db, actor, user):
        raise PermissionDenied(f"{actor.name} may not {what}: its scope lies beyond theirs")


def has_users(db: DbSession) -> bool:
    """Whether any office account exists yet (none right after `broadcast init` on a new database)."""
    return db.scalar(select(User.id).limit(1)) is not None


def add_user(
    db: DbSession,
    username: str,
    full_name: str,
    role: str,
    scope: str,
    password: str,
    *,
    actor: Actor | None = None,
    now: datetime,
) -> User:
    """A new active account. AccountError for a malformed or taken name, a weak password or a scope that does not
    suit the role (an operator needs a station; the others a unit or "all"); NotFoundError for an unknown code."""
    name = _clean_name(username)
    if not USERNAME.fullmatch(name):
        raise AccountError(
            f"user name {username!r} must be 2 to 64 letters a-z, digits, '.', '_' or '-', starting with a letter "
            "or digit",
            field="username",
        )
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        raise AccountError(f"user name {name!r} is taken; choose another", field="username")
    check_strength(password, name)
    user = User(
        username=name,
        full_name=_required_name(full_name),
        role=_role(role),
        password_hash=hash_password(password),
        active=True,
        created_at=now,
        updated_at=now,
    )
    if actor is not None and actor.role is not None:
        require_role(actor, Role.ADMIN, "add accounts")
    _set_scope(db, user, scope)
    _require_scope_given(db, actor, user)
    db.add(user)
    db.flush()
    audit.record(
        db, actor, "user.add", "user", user.username, f"tạo tài khoản {user.username} ({user.role.label})",
        after=_snapshot(user), unit_id=_unit_of(user), now=now,
    )  # fmt: skip
    return user


def set_user(db: DbSession, username: str, changes: UserChanges, *, actor: Actor | None = None, now: datetime) -> User:
    """Change an account's name, role, scope or whether it is active; disabling one ends its sessions."""
    user = find_user_for(db, username, actor)
    before = _snapshot(user)
    if changes.full_name is not None:
        user.full_name = _required_name(changes.full_name)
    if changes.role is not None:
        user.role = _role(changes.role)
    if changes.scope is not None or changes.role is not None:
        _set_scope(db, user, changes.scope if changes.scope is not None else _scope_ref(user))
        _require_scope_given(db, actor, user)
    if changes.active is not None:
        user.active = changes.active
        if not user.active:
            db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    after = _snapshot(user)
    if after == before:
        raise AccountError(f"nothing to change for {user.username}; give a new name, role, scope or state")
    user.updated_at = now
    audit.record(
        db, actor, "user.set", "user", user.username, f"sửa tài khoản {user.username}",
        before=before, after=after, unit_id=_unit_of(user), now=now,
    )  # fmt: skip
    return user


def set_password(db: DbSession, username: str, password: str, *, actor: Actor | None = None, now: datetime) -> User:
    """Replace an account's password and end its browser sessions, so a stolen one stops working."""
    user = find_user_for(db, username, actor)
    _replace_password(db, user, password, actor, now, f"đặt mật khẩu mới cho {user.username}")
    return user


def change_own_password(db: DbSession, actor: Actor, current: str, new: str, *, now: datetime) -> User:
    """A signed-in user's new password, given their current one (AccountError on the field when it is wrong)."""
    user = db.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.active:
        raise PermissionDenied(f"{actor.name} has no account whose password could be changed")
    if not verify_password(user.password_hash, current):
        raise AccountError("the current password is not right", field="current")
    _replace_password(db, user, new, actor, now, f"{user.username} đổi mật khẩu của mình")
    return user


def _replace_password(db: DbSession, user: User, password: str, actor: Actor | None, now: datetime, said: str) -> None:
    """Check and store a new password, end the account's browser sessions, and record it (never the password)."""
    check_strength(password, user.username)
    user.password_hash = hash_password(password)
    user.updated_at = now
    db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit.record(db, actor, "user.password", "user", user.username, said, unit_id=_unit_of(user), now=now)


def _require_scope_given(db: DbSession, actor: Actor | None, user: User) -> None:
    """An office admin may give only a scope within their own, so never a wider one than theirs."""
    if actor is not None and actor.role is not None and not _within(db, actor, user):
        raise AccountError(
            f"scope {_scope_ref(user)} lies beyond your own; choose a unit or station within it", field="scope"
        )


def authenticate(db: DbSession, username: str, password: str, address: str, now: datetime) -> User | None:
    """The active account these credentials open, or None — the same for an unknown name, a wrong password or a
    disabled account — with the failure recorded (commit it). LoginThrottled when the name or the address has
    failed too often lately; then the password is not even checked."""
    name = _clean_name(username)[:64]
    since = now - THROTTLE_WINDOW
    by_name = db.scalar(select(func.count()).where(LoginFailure.username == name, LoginFailure.at > since)) or 0
    by_address = db.scalar(select(func.count()).where(LoginFailure.address == address, LoginFailure.at > since)) or 0
    if by_name >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS:
        raise LoginThrottled(
            f"too many failed sign-ins; try again in {int(THROTTLE_WINDOW.total_seconds() // 60)} minutes"
        )
    user = db.scalar(select(User).where(User.username == name))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        db.add(LoginFailure(username=name, address=address[:64], at=now))
        db.execute(delete(LoginFailure).where(LoginFailure.at < since - THROTTLE_WINDOW))  # keep the table small
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.execute(delete(LoginFailure).where(LoginFailure.username == name))
    return user


def _clean_name(username: str) -> str:
    return nfc(username).strip().lower()


def _required_name(full_name: str) -> str:
    cleaned = " ".join(nfc(full_name).split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise AccountError(f"a user's full name must have 1 to {MAX_NAME} characters", field="full_name")
    return clean_text(cleaned, "full_name", AccountError, limit=MAX_NAME)


def _role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise AccountError(f"unknown role {text!r}; use {', '.join(Role)}", field="role") from None


def _set_scope(db: DbSession, user: User, scope: str) -> None:
    ref = scope.strip()
    if user.role is Role.OPERATOR:
        if ref.lower() == "all":
            raise AccountError("an operator works one station; give its code as the scope", field="scope")
        station = find_station(db, ref)
        user.station, user.station_id, user.unit, user.unit_id = station, station.id, station.unit, station.unit_id
        return
    user.station, user.station_id = None, None
    if ref.lower() == "all":
        user.unit, user.unit_id = None, None
        return
    if db.scalar(select(Station.id).where(Station.code == ref)) is not None:
        raise AccountError(f"{ref} is a station; only an operator's scope is a station, give a unit", field="scope")
    unit = find_unit(db, ref)
    user.unit, user.unit_id = unit, unit.id


def _unit_of(user: User) -> int | None:
    return user.unit_id


def _snapshot(user: User) -> dict[str, Any]:
    unit: Unit | None = user.unit
    return {
        "full_name": user.full_name,
        "role": user.role.value,
        "scope": user.station.code if user.station else unit.ref if unit else "all",
        "active": user.active,
    }
