"""What every office page shares: the settings, the database, the templates, the clock, and who is signed in.

A page's route asks for `Visitor` (signed in, any role) and calls library functions with `visitor.actor`, so the
library checks roles and scope and writes the audit trail. A form's POST also checks its CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session as DbSession

from broadcast.accounts.logins import find_session, form_token, form_token_ok
from broadcast.audit import Actor
from broadcast.config import Settings
from broadcast.db import Database
from broadcast.db.models import User

SESSION_COOKIE = "broadcast_session"
TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


@dataclass
class Office:
    """The office app's shared state, kept on app.state.office."""

    settings: Settings
    database: Database
    templates: Jinja2Templates
    now: Callable[[], datetime]

    @contextmanager
    def transaction(self) -> Iterator[DbSession]:
        with self.database.transaction() as db:
            yield db


class SignInRequired(Exception):
    """No live session: the visitor is sent to the sign-in page and brought back afterwards."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class BadForm(Exception):
    """A form without this session's CSRF token (forged, or from a page older than the session)."""


@dataclass(frozen=True)
class Visitor:
    """The signed-in user of this request, as the library sees them (actor) and as pages show them."""

    actor: Actor
    username: str
    full_name: str
    csrf: str  # the token every form of this session carries

    @classmethod
    def of(cls, user: User, session_token: str) -> Visitor:
        return cls(Actor.of(user), user.username, user.full_name, form_token(session_token))


def office(request: Request) -> Office:
    found: Office = request.app.state.office
    return found


def visitor(request: Request) -> Visitor:
    """The signed-in visitor (a FastAPI dependency); SignInRequired when there is none."""
    token = request.cookies.get(SESSION_COOKIE)
    app = office(request)
    with app.transaction() as db:
        user = find_session(db, token, app.now())
        found = Visitor.of(user, token or "") if user is not None else None
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return found


async def checked_form(request: Request) -> dict[str, Any]:
    """The posted form's fields (a FastAPI dependency), after checking its CSRF token; BadForm otherwise."""
    form = await request.form()
    if not form_token_ok(request.cookies.get(SESSION_COOKIE), _text(form.get("csrf"))):
        raise BadForm()
    return {key: form.getlist(key) if len(form.getlist(key)) > 1 else form.get(key) for key in form}


def form_text(form: dict[str, Any], key: str, limit: int = 1000) -> str:
    """A posted field as text, at most limit characters; "" when absent or sent several times."""
    value = form.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def sign_in_path(next_path: str) -> str:
    return f"/login?next={quote(next_path, safe='/')}"


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> Any:
    """A page from its template, with the app-wide values every page uses."""
    app = office(request)
    return app.templates.TemplateResponse(request, template, values, status_code=status_code)
