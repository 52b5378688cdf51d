"""`broadcast stations`: list stations, show the sessions each one uses, issue and revoke their API tokens, and
see which are silent or behind (status)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from broadcast.cli.command import group
from broadcast.cli.context import AppContext
from broadcast.cli.output import json_option, print_json, print_json_rows, print_table
from broadcast.vocabulary import VOICE_REGIONS

if TYPE_CHECKING:
    from broadcast.db.models import Station, Unit


@group(short_help="Commune and district stations.")
def stations() -> None:
    """Commune and district stations: list them, show their sessions, change their voice, issue API tokens."""


@stations.command("list")
@click.option("--under", metavar="CODE", help="Only stations of this unit and those below it.")
@json_option
@click.pass_obj
def list_command(app: AppContext, under: str | None, as_json: bool) -> None:
    """List stations."""
    from broadcast.units.listing import STATION_COLUMNS, list_stations

    with app.reading() as connection:
        rows = list_stations(connection, under)
        if as_json:
            print_json_rows(STATION_COLUMNS, rows)
            return
        table = [[code, name, kind, unit, voice] for code, name, kind, unit, _, voice, _ in rows]
    print_table(["code", "name", "kind", "unit", "voice"], table)


@stations.command("show")
@click.argument("code")
@json_option
@click.pass_obj
def show_command(app: AppContext, code: str, as_json: bool) -> None:
    """Show a station and the sessions it uses, with where each is inherited from."""
    from broadcast.units.clock import format_length, format_weekdays
    from broadcast.units.sessions import effective_sessions, label
    from broadcast.units.tree import find_station

    with app.transaction() as db:
        station = find_station(db, code)
        effective = effective_sessions(db, station)
        unit = station.unit
        source = "this station" if not effective.inherited else label(effective.source)
        if as_json:
            print_json(
                {
                    "code": station.code,
                    "name": station.name,
                    "kind": station.kind,
                    "unit": unit.code,
                    "scheme": unit.scheme,
                    "voice_region": station.voice_region,
                    "timezone": station.timezone,
                    "active": station.active,
                    "engine": station.engine,
                    "speaking_rate": station.speaking_rate,
                    "sessions": [
                        {
                            "name": c.name,
                            "start": f"{c.start:%H:%M}",
                            "end": c.end_text,
                            "minutes": c.minutes,
                            "weekdays": format_weekdays(c.weekdays),
                        }
                        for c in effective.clocks
                    ],
                    "sessions_from": _source_json(effective.source),
                }
            )
            return
        click.echo(f"{station.name} ({station.code})")
        click.echo(f"  unit: {unit.name} ({unit.ref}); voice: {station.voice_region}; time zone: {station.timezone}")
        click.echo(f"  speaking rate: {station.speaking_rate} %")
        click.echo(f"  active: {'yes' if station.active else 'no'}")
        if not effective.clocks:
            click.echo("  sessions: none; add one with `broadcast sessions set`")
            return
        click.echo("")
        print_table(
            ["session", "start", "end", "length", "weekdays", "from"],
            [
                [
                    c.name,
                    f"{c.start:%H:%M}",
                    c.end_text,
                    format_length(c.minutes),
                    format_weekdays(c.weekdays),
                    source,
                ]
                for c in effective.clocks
            ],
        )


def _source_json(source: Unit | Station) -> dict[str, str]:
    from broadcast.db.models import Station

    if isinstance(source, Station):
        return {"type": "station", "code": source.code, "name": source.name}
    return {"type": source.kind, "code": source.ref, "name": source.name}


@stations.command("set")
@click.argument("code")
@click.option(
    "--engine", help="Speech engine for this station (espeak, gtts, piper); 'default' for the configured one."
)
@click.option("--voice-region", type=click.Choice(VOICE_REGIONS), help="Regional voice for espeak-ng.")
@click.option(
    "--rate",
    type=int,
    metavar="PERCENT",
    help="Speaking rate in percent of the engine's normal pace, 70 to 130 (100 is normal; lower is slower).",
)
@click.option("--active/--inactive", default=None, help="Whether the station broadcasts.")
@click.pass_obj
def set_command(
    app: AppContext, code: str, engine: str | None, voice_region: str | None, rate: int | None, active: bool | None
) -> None:
    """Change a station's speech engine, voice region, speaking rate or whether it is active."""
    from broadcast.units.station_settings import StationChanges, change_station

    changes = StationChanges(engine=engine, voice_region=voice_region, active=active, rate=rate)
    with app.transaction() as db:
        station = change_station(db, code, changes)
        summary = (
            f"{station.name} ({station.code}): engine {station.engine or 'default'}, "
            f"voice {station.voice_region}, rate {station.speaking_rate} %, "
            f"{'active' if station.active else 'inactive'}."
        )
    click.echo(summary)


