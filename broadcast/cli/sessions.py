"""`broadcast sessions`: set and clear session clocks on units and stations."""

from __future__ import annotations

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext


@group(short_help="Daily broadcast sessions (buổi phát).")
def sessions() -> None:
    """Daily broadcast sessions (buổi phát), set on a unit or a station."""


@sessions.command("set")
@click.argument("code", metavar="UNIT_OR_STATION_CODE")
@click.option("--name", required=True, help="Session name, e.g. sáng or chiều.")
@click.option("--start", required=True, help="Start time, HH:MM.")
@click.option("--length", required=True, help="Length, e.g. 30m, 45m or 1h.")
@click.option("--weekdays", default="daily", show_default=True, help="e.g. daily, mon-fri, sat,sun or t2-t6.")
@click.pass_obj
def set_command(app: AppContext, code: str, name: str, start: str, length: str, weekdays: str) -> None:
    """Add a session, or change the one with the same name."""
    from broadcast.db.models import Station
    from broadcast.units.clock import SessionClock
    from broadcast.units.sessions import label, set_session

    clock = SessionClock.parse(name, start, length, weekdays)
    with app.transaction() as db:
        result = set_session(db, code, clock)
        owner = label(result.owner)
        inherited_from = label(result.was_inheriting_from) if result.was_inheriting_from else None
    verb = "Changed" if result.replaced else "Added"
    click.echo(f"{verb} session {clock.describe()} on {owner}.")
    if inherited_from:
        who = "This station now uses" if isinstance(result.owner, Station) else "Stations under it now use"
        click.echo(f"{who} these sessions instead of those of {inherited_from}.")
    click.echo("Sessions now: " + "; ".join(c.describe() for c in result.clocks))


@sessions.command("clear")
@click.argument("code", metavar="UNIT_OR_STATION_CODE")
@click.option("--name", help="Remove only this session (default: all of the unit's or station's own).")
@click.pass_obj
def clear_command(app: AppContext, code: str, name: str | None) -> None:
    """Remove sessions, so the unit or station falls back to those above it."""
    from broadcast.units.sessions import clear_sessions, label

    with app.transaction() as db:
        owner, removed = clear_sessions(db, code, name)
        shown = label(owner)
    click.echo(f"Removed {removed} session{'s' if removed != 1 else ''} from {shown}.")
