"""Signing in and out. One answer for an unknown name and a wrong password; sign-ins throttled per name and address."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from broadcast.accounts.logins import LIFETIME, end_session, start_session
from broadcast.accounts.users import authenticate
from broadcast.errors import LoginThrottled
from broadcast.web.context import SESSION_COOKIE, checked_form, office, render

router = APIRouter()
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


def _safe_next(path: str | None) -> str:
    # Only a path of this site: never "//other.example" or "https://…", which would send the user elsewhere.
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Any:
    return render(request, "login.html", title="Đăng nhập", next_path=_safe_next(next), username="", error=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Any:
    app = office(request)
    now = app.now()
    token = None
    try:
        with app.transaction() as db:
            user = authenticate(db, username, password, _address(request), now)
            if user is not None:
                token = start_session(db, user, _address(request), now)
        error = None if token else WRONG
    except LoginThrottled:
        error = THROTTLED
    if token is None:
        shown = username[:64]
        return render(
            request, "login.html", 401, title="Đăng nhập", next_path=_safe_next(next), username=shown, error=error
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_https(request),
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, form: Annotated[dict[str, Any], Depends(checked_form)]) -> Any:
    with office(request).transaction() as db:
        end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_https(request))
    return response


def _https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (directly, or through a proxy that says so)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"
