"""Running the long-lived service: the stations' API on uvicorn, the scheduler and the emergency worker, in one
process.

`run_server` is what `broadcast serve` calls; any other front (a service manager, the office web app) can call it
the same way. It blocks until SIGINT or SIGTERM, then lets requests in flight and running jobs finish.
"""

from __future__ import annotations

import errno
import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from broadcast.errors import ServeError

if TYPE_CHECKING:
    import uvicorn

    from broadcast.config import Settings
    from broadcast.db import Database

GRACE_SECONDS = 10  # on shutdown, requests in flight get this long to finish
BACKLOG = 2048


def parse_port(text: str) -> int:
    """A TCP port (1–65535) written as digits; ServeError (field ``port``) otherwise."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ServeError(f"{text!r} is not a TCP port; give a number from 1 to 65535, e.g. 8080", field="port")
    return int(text)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a ServeError (field ``host`` or ``port``) saying why there cannot be one."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(
            f"{host!r} is not an address of this machine; use e.g. 127.0.0.1 or 0.0.0.0", field="host"
        ) from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is in use; stop the other server or choose another port", field="port"
            ) from exc
        raise ServeError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another address or port", field="host"
        ) from exc
    sock.set_inheritable(True)
    return sock


def server_config(app: Any, settings: Settings) -> uvicorn.Config:
    """uvicorn's configuration for the app: request read deadlines and the connection cap from settings.

    Raises the process's open-file limit when the cap needs it (see broadcast.server.connections).
    """
    import uvicorn

    from broadcast.server.connections import ConnectionLimits, guarded_protocol, raise_open_file_limit

    limits = ConnectionLimits(
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        keep_alive_timeout=settings.keep_alive_timeout,
        max_connections=raise_open_file_limit(settings.max_connections),
    )
    return uvicorn.Config(
        app,
        http=guarded_protocol(limits),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=GRACE_SECONDS,
        timeout_keep_alive=limits.keep_alive_timeout,
        backlog=BACKLOG,
    )


def run_server(
    settings: Settings, database: Database, host: str, port: int, announce: Callable[[str], object] = print
) -> None:
    """Serve the API on host:port and run the scheduler's jobs until SIGINT or SIGTERM; announce says what runs.

    ServeError when the address cannot be listened on (raised before anything starts).
    """
    import uvicorn

    from broadcast.emergency_queue import EmergencyWorker
    from broadcast.jobs import create_scheduler, ensure_jobs
    from broadcast.server.app import create_app

    sock = listen(host, port)
    # The service's log goes to stderr: the scheduler's job runs, uvicorn's warnings.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    try:
        api = create_app(settings, database)
        server = uvicorn.Server(server_config(api, settings))
        scheduler = create_scheduler(settings, start_paused=True)
        ensure_jobs(scheduler, settings)
        scheduler.resume()
        worker = EmergencyWorker(settings, database).start()  # emergencies: its own queue, not APScheduler's
        for job in scheduler.get_jobs():
            announce(f"{job.name}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
        shown = f"[{host}]" if ":" in host else host
        announce(f"Serving the station API on http://{shown}:{port}/ (docs at /docs); Ctrl+C stops.")

        def stop(signum: int, frame: FrameType | None) -> None:
            server.should_exit = True

        # uvicorn puts its own handlers in place while it runs and calls ours again after it has stopped;
        # ours only ask it to stop, so a signal never cuts the scheduler's shutdown short.
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.run(sockets=[sock])
        finally:
            worker.stop()
            scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        sock.close()
    announce("Stopped.")
