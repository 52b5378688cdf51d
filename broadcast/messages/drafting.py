"""Import a directive file: store its record once per content and draft one message per section."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.db import storable_id
from broadcast.db.models import Directive, Message
from broadcast.directives import DirectiveRecord, draft_messages, parse_directive
from broadcast.directives.announcements import AnnouncementRules
from broadcast.directives.readers import SUFFIX_LIST, SUFFIXES, read_file, with_reading
from broadcast.directives.record import DOC_TYPE_NAMES, DOC_TYPES
from broadcast.errors import MessageError, NotFoundError, ParseError
from broadcast.times import parse_day
from broadcast.units.scope import require_role
from broadcast.validation import MAX_LINE, MAX_TEXT, MAX_TITLE, clean_text, tidy_draft
from broadcast.vocabulary import MessageStatus, Priority, Role


@dataclass(frozen=True)
class ImportOutcome:
    directive: Directive
    created: bool  # False when the same file had been imported before


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}; check the path") from exc
    return digest.hexdigest()


def parse_file(path: Path) -> DirectiveRecord:
    """Read and parse a directive file, raising ParseError for anything that is not one; a scan's record carries
    its OCR confidence and whether it is uncertain."""
    reading = read_file(path)
    return with_reading(parse_directive(reading.text), reading)


def import_directive(
    db: DbSession,
    path: Path,
    now: datetime,
    *,
    actor: Actor | None = None,
    file_name: str | None = None,
    rules: AnnouncementRules | None = None,
) -> ImportOutcome:
    """Store the directive in path with one draft message per section; the same file twice is a no-op.

    file_name is the name to keep when path is a temporary copy (an upload); an office account needs the editor's
    role. rules are the announcement rules the drafts follow (default: the built-in ones).
    """
    who = actor or Actor.cli()
    require_role(who, Role.EDITOR, "import directives")
    sha256 = file_sha256(path)
    existing = db.scalar(select(Directive).where(Directive.sha256 == sha256))
    if existing is not None:
        return ImportOutcome(existing, created=False)
    record = parse_file(path)
    stored = Directive(
        sha256=sha256,
        file_name=file_name or path.name,
        doc_type=record.doc_type,
        number=record.number,
        issuer=record.issuer,
        issued_on=record.issued_on,
        subject=record.subject,
        record=record.to_json_dict(),
        imported_at=now,
    )
    db.add(stored)
    db.flush()
    hints = record.broadcast_hints
    for draft in draft_messages(record, rules):
        db.add(
            Message(
                directive_id=stored.id,
                section_label=draft.section_label or None,
                title=tidy_draft(draft.title or record.subject or Path(file_name or path.name).stem, MAX_TITLE),
                text=tidy_draft(draft.text, MAX_TEXT, lines=True),
                status=MessageStatus.DRAFT,
                for_broadcast=draft.for_broadcast,
                priority=Priority.NORMAL,
                starts_on=_day(hints.start) if hints else None,
                ends_on=_day(hints.end) if hints else None,
                per_day=hints.times_per_day if hints else None,
                created_at=now,
                updated_at=now,
            )
        )
    db.flush()
    audit.record(
        db,
        who,
        "directive.import",
        "directive",
        stored.id,
        f"nhập văn bản {stored.id}: {stored.file_name}",
        after=directive_fields(stored),
        now=now,
    )
    return ImportOutcome(stored, created=True)


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What a file of each accepted type starts with: a .docx is a zip package, a .doc an OLE2 compound file, a .pdf
# says so, and so do images; plain text is checked by its reader (UTF-16 text is full of NUL bytes).
_MAGIC = {
    ".docx": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}


def import_upload(
    db: DbSession,
    file_name: str,
    data: bytes,
    now: datetime,
    *,
    actor: Actor | None = None,
    rules: AnnouncementRules | None = None,
) -> ImportOutcome:
    """Import a directive sent as bytes (an office's upload), after checking its size and that its content is what
    its name says; it goes through a temporary file that is removed afterwards."""
    # The name is shown on pages: no control character or direction mark ("hoa-don\u202efdp.exe" reads as .pdf).
    name = tidy_draft(Path(file_name.replace("\\", "/")).name, MAX_LINE) or "van-ban"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ParseError(f"unsupported file type {suffix or '(none)'}; use {SUFFIX_LIST}", field="file")
    if not data:
        raise ParseError(f"{name} is empty; give a file with the directive's text", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ParseError(f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    magic = _MAGIC.get(suffix)
    if magic is not None and not data.startswith(magic):
        raise ParseError(f"{name} is not a {suffix} file inside; check the file", field="file")
    with tempfile.TemporaryDirectory(prefix="broadcast-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return import_directive(db, path, now, actor=actor, file_name=name, rules=rules)


@dataclass
class DirectiveChanges:
    """Corrections to a directive's parsed header; None leaves a field as it is, "" clears it."""

    doc_type: str | None = None
    number: str | None = None
    issuer: str | None = None
    issued_on: str | None = None  # YYYY-MM-DD or DD/MM/YYYY
    subject: str | None = None


def directive_fields(directive: Directive) -> dict[str, Any]:
    """The fields an office may correct, as the audit trail keeps them."""
    return {
        "doc_type": directive.doc_type,
        "number": directive.number,
        "issuer": directive.issuer,
        "issued_on": directive.issued_on,
        "subject": directive.subject,
    }


def correct_directive(
    db: DbSession, directive_id: int, changes: DirectiveChanges, *, actor: Actor | None = None, now: datetime
) -> Directive:
    """Correct what the parser read wrong in a directive's header; its drafted messages are left as they are."""
    who = actor or Actor.cli()
    require_role(who, Role.EDITOR, "correct directives")
    directive = find_directive(db, directive_id)
    before = directive_fields(directive)
    for change in fields(changes):
        value = getattr(changes, change.name)
        if value is None:
            continue
        if "\x00" in value:
            raise MessageError(f"{{{change.name}}} holds a NUL character; type it again", field=change.name)
        cleaned = clean_text(value, change.name, MessageError, limit=MAX_LINE) if value.strip() else None
        if change.name == "doc_type":
            if cleaned not in DOC_TYPES:
                names = ", ".join(DOC_TYPE_NAMES)
                raise MessageError(f"unknown document type {value!r}; use one of {names}", field="doc_type")
        elif change.name == "issued_on" and cleaned is not None:
            cleaned = parse_day(cleaned, field="issued_on").isoformat()
        setattr(directive, change.name, cleaned)
    after = directive_fields(directive)
    what = audit.changed(before, after)
    if what:
        directive.record = {**directive.record, **{key: after[key] for key in what}}
        audit.record(
            db,
            who,
            "directive.edit",
            "directive",
            directive.id,
            f"sửa văn bản {directive.id} ({', '.join(what)})",
            before=before,
            after=after,
            now=now,
        )
    return directive


def _day(text: str | None) -> date | None:
    # Hints carry full ISO dates; a partial one ("2022-04") cannot bound a window, so it is left open.
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def find_directive(db: DbSession, directive_id: int) -> Directive:
    directive = db.get(Directive, directive_id) if storable_id(directive_id) else None
    if directive is None:
        raise NotFoundError(f"no directive with id {directive_id}; see `broadcast directive list`")
    return directive


def list_directives(db: DbSession) -> list[Directive]:
    return list(db.scalars(select(Directive).order_by(Directive.id)))
