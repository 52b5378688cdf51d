"""Messages (Tin): the list with its filters, the form to write and edit one, approval and retirement by the
signed-in account, the reading listeners will hear, and the unit search the form's targets use."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse

from broadcast.db.models import Message, Station
from broadcast.errors import BroadcastError, MessageError, NotFoundError, PermissionDenied
from broadcast.jobs import approve
from broadcast.messages.browse import MessageFilter, find_messages, may_change, visible_message
from broadcast.messages.editing import MAX_PER_DAY, MessageChanges, add_message, retire_message, revise_message
from broadcast.messages.reading import reading_of
from broadcast.messages.store import describe_targets
from broadcast.times import local_time, parse_day
from broadcast.units.scope import require_role, scope_of
from broadcast.units.search import search_places
from broadcast.units.tree import find_unit_or_station
from broadcast.vocabulary import MessageStatus, Priority, Role
from broadcast.web.context import Visitor, checked_form, office, render, visitor
from broadcast.web.labels import PRIORITY_LABELS, STATUS_LABELS, vi_error

router = APIRouter()

WEEKDAY_LABELS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
MAX_QUERY = 200


def _notice(path: str, text: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?notice={quote(text)}", status_code=303)


def _first(value: Any) -> str:
    """One text field of a form or query: the first of repeated values, "" for none or a file."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def _many(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


