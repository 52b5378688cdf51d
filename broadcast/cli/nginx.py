"""`broadcast nginx-config`: print an nginx front for `broadcast serve`, for deployments."""

from __future__ import annotations

from pathlib import Path

import click

from broadcast.cli.command import command
from broadcast.cli.context import AppContext


@command("nginx-config", short_help="Print an nginx front for `broadcast serve`.")
@click.option("--server-name", default="_", show_default=True, help="nginx server_name: host names, space-separated.")
@click.option("--listen", default="80", show_default=True, metavar="[ADDRESS:]PORT", help="Where nginx listens.")
@click.option(
    "--upstream",
    default="127.0.0.1:8080",
    show_default=True,
    metavar="HOST:PORT",
    help="Where `broadcast serve` listens.",
)
@click.option(
    "--export",
    "export_root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Export folder nginx sends audio from (default: the export_dir setting).",
)
@click.pass_obj
def nginx_config(app: AppContext, server_name: str, listen: str, upstream: str, export_root: Path | None) -> None:
    """Print an nginx server block to put in front of `broadcast serve`: nginx holds slow clients (header and body
    timeouts from the settings, body size, keep-alive and per-address connection limits), sends exported audio
    itself with the same caching headers as serve, and passes everything else to serve.

    Save it as e.g. /etc/nginx/conf.d/broadcast.conf, then `nginx -t && nginx -s reload`.
    """
    from broadcast.server.nginx import front
    from broadcast.server.nginx import nginx_config as render

    settings = app.settings
    site = front(
        server_name,
        listen,
        upstream,
        (export_root or settings.export_root).absolute(),
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        keep_alive_timeout=settings.keep_alive_timeout,
    )
    click.echo(render(site), nl=False)
