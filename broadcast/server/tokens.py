"""Station API tokens: issued once, stored only as their sha256, checked against a short-lived in-memory cache.

A token opens its own station's days and emergencies and any audio. The cache keeps the hot path free of
database queries; its entries expire after `ttl` seconds, so a revoked token stops working within that time.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from broadcast.db import Database
from broadcast.db.models import Station, StationToken

TOKEN_PREFIX = "bst_"
TOKEN_TTL = 30.0  # seconds a checked token is trusted before the database is asked again
MAX_TOKEN_LENGTH = 128  # anything longer is not one of ours; refused without hashing or asking the database
_CACHE_LIMIT = 50_000  # entries; the cache is cleared when it grows past this (e.g. a flood of made-up tokens)


def hash_token(token: str) -> str:
    """The sha256 under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(db: DbSession, station: Station, now: datetime) -> str:
    """A new token for the station; only its hash is stored, so this is the one time it can be shown."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(StationToken(station_id=station.id, token_hash=hash_token(token), created_at=now, revoked_at=None))
    db.flush()
    return token


def revoke_tokens(db: DbSession, station: Station, now: datetime) -> int:
    """Revoke every live token of the station; return how many there were."""
    result = db.execute(
        update(StationToken)
        .where(StationToken.station_id == station.id, StationToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class TokenHolder:
    """The station a valid token belongs to."""

    station_id: int
    station_code: str


def find_holder(db: DbSession, token_hash: str) -> TokenHolder | None:
    """The station of a live (unrevoked) token, or None."""
    row = db.execute(
        select(Station.id, Station.code)
        .join(StationToken, StationToken.station_id == Station.id)
        .where(StationToken.token_hash == token_hash, StationToken.revoked_at.is_(None))
    ).first()
    return TokenHolder(row.id, row.code) if row is not None else None


class TokenCache:
    """token sha256 → holder (or None for an unknown token), each answer trusted for `ttl` seconds."""

    def __init__(self, database: Database, ttl: float = TOKEN_TTL, clock: Callable[[], float] = time.monotonic):
        self.database = database
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, tuple[float, TokenHolder | None]] = {}
        self._lock = threading.Lock()

    def cached(self, token: str) -> tuple[bool, TokenHolder | None]:
        """(True, holder) when the cache still knows the answer; (False, None) when the database must be asked."""
        entry = self._entries.get(hash_token(token))
        if entry is None or entry[0] <= self.clock():
            return False, None
        return True, entry[1]

    def lookup(self, token: str) -> TokenHolder | None:
        """The holder of the token, asking the database when the cached answer is missing or stale."""
        found, holder = self.cached(token)
        if found:
            return holder
        token_hash = hash_token(token)
        with self.database.transaction() as db:
            holder = find_holder(db, token_hash)
        with self._lock:
            if len(self._entries) >= _CACHE_LIMIT:
                self._entries.clear()
            self._entries[token_hash] = (self.clock() + self.ttl, holder)
        return holder

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None when the header is missing or not one of ours."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    return token
