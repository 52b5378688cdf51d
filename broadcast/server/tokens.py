"""Station API tokens: issued once, stored only as their sha256, checked against a short-lived in-memory cache.

A token opens its own station's days and emergencies and any audio. The cache keeps the hot path free of
database queries; its entries expire after `ttl` seconds, so a revoked token stops working within that time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.db import Database
from broadcast.db.models import Station, StationToken
from broadcast.units.tokens import TOKEN_PREFIX, hash_token, issue_token, revoke_tokens

# Tokens are made and revoked in broadcast.units.tokens (the office and the CLI do it); re-exported for old imports.
__all__ = [
    "TOKEN_PREFIX", "TokenCache", "TokenHolder", "bearer_token", "find_holder", "hash_token", "issue_token",
    "revoke_tokens",
]  # fmt: skip

TOKEN_TTL = 30.0  # seconds a checked token is trusted before the database is asked again
MAX_TOKEN_LENGTH = 128  # anything longer is not one of ours; refused without hashing or asking the database
_CACHE_LIMIT = 50_000  # entries; the cache is cleared when it grows past this (e.g. a flood of made-up tokens)


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
