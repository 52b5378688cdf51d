"""`broadcast station`: the commune station's side — fetch days ahead, play them on time, report what played."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from broadcast.cli.command import group
from broadcast.cli.output import json_option, print_json, print_table
from broadcast.config import TIMEZONE
from broadcast.station.player import DEFAULT_PLAYER


class KeptLastGood(click.ClickException):
    """The sync could not finish; the station keeps its last good days. Exit code 2, so cron can tell it apart."""

    exit_code = 2


def _day(text: str | None) -> date:
    """--date as a day, else today in the stations' time zone."""
    from broadcast.times import parse_day, today

    return parse_day(text, field="day") if text else today(TIMEZONE)


def _dir_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--dir",
        "folder",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BROADCAST_STATION_DIR",
        help="The station's folder: a mirror of the export tree (env BROADCAST_STATION_DIR).",
    )(func)


def _station_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--station",
        "code",
        required=True,
        envvar="BROADCAST_STATION",
        help="The station's code (env BROADCAST_STATION).",
    )(func)


def _date_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--date",
        "day",
        metavar="DATE",
        help="The day, YYYY-MM-DD or DD/MM/YYYY (default: today in Asia/Ho_Chi_Minh).",
    )(func)


@group(short_help="The station side: sync, play, send the as-run log.")
def station() -> None:
    """The station side: fetch the days ahead, play them on the station's clock, send back the as-run log."""


@station.command("sync")
@click.option("--server", required=True, envvar="BROADCAST_SERVER", help="The server's address (env BROADCAST_SERVER).")
@_station_option
@click.option(
    "--token",
    required=True,
    envvar="BROADCAST_STATION_TOKEN",
    help="The station's API token (env BROADCAST_STATION_TOKEN keeps it out of `ps`).",
)
@_dir_option
@click.option("--days", default=2, show_default=True, type=click.IntRange(1, 14), help="How many days to fetch.")
@_date_option
@click.option("--retries", default=4, show_default=True, type=click.IntRange(1, 20), help="Tries per request.")
@click.option(
    "--retry-wait",
    default=2.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Seconds before the first retry; doubled for each next one.",
)
@json_option
def sync_command(
    server: str,
    code: str,
    token: str,
    folder: Path,
    days: int,
    day: str | None,
    retries: int,
    retry_wait: float,
    as_json: bool,
) -> None:
    """Fetch the manifests and audio of DATE and the days after it, verify them, and upload the as-run log.

    Exits 2 (with one line) when the server could not be reached or sent damaged audio: the days it touched keep
    their last good version.
    """
    from broadcast.station.client import RetryPolicy, StationClient
    from broadcast.station.sync import sync_station
    from broadcast.times import local_time, utc_now

    start = _day(day)
    with StationClient(server, code, token, retry=RetryPolicy(retries, retry_wait), folder=folder) as client:
        report = sync_station(folder, client, start, days, now=local_time(utc_now(), TIMEZONE))
    if as_json:
        print_json(report.as_json())
    if report.problem is not None:
        raise KeptLastGood(report.summary())
    if as_json:
        return
    for synced in report.days:
        version = f" v{synced.version}" if synced.version else ""
        click.echo(f"{synced.date.isoformat()}: {synced.status}{version}")
    click.echo(
        f"{report.files_downloaded} audio files ({report.bytes_downloaded:,} bytes) downloaded"
        + (f" ({report.audio_repaired} of them to replace damaged files)" if report.audio_repaired else "")
        + f", {report.asrun_sent} as-run entries sent, {report.days_removed} old days and "
        f"{report.audio_removed} audio files removed"
    )


@station.command("play")
@_dir_option
@_station_option
@_date_option
@click.option("--player", default=DEFAULT_PLAYER, show_default=True, help="Command that plays a file (path appended).")
@click.option("--dry-run", is_flag=True, help="Print the day's items with their times instead of playing them.")
@click.option("--server", envvar="BROADCAST_SERVER", help="Long-poll this server for emergency items.")
@click.option("--token", envvar="BROADCAST_STATION_TOKEN", help="The station's API token (with --server).")
@json_option
def play_command(
    folder: Path,
    code: str,
    day: str | None,
    player: str,
    dry_run: bool,
    server: str | None,
    token: str | None,
    as_json: bool,
) -> None:
    """Play the day's sessions at their times through the player, logging each item for the next sync.

    A session more than 5 minutes late when play starts is skipped and logged as skipped. With --server and --token,
    emergencies are long-polled for (heard within seconds) and played at once, fading out the item on air,
    and play runs until the day is over.
    """
    from broadcast.station.playout import day_listing, play_station

    the_day = _day(day)
    if not dry_run:
        play_station(folder, code, the_day, player, server=server, token=token, announce=click.echo)
        return
    items = day_listing(folder, code, the_day)
    if as_json:
        print_json(items)
        return
    print_table(
        ["giờ", "buổi", "loại", "tiêu đề", "thời lượng", "âm thanh"],
        [
            [
                item["start"][11:19],
                item["session"],
                item["kind"],
                item["title"],
                f"{item['duration']:.1f} s",
                "có" if item["ready"] else "THIẾU",
            ]
            for item in items
        ],
    )
