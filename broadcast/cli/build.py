"""`broadcast build`: plan, render what is missing, and publish every station's playlists."""

from __future__ import annotations

import click

from broadcast.cli.command import command
from broadcast.cli.context import AppContext
from broadcast.cli.output import progress


@command(short_help="Plan, render missing speech and publish the export.")
@click.option("--from", "start", metavar="DATE", help="First day (default: today at the stations).")
@click.option("--days", type=int, default=1, show_default=True, help="How many days.")
@click.pass_obj
def build(app: AppContext, start: str | None, days: int) -> None:
    """Plan the days, render missing speech and publish playlists to the export folder."""
    from broadcast.build import build_days
    from broadcast.locks import build_lock, build_lock_path
    from broadcast.times import parse_day, today

    first = parse_day(start, field="start") if start else today(app.settings.timezone)
    with build_lock(build_lock_path(app.settings.home)):
        result = build_days(app.settings, first, days, progress=progress)
    plan = result.plan
    click.echo(
        f"Planned {counted(days, 'day')} from {first}: {counted(plan.messages, 'message')}, "
        f"{counted(plan.station_days, 'station-day')}, {counted(len(plan.shortfalls), 'shortfall')}."
    )
    click.echo(
        f"Speech: {counted(result.segments_needed, 'piece')}, {result.segments_rendered} newly rendered. "
        f"Published {counted(result.published.days_written, 'station-day')} "
        f"({result.published.days_unchanged} unchanged, {counted(result.published.audio_added, 'new audio file')}); "
        f"removed {counted(result.audio_removed, 'old audio file')}"
        + (
            f" and {result.leftovers_removed} temporary files an interrupted build had left."
            if result.leftovers_removed
            else "."
        )
    )
    published = result.published
    if result.segments_repaired or published.audio_repaired or published.audio_unlinked:
        click.echo(
            f"Repaired: {result.segments_repaired} damaged speech files rendered again, "
            f"{published.audio_repaired} damaged export audio files copied again, "
            f"{published.audio_unlinked} export audio files hard-linked to the store made copies."
        )
    if result.refitted:
        click.echo(f"Re-planned {counted(result.refitted, 'audience-day')} with the real lengths before publishing.")
    for short in plan.shortfalls[:10]:
        click.echo(
            f"  shortfall {short.day} message {short.message_id}: {short.placed} of {short.wanted} — {short.reason}"
        )
    if len(plan.shortfalls) > 10:
        click.echo(f"  … and {len(plan.shortfalls) - 10} more shortfalls.")
    for skipped in result.skipped[:10]:
        click.echo(f"  not published {skipped.day} station {skipped.station}: {skipped.reason}")
    if len(result.skipped) > 10:
        click.echo(f"  … and {len(result.skipped) - 10} more station-days not published.")
    days_published = published.days_written + published.days_unchanged
    click.echo(
        f"Time: rendered {counted(result.segments_rendered, 'clip')} in {result.render_seconds:.1f} s "
        f"(reused {result.segments_reused:,}); published {counted(days_published, 'station-day')} "
        f"in {result.publish_seconds:.1f} s."
    )
    click.echo(f"Export: {result.export_root}")


def counted(number: int, noun: str) -> str:
    """ "1 clip", "2,345 clips"."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