@stations.command("token")
@click.argument("code")
@click.option("--revoke", is_flag=True, help="Revoke every token of the station instead of issuing one.")
@json_option
@click.pass_obj
def token_command(app: AppContext, code: str, revoke: bool, as_json: bool) -> None:
    """Issue a new API token for a station and print it once (only its hash is kept), or --revoke them all.

    Issuing does not revoke older tokens; a running server stops accepting revoked ones within 30 seconds.
    """
    from broadcast.server.tokens import issue_token, revoke_tokens
    from broadcast.times import utc_now
    from broadcast.units.tree import find_station

    now = utc_now()
    with app.transaction() as db:
        station = find_station(db, code)
        if revoke:
            count = revoke_tokens(db, station, now)
        else:
            token = issue_token(db, station, now)
    if revoke:
        if as_json:
            print_json({"station": station.code, "revoked": count})
        else:
            click.echo(f"Revoked {count} token{'' if count == 1 else 's'} of {station.name} ({station.code}).")
    elif as_json:
        print_json({"station": station.code, "token": token})
    else:
        click.echo(token)
        click.echo(
            f"This is the API token of {station.name} ({station.code}); put it in the station's settings now, "
            "it cannot be shown again.",
            err=True,
        )


@stations.command("status")
@click.option("--under", metavar="CODE", help="Only stations of this unit and those below it.")
@click.option(
    "--hours",
    type=click.FloatRange(min=0, min_open=True, max=24 * 365),
    default=24.0,
    show_default=True,
    help="Report stations not seen for this many hours (never seen counts).",
)
@json_option
@click.pass_obj
def status_command(app: AppContext, under: str | None, hours: float, as_json: bool) -> None:
    """Stations not seen for HOURS, sessions missed or partly aired yesterday, emergencies not yet played."""
    from broadcast.reports.status import station_status
    from broadcast.times import local_time, utc_now
    from broadcast.units.scope import EVERYTHING, Scope
    from broadcast.units.tree import find_unit, subtree_unit_ids

    zone = app.settings.timezone
    with app.transaction() as db:
        scope = EVERYTHING if under is None else Scope(subtree_unit_ids(db, find_unit(db, under)), None)
        report = station_status(db, scope, utc_now(), zone, hours=hours)
    if as_json:
        print_json(report.as_json())
        return

    def when(moment: datetime | None) -> str:
        return local_time(moment, zone).strftime("%d/%m/%Y %H:%M") if moment else "chưa bao giờ"

    counts = ", ".join(f"{state.label.lower()} {count}" for state, count in report.counts().items())
    click.echo(f"{len(report.stations)} đài: {counts}.")
    click.echo("")
    click.echo(f"Đài không liên lạc quá {hours:g} giờ: {len(report.silent)}")
    if report.silent:
        print_table(
            ["code", "name", "last seen", "version", "free disk"],
            [[s.code, s.name, when(s.last_seen_at), s.software, _gigabytes(s.free_disk)] for s in report.silent],
        )
    click.echo("")
    click.echo(f"Buổi phát ngày {report.day:%d/%m/%Y} bị lỡ hoặc phát một phần: {len(report.sessions)}")
    if report.sessions:
        print_table(
            ["code", "name", "session", "time", "played", "state"],
            [
                [
                    o.station_code,
                    o.station_name,
                    o.session,
                    f"{o.start}-{o.end}",
                    f"{o.played}/{o.planned}",
                    o.state.label,
                ]
                for o in report.sessions
            ],
        )
    click.echo("")
    click.echo(f"Tin khẩn cấp chưa phát: {len(report.emergencies)}")
    if report.emergencies:
        print_table(
            ["code", "name", "message", "title", "approved"],
            [[e.station_code, e.station_name, e.message_id, e.title, when(e.approved_at)] for e in report.emergencies],
        )


def _gigabytes(free: int | None) -> str:
    return "" if free is None else f"{free / 1e9:.1f} GB"
