"""`broadcast serve`: the long-running service — the stations' HTTP API and the scheduler, in one process."""

from __future__ import annotations

import logging
import signal
import socket
from types import FrameType

import click

from broadcast.cli.context import AppContext
from broadcast.errors import ServeError
from broadcast.jobs import create_scheduler, ensure_jobs

GRACE_SECONDS = 10  # on shutdown, requests in flight get this long to finish


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ServeError(f"--port {value!r} is not a TCP port; give a number from 1 to 65535, e.g. --port 8080")
    return int(value)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a ServeError saying why there cannot be one."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"--host {host!r} is not an address of this machine; use e.g. 127.0.0.1 or 0.0.0.0") from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == 98:  # EADDRINUSE
            raise ServeError(f"port {port} on {host} is in use; stop the other server or choose --port") from exc
        raise ServeError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --host/--port"
        ) from exc
    sock.set_inheritable(True)
    return sock


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the API listens on.")
@click.option("--port", "port_text", default="8080", show_default=True, metavar="PORT", help="TCP port of the API.")
@click.pass_obj
def serve(app: AppContext, host: str, port_text: str) -> None:
    """Run the stations' API and the scheduler (nightly build, render retries, clean-up, emergency rebuilds).

    SIGINT (Ctrl+C) or SIGTERM stops both: requests in flight are answered and running jobs finish first.
    """
    import uvicorn

    from broadcast.server.app import create_app

    settings = app.settings
    port = _port(port_text)
    database = app.database  # refuses to start on a database that is not initialised
    sock = listen(host, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        api = create_app(settings, database)
        config = uvicorn.Config(
            api, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=GRACE_SECONDS
        )
        server = uvicorn.Server(config)
        scheduler = create_scheduler(settings, start_paused=True)
        ensure_jobs(scheduler, settings)
        scheduler.resume()
        for job in scheduler.get_jobs():
            click.echo(f"{job.name}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"Serving the station API on http://{shown}:{port}/ (docs at /docs); Ctrl+C stops.")

        def stop(signum: int, frame: FrameType | None) -> None:
            server.should_exit = True

        # uvicorn puts its own handlers in place while it runs and calls ours again after it has stopped;
        # ours only ask it to stop, so a signal never cuts the scheduler's shutdown short.
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.run(sockets=[sock])
        finally:
            scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        sock.close()
    click.echo("Stopped.")
