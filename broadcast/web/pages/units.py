"""Units and stations (Đơn vị & đài): the tree in the reader's scope, one unit or station at a time, with the sessions
each uses and where they come from; admins edit sessions (warned before replacing inherited ones), a station's
settings and its API tokens."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from broadcast.db.models import Station
from broadcast.errors import BroadcastError, NotFoundError, SessionError, UnitsError
from broadcast.speech.engines import ENGINES
from broadcast.units.browse import StationView, scope_roots, view
from broadcast.units.clock import ALL_DAYS, SessionClock, format_length, weekday_runs
from broadcast.units.sessions import clear_sessions, label, session_effect, set_session
from broadcast.units.station_settings import DEFAULT_ENGINE, StationChanges, change_station
from broadcast.units.tokens import issue_token, revoke_tokens
from broadcast.units.tree import find_station
from broadcast.vocabulary import VOICE_REGIONS
from broadcast.web.context import Visitor, checked_form, form_text, office, render, visitor
from broadcast.web.labels import vi_error

router = APIRouter()

VOICE_LABELS = {"north": "Giọng miền Bắc", "central": "Giọng miền Trung", "south": "Giọng miền Nam"}
ENGINE_LABELS = {DEFAULT_ENGINE: "Mặc định của hệ thống", **{name: name for name in ENGINES}}
DAY_LABELS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
# What a redirect after a change says; keyed, so a link cannot put words of its own on the page.
NOTICES = {
    "session-set": "Đã lưu buổi phát.",
    "session-clear": "Đã xoá buổi phát.",
    "station-set": "Đã lưu cài đặt của đài.",
    "tokens-revoked": "Đã thu hồi mọi mã truy cập của đài. Đài sẽ không tải được lịch phát cho đến khi có mã mới.",
}
SESSION_FIELDS = ("name", "start", "length", "weekdays")


def vi_weekdays(mask: int) -> str:
    """A weekday mask as offices write it: "hằng ngày", "T2–T6", "T7, CN"."""
    if mask == ALL_DAYS:
        return "hằng ngày"
    parts = [DAY_LABELS[a] if a == b else f"{DAY_LABELS[a]}–{DAY_LABELS[b]}" for a, b in weekday_runs(mask)]
    return ", ".join(parts)


def describe(clock: SessionClock) -> str:
    return f"{clock.name} {clock.start:%H:%M}–{clock.end_text} ({vi_weekdays(clock.weekdays)})"


def _page(request: Request, who: Visitor, ref: str, status_code: int = 200, **extra: Any) -> Any:
    app = office(request)
    with app.transaction() as db:
        try:
            shown = view(db, who.actor, ref)
        except UnitsError as exc:  # a malformed code such as "x:1" names nothing
            raise NotFoundError(str(exc)) from None
        is_station = isinstance(shown, StationView)
        values: dict[str, Any] = {
            "title": shown.station.name if isinstance(shown, StationView) else shown.unit.name,
            "visitor": who,
            "active": "/units",
            "view": shown,
            "ref": ref,
            "describe": describe,
            "vi_weekdays": vi_weekdays,
            "format_length": format_length,
            "label": label,
            "voice_labels": VOICE_LABELS,
            "engine_labels": ENGINE_LABELS,
            "voice_regions": VOICE_REGIONS,
            "notice": NOTICES.get(request.query_params.get("done", "")),
            "form": {"name": "", "start": "", "length": "30m", "weekdays": "hằng ngày"},
            "errors": {},
            "warning": None,
            "new_token": None,
        }
        values.update(extra)
        return render(request, "units/station.html" if is_station else "units/unit.html", status_code, **values)


def _done(ref: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/units/{quote(ref, safe=':')}?done={what}", status_code=303)


@router.get("/units")
def units_index(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    app = office(request)
    with app.transaction() as db:
        roots = scope_roots(db, who.actor)
        if isinstance(roots, Station):
            return RedirectResponse(f"/units/{quote(roots.code)}", status_code=303)
        if len(roots) == 1:
            return RedirectResponse(f"/units/{quote(roots[0].ref, safe=':')}", status_code=303)
        return render(request, "units/index.html", title="Đơn vị & đài", visitor=who, active="/units", roots=roots)


@router.get("/units/{ref}")
def unit_page(request: Request, ref: str, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return _page(request, who, ref)


@router.post("/units/{ref}/sessions")
def save_session(
    request: Request,
    ref: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    typed = {key: form_text(form, key, 200) for key in SESSION_FIELDS}
    app = office(request)
    try:
        with app.transaction() as db:
            clock = SessionClock.parse(typed["name"], typed["start"], typed["length"], typed["weekdays"] or "daily")
            effect = session_effect(db, ref, clock, actor=who.actor)
            if effect.inheriting_from is not None and form_text(form, "confirm", 200) != "yes":
                warning = {
                    "source": label(effect.inheriting_from),
                    "inherited": [describe(c) for c in effect.inherited],
                    "new": describe(clock),
                }
            else:
                set_session(db, ref, clock, actor=who.actor)
                warning = None
    except (SessionError, UnitsError) as exc:
        return _page(request, who, ref, 400, form=typed, errors=_errors(exc, "name"))
    if warning is not None:
        return _page(request, who, ref, form=typed, warning=warning)
    return _done(ref, "session-set")


@router.post("/units/{ref}/sessions/clear")
def clear_session(
    request: Request,
    ref: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    name = form_text(form, "name", 200) or None
    try:
        with office(request).transaction() as db:
            clear_sessions(db, ref, name, actor=who.actor)
    except (SessionError, UnitsError) as exc:
        return _page(request, who, ref, 400, errors={"clearing": vi_error(exc)})
    return _done(ref, "session-clear")


@router.post("/units/{ref}/settings")
def save_settings(
    request: Request,
    ref: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    active = {"yes": True, "no": False}.get(form_text(form, "active", 200))
    rate_text = form_text(form, "rate", 20).strip()
    if rate_text and not rate_text.isdigit():
        return _page(request, who, ref, 400, errors={"rate": "Tốc độ đọc phải là một số phần trăm, ví dụ 90."})
    changes = StationChanges(
        engine=form_text(form, "engine", 200) or None,
        voice_region=form_text(form, "voice_region", 200) or None,
        active=active,
        rate=int(rate_text) if rate_text else None,
    )
    try:
        with office(request).transaction() as db:
            change_station(db, ref, changes, actor=who.actor)
    except UnitsError as exc:
        return _page(request, who, ref, 400, errors=_errors(exc, "settings"))
    return _done(ref, "station-set")


@router.post("/units/{ref}/tokens")
def new_token(
    request: Request,
    ref: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    app = office(request)
    with app.transaction() as db:
        token = issue_token(db, find_station(db, ref), app.now(), actor=who.actor)
    # Shown on this response only: the token is stored as its hash, so no later page can show it again.
    notice = "Đã cấp mã truy cập mới. Hãy chép ngay vào cài đặt của đài: mã này sẽ không hiện lại lần nào nữa."
    return _page(request, who, ref, new_token=token, notice=notice)


@router.post("/units/{ref}/tokens/revoke")
def revoke(
    request: Request,
    ref: str,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    app = office(request)
    with app.transaction() as db:
        revoke_tokens(db, find_station(db, ref), app.now(), actor=who.actor)
    return _done(ref, "tokens-revoked")


def _errors(exc: BroadcastError, default: str) -> dict[str, str]:
    field = {"start_time": "start"}.get(exc.field or "", exc.field or default)
    return {field: vi_error(exc)}
