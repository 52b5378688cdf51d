"""Accounts (Tài khoản): admins list, add and change the accounts within their scope; anyone changes their own
password (giving the current one)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from broadcast.accounts.users import (
    UserChanges,
    add_user,
    change_own_password,
    find_user_for,
    list_users,
    set_password,
    set_user,
    user_json,
)
from broadcast.errors import AccountError, BroadcastError, NotFoundError, UnitsError
from broadcast.units.scope import require_role
from broadcast.vocabulary import Role
from broadcast.web.context import Visitor, checked_form, form_text, office, render, visitor
from broadcast.web.labels import scope_name, vi_error

router = APIRouter()

NOTICES = {
    "added": "Đã tạo tài khoản.",
    "saved": "Đã lưu thay đổi.",
    "enabled": "Đã mở lại tài khoản.",
    "disabled": "Đã khoá tài khoản; mọi phiên đăng nhập của tài khoản đã kết thúc.",
    "password": "Đã đặt mật khẩu mới; mọi phiên đăng nhập của tài khoản đã kết thúc.",
}
ROLES = [(role.value, role.label) for role in Role]
NEW_USER = {"username": "", "full_name": "", "role": Role.EDITOR.value, "scope": ""}


def _errors(exc: BroadcastError, default: str) -> dict[str, str]:
    return {
        exc.field if exc.field in {"username", "full_name", "role", "scope", "password"} else default: vi_error(exc)
    }


def _list_page(request: Request, who: Visitor, status_code: int = 200, **extra: Any) -> Any:
    app = office(request)
    with app.transaction() as db:
        require_role(who.actor, Role.ADMIN, "manage accounts")
        values: dict[str, Any] = {
            "title": "Tài khoản",
            "visitor": who,
            "active": "/users",
            "users": [user_json(user) for user in list_users(db, who.actor)],
            "roles": ROLES,
            "role_labels": dict(ROLES),
            "scope_name": scope_name(db, who.actor),
            "form": NEW_USER,
            "errors": {},
            "notice": NOTICES.get(request.query_params.get("done", "")),
        }
        values.update(extra)
        return render(request, "users/list.html", status_code, **values)


def _user_page(request: Request, who: Visitor, username: str, status_code: int = 200, **extra: Any) -> Any:
    app = office(request)
    with app.transaction() as db:
        user = user_json(find_user_for(db, username, who.actor))
        values: dict[str, Any] = {
            "title": f"Tài khoản {user['username']}",
            "visitor": who,
            "active": "/users",
            "user": user,
            "form": user,
            "roles": ROLES,
            "role_labels": dict(ROLES),
            "errors": {},
            "notice": NOTICES.get(request.query_params.get("done", "")),
        }
        values.update(extra)
        return render(request, "users/user.html", status_code, **values)


def _done(username: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/users/{quote(username)}?done={what}", status_code=303)


@router.get("/users")
def users_page(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return _list_page(request, who)


@router.post("/users")
def add(
    request: Request, who: Annotated[Visitor, Depends(visitor)], form: Annotated[dict[str, Any], Depends(checked_form)]
) -> Any:
    typed = {key: form_text(form, key, 200) for key in ("username", "full_name", "role", "scope")}
    app = office(request)
    try:
        with app.transaction() as db:
            user = add_user(
                db, typed["username"], typed["full_name"], typed["role"], typed["scope"], form_text(form, "password"),
                actor=who.actor, now=app.now(),
            )  # fmt: skip
            username = user.username
    except (AccountError, UnitsError, NotFoundError) as exc:  # NotFoundError: no unit or station with that code
        return _list_page(request, who, 400, form=typed, errors=_errors(exc, "scope"))
    return _done(username, "added")


@router.get("/users/{username}")
def user_page(request: Request, username: str, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return _user_page(request, who, username)


@router.post("/users/{username}")
def change(
    request: Request,
    username: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    typed = {key: form_text(form, key, 200) for key in ("full_name", "role", "scope")}
    changes = UserChanges(full_name=typed["full_name"], role=typed["role"], scope=typed["scope"])
    app = office(request)
    try:
        with app.transaction() as db:
            user = find_user_for(db, username, who.actor)  # an unknown account is a 404, not a field's error
            set_user(db, user.username, changes, actor=who.actor, now=app.now())
    except (AccountError, UnitsError, NotFoundError) as exc:
        return _user_page(
            request, who, username, 400, form={**typed, "username": username}, errors=_errors(exc, "form")
        )
    return _done(username, "saved")


@router.post("/users/{username}/active")
def enable(
    request: Request,
    username: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    active = form_text(form, "active") == "yes"
    app = office(request)
    try:
        with app.transaction() as db:
            set_user(db, username, UserChanges(active=active), actor=who.actor, now=app.now())
    except AccountError as exc:
        return _user_page(request, who, username, 400, errors={"active": vi_error(exc)})
    return _done(username, "enabled" if active else "disabled")


@router.post("/users/{username}/password")
def password(
    request: Request,
    username: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    app = office(request)
    try:
        with app.transaction() as db:
            set_password(db, username, form_text(form, "password"), actor=who.actor, now=app.now())
    except AccountError as exc:
        return _user_page(request, who, username, 400, errors={"password": vi_error(exc)})
    return _done(username, "password")


@router.get("/account/password")
def own_password_page(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return render(request, "users/own_password.html", title="Đổi mật khẩu", visitor=who, active="", errors={})


@router.post("/account/password")
def own_password(
    request: Request, who: Annotated[Visitor, Depends(visitor)], form: Annotated[dict[str, Any], Depends(checked_form)]
) -> Any:
    app = office(request)
    try:
        with app.transaction() as db:
            change_own_password(db, who.actor, form_text(form, "current"), form_text(form, "password"), now=app.now())
    except AccountError as exc:
        field = "current" if exc.field == "current" else "password"
        message = "Mật khẩu hiện tại không đúng." if field == "current" else vi_error(exc)
        return render(
            request, "users/own_password.html", 400, title="Đổi mật khẩu", visitor=who, active="",
            errors={field: message},
        )  # fmt: skip
    # Changing a password ends every session of the account, this one too: sign in again with the new one.
    return RedirectResponse("/login", status_code=303)