@router.get("/messages")
def message_list(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    app = office(request)
    params = request.query_params
    status = params.get("status") if params.get("status") in set(MessageStatus) else None
    priority = params.get("priority") if params.get("priority") in set(Priority) else None
    directive = params.get("directive", "")
    words = params.get("q", "")[:MAX_QUERY]
    unit_ref = params.get("unit", "")[:MAX_QUERY]
    with app.transaction() as db:
        unit_id, unit_error = None, None
        if unit_ref.strip():
            try:
                if "\x00" in unit_ref:
                    raise MessageError("no such unit")
                place = find_unit_or_station(db, unit_ref)
                unit_id = place.unit_id if isinstance(place, Station) else place.id
            except BroadcastError:
                unit_error = "Không tìm thấy đơn vị này; chọn từ danh sách gợi ý hoặc nhập mã đơn vị."
        wanted = MessageFilter(
            status=status,
            priority=priority,
            unit_id=unit_id if unit_id is not None else (-1 if unit_error else None),
            directive_id=int(directive) if directive.isdecimal() and len(directive) < 10 else None,
            words=words,
        )
        rows = [_row(m) for m in find_messages(db, who.actor, wanted)]
    return render(
        request,
        "messages/list.html",
        title="Tin",
        visitor=who,
        active="/messages",
        rows=rows,
        filters={"status": status or "", "priority": priority or "", "directive": directive, "q": words},
        unit_ref=unit_ref,
        unit_error=unit_error,
        status_labels=STATUS_LABELS,
        priority_labels=PRIORITY_LABELS,
        may_write=_may(who, Role.EDITOR),
        notice=params.get("notice"),
    )


def _row(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "title": message.title,
        "status": message.status,
        "priority": message.priority,
        "starts_on": message.starts_on,
        "ends_on": message.ends_on,
        "per_day": message.per_day,
        "directive_id": message.directive_id,
        "targets": describe_targets(message),
    }


def _may(who: Visitor, role: Role) -> bool:
    return who.actor.role is None or who.actor.role.may(role)


@router.get("/messages/new")
def new_form(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    require_role(who.actor, Role.EDITOR, "write messages")
    values = {"priority": Priority.NORMAL, "per_day": "1", "weekdays": list(range(7)), "targets": []}
    return _form(request, who, None, values, {})


@router.post("/messages/new")
def create(
    request: Request, who: Annotated[Visitor, Depends(visitor)], form: Annotated[dict[str, Any], Depends(checked_form)]
) -> Any:
    app = office(request)
    try:
        changes = _changes(form)
        with app.transaction() as db:
            created = add_message(db, changes, app.now(), actor=who.actor).id
    except (PermissionDenied, NotFoundError) as exc:
        if isinstance(exc, NotFoundError):
            return _form(request, who, None, _values(form), {"targets": _vi_not_found(exc)}, 422)
        raise
    except BroadcastError as exc:
        return _form(request, who, None, _values(form), _errors(exc), 422)
    return _notice(f"/messages/{created}", "Đã lưu tin mới (đang biên tập, chờ duyệt).")


@router.get("/messages/{message_id:int}")
def show(request: Request, message_id: int, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return _show(request, who, message_id, request.query_params.get("notice"), None)


def _show(
    request: Request, who: Visitor, message_id: int, notice: str | None, error: str | None, status: int = 200
) -> Any:
    app = office(request)
    with app.transaction() as db:
        message = visible_message(db, who.actor, message_id)
        changeable = may_change(db, who.actor, message)
        shown = _row(message)
        shown.update(
            text=message.text,
            section=message.section_label,
            for_broadcast=message.for_broadcast,
            sessions=message.session_names,
            weekdays=[day for day in range(7) if message.weekdays & (1 << day)],
            approved_by=message.approved_by,
            approved_at=local_time(message.approved_at, app.settings.timezone) if message.approved_at else None,
        )
    reading = reading_of(app.settings, shown["text"])
    return render(
        request,
        "messages/show.html",
        status,
        title=shown["title"],
        visitor=who,
        active="/messages",
        m=shown,
        reading=reading,
        status_labels=STATUS_LABELS,
        priority_labels=PRIORITY_LABELS,
        weekday_labels=WEEKDAY_LABELS,
        may_edit=changeable and _may(who, Role.EDITOR) and shown["status"] != MessageStatus.RETIRED,
        may_approve=changeable and _may(who, Role.APPROVER) and shown["status"] == MessageStatus.DRAFT,
        may_retire=changeable and _may(who, Role.APPROVER) and shown["status"] != MessageStatus.RETIRED,
        notice=notice,
        error=error,
    )


@router.get("/messages/{message_id:int}/edit")
def edit_form(request: Request, message_id: int, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    require_role(who.actor, Role.EDITOR, "edit messages")
    app = office(request)
    with app.transaction() as db:
        message = visible_message(db, who.actor, message_id)
        values = {
            "title": message.title,
            "text": message.text,
            "priority": message.priority,
            "targets": describe_targets(message),
            "starts_on": message.starts_on.strftime("%d/%m/%Y") if message.starts_on else "",
            "ends_on": message.ends_on.strftime("%d/%m/%Y") if message.ends_on else "",
            "per_day": str(message.per_day or 1),
            "sessions": message.session_names or "",
            "weekdays": [day for day in range(7) if message.weekdays & (1 << day)],
            "status": message.status,
        }
    return _form(request, who, message_id, values, {})


@router.post("/messages/{message_id:int}/edit")
def save(
    request: Request,
    message_id: int,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    app = office(request)
    try:
        changes = _changes(form)
        with app.transaction() as db:
            returned = revise_message(db, message_id, changes, app.now(), actor=who.actor).returned_to_draft
    except PermissionDenied:
        raise
    except NotFoundError as exc:
        with app.transaction() as db:
            visible_message(db, who.actor, message_id)  # a missing message is a 404, a missing target a field error
        return _form(request, who, message_id, _values(form), {"targets": _vi_not_found(exc)}, 422)
    except BroadcastError as exc:
        return _form(request, who, message_id, _values(form), _errors(exc), 422)
    text = "Đã lưu thay đổi."
    if returned:
        text += " Tin đã được duyệt nay trở về trạng thái biên tập: cần duyệt lại trước khi phát."
    return _notice(f"/messages/{message_id}", text)


@router.post("/messages/{message_id:int}/approve")
def approve_route(
    request: Request,
    message_id: int,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    app = office(request)
    try:
        approval = approve(app.database, app.settings, message_id, who.full_name, app.now(), actor=who.actor)
    except (PermissionDenied, NotFoundError):
        raise
    except BroadcastError as exc:
        return _show(request, who, message_id, None, _vi_approve(exc), 409)
    text = f"Đã duyệt tin. Người duyệt: {approval.message['approved_by']}."
    if approval.rebuild_at is not None:
        text += " Tin khẩn cấp: các đài phát ngay trong vài giây; các buổi phát còn lại hôm nay được dựng lại."
    return _notice(f"/messages/{message_id}", text)


@router.post("/messages/{message_id:int}/retire")
def retire_route(
    request: Request,
    message_id: int,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    app = office(request)
    with app.transaction() as db:
        retire_message(db, message_id, app.now(), actor=who.actor)
    return _notice(f"/messages/{message_id}", "Đã dừng phát tin này; tin vẫn được lưu.")


@router.post("/messages/reading")
def reading(
    request: Request, who: Annotated[Visitor, Depends(visitor)], form: Annotated[dict[str, Any], Depends(checked_form)]
) -> Any:
    found = reading_of(office(request).settings, _first(form.get("text")))
    return JSONResponse({"reading": found.spoken, "seconds": found.seconds, "shown": _duration(found.seconds)})


@router.get("/units/search")
def unit_search(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    app = office(request)
    query = request.query_params.get("q", "")[:MAX_QUERY]
    with app.transaction() as db:
        found = search_places(db, query, scope_of(db, who.actor))
    return JSONResponse([place.to_json_dict() for place in found])


def _duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} phút {whole % 60} giây" if whole >= 60 else f"{whole} giây"


def _changes(form: dict[str, Any]) -> MessageChanges:
    """The form's fields as the library's changes; BroadcastError (naming the field) for what cannot be read."""
    per_day = _first(form.get("per_day")).strip()
    if per_day and not (per_day.isdecimal() and len(per_day) <= 3):
        raise MessageError(f"{{per_day}} must be a whole number between 1 and {MAX_PER_DAY}", field="per_day")
    mask = 0
    for day in _many(form.get("weekdays", [])):
        if day.isdecimal() and int(day) < 7:
            mask |= 1 << int(day)
    if not mask:
        raise MessageError("choose at least one day of the week in {weekdays}", field="weekdays")
    targets = [ref.strip() for value in _many(form.get("targets", [])) for ref in value.replace(",", " ").split()]
    starts_on, ends_on = _first(form.get("starts_on")), _first(form.get("ends_on"))
    return MessageChanges(
        title=_first(form.get("title")),
        text=_first(form.get("text")),
        priority=_first(form.get("priority")) or Priority.NORMAL,
        targets=targets or None,
        starts_on=parse_day(starts_on, field="starts_on") if starts_on.strip() else None,
        ends_on=parse_day(ends_on, field="ends_on") if ends_on.strip() else None,
        per_day=int(per_day) if per_day else None,
        session_names=_first(form.get("sessions")).split(","),
        weekdays=mask,
    )


def _values(form: dict[str, Any]) -> dict[str, Any]:
    """What the visitor typed, to show the form again."""
    days = [int(d) for d in _many(form.get("weekdays", [])) if d.isdecimal() and int(d) < 7]
    values: dict[str, Any] = {
        key: _first(form.get(key))
        for key in ("title", "text", "priority", "starts_on", "ends_on", "per_day", "sessions")
    }
    values["targets"] = [ref for value in _many(form.get("targets", [])) for ref in value.replace(",", " ").split()]
    values["weekdays"] = days
    return values


def _errors(exc: BroadcastError) -> dict[str, str]:
    shown = vi_error(exc)
    fields = exc.fields or ("form",)
    return {field: shown for field in fields}


def _vi_not_found(exc: NotFoundError) -> str:
    return f"Nơi nhận: {vi_error(exc)} Hãy chọn từ danh sách gợi ý."


def _vi_approve(exc: BroadcastError) -> str:
    return vi_error(exc)  # AlreadyApproved included: "Tin số … đã được … duyệt lúc …; không có gì thay đổi."


def _form(
    request: Request,
    who: Visitor,
    message_id: int | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Any:
    reading_shown = reading_of(office(request).settings, values.get("text") or "")
    return render(
        request,
        "messages/form.html",
        status,
        title="Sửa tin" if message_id else "Viết tin mới",
        visitor=who,
        active="/messages",
        message_id=message_id,
        v=values,
        errors=errors,
        reading=reading_shown,
        duration=_duration(reading_shown.seconds),
        priority_labels=PRIORITY_LABELS,
        weekday_labels=WEEKDAY_LABELS,
    )
