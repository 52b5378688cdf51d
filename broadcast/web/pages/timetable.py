"""Lịch phát: a station's day or a unit's audiences, a week view, the audio of built days, and plan and build."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from broadcast.build_runs import MAX_WEB_DAYS, BuildRun, RunState, find_run, plan_days, recent_runs, start_build
from broadcast.db.models import Station
from broadcast.errors import BroadcastError, BuildLockedError, NotFoundError
from broadcast.listening import item_audio, session_audio
from broadcast.planning.timetable import (
    find_stations,
    open_station,
    open_unit,
    station_day,
    station_week,
    unit_day,
    unit_week,
    units_in_scope,
)
from broadcast.times import local_time, parse_day
from broadcast.units.scope import require_role
from broadcast.vocabulary import ItemKind, Role
from broadcast.web.context import Visitor, checked_form, office, render, visitor
from broadcast.web.labels import PRIORITY_LABELS, vi_error

router = APIRouter()

KIND_LABELS = {
    ItemKind.IDENT: "Giới thiệu đài",
    ItemKind.JINGLE: "Nhạc hiệu",
    ItemKind.GREETING: "Lời chào",
    ItemKind.INTRO: "Dẫn tin",
    ItemKind.MESSAGE: "Tin",
    ItemKind.CLOSE: "Lời kết",
}
RUN_LABELS = {RunState.RUNNING: "Đang chạy", RunState.DONE: "Xong", RunState.FAILED: "Lỗi"}
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_SHA = re.compile(r"[0-9a-f]{64}")

# The planner's reasons, in Vietnamese; the library's English stays in logs and the CLI.
_REASONS = (
    (re.compile(r"approved after this day's sessions had begun"), "duyệt sau khi các buổi phát trong ngày đã bắt đầu"),
    (re.compile(r"no session it may go in on this day"), "không có buổi phát nào tin được đưa vào trong ngày này"),
    (
        re.compile(r"longer \((\d+) s\) than any session it may go in \((\d+) s free\)"),
        r"dài hơn (\1 giây) mọi buổi phát tin được đưa vào (còn trống \2 giây)",
    ),
    (re.compile(r"asks for (\d+) a day but only (\d+) sessions run"), r"cần \1 lần mỗi ngày nhưng chỉ có \2 buổi phát"),
    (re.compile(r"sessions full"), "các buổi phát đã đầy"),
    # build.py and planning/refit.py, once the speech is rendered
    (re.compile(r"its real length ran past the end of the session"),
     "khi đọc thật dài hơn dự tính, không còn vừa trước giờ kết thúc buổi phát"),
    (re.compile(r"cannot be read aloud: nothing to say.*"),
     "không có gì để đọc thành tiếng: nội dung chỉ có ký hiệu hoặc biểu tượng; hãy sửa nội dung"),
    (re.compile(r"cannot be read aloud: .*", re.DOTALL), "bộ đọc không đọc được nội dung này; hãy báo người quản trị"),
)  # fmt: skip


def vi_reason(reason: str) -> str:
    for pattern, words in _REASONS:
        if pattern.fullmatch(reason):
            return pattern.sub(words, reason)
    return reason


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _day_link(**values: Any) -> str:
    return "/timetable?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _labels() -> dict[str, Any]:
    return {
        "priority_labels": PRIORITY_LABELS,
        "kind_labels": KIND_LABELS,
        "weekdays": WEEKDAYS,
        "vi_reason": vi_reason,
        "clock": _clock,
        "day_link": _day_link,
    }


@router.get("/timetable")
def timetable(
    request: Request,
    who: Annotated[Visitor, Depends(visitor)],
    station: str = "",
    unit: str = "",
    day: str = "",
    q: str = "",
    view: str = "day",
) -> Any:
    app = office(request)
    today = local_time(app.now(), app.settings.timezone).date()
    errors: dict[str, str] = {}
    try:
        chosen = parse_day(day[:40], field="start") if day.strip() else today
    except BroadcastError as exc:
        errors["day"] = vi_error(exc)
        chosen = today
    week = view == "week"
    with app.transaction() as db:
        if not station and not unit and who.actor.role is Role.OPERATOR and who.actor.station_id is not None:
            own = db.get(Station, who.actor.station_id)
            station = own.code if own else ""
        values: dict[str, Any] = {
            "title": "Lịch phát",
            "visitor": who,
            "active": "/timetable",
            "day": chosen,
            "previous": chosen - timedelta(days=7 if week else 1),
            "next": chosen + timedelta(days=7 if week else 1),
            "week": week,
            "q": q[:100],
            "errors": errors,
            "station": None,
            "unit": None,
            "may_build": who.actor.role is None or who.actor.role.may(Role.APPROVER),
            **_labels(),
        }
        if station:
            found = open_station(db, who.actor, station[:40])
            values["station"] = found
            if week:
                values["days"] = station_week(db, app.settings, found, chosen)
            else:
                values["shown"] = station_day(db, app.settings, found, chosen)
        elif unit:
            picked = open_unit(db, who.actor, unit[:40])
            values["unit"] = picked
            if week:
                values["unit_days"] = unit_week(db, picked, chosen)
            else:
                values["audiences"] = unit_day(db, picked, chosen)
        else:
            values["found"] = find_stations(db, who.actor, q[:100])
            values["units"] = [] if who.actor.role is Role.OPERATOR else units_in_scope(db, who.actor)
        page = render(request, "timetable/index.html", 422 if errors else 200, **values)
    return page


@router.get("/timetable/audio/{code}/{day}/{sha256}.mp3")
def audio(request: Request, who: Annotated[Visitor, Depends(visitor)], code: str, day: str, sha256: str) -> Any:
    """One part of a built day, for a station in scope; Range requests get 206."""
    app = office(request)
    with app.transaction() as db:
        found = open_station(db, who.actor, code[:40])
        if not _SHA.fullmatch(sha256):
            raise NotFoundError(f"no audio {sha256!r}")
        path = item_audio(app.settings, found, _path_day(day), sha256)
    return FileResponse(path, media_type="audio/mpeg", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/timetable/session/{code}/{day}/{index}.mp3")
def session(request: Request, who: Annotated[Visitor, Depends(visitor)], code: str, day: str, index: int) -> Any:
    """A whole built session of a station in scope, as it will play, assembled on first request."""
    app = office(request)
    with app.transaction() as db:
        found = open_station(db, who.actor, code[:40])
    path = session_audio(app.settings, found, _path_day(day), index)
    return FileResponse(path, media_type="audio/mpeg", headers={"Cache-Control": "private, max-age=86400"})


def _path_day(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise NotFoundError(f"no day {text!r}") from None


# Plan and build.


def _build_page(request: Request, who: Visitor, status: int = 200, **values: Any) -> Any:
    app = office(request)
    today = local_time(app.now(), app.settings.timezone).date()
    defaults = {"start": today.strftime("%d/%m/%Y"), "days": str(app.settings.build_days)}
    shown = {
        "title": "Lập lịch và dựng bản tin",
        "visitor": who,
        "active": "/timetable",
        "form": {**defaults, **values.pop("form", {})},
        "errors": values.pop("errors", {}),
        "runs": recent_runs(),
        "run_labels": RUN_LABELS,
        "max_days": MAX_WEB_DAYS,
        **values,
    }
    return render(request, "timetable/build.html", status, **shown)


@router.get("/timetable/build")
def build_page(request: Request, who: Annotated[Visitor, Depends(visitor)], notice: str = "") -> Any:
    require_role(who.actor, Role.APPROVER, "plan and build")
    return _build_page(request, who, notice=notice[:300])


def _range(form: dict[str, Any]) -> tuple[date | None, int | None, dict[str, str]]:
    errors: dict[str, str] = {}
    start = days = None
    try:
        start = parse_day(str(form.get("start") or "")[:40], field="start")
    except BroadcastError as exc:
        errors["start"] = vi_error(exc)
    text = str(form.get("days") or "").strip()
    if text.isdigit() and 1 <= int(text) <= MAX_WEB_DAYS:
        days = int(text)
    else:
        errors["days"] = f"Số ngày: nhập một số từ 1 đến {MAX_WEB_DAYS}."
    return start, days, errors


@router.post("/timetable/build")
def build(
    request: Request, who: Annotated[Visitor, Depends(visitor)], form: Annotated[dict[str, Any], Depends(checked_form)]
) -> Any:
    require_role(who.actor, Role.APPROVER, "plan and build")
    app = office(request)
    start, days, errors = _range(form)
    shown = {"start": str(form.get("start") or "")[:40], "days": str(form.get("days") or "")[:10]}
    if start is None or days is None:
        return _build_page(request, who, 422, form=shown, errors=errors)
    only_plan = form.get("action") == "plan"
    try:
        if only_plan:
            with app.transaction() as db:
                summary = plan_days(db, app.settings, who.actor, start, days, app.now())
            notice = (
                f"Đã lập lịch {days} ngày từ {start:%d/%m/%Y}: {summary.audiences} chương trình, "
                f"{summary.station_days} lượt đài-ngày, {len(summary.shortfalls)} tin chưa xếp đủ."
            )
            return RedirectResponse("/timetable/build?" + urlencode({"notice": notice}), status_code=303)
        run: BuildRun = start_build(app.database, app.settings, who.actor, start, days, app.now())
    except BuildLockedError:
        errors["start"] = "Đang có một lần dựng khác chạy. Hãy đợi nó xong rồi thử lại."
        return _build_page(request, who, 409, form=shown, errors=errors)
    except BroadcastError as exc:
        errors["days" if exc.field == "days" else "start"] = vi_error(exc)
        return _build_page(request, who, 422, form=shown, errors=errors)
    return RedirectResponse(f"/timetable/build/{run.id}", status_code=303)


def _run_or_404(run_id: int) -> BuildRun:
    run = find_run(run_id)
    if run is None:
        raise NotFoundError(f"no build run {run_id}")
    return run


@router.get("/timetable/build/{run_id}")
def build_run(request: Request, who: Annotated[Visitor, Depends(visitor)], run_id: int) -> Any:
    require_role(who.actor, Role.APPROVER, "plan and build")
    run = _run_or_404(run_id)
    return _build_page(request, who, run=run, run_error=vi_error(run.error) if run.error else None)


@router.get("/timetable/build/{run_id}/status")
def build_status(request: Request, who: Annotated[Visitor, Depends(visitor)], run_id: int) -> Any:
    """The run's state, for the page to poll."""
    require_role(who.actor, Role.APPROVER, "plan and build")
    run = _run_or_404(run_id)
    return JSONResponse({"state": run.state.value, "label": RUN_LABELS[run.state]})
