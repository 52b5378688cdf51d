"""Import a directive file: store its record once per content and draft one message per section."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import Directive, Message
from broadcast.directives import DirectiveRecord, draft_messages, parse_directive, read_text
from broadcast.errors import NotFoundError, ParseError
from broadcast.vocabulary import MessageStatus, Priority


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
    """Read and parse a directive file, raising ParseError for anything that is not one."""
    return parse_directive(read_text(path))


def import_directive(db: DbSession, path: Path, now: datetime) -> ImportOutcome:
    """Store the directive in path with one draft message per section; the same file twice is a no-op."""
    sha256 = file_sha256(path)
    existing = db.scalar(select(Directive).where(Directive.sha256 == sha256))
    if existing is not None:
        return ImportOutcome(existing, created=False)
    record = parse_file(path)
    stored = Directive(
        sha256=sha256,
        file_name=path.name,
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
    for draft in draft_messages(record):
        db.add(
            Message(
                directive_id=stored.id,
                section_label=draft.section_label or None,
                title=draft.title or record.subject or path.stem,
                text=draft.text,
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
    return ImportOutcome(stored, created=True)


def _day(text: str | None) -> date | None:
    # Hints carry full ISO dates; a partial one ("2022-04") cannot bound a window, so it is left open.
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def find_directive(db: DbSession, directive_id: int) -> Directive:
    directive = db.get(Directive, directive_id)
    if directive is None:
        raise NotFoundError(f"no directive with id {directive_id}; see `broadcast directive list`")
    return directive


def list_directives(db: DbSession) -> list[Directive]:
    return list(db.scalars(select(Directive).order_by(Directive.id)))
