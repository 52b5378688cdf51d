"""The `broadcast` command line: a click group whose commands are thin wrappers over the library."""

from __future__ import annotations

from typing import Any

import click

from broadcast import __version__
from broadcast.cli.context import AppContext
from broadcast.errors import BroadcastError


class BroadcastGroup(click.Group):
    """Turns every BroadcastError into a one-line message and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BroadcastError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=BroadcastGroup)
@click.version_option(__version__, prog_name="broadcast")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    envvar="BROADCAST_CONFIG",
    help="TOML settings file (default: $BROADCAST_HOME/broadcast.toml when it exists).",
)
@click.pass_context
def cli(ctx: click.Context, config_file: str | None) -> None:
    """Plan grassroots radio in Vietnam: directives in, station playlists out."""
    ctx.obj = AppContext(config_file)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from broadcast.cli import (
        build,
        directive,
        init,
        message,
        plan,
        report,
        serve,
        sessions,
        speech,
        station,
        stations,
        units,
    )

    cli.add_command(init.init)
    cli.add_command(directive.directive)
    cli.add_command(message.message)
    cli.add_command(plan.plan)
    cli.add_command(build.build)
    cli.add_command(serve.serve)
    cli.add_command(units.units)
    cli.add_command(stations.stations)
    cli.add_command(station.station)
    cli.add_command(sessions.sessions)
    cli.add_command(speech.speech)
    cli.add_command(speech.preview)
    cli.add_command(report.report)


_register()


def main() -> None:
    cli(prog_name="broadcast")
