"""The `broadcast` command line: a click group whose commands are thin wrappers over the library.

Commands are listed here by name with their short help and imported only when run, so `broadcast --help` and
quick commands start without loading the web server, the scheduler or the speech stack.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

import click

from broadcast import __version__
from broadcast.cli.command import DEBUG_VARIABLE, Entry, LazyGroup

# The short help must match each command's own short_help (tests/cli/test_startup.py checks).
COMMANDS = {
    "init": Entry("broadcast.cli.init:init", "Create or upgrade the database."),
    "directive": Entry("broadcast.cli.directive:directive", "Official directives: công văn, công điện, kế hoạch…"),
    "message": Entry("broadcast.cli.message:message", "Announcements (tin, thông báo) to broadcast."),
    "plan": Entry("broadcast.cli.plan:plan", "Plan approved messages and report what does not fit."),
    "build": Entry("broadcast.cli.build:build", "Plan, render missing speech and publish the export."),
    "serve": Entry("broadcast.cli.serve:serve", "Run the stations' API and the scheduler."),
    "nginx-config": Entry("broadcast.cli.nginx:nginx_config", "Print an nginx front for `broadcast serve`."),
    "units": Entry("broadcast.cli.units:units", "Administrative units: provinces, districts, communes."),
    "stations": Entry("broadcast.cli.stations:stations", "Commune and district stations."),
    "station": Entry("broadcast.cli.station:station", "The station side: sync, play, send the as-run log."),
    "sessions": Entry("broadcast.cli.sessions:sessions", "Daily broadcast sessions (buổi phát)."),
    "speech": Entry("broadcast.cli.speech:speech", "Vietnamese speech: text as it is read aloud."),
    "preview": Entry("broadcast.cli.speech:preview", "Render what a listener hears for a message."),
    "report": Entry("broadcast.cli.report:report", "The results report (báo cáo kết quả)."),
    "users": Entry("broadcast.cli.users:users", "Office accounts: add, list, set, disable, passwd."),
    "audit": Entry("broadcast.cli.audit:audit", "The audit trail (nhật ký) of every change."),
}


@click.group(cls=LazyGroup, entries=COMMANDS)
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
    from broadcast.cli.context import AppContext

    ctx.obj = AppContext(config_file)
    ctx.call_on_close(ctx.obj.close)


class _OwnWarnings(logging.Filter):
    """Lets through the program's own warnings; other libraries' (pypdf on a damaged file) are noise here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name == "broadcast" or record.name.startswith("broadcast.")


def _quiet_libraries() -> None:
    """Show only broadcast's own warnings, as `warning: …` lines, unless BROADCAST_DEBUG is set."""
    if os.environ.get(DEBUG_VARIABLE):
        return
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    handler.addFilter(_OwnWarnings())
    logging.getLogger().addHandler(handler)
    if not sys.warnoptions:
        warnings.simplefilter("ignore")


def main() -> None:
    _quiet_libraries()
    cli(prog_name="broadcast")
