"""Directives (Văn bản): the list, uploading a file (the same file twice opens the first record), the parsed record
beside the document's text with its drafts, and correcting what the parser read wrong."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from broadcast.directives.announcements import load_rules
from broadcast.directives.readers import reading_note
from broadcast.directives.record import DOC_TYPE_NAMES, URGENCY_NAMES
from broadcast.errors import BroadcastError, NotFoundError, PermissionDenied
from broadcast.messages.drafting import (
    MAX_UPLOAD_BYTES,
    DirectiveChanges,
    correct_directive,
    directive_fields,
    find_directive,
    import_upload,
    list_directives,
)
from broadcast.units.scope import require_role
from broadcast.vocabulary import Role
from broadcast.web.context import Visitor, checked_form, office, render, visitor
from broadcast.web.labels import STATUS_LABELS
from broadcast.web.vietnamese import vi_message

router = APIRouter()

UPLOAD_PATH = "/directives/upload"
# The directive's own fields, beside the shared labels (broadcast.web.labels.FIELD_LABELS).
DIRECTIVE_LABELS = {
    "doc_type": "Loại văn bản",
    "number": "Số, ký hiệu",
    "issuer": "Cơ quan ban hành",
    "issued_on": "Ngày ban hành",
    "subject": "Trích yếu",
    "file": "Tệp",
}


def _may_edit(who: Visitor) -> bool:
    return who.actor.role is None or who.actor.role.may(Role.EDITOR)


@router.get("/directives")
def directive_list(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return _list(request, who, request.query_params.get("notice"), None)


def _list(request: Request, who: Visitor, notice: str | None, error: str | None, status: int = 200) -> Any:
    app = office(request)
    with app.transaction() as db:
        rows = [
            {
                **directive_fields(d),
                "id": d.id,
                "file_name": d.file_name,
                "drafts": len(d.messages),
                "day": _day(d.issued_on),
            }
            for d in reversed(list_directives(db))
        ]
    return render(
        request,
        "directives/list.html",
        status,
        title="Văn bản",
        visitor=who,
        active="/directives",
        rows=rows,
        type_names=DOC_TYPE_NAMES,
        may_upload=_may_edit(who),
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        notice=notice,
        error=error,
    )


@router.post(UPLOAD_PATH)
def upload(
    request: Request, who: Annotated[Visitor, Depends(visitor)], form: Annotated[dict[str, Any], Depends(checked_form)]
) -> Any:
    app = office(request)
    sent = form.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return _list(request, who, None, "Tệp: hãy chọn một tệp văn bản (.txt, .md, .docx, .pdf).", 422)
    data = sent.file.read(MAX_UPLOAD_BYTES + 1)
    try:
        with app.transaction() as db:
            rules = load_rules(app.settings.announcements)
            outcome = import_upload(db, sent.filename, data, app.now(), actor=who.actor, rules=rules)
            directive_id, drafts = outcome.directive.id, len(outcome.directive.messages)
    except (PermissionDenied, NotFoundError):
        raise
    except BroadcastError as exc:
        status = 413 if len(data) > MAX_UPLOAD_BYTES else 422
        # Whatever the reader or the parser refuses is about the file.
        return _list(request, who, None, _vi(exc) if exc.field else f"Tệp: {_vi(exc)}", status)
    if outcome.created:
        text = f"Đã nhập văn bản và soạn {drafts} tin nháp."
    else:
        text = "Tệp này đã được nhập trước đây; đây là bản đã lưu."
    return RedirectResponse(f"/directives/{directive_id}?notice={quote(text)}", status_code=303)


@router.get("/directives/{directive_id:int}")
def show(request: Request, directive_id: int, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    return _show(request, who, directive_id, request.query_params.get("notice"), {}, None)


def _show(
    request: Request,
    who: Visitor,
    directive_id: int,
    notice: str | None,
    errors: dict[str, str],
    typed: dict[str, str] | None,
    status: int = 200,
) -> Any:
    app = office(request)
    with app.transaction() as db:
        directive = find_directive(db, directive_id)
        shown = {**directive_fields(directive), "id": directive.id, "file_name": directive.file_name}
        day = _day(directive.issued_on)
        record = directive.record
        drafts = [
            {
                "id": m.id,
                "title": m.title,
                "status": m.status,
                "section": m.section_label,
                "for_broadcast": m.for_broadcast,
            }
            for m in directive.messages
        ]
        imported_at = directive.imported_at
    return render(
        request,
        "directives/show.html",
        status,
        title=shown["subject"] or shown["file_name"],
        visitor=who,
        active="/directives",
        d=shown,
        values=typed or {**{key: value or "" for key, value in shown.items()}, "issued_on": "" if day == "—" else day},
        day=day,
        imported_at=imported_at,
        details=_details(record),
        reading=reading_note(record.get("ocr_confidence"), bool(record.get("uncertain"))),
        uncertain=bool(record.get("uncertain")),
        body=_body(record),
        drafts=drafts,
        type_names=DOC_TYPE_NAMES,
        status_labels=STATUS_LABELS,
        may_edit=_may_edit(who),
        errors=errors,
        notice=notice,
    )


@router.post("/directives/{directive_id:int}")
def correct(
    request: Request,
    directive_id: int,
    who: Annotated[Visitor, Depends(visitor)],
    form: Annotated[dict[str, Any], Depends(checked_form)],
) -> Any:
    require_role(who.actor, Role.EDITOR, "correct directives")
    app = office(request)
    typed = {key: form[key] if isinstance(form.get(key), str) else "" for key in DIRECTIVE_LABELS if key != "file"}
    try:
        with app.transaction() as db:
            correct_directive(db, directive_id, DirectiveChanges(**typed), actor=who.actor, now=app.now())
    except (PermissionDenied, NotFoundError):
        raise
    except BroadcastError as exc:
        return _show(request, who, directive_id, None, {exc.field or "form": _vi(exc)}, typed, 422)
    return RedirectResponse(f"/directives/{directive_id}?notice={quote('Đã lưu chỉnh sửa.')}", status_code=303)


def _day(issued_on: str | None) -> str:
    """A stored day (YYYY-MM-DD, or YYYY-MM / YYYY when the document left it blank) as offices write it."""
    if not issued_on:
        return "—"
    return "/".join(reversed(issued_on.split("-")))


def _vi(exc: BroadcastError) -> str:
    return vi_message(exc, DIRECTIVE_LABELS)


def _details(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The parsed record's other header fields, as label and text."""
    signer = record.get("signer") or {}
    hints = record.get("broadcast_hints") or {}
    rows = [
        ("Ký hiệu", record.get("notation")),
        ("Cơ quan cấp trên", record.get("issuer_parent")),
        ("Nơi ban hành", record.get("place")),
        ("Độ khẩn", URGENCY_NAMES.get(record.get("urgency") or "", "")),
        ("Kính gửi", "; ".join(record.get("recipients") or [])),
        ("Nơi nhận", "; ".join(record.get("cc") or [])),
        ("Người ký", " · ".join(v for v in (signer.get("authority"), signer.get("title"), signer.get("name")) if v)),
        ("Văn bản dẫn chiếu", "; ".join(r.get("number", "") for r in record.get("references") or [])),
        (
            "Yêu cầu phát",
            ", ".join(
                part
                for part in (
                    f"{hints['times_per_day']} lần/ngày" if hints.get("times_per_day") else "",
                    f"từ {hints['start']}" if hints.get("start") else "",
                    f"đến {hints['end']}" if hints.get("end") else "",
                )
                if part
            ),
        ),
    ]
    return [(label, str(value)) for label, value in rows if value]


def _body(record: dict[str, Any]) -> str:
    """The document's text as parsed: preamble, sections with their children, closing."""
    lines: list[str] = []
    if record.get("preamble"):
        lines.append(str(record["preamble"]))

    def walk(sections: list[dict[str, Any]], depth: int) -> None:
        for section in sections:
            head = " ".join(str(part) for part in (section.get("label"), section.get("title")) if part)
            if head:
                lines.append("  " * depth + head)
            if section.get("text"):
                lines.append("  " * depth + str(section["text"]))
            walk(section.get("children") or [], depth + 1)

    walk(record.get("sections") or [], 0)
    if record.get("closing"):
        lines.append(str(record["closing"]))
    return "\n\n".join(lines)
