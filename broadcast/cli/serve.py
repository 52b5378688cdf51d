"""`broadcast serve`: the long-running service — the stations' HTTP API and the scheduler, in one process."""

from __future__ import annotations

import click

from broadcast.cli.command import command
from broadcast.cli.context import AppContext


@command(short_help="Run the stations' API and the scheduler.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the API listens on.")
@click.option("--port", default="8080", show_default=True, metavar="PORT", help="TCP port of the API.")
@click.pass_obj
def serve(app: AppContext, host: str, port: str) -> None:
    """Run the stations' API and the scheduler (nightly build, render retries, clean-up, emergency rebuilds).

    SIGINT (Ctrl+C) or SIGTERM stops both: requests in flight are answered and running jobs finish first.
    """
    from broadcast.server.run import parse_port, run_server

    number = parse_port(port)  # checked before the database is opened
    run_server(app.settings, app.database, host, number, announce=click.echo)
