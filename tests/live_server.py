"""A real HTTP server for tests: the stations' API under uvicorn on a free loopback port, in a background thread.

    with live_server(settings) as base_url:
        httpx.get(f"{base_url}/healthz")

The database is the one `settings.database_url` names (migrate it first); the export tree is
`settings.export_root`. The server stops, and its thread is joined, when the block ends. A station's token for
the `Authorization: Bearer …` header comes from `broadcast.server.tokens.issue_token(db, station, now)`;
tests/server/conftest.py builds a whole small site (stations, tokens, a published day) this way.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from broadcast.config import Settings


def _loopback_socket(port: int = 0) -> socket.socket:
    """A listening socket on a loopback port (a free one by default), bound before the server starts, so no other
    test can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@contextmanager
def serve_app(app: Any, *, timeout: float = 10.0, port: int = 0) -> Iterator[str]:
    """Serve any ASGI app on a loopback port (a free one by default) for the duration of the block; yield its URL."""
    sock = _loopback_socket(port)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"live-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


@contextmanager
def live_server(settings: Settings, *, port: int = 0, **options: Any) -> Iterator[str]:
    """Serve the stations' API for these settings; yield its base URL, e.g. http://127.0.0.1:43121.

    port 0 takes a free one; a server started again on the same port comes back where clients expect it.
    Other keyword options go to `broadcast.server.app.create_app` (for instance `emergency_hours=12`).
    """
    from broadcast.server.app import create_app

    with serve_app(create_app(settings, **options), port=port) as base_url:
        yield base_url
