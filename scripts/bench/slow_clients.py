"""Benchmark `broadcast serve` under a slowloris flood: many connections that send half a header, headers and a
slow body, or nothing, held open while /healthz is asked again and again.

Starts the real `broadcast serve` (default settings: max_connections 4096, header_timeout 10 s) on a loopback port
in a temp home, opens the stalled connections, then prints /healthz's p50 and max latency while they are held, the
sockets the server holds (at most max_connections), the seconds until the server has closed every stalled
connection, and its RSS before, at the peak and after.

    python scripts/bench/slow_clients.py [--connections 10000] [--probes 50]
"""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and its http.py would shadow the standard `http`.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import resource
import selectors
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

HALF_HEADER = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
SLOW_BODY = b"POST /api/v1/stations/x/playlog HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            continue
    return count


def healthz(url: str) -> float:
    began = time.monotonic()
    httpx.get(f"{url}/healthz", timeout=30, headers={"Connection": "close"}).raise_for_status()
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--probes", type=int, default=50, help="/healthz requests while the flood is held")
    args = parser.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < args.connections + 100:
        sys.exit(f"the open-file hard limit ({hard}) is too low for {args.connections} connections")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    with tempfile.TemporaryDirectory(prefix="bench-slow-") as folder:
        home = Path(folder) / "home"
        env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": f"sqlite:///{folder}/b.db"}
        env.pop("BROADCAST_CONFIG", None)
        subprocess.run([sys.executable, "-m", "broadcast", "init"], env=env, check=True, capture_output=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (Path(folder) / "serve.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "broadcast", "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
        held: list[socket.socket] = []
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    healthz(url)
                    break
                except httpx.TransportError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit("broadcast serve did not start")
                    time.sleep(0.1)
            for _ in range(20):
                healthz(url)
            before = rss_mb(server.pid)
            began = time.monotonic()
            for n in range(args.connections):
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                if n % 3 == 0:
                    sock.sendall(HALF_HEADER)
                elif n % 3 == 1:
                    sock.sendall(SLOW_BODY)
                sock.setblocking(False)
                held.append(sock)
            opened = time.monotonic() - began
            probes = [healthz(url) for _ in range(args.probes)]
            peak_rss, peak_sockets = rss_mb(server.pid), sockets(server.pid)

            selector = selectors.DefaultSelector()
            for sock in held:
                selector.register(sock, selectors.EVENT_READ)
            remaining = set(held)
            while remaining and time.monotonic() - began < 120:
                for key, _ in selector.select(timeout=0.5):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        data = sock.recv(4096)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:
                        selector.unregister(sock)
                        remaining.discard(sock)
            all_closed = time.monotonic() - began
            time.sleep(1)
            after = rss_mb(server.pid)
        finally:
            for sock in held:
                sock.close()
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            log.close()

    probes.sort()
    print(f"{args.connections} stalled connections (half header / slow body / idle) against broadcast serve")
    print(f"opened in {opened:.1f} s; the server held at most {peak_sockets} sockets")
    print(f"/healthz while held: p50 {statistics.median(probes) * 1000:.0f} ms, max {probes[-1] * 1000:.0f} ms")
    state = f"{len(remaining)} still open" if remaining else "all closed by the server"
    print(f"{state} {all_closed:.1f} s after the first was opened")
    print(f"RSS: {before:.0f} MB before, {peak_rss:.0f} MB while held, {after:.0f} MB after")


if __name__ == "__main__":
    main()
