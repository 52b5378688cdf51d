"""`broadcast message`: list, show and edit announcements."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json, print_table
from broadcast.errors import MessageError
from broadcast.messages.store import edit_message, find_message, list_messages, message_json


@click.group()
def message() -> None:
    """Announcements (tin, thông báo) to broadcast."""


@message.command("list")
@click.option("--directive", "directive_id", type=int, help="Only messages drafted from this directive.")
@json_option
@click.pass_obj
def list_command(app: AppContext, directive_id: int | None, as_json: bool) -> None:
    """List messages."""
    with app.transaction() as db:
        rows = [message_json(m) for m in list_messages(db, directive_id)]
    if as_json:
        print_json(rows)
        return
    print_table(
        ["id", "status", "broadcast", "priority", "directive", "title"],
        [
            [m["id"], m["status"], "yes" if m["for_broadcast"] else "no", m["priority"], m["directive_id"], m["title"]]
            for m in rows
        ],
    )


@message.command("show")
@click.argument("message_id", metavar="ID", type=int)
@json_option
@click.pass_obj
def show_command(app: AppContext, message_id: int, as_json: bool) -> None:
    """Show one message with its text."""
    with app.transaction() as db:
        shown = message_json(find_message(db, message_id))
    if as_json:
        print_json(shown)
        return
    click.echo(f"Message {shown['id']}: {shown['title']}")
    click.echo(
        f"  status: {shown['status']}; for broadcast: {'yes' if shown['for_broadcast'] else 'no'}; "
        f"priority: {shown['priority']}; directive: {shown['directive_id'] or '-'}"
    )
    window = f"{shown['from'] or '?'} to {shown['to'] or '?'}"
    click.echo(f"  window: {window}; per day: {shown['per_day'] or '-'}")
    click.echo("")
    click.echo(shown["text"])


@message.command("edit")
@click.argument("message_id", metavar="ID", type=int)
@click.option("--title", help="New title.")
@click.option("--text", help="New text.")
@click.option("--text-file", type=click.Path(path_type=Path, dir_okay=False), help="Read the new text from a file.")
@click.option("--for-broadcast/--not-for-broadcast", default=None, help="Whether the message is for the public.")
@click.pass_obj
def edit_command(
    app: AppContext,
    message_id: int,
    title: str | None,
    text: str | None,
    text_file: Path | None,
    for_broadcast: bool | None,
) -> None:
    """Change a message; changing an approved message's text returns it to draft."""
    if text is not None and text_file is not None:
        raise MessageError("give --text or --text-file, not both")
    if text_file is not None:
        text = _read_text_file(text_file)
    if title is None and text is None and for_broadcast is None:
        raise MessageError(
            "nothing to change; give --title, --text, --text-file or --for-broadcast/--not-for-broadcast"
        )
    with app.transaction() as db:
        edited = message_json(
            edit_message(db, message_id, datetime.now(UTC), title=title, text=text, for_broadcast=for_broadcast)
        )
    click.echo(
        f"Message {edited['id']} saved: {edited['status']}, "
        f"{'for broadcast' if edited['for_broadcast'] else 'for offices only'}."
    )


def _read_text_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MessageError(f"cannot read {path} as UTF-8 text; check the path and the file's encoding") from exc
