"""Báo cáo: the results report with its filters, as a table and a chart, with CSV and XLSX downloads."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from broadcast.errors import BroadcastError, NotFoundError
from broadcast.planning.timetable import units_in_scope
from broadcast.reports.office import chart_bars, scoped_report
from broadcast.reports.results import Report
from broadcast.reports.writers import render as render_report
from broadcast.times import local_time, parse_day
from broadcast.units.scope import require_role
from broadcast.vocabulary import Role
from broadcast.web.context import Visitor, office, render, visitor
from broadcast.web.labels import vi_error

router = APIRouter()

MIME = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _filters(request: Request, start: str, end: str, directive: str) -> tuple[date, date, int | None, dict[str, str]]:
    app = office(request)
    today = local_time(app.now(), app.settings.timezone).date()
    errors: dict[str, str] = {}
    first, last = today - timedelta(days=6), today
    try:
        first = parse_day(start[:40], field="start") if start.strip() else first
    except BroadcastError as exc:
        errors["start"] = vi_error(exc)
    try:
        last = parse_day(end[:40], field="end") if end.strip() else last
    except BroadcastError as exc:
        errors["end"] = vi_error(exc)
    directive_id = None
    if directive.strip():
        if directive.strip().isdigit() and len(directive.strip()) < 10:
            directive_id = int(directive.strip())
        else:
            errors["directive"] = "Văn bản: nhập mã số của văn bản (một số)."
    if not errors and last < first:
        errors["end"] = "Đến ngày: phải sau hoặc bằng «Từ ngày»."
    return first, last, directive_id, errors


@router.get("/reports")
def reports(
    request: Request,
    who: Annotated[Visitor, Depends(visitor)],
    start: str = "",
    end: str = "",
    directive: str = "",
    unit: str = "",
) -> Any:
    require_role(who.actor, Role.EDITOR, "read the results report")
    app = office(request)
    first, last, directive_id, errors = _filters(request, start, end, directive)
    form = {
        "start": start[:40] or first.strftime("%d/%m/%Y"),
        "end": end[:40] or last.strftime("%d/%m/%Y"),
        "directive": directive[:20],
        "unit": unit[:40],
    }
    report: Report | None = None
    with app.transaction() as db:
        if not errors:
            try:
                report = scoped_report(db, who.actor, first, last, directive_id, unit[:40] or None)
            except NotFoundError as exc:
                if directive_id is None:
                    raise
                errors["directive"] = vi_error(exc)
        query = urlencode({k: v for k, v in form.items() if v})
        bars = chart_bars(report) if report else []
        page = render(
            request,
            "reports/index.html",
            422 if errors else 200,
            title="Báo cáo kết quả",
            visitor=who,
            active="/reports",
            form=form,
            errors=errors,
            report=report,
            bars=bars,
            top=max([b.planned for b in bars] + [b.played for b in bars] + [1]),
            query=query,
            units=units_in_scope(db, who.actor),
        )
    return page


@router.get("/reports/download.{fmt}")
def download(
    request: Request,
    who: Annotated[Visitor, Depends(visitor)],
    fmt: str,
    start: str = "",
    end: str = "",
    directive: str = "",
    unit: str = "",
) -> Any:
    """The same report as a CSV (UTF-8 with BOM) or XLSX file."""
    require_role(who.actor, Role.EDITOR, "read the results report")
    if fmt not in MIME:
        raise NotFoundError(f"no report format {fmt!r}")
    first, last, directive_id, errors = _filters(request, start, end, directive)
    if errors:
        return render(request, "error.html", 422, title="Báo cáo", heading="Bộ lọc không hợp lệ",
                      detail=" ".join(errors.values()))  # fmt: skip
    with office(request).transaction() as db:
        report = scoped_report(db, who.actor, first, last, directive_id, unit[:40] or None)
    name = f"bao-cao-{first.isoformat()}-{last.isoformat()}.{fmt}"
    return Response(
        render_report(report, fmt),
        media_type=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
