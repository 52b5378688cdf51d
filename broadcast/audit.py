"""The audit trail (nhật ký): every change to directives, messages, sessions, stations, tokens and users, with who
made it, when (UTC), what, and the values before and after. The CLI and the office pages both write it here.

A change made at the command line is made by the machine's operator, who is trusted: it is recorded as
``cli:<name>`` with the name given (``--by``) or the operating-system user.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import AuditEntry, User
from broadcast.text import nfc
from broadcast.times import utc_now
from broadcast.vocabulary import Role

MAX_LISTED = 10_000


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an office user (with role and scope), or the machine's operator at the CLI (role None:
    trusted, unrestricted)."""

    name: str
    user_id: int | None = None
    role: Role | None = None
    unit_id: int | None = None  # the scope's unit; None with a role: the whole country
    station_id: int | None = None  # an operator's station

    @classmethod
    def cli(cls, by: str | None = None) -> Actor:
        """The machine's operator, named by by or else by the operating-system user."""
        name = " ".join(nfc(by or "").split()) or _os_user()
        return cls(f"cli:{name}")

    @classmethod
    def of(cls, user: User) -> Actor:
        """An office user, as the trail names them: "username (Full Name)"."""
        return cls(f"{user.username} ({user.full_name})", user.id, user.role, user.unit_id, user.station_id)

    @property
    def person(self) -> str:
        """The name to show as approver and the like: the full name of a user, the given name at the CLI."""
        if self.name.startswith("cli:"):
            return self.name.removeprefix("cli:")
        return self.name.split(" (", 1)[1].rstrip(")") if " (" in self.name else self.name


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no such user in the passwd database (a container's uid)
        return "unknown"


def record(
    db: DbSession,
    actor: Actor | None,
    kind: str,
    object_type: str,
    object_id: object,
    summary: str,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    unit_id: int | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Add one row to the trail in the caller's transaction, so the change and its record commit together.

    kind is "<object_type>.<verb>" (message.approve); before and after are JSON-ready snapshots (None for a creation
    or a deletion); unit_id is the unit the change concerns, for filtering by scope.
    """
    who = actor or Actor.cli()
    entry = AuditEntry(
        at=now or utc_now(),
        user_id=who.user_id,
        actor=who.name,
        kind=kind,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        unit_id=unit_id,
        summary=summary,
        before=_plain(before),
        after=_plain(after),
    )
    db.add(entry)
    return entry


def _plain(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: value.isoformat() if isinstance(value, date | datetime) else value for key, value in values.items()}


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The keys whose values differ between two snapshots, in after's order."""
    return [key for key in after if before.get(key) != after.get(key)]


@dataclass(frozen=True)
class AuditFilter:
    """What to list: each field narrows the trail; None leaves it open. Days are UTC days, both included."""

    user_id: int | None = None
    actor: str | None = None  # a substring of the actor's name
    unit_ids: frozenset[int] | None = None  # the units in a scope
    kind: str | None = None  # "message" for every message change, or one kind such as "message.approve"
    since: date | None = None
    until: date | None = None
    limit: int = 200
    offset: int = 0  # entries to skip, for a page of the trail


def list_entries(db: DbSession, wanted: AuditFilter = AuditFilter()) -> list[AuditEntry]:
    """The newest entries first that match wanted, at most wanted.limit (capped at MAX_LISTED)."""
    query: Select[tuple[AuditEntry]] = select(AuditEntry)
    if wanted.user_id is not None:
        query = query.where(AuditEntry.user_id == wanted.user_id)
    if wanted.actor:
        query = query.where(AuditEntry.actor.contains(wanted.actor))
    if wanted.unit_ids is not None:
        query = query.where(AuditEntry.unit_id.in_(wanted.unit_ids))
    if wanted.kind:
        query = query.where(
            AuditEntry.kind == wanted.kind if "." in wanted.kind else AuditEntry.object_type == wanted.kind
        )
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.since, time(), UTC))
    if wanted.until is not None:
        query = query.where(AuditEntry.at < datetime.combine(wanted.until + timedelta(days=1), time(), UTC))
    limit = max(1, min(wanted.limit, MAX_LISTED))
    return list(
        db.scalars(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(max(0, wanted.offset))
        )
    )


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    """An entry as `audit list --json` prints it."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="seconds"),
        "actor": entry.actor,
        "user_id": entry.user_id,
        "kind": entry.kind,
        "object": entry.object_type,
        "object_id": entry.object_id,
        "unit_id": entry.unit_id,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
    }
