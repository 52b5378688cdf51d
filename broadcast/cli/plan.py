"""`broadcast plan`: plan approved messages into every station's sessions and report what does not fit."""

from __future__ import annotations

import click

from broadcast.cli.command import command
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json

SHOWN_STATIONS = 5


@command(short_help="Plan approved messages and report what does not fit.")
@click.option("--from", "start", metavar="DATE", help="First day (default: today at the stations).")
@click.option("--days", type=int, default=1, show_default=True, help="How many days.")
@json_option
@click.pass_obj
def plan(app: AppContext, start: str | None, days: int, as_json: bool) -> None:
    """Plan approved messages into every active station's sessions, store it, and report shortfalls."""
    from broadcast.planning.service import plan_range
    from broadcast.times import parse_day, today, utc_now

    first = parse_day(start, field="start") if start else today(app.settings.timezone)
    with app.transaction() as db:
        summary = plan_range(db, app.settings, first, days, utc_now())
    if as_json:
        print_json(
            {
                "from": first.isoformat(),
                "days": days,
                "messages": summary.messages,
                "audiences": summary.audiences,
                "station_days": summary.station_days,
                "items": summary.items,
                "shortfalls": [
                    {
                        "date": s.day.isoformat(),
                        "message_id": s.message_id,
                        "title": s.title,
                        "wanted": s.wanted,
                        "placed": s.placed,
                        "reason": s.reason,
                        "stations": s.stations,
                    }
                    for s in summary.shortfalls
                ],
            }
        )
        return
    click.echo(
        f"Planned {days} day{'s' if days != 1 else ''} from {first}: {summary.messages} approved messages, "
        f"{summary.station_days} station-days in {summary.audiences} audience programs, {summary.items} items."
    )
    if not summary.shortfalls:
        click.echo("Everything fits.")
        return
    click.echo(f"Shortfalls ({len(summary.shortfalls)}):")
    for s in summary.shortfalls:
        stations = ", ".join(s.stations[:SHOWN_STATIONS]) + (
            f" and {len(s.stations) - SHOWN_STATIONS} more" if len(s.stations) > SHOWN_STATIONS else ""
        )
        click.echo(
            f"  {s.day} message {s.message_id} «{s.title}»: {s.placed} of {s.wanted} — {s.reason} — at {stations}"
        )
