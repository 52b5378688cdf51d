"""The office web app, added to the same FastAPI app (and port) as the stations' API.

Pages are server-rendered from Jinja2 templates (autoescaped); assets are served from the package, so offices
without internet get every page whole. A visitor without a live session is sent to sign in; a role or scope that
does not allow a page gets a 403 page in Vietnamese; nothing a person can type gives a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from broadcast.config import Settings
from broadcast.db import Database
from broadcast.errors import NotFoundError, PermissionDenied
from broadcast.web.context import STATIC, TEMPLATES, BadForm, Office, SignInRequired, render, sign_in_path
from broadcast.web.labels import NAV
from broadcast.web.pages import (
    audit,
    auth,
    directives,
    home,
    listen,
    messages,
    reports,
    status,
    timetable,
    units,
    users,
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Everything comes from this server: no CDN, no inline script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; frame-ancestors 'none'",
}


def add_office(app: FastAPI, settings: Settings, database: Database, now: Callable[[], datetime]) -> None:
    """Serve the office pages and their assets from app, beside the API."""
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["nav"] = NAV
    app.state.office = Office(settings, database, templates, now)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(auth.router, include_in_schema=False)
    app.include_router(home.router, include_in_schema=False)
    app.include_router(directives.router, include_in_schema=False)
    app.include_router(messages.router, include_in_schema=False)  # before units: it serves /units/search
    app.include_router(timetable.router, include_in_schema=False)
    app.include_router(listen.router, include_in_schema=False)
    app.include_router(reports.router, include_in_schema=False)
    app.include_router(status.router, include_in_schema=False)
    app.include_router(units.router, include_in_schema=False)
    app.include_router(users.router, include_in_schema=False)
    app.include_router(audit.router, include_in_schema=False)
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(PermissionDenied, _forbidden)
    app.add_exception_handler(BadForm, _bad_form)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # The API's own handler (registered first, by create_app) keeps answering the machines; pages get a page.
    machine: Any = app.exception_handlers.get(RequestValidationError, request_validation_exception_handler)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(MACHINE_PATHS):
            answer: Response = await machine(request, exc)
            return answer
        return await _invalid(request, exc)

    app.add_exception_handler(RequestValidationError, invalid_request)

    app.add_middleware(SecurityHeaders)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every answer but the stations' API's, as a plain ASGI wrapper: the API's requests
    (a station's "has my day changed?" all day long) pass straight through, with no per-request wrapper objects."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(sign_in_path(exc.next_path), status_code=303)


def _error_page(request: Request, status: int, heading: str, detail: str) -> Response:
    response: Response = render(request, "error.html", status, title=heading, heading=heading, detail=detail)
    return response


async def _forbidden(request: Request, exc: Exception) -> Response:
    detail = "Tài khoản của bạn không có quyền làm việc này, hoặc nội dung thuộc đơn vị khác ngoài phạm vi của bạn."
    return _error_page(request, 403, "Không có quyền", detail)


async def _bad_form(request: Request, exc: Exception) -> Response:
    detail = "Biểu mẫu đã cũ hoặc không hợp lệ. Hãy tải lại trang rồi thử lại."
    return _error_page(request, 400, "Biểu mẫu không hợp lệ", detail)


async def _not_found(request: Request, exc: Exception) -> Response:
    detail = "Không tìm thấy nội dung này. Có thể nó đã bị xoá hoặc đường dẫn không đúng."
    return _error_page(request, 404, "Không tìm thấy", detail)


MACHINE_PATHS = ("/api/", "/healthz", "/openapi.json", "/docs", "/redoc")


async def _invalid(request: Request, exc: Exception) -> Response:
    """A path that cannot name anything (/messages/abc) is not found; a query or form that cannot be read is a 400."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    if any(error.get("loc", ("",))[0] == "path" for error in errors):
        return await _not_found(request, exc)
    detail = "Địa chỉ hoặc biểu mẫu có giá trị không đọc được. Hãy quay lại trang trước rồi thử lại."
    return _error_page(request, 400, "Yêu cầu không hợp lệ", detail)


async def _http_error(request: Request, exc: Exception) -> Response:
    """The stations' API keeps its JSON errors; a person who mistypes an office address gets a page."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith(MACHINE_PATHS) or exc.status_code not in (400, 404, 405):
        return await http_exception_handler(request, exc)
    if exc.status_code == 400:  # a body that cannot be parsed (broken multipart)
        return await _invalid(request, exc)
    if exc.status_code == 405:
        return _error_page(request, 405, "Không thực hiện được", "Địa chỉ này không nhận yêu cầu kiểu đó.")
    return await _not_found(request, exc)
