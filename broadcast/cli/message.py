"""`broadcast message`: add, list, show, edit, approve and retire announcements."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json, print_table
from broadcast.cli.params import DIRECTIVE_ID, MESSAGE_ID
from broadcast.errors import MessageError
from broadcast.vocabulary import Priority

if TYPE_CHECKING:
    from broadcast.messages.editing import MessageChanges


@group(short_help="Announcements (tin, thông báo) to broadcast.")
def message() -> None:
    """Announcements (tin, thông báo) to broadcast: write, edit, approve and retire them."""


def message_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options `message add` and `message edit` share."""
    options = [
        click.option("--title", help="Title, read before the message."),
        click.option("--text", help="The message's words."),
        click.option(
            "--text-file", type=click.Path(path_type=Path, dir_okay=False), help="Read the words from a file."
        ),
        click.option(
            "--priority", type=click.Choice([p.value for p in Priority]), help="Thông tư 39/2020/TT-BTTTT priority."
        ),
        click.option("--target", "targets", multiple=True, metavar="CODE", help="Unit code, station code or all."),
        click.option("--from", "starts_on", metavar="DATE", help="First day (YYYY-MM-DD or DD/MM/YYYY)."),
        click.option("--to", "ends_on", metavar="DATE", help="Last day."),
        click.option("--per-day", type=int, help="Times a day (default 1)."),
        click.option("--sessions", "session_names", metavar="NAMES", help="Only these sessions, e.g. sáng,chiều."),
        click.option("--weekdays", help="Only these days, e.g. mon-fri or t2-t6."),
        click.option("--for-broadcast/--not-for-broadcast", default=None, help="Whether listeners should hear it."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _changes(options: dict[str, Any]) -> MessageChanges:
    from broadcast.messages.editing import MessageChanges
    from broadcast.times import parse_day
    from broadcast.units.clock import parse_weekdays

    text, text_file = options.pop("text"), options.pop("text_file")
    if text is not None and text_file is not None:
        raise MessageError("give --text or --text-file, not both")
    if text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise MessageError(f"cannot read {text_file} as UTF-8 text; check the path and encoding") from exc
    return MessageChanges(
        title=options["title"],
        text=text,
        priority=options["priority"],
        targets=list(options["targets"]) or None,
        starts_on=parse_day(options["starts_on"], field="starts_on") if options["starts_on"] else None,
        ends_on=parse_day(options["ends_on"], field="ends_on") if options["ends_on"] else None,
        per_day=options["per_day"],
        session_names=options["session_names"].split(",") if options["session_names"] is not None else None,
        weekdays=parse_weekdays(options["weekdays"]) if options["weekdays"] is not None else None,
        for_broadcast=options["for_broadcast"],
    )


@message.command("add")
@message_options
@json_option
@click.pass_obj
def add_command(app: AppContext, /, as_json: bool, **options: Any) -> None:
    """Write a new announcement (a draft until approved)."""
    from broadcast.messages.editing import add_message
    from broadcast.messages.store import message_json
    from broadcast.times import utc_now

    changes = _changes(options)
    with app.transaction() as db:
        shown = message_json(add_message(db, changes, utc_now()))
    if as_json:
        print_json(shown)
    else:
        click.echo(shown["id"])


@message.command("edit")
@click.argument("message_id", metavar="ID", type=MESSAGE_ID)
@message_options
@click.pass_obj
def edit_command(app: AppContext, /, message_id: int, **options: Any) -> None:
    """Change a message; changing an approved message's text, targets, window, priority or times a day returns it
    to draft."""
    from broadcast.messages.editing import revise_message
    from broadcast.messages.store import message_json
    from broadcast.times import utc_now

    changes = _changes(options)
    with app.transaction() as db:
        revision = revise_message(db, message_id, changes, utc_now())
        shown = message_json(revision.message)
    audience = "for broadcast" if shown["for_broadcast"] else "for offices only"
    click.echo(f"Message {shown['id']} saved: {shown['status']}, {audience}.")
    if revision.returned_to_draft:
        click.echo("It was approved; the change returned it to draft: approve it again.")


@message.command("approve")
@click.argument("message_id", metavar="ID", type=MESSAGE_ID)
@click.option("--by", required=True, metavar="NAME", help="Who approves it.")
@click.pass_obj
def approve_command(app: AppContext, message_id: int, by: str) -> None:
    """Approve a message for planning, after checking it fits the sessions it may go in.

    Approving an emergency message queues it: a running `broadcast serve` renders its speech at once, stations play
    it within seconds, and today's remaining sessions are rebuilt with it.
    """
    from broadcast.errors import AlreadyApproved
    from broadcast.jobs import approve
    from broadcast.times import utc_now

    try:
        approval = approve(app.database, app.settings, message_id, by, utc_now())
    except AlreadyApproved as exc:  # nothing to do is no failure: scripts may approve again safely
        said = str(exc)
        click.echo(f"{said[:1].upper()}{said[1:]}.")
        return
    shown = approval.message
    click.echo(f"Message {shown['id']} approved by {shown['approved_by']} at {shown['approved_at']}.")
    if approval.rebuild_at is not None:
        click.echo(
            "Emergency: `broadcast serve` renders it now, stations play it within seconds, "
            "and today's remaining sessions are rebuilt with it."
        )


@message.command("retire")
@click.argument("message_id", metavar="ID", type=MESSAGE_ID)
@click.pass_obj
def retire_command(app: AppContext, message_id: int) -> None:
    """Stop planning a message; it stays on record."""
    from broadcast.messages.editing import retire_message
    from broadcast.times import utc_now

    with app.transaction() as db:
        retire_message(db, message_id, utc_now())
    click.echo(f"Message {message_id} retired.")


@message.command("list")
@click.option("--directive", "directive_id", type=DIRECTIVE_ID, help="Only messages drafted from this directive.")
@json_option
@click.pass_obj
def list_command(app: AppContext, directive_id: int | None, as_json: bool) -> None:
    """List messages."""
    from broadcast.messages.store import list_messages, message_json

    with app.transaction() as db:
        rows = [message_json(m) for m in list_messages(db, directive_id)]
    if as_json:
        print_json(rows)
        return
    print_table(
        ["id", "status", "broadcast", "priority", "window", "per day", "title"],
        [
            [
                m["id"],
                m["status"],
                "yes" if m["for_broadcast"] else "no",
                m["priority"],
                f"{m['from'] or '?'}..{m['to'] or '?'}",
                m["per_day"] or "-",
                m["title"],
            ]
            for m in rows
        ],
    )


@message.command("show")
@click.argument("message_id", metavar="ID", type=MESSAGE_ID)
@json_option
@click.pass_obj
def show_command(app: AppContext, message_id: int, as_json: bool) -> None:
    """Show one message with its text."""
    from broadcast.messages.store import find_message, message_json

    with app.transaction() as db:
        shown = message_json(find_message(db, message_id))
    if as_json:
        print_json(shown)
        return
    click.echo(f"Message {shown['id']}: {shown['title']}")
    audience = "yes" if shown["for_broadcast"] else "no (offices only)"
    click.echo(f"  status: {shown['status']}; for broadcast: {audience}; priority: {shown['priority']}")
    if shown["approved_by"]:
        click.echo(f"  approved by {shown['approved_by']} at {shown['approved_at']}")
    click.echo(f"  targets: {', '.join(shown['targets']) or '-'}; directive: {shown['directive_id'] or '-'}")
    sessions = ", ".join(shown["sessions"]) if shown["sessions"] else "any"
    click.echo(
        f"  window: {shown['from'] or '?'} to {shown['to'] or '?'}; per day: {shown['per_day'] or '-'}; "
        f"sessions: {sessions}; weekdays: {shown['weekdays']}"
    )
    click.echo("")
    click.echo(shown["text"])
