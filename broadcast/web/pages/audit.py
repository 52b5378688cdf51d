"""Nhật ký: the audit trail within the reader's scope, filtered by user, unit, kind and dates, newest first, a page at
a time, each entry with the values that changed."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request

from broadcast.accounts.trail import TrailQuery, read_trail
from broadcast.errors import AccountError, BroadcastError, NotFoundError, UnitsError
from broadcast.times import parse_day
from broadcast.web.context import Visitor, office, render, visitor
from broadcast.web.labels import scope_name

router = APIRouter()

KIND_LABELS = {
    "directive": "Văn bản",
    "message": "Tin",
    "session": "Buổi phát",
    "station": "Cài đặt đài",
    "token": "Mã truy cập đài",
    "user": "Tài khoản",
}
FILTERS = ("user", "unit", "kind", "since", "until")


@router.get("/audit")
def audit_page(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    typed = {key: request.query_params.get(key, "")[:100] for key in FILTERS}
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for key in ("since", "until"):
        try:
            days[key] = parse_day(typed[key]) if typed[key].strip() else None
        except BroadcastError:
            errors[key] = "Ngày: ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026."
            days[key] = None
    page_text = request.query_params.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < len(page_text) < 6 else 1
    query = TrailQuery(typed["user"], typed["unit"], typed["kind"], days["since"], days["until"], page)
    app = office(request)
    with app.transaction() as db:
        trail = None
        if not errors:
            try:
                trail = read_trail(db, who.actor, query)
            except AccountError as exc:
                errors[exc.field or "kind"] = _message(exc.field)
            except (NotFoundError, UnitsError):
                errors["unit"] = "Đơn vị: không có đơn vị mang mã này."
        base = {key: value for key, value in typed.items() if value}
        return render(
            request,
            "audit/list.html",
            400 if errors else 200,
            title="Nhật ký",
            visitor=who,
            active="/audit",
            trail=trail,
            form=typed,
            errors=errors,
            kinds=KIND_LABELS,
            shown=shown,
            scope_name=scope_name(db, who.actor),
            previous=f"?{urlencode({**base, 'page': page - 1})}" if page > 1 else None,
            next=f"?{urlencode({**base, 'page': page + 1})}" if trail and trail.has_next else None,
        )


def shown(value: Any) -> str:
    """A snapshot's value as a page shows it: yes and no in Vietnamese, lists joined."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _message(field: str | None) -> str:
    return {
        "username": "Người thực hiện: không có tài khoản mang tên này.",
        "unit": "Đơn vị: đơn vị này nằm ngoài phạm vi của bạn.",
        "since": "Từ ngày: ngày bắt đầu phải trước ngày kết thúc.",
    }.get(field or "", "Kiểm tra lại bộ lọc.")
