"""`broadcast serve`: the API and the scheduler in one process, stopped cleanly by SIGINT or SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1", "80.5"])
def test_a_bad_port_is_one_line(invoke: Invoke, port: str) -> None:
    assert "is not a TCP port" in fails(invoke, "serve", "--port", port)


def test_a_port_in_use_is_one_line(invoke: Invoke, taken_port: int) -> None:
    ok(invoke, "init")
    assert f"port {taken_port} on 127.0.0.1 is in use" in fails(invoke, "serve", "--port", str(taken_port))


def test_an_unknown_host_is_one_line(invoke: Invoke) -> None:
    ok(invoke, "init")
    assert "is not an address of this machine" in fails(invoke, "serve", "--host", "no-such-host.invalid")


def test_serve_needs_an_initialised_database(invoke: Invoke) -> None:
    assert "run `broadcast init`" in fails(invoke, "serve", "--port", str(free_port()))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_then_stops_on_a_signal(tmp_path: Path, stop: signal.Signals) -> None:
    env = {
        **os.environ,
        "BROADCAST_HOME": str(tmp_path / "home"),
        "BROADCAST_DATABASE_URL": f"sqlite:///{tmp_path / 'broadcast.db'}",
        "BROADCAST_CONFIG": "",
    }
    subprocess.run([sys.executable, "-m", "broadcast", "init"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, server.communicate()
                time.sleep(0.05)
        assert answer.json() == {"status": "ok"}
        server.send_signal(stop)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, err
    assert "nightly build: next run" in out
    assert f"Serving the station API on http://127.0.0.1:{port}/" in out
    assert out.rstrip().endswith("Stopped.")
    assert "Scheduler has been shut down" in err
    assert "Traceback" not in err
