"""`broadcast directive`: parse official documents, import them with draft messages, and look them up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json, print_table
from broadcast.cli.params import DIRECTIVE_ID

FILE = click.Path(path_type=Path, dir_okay=False)


@group(short_help="Official directives: công văn, công điện, kế hoạch…")
def directive() -> None:
    """Official directives: công văn, công điện, kế hoạch, thông báo."""


@directive.command("parse")
@click.argument("file", type=FILE)
@json_option
def parse_command(file: Path, as_json: bool) -> None:
    """Print the structured record of a directive file (.txt, .md, .docx, .doc, .pdf, .png, .jpg) without storing it."""
    from broadcast.messages.drafting import parse_file

    record = parse_file(file).to_json_dict()
    if as_json:
        print_json(record)
    else:
        print_summary(record)


@directive.command("import")
@click.argument("file", type=FILE)
@click.pass_obj
def import_command(app: AppContext, file: Path) -> None:
    """Store a directive and draft one message per section; the same file twice is a no-op."""
    from broadcast.directives.announcements import load_rules
    from broadcast.messages.drafting import import_directive
    from broadcast.times import utc_now

    rules = load_rules(app.settings.announcements)
    with app.transaction() as db:
        outcome = import_directive(db, file, utc_now(), rules=rules)
        stored = outcome.directive
        drafts = [(m.id, m.for_broadcast, m.title) for m in stored.messages]
    if not outcome.created:
        click.echo(f"{file.name} was already imported as directive {stored.id}; nothing changed.")
        return
    public = sum(1 for _, for_broadcast, _ in drafts if for_broadcast)
    click.echo(
        f"Imported directive {stored.id}: {len(drafts)} draft messages, {public} for broadcast, "
        f"{len(drafts) - public} for offices only."
    )
    for message_id, for_broadcast, title in drafts:
        click.echo(f"  {message_id:>5}  {'phát' if for_broadcast else 'nội bộ':6}  {title}")


@directive.command("list")
@json_option
@click.pass_obj
def list_command(app: AppContext, as_json: bool) -> None:
    """List imported directives."""
    from broadcast.directives.record import DOC_TYPE_NAMES
    from broadcast.messages.drafting import list_directives

    with app.transaction() as db:
        directives = list_directives(db)
        counts = {d.id: len(d.messages) for d in directives}
    if as_json:
        print_json(
            [
                {
                    "id": d.id,
                    "doc_type": d.doc_type,
                    "number": d.number,
                    "issuer": d.issuer,
                    "issued_on": d.issued_on,
                    "subject": d.subject,
                    "file": d.file_name,
                    "messages": counts[d.id],
                }
                for d in directives
            ]
        )
        return
    print_table(
        ["id", "type", "number", "issued", "messages", "subject"],
        [
            [
                d.id,
                DOC_TYPE_NAMES.get(d.doc_type, DOC_TYPE_NAMES["other"]),
                d.number or "(blank)",
                d.issued_on,
                counts[d.id],
                _shorten(d.subject or ""),
            ]
            for d in directives
        ],
    )


@directive.command("show")
@click.argument("directive_id", metavar="ID", type=DIRECTIVE_ID)
@json_option
@click.pass_obj
def show_command(app: AppContext, directive_id: int, as_json: bool) -> None:
    """Show an imported directive and the messages drafted from it."""
    from broadcast.messages.drafting import find_directive
    from broadcast.messages.store import message_json

    with app.transaction() as db:
        stored = find_directive(db, directive_id)
        record = dict(stored.record)
        messages = [message_json(m) for m in stored.messages]
        header = {"id": stored.id, "file": stored.file_name, "sha256": stored.sha256}
    if as_json:
        print_json({**header, "record": record, "messages": messages})
        return
    click.echo(f"Directive {header['id']} from {header['file']}")
    print_summary(record)
    click.echo("\nDraft messages:")
    for m in messages:
        click.echo(f"  {m['id']:>5}  {m['status']:8}  {'phát' if m['for_broadcast'] else 'nội bộ':6}  {m['title']}")


def print_summary(record: dict[str, Any]) -> None:
    """A directive record as a person reads it."""
    from broadcast.directives.readers import reading_note
    from broadcast.directives.record import DOC_TYPE_NAMES, URGENCY_NAMES

    kind = DOC_TYPE_NAMES.get(record["doc_type"], DOC_TYPE_NAMES["other"])
    number = record["number"] or (f"(số để trống)/{record['notation']}" if record["notation"] else "(không số)")
    urgency = f" [{URGENCY_NAMES[record['urgency']]}]" if record.get("urgency") else ""
    click.echo(f"{kind} số {number}{urgency}")
    note = reading_note(record.get("ocr_confidence"), bool(record.get("uncertain")))
    if note:
        click.echo(note)
    issuer = " / ".join(part for part in (record["issuer_parent"], record["issuer"]) if part)
    if issuer:
        click.echo(f"Cơ quan ban hành: {issuer}")
    when = ", ".join(part for part in (record["place"], record["issued_on"]) if part)
    if when:
        click.echo(f"Nơi, ngày ban hành: {when}")
    if record["subject"]:
        click.echo(f"Trích yếu: {record['subject']}")
    if record["recipients"]:
        click.echo("Kính gửi: " + "; ".join(record["recipients"]))
    if record["sections"]:
        click.echo("Nội dung:")
        for section in record["sections"]:
            children = len(section["children"])
            extra = f" ({children} mục con)" if children else ""
            click.echo(f"  {section['label']} {section['title']}{extra}".rstrip())
    if record["references"]:
        click.echo("Văn bản dẫn chiếu:")
        for ref in record["references"]:
            details = ", ".join(str(v) for v in (ref["issued_on"], ref["issuer"]) if v)
            click.echo(f"  {ref['number']}" + (f" ({details})" if details else ""))
    hints = record.get("broadcast_hints")
    if hints:
        times = f"{hints['times_per_day']} lần/ngày" if hints["times_per_day"] else "số lần chưa nêu"
        click.echo(f"Yêu cầu phát: {times}, từ {hints['start'] or '?'} đến {hints['end'] or '?'}")
    signer = record.get("signer")
    if signer:
        parts = (signer.get("authority"), signer.get("title"), signer.get("name"))
        click.echo("Người ký: " + ", ".join(p for p in parts if p))
    if record["cc"]:
        click.echo("Nơi nhận: " + "; ".join(record["cc"]))


def _shorten(text: str | None, width: int = 60) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
