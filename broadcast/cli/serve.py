"""`broadcast serve`: the long-running service — the scheduler now, the stations' HTTP API later."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click

from broadcast.cli.context import AppContext
from broadcast.jobs import create_scheduler, ensure_jobs


@click.command()
@click.pass_obj
def serve(app: AppContext) -> None:
    """Run the scheduler: the nightly build, render retries, clean-up and emergency rebuilds."""
    settings = app.settings
    app.database  # refuse to start on a database that is not initialised  # noqa: B018
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduler = create_scheduler(settings, start_paused=True)
    ensure_jobs(scheduler, settings)
    scheduler.resume()
    for job in scheduler.get_jobs():
        click.echo(f"{job.name}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
    click.echo("Serving; Ctrl+C stops.")
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    stop.wait()
    scheduler.shutdown(wait=True)
    click.echo("Stopped.")
