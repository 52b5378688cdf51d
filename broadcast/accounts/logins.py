"""Browser sessions of signed-in office users: a random cookie whose sha256 alone is stored, ending after
IDLE without a request or at LIFETIME, whichever comes first, and at sign-out. The form token (CSRF) is derived
from the cookie, so only the browser holding it can send a form."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import User, WebSession
from broadcast.times import as_utc

LIFETIME = timedelta(hours=12)  # one working day, then sign in again
IDLE = timedelta(hours=2)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(db: DbSession, user: User, address: str | None, now: datetime) -> str:
    """A new session for user; returns the cookie value, which is not stored and cannot be shown again."""
    token = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + LIFETIME,
            address=(address or "")[:64] or None,
        )
    )
    db.execute(delete(WebSession).where(WebSession.expires_at < now))  # sweep the ended ones now and then
    return token


def find_session(db: DbSession, token: str | None, now: datetime) -> User | None:
    """The active user whose live session the cookie names, or None (no cookie, unknown, ended, idle, disabled)."""
    if not token or len(token) > 100:
        return None
    session = db.scalar(select(WebSession).where(WebSession.token_hash == _hash(token)))
    if session is None:
        return None
    if as_utc(session.expires_at) <= now or as_utc(session.last_seen_at) + IDLE <= now or not session.user.active:
        db.delete(session)
        return None
    if now - as_utc(session.last_seen_at) >= TOUCH_EVERY:
        session.last_seen_at = now
    return session.user


def end_session(db: DbSession, token: str | None) -> None:
    """Sign out: the session is gone; the cookie no longer opens anything."""
    if token:
        db.execute(delete(WebSession).where(WebSession.token_hash == _hash(token)))


def form_token(session_token: str) -> str:
    """The CSRF token of the session's forms: an HMAC of a fixed label under the session cookie."""
    return hmac.new(session_token.encode("utf-8"), b"broadcast form", hashlib.sha256).hexdigest()


def form_token_ok(session_token: str | None, sent: str | None) -> bool:
    """Whether a form came from a page of this session (constant-time comparison, of bytes: a forged token may
    hold any character, and compare_digest refuses non-ASCII str)."""
    if not session_token or not sent:
        return False
    return hmac.compare_digest(form_token(session_token).encode(), sent.encode("utf-8", "surrogatepass"))
