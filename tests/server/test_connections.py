"""`broadcast serve` holds under slow clients: stalled requests are closed after their deadline, a cap bounds the
open connections, and /healthz answers all along. A real server process on loopback, real sockets."""

from __future__ import annotations

import contextlib
import os
import resource
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from tests.server.test_serve import free_port

STALLED = 2000
TIMEOUT = 4  # header_timeout, body_timeout and keep_alive_timeout in the server under test, seconds
HALF_HEADER = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
SLOW_BODY = (
    b"POST /api/v1/stations/2025-06187/playlog HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
)


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    log: Path  # its stderr

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def sockets(self) -> int:
        """Open sockets in the server process."""
        count = 0
        for fd in Path(f"/proc/{self.process.pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # closed while we looked
                count += os.readlink(fd).startswith("socket:")
        return count


def start_serve(tmp_path: Path, settings: str, open_files: int | None = None) -> Iterator[Server]:
    """`broadcast serve` with these broadcast.toml lines, its open-file soft limit lowered to open_files if given."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "broadcast.toml").write_text(settings)
    env = {
        **os.environ,
        "BROADCAST_HOME": str(home),
        "BROADCAST_DATABASE_URL": f"sqlite:///{tmp_path / 'broadcast.db'}",
        "BROADCAST_CONFIG": "",
    }
    subprocess.run([sys.executable, "-m", "broadcast", "init"], env=env, check=True, capture_output=True)
    port = free_port()

    def lower_limit() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    log = tmp_path / "serve.log"
    with log.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "broadcast", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            preexec_fn=lower_limit,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{server.url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        err = log.read_text()
        assert "Traceback" not in err, err


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Server]:
    limits = f"header_timeout = {TIMEOUT}\nbody_timeout = {TIMEOUT}\nkeep_alive_timeout = {TIMEOUT}\n"
    # A soft limit too low for the stalled connections: serve must raise it to the hard limit itself.
    yield from start_serve(tmp_path, limits, open_files=1024)


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[Server]:
    yield from start_serve(tmp_path, "max_connections = 100\n")


@pytest.fixture(autouse=True)
def enough_descriptors() -> None:
    """The test process opens the stalled sockets itself: let it have the descriptors (and serve may raise its own
    soft limit to the same hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < STALLED + 200:
        pytest.skip(f"the open-file hard limit ({hard}) is below {STALLED + 200}")
    if soft != resource.RLIM_INFINITY and soft < STALLED + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def stall(url: str, count: int) -> list[socket.socket]:
    """count connections, a third each sending half a header, headers and a slow body, or nothing."""
    port = httpx.URL(url).port
    held = []
    for n in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n % 3 == 0:
            sock.sendall(HALF_HEADER)
        elif n % 3 == 1:
            sock.sendall(SLOW_BODY)
        held.append(sock)
    return held


def held_by_server(server: Server, sockets: float) -> bool:
    """Whether the server comes to hold this many sockets within a second (it accepts them in batches)."""
    deadline = time.monotonic() + 1
    while server.sockets() < sockets:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def healthz_seconds(url: str) -> float:
    """Seconds /healthz took on a new connection; it must answer ok."""
    began = time.monotonic()
    answer = httpx.get(f"{url}/healthz", timeout=5, headers={"Connection": "close"})
    took = time.monotonic() - began
    assert answer.json() == {"status": "ok"}
    return took


def drip(held: list[socket.socket]) -> None:
    """One more byte on each slow request: a deadline runs from the request's start, not from its last byte."""
    for n, sock in enumerate(held):
        if n % 3 != 2:
            with contextlib.suppress(OSError):
                sock.send(b"a")


def wait_closed(held: list[socket.socket], within: float) -> list[socket.socket]:
    """The sockets the server has not closed after `within` seconds."""
    selector = selectors.DefaultSelector()
    for sock in held:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
    open_ = set(held)
    deadline = time.monotonic() + within
    while open_ and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(4096)
            except ConnectionResetError:
                data = b""
            except BlockingIOError:
                continue
            if not data:
                selector.unregister(sock)
                open_.discard(sock)
    selector.close()
    return list(open_)


def test_stalled_connections_are_closed_and_healthz_answers(serve: Server) -> None:
    for _ in range(20):
        httpx.get(f"{serve.url}/healthz")
    baseline_rss, baseline_sockets = serve.rss_mb(), serve.sockets()
    began = time.monotonic()
    held = stall(serve.url, STALLED)
    try:
        opened = time.monotonic() - began
        if opened > TIMEOUT / 2:
            pytest.skip(f"opening {STALLED} connections took {opened:.1f} s; the machine is too busy for this test")
        # All of them are held by the server, and it still answers at once.
        assert held_by_server(serve, baseline_sockets + STALLED * 0.95)
        times = [healthz_seconds(serve.url) for _ in range(5)]
        assert max(times) < 1, times
        drip(held)
        assert healthz_seconds(serve.url) < 1
        # The server closes every one of them by itself: headers, bodies and idle connections alike.
        left = wait_closed(held, within=TIMEOUT + 15)
        assert not left, f"{len(left)} of {STALLED} stalled connections still open"
    finally:
        for sock in held:
            sock.close()
    assert healthz_seconds(serve.url) < 1
    time.sleep(0.5)
    assert serve.sockets() <= baseline_sockets + 5
    assert serve.rss_mb() < baseline_rss + 50, (baseline_rss, serve.rss_mb())
    assert "open-file limit raised from 1024 to" in serve.log.read_text()


def test_a_request_in_progress_is_not_cut(serve: Server) -> None:
    """The deadlines are for reading a request: a client that sends a little at a time within them is served, and
    a kept-alive connection serves requests spaced out by less than the keep-alive timeout."""
    with socket.create_connection(("127.0.0.1", httpx.URL(serve.url).port), timeout=10) as sock:
        for part in (b"GET /healthz HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
            sock.sendall(part)
            time.sleep(TIMEOUT / 4)
        first = sock.recv(4096)
        assert first.startswith(b"HTTP/1.1 200"), first
        time.sleep(TIMEOUT / 2)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")


def test_connections_past_the_cap_push_out_the_oldest_stalled_ones(capped: Server) -> None:
    baseline = capped.sockets()
    held = stall(capped.url, 300)
    try:
        # The server keeps at most max_connections open, and the newest client (a health check) gets in.
        assert healthz_seconds(capped.url) < 1
        assert capped.sockets() <= baseline + 100
        first, last = held[:150], held[-90:]
        assert not wait_closed(first, within=5), "the oldest connections were not closed"
        assert len(wait_closed(last, within=0.5)) == len(last), "the newest connections were closed"
    finally:
        for sock in held:
            sock.close()


def test_a_hard_limit_too_low_for_the_cap_lowers_the_cap_and_says_so() -> None:
    """In a child process, whose open-file limits this test may lower for good."""
    script = """
import logging, resource, sys
from broadcast.server.connections import FD_RESERVE, raise_open_file_limit
logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
resource.setrlimit(resource.RLIMIT_NOFILE, (512, 1500))
print("allowed", raise_open_file_limit(4096), "soft", resource.getrlimit(resource.RLIMIT_NOFILE)[0], FD_RESERVE)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "open-file limit raised from 512 to 1500 for max_connections = 4096" in done.stdout
    assert "the open-file limit (1500) allows 1244 connections, not max_connections = 4096" in done.stdout
    assert "allowed 1244 soft 1500 256" in done.stdout


def test_an_answer_that_takes_longer_than_the_read_deadlines_is_not_cut() -> None:
    """Like a station's long poll: the request is read at once, the answer comes after several deadlines."""
    import asyncio
    import threading

    import uvicorn

    from broadcast.server.connections import ConnectionLimits, guarded_protocol

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(3)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4")]})
        await send({"type": "http.response.body", "body": b"done"})

    limits = ConnectionLimits(header_timeout=1, body_timeout=1, keep_alive_timeout=1)
    port = free_port()
    config = uvicorn.Config(
        slow_app, host="127.0.0.1", port=port, http=guarded_protocol(limits), lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive()
            time.sleep(0.01)
        answer = httpx.post(f"http://127.0.0.1:{port}/wait", content=b"{}", timeout=10)
        assert answer.status_code == 200 and answer.content == b"done"
    finally:
        server.should_exit = True
        thread.join(10)
