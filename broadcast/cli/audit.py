"""`broadcast audit`: the audit trail (nhật ký) of every change."""

from __future__ import annotations

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json, print_table


@group(short_help="The audit trail (nhật ký) of every change.")
def audit() -> None:
    """The audit trail: who changed what, when (UTC), with the values before and after."""


@audit.command("list")
@click.option("--user", "actor", metavar="NAME", help="Only changes by this user (part of the name).")
@click.option("--under", metavar="CODE", help="Only changes concerning this unit and those under it.")
@click.option("--kind", metavar="KIND", help="Only this kind: message, directive, user… or message.approve.")
@click.option("--from", "start", metavar="DATE", help="From this day (UTC).")
@click.option("--to", "end", metavar="DATE", help="To this day, included.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True, help="At most this many.")
@json_option
@click.pass_obj
def list_command(
    app: AppContext,
    actor: str | None,
    under: str | None,
    kind: str | None,
    start: str | None,
    end: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List changes, newest first."""
    from broadcast.audit import AuditFilter, entry_json, list_entries
    from broadcast.times import parse_day
    from broadcast.units.tree import find_unit, subtree_unit_ids

    with app.transaction() as db:
        units = subtree_unit_ids(db, find_unit(db, under)) if under else None
        wanted = AuditFilter(
            actor=actor,
            unit_ids=units,
            kind=kind,
            since=parse_day(start, field="start") if start else None,
            until=parse_day(end, field="end") if end else None,
            limit=limit,
        )
        rows = [entry_json(entry) for entry in list_entries(db, wanted)]
    if as_json:
        print_json(rows)
        return
    print_table(
        ["at (UTC)", "who", "kind", "object", "what"],
        [[r["at"][:19].replace("T", " "), r["actor"], r["kind"], r["object_id"] or "", r["summary"]] for r in rows],
    )
