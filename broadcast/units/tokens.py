"""Station API tokens: issued once and stored only as their sha256; listed and revoked by the office or the CLI.

The station API checks them (broadcast.server.tokens); this module only makes and ends them, with audit rows that
never hold a token's value.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.db.models import Station, StationToken
from broadcast.units.scope import require_admin_of

TOKEN_PREFIX = "bst_"


def hash_token(token: str) -> str:
    """The sha256 under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(db: DbSession, station: Station, now: datetime, *, actor: Actor | None = None) -> str:
    """A new token for the station; only its hash is stored, so this is the one time it can be shown."""
    require_admin_of(db, actor, station, f"issue a token for {station.code}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = StationToken(station_id=station.id, token_hash=hash_token(token), created_at=now, revoked_at=None)
    db.add(row)
    db.flush()
    audit.record(
        db, actor, "token.issue", "token", station.code, f"cấp mã truy cập mới cho {station.name} ({station.code})",
        after={"token_id": row.id, "live_tokens": _live(db, station)}, unit_id=station.unit_id, now=now,
    )  # fmt: skip
    return token


def revoke_tokens(db: DbSession, station: Station, now: datetime, *, actor: Actor | None = None) -> int:
    """Revoke every live token of the station; return how many there were."""
    require_admin_of(db, actor, station, f"revoke the tokens of {station.code}")
    live = _live(db, station)
    result = db.execute(
        update(StationToken)
        .where(StationToken.station_id == station.id, StationToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    audit.record(
        db, actor, "token.revoke", "token", station.code, f"thu hồi {count} mã truy cập của {station.name}",
        before={"live_tokens": live}, after={"live_tokens": 0}, unit_id=station.unit_id, now=now,
    )  # fmt: skip
    return count


def list_tokens(db: DbSession, station: Station) -> list[StationToken]:
    """The station's tokens, newest first (their hashes only)."""
    query = select(StationToken).where(StationToken.station_id == station.id)
    return list(db.scalars(query.order_by(StationToken.created_at.desc(), StationToken.id.desc())))


def _live(db: DbSession, station: Station) -> int:
    rows = db.scalars(
        select(StationToken.id).where(StationToken.station_id == station.id, StationToken.revoked_at.is_(None))
    )
    return len(list(rows))
