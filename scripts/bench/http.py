"""Benchmark the stations' API against nginx on the request stations make all day: "has my day changed?".

Builds a fake export tree (a few stations' manifests) and a database with a station token in a temp dir, starts
the real `broadcast serve` (API and scheduler, one process) and nginx (a non-daemon child, one worker, serving the
same export directory) on loopback ports, and loads each with wrk sending the manifest request with
If-None-Match (so both answer 304; nginx with its own ETag). Prints req/s and p99 latency side by side.
The target for the API is ≥ 1,500 req/s with p99 < 50 ms on a 2-core machine.

Needs the Debian packages wrk and nginx (apt-get install -y wrk nginx).

    python scripts/bench/http.py [--duration 10] [--threads 2] [--connections 50] [--stations 20]
"""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and this file would shadow the standard `http`.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import io
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from broadcast.config import load_settings
from broadcast.db import migrate, open_database
from broadcast.db.models import Station, Unit
from broadcast.export.manifest import manifest_path, write_manifest
from broadcast.export.model import ExportItem, ExportSession, StationDay
from broadcast.files import write_atomic
from broadcast.server.tokens import issue_token

DAY = date(2026, 12, 1)
FAKE_SHA = "0" * 64


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited early with code {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    sys.exit(f"{what} did not start within 30 s")


def fake_export(root: Path, codes: list[str]) -> None:
    """One manifest per station for DAY: two sessions of a dozen items, like a real day."""
    for code in codes:
        items = tuple(
            ExportItem("message", f"Thông báo số {n}", n, "normal", f"05:{30 + n:02d}:00", 60.0, Path("x"), FAKE_SHA, 1)
            for n in range(12)
        )
        sessions = (ExportSession("sáng", "05:30", "06:00", items), ExportSession("chiều", "17:00", "17:30", items))
        day = StationDay(code, f"Đài Truyền thanh xã {code}", DAY, "Asia/Ho_Chi_Minh", sessions)
        out = io.StringIO()
        write_manifest(day, out)
        write_atomic(root / manifest_path(code, DAY), out.getvalue().encode("utf-8"))


def prepare(home: Path, stations: int) -> tuple[dict[str, str], str, str]:
    """A migrated SQLite database with the stations and one token; return the env, a station code and its token."""
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": f"sqlite:///{home / 'broadcast.db'}"}
    env.pop("BROADCAST_CONFIG", None)
    settings = load_settings(env=env)
    migrate(settings.database_url)
    database = open_database(settings.database_url)
    codes = [f"2025-{6000 + n:05d}" for n in range(stations)]
    with database.transaction() as db:
        province = Unit(scheme="2025", code="20", name="Tỉnh Lạng Sơn", short_name="Lạng Sơn", type_name="Tỉnh")
        province.kind = "province"
        db.add(province)
        for code in codes:
            db.add(Station(code=code, name=f"Đài xã {code}", kind="commune", unit=province, voice_region="north"))
        db.flush()
        first = db.query(Station).filter_by(code=codes[0]).one()
        token = issue_token(db, first, datetime.now(UTC))
    database.dispose()
    fake_export(settings.export_root, codes)
    return env, codes[0], token


NGINX_CONF = """
worker_processes {workers};
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    types {{ application/json json; audio/mpeg mp3; audio/x-mpegurl m3u8; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def start_nginx(prefix: Path, root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    prefix.mkdir(parents=True, exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""  # the export tree is in a private temp dir
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, user=user, prefix=prefix, port=port, root=root))
    return subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(conf)], stderr=subprocess.DEVNULL)


def wrk(url: str, headers: dict[str, str], args: argparse.Namespace) -> tuple[float, str, str]:
    """(requests per second, p99 latency, non-2xx/3xx note) from one wrk run."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    p99 = re.search(r"^\s+99%\s+(\S+)", done.stdout, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if rate is None or p99 is None:
        sys.exit(f"cannot read wrk's output:\n{done.stdout}")
    return float(rate.group(1)), p99.group(1), f"{errors.group(1)} errors" if errors else ""


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--stations", type=int, default=20)
    parser.add_argument("--nginx-workers", type=int, default=1, help="1 matches the API's single process")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed; install it with `apt-get install -y {tool}`")

    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        home = Path(folder) / "home"
        env, code, token = prepare(home, args.stations)
        export_root = home / "export"
        path = f"/api/v1/stations/{code}/days/{DAY.isoformat()}"
        static = f"/{manifest_path(code, DAY)}"
        results = []

        api_port = free_port()
        log = (Path(folder) / "serve.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1", "--port", str(api_port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{api_port}"
            wait_for(f"{base}/healthz", server, "broadcast serve")
            auth = {"Authorization": f"Bearer {token}"}
            etag = httpx.get(base + path, headers=auth).headers["etag"]
            check = httpx.get(base + path, headers={**auth, "If-None-Match": etag})
            assert check.status_code == 304, check.status_code
            measured = wrk(base + path, {**auth, "If-None-Match": etag}, args)
            results.append(("broadcast serve (uvicorn, 1 process)", *measured))
        finally:
            stop(server)
            log.close()

        nginx_port = free_port()
        nginx = start_nginx(Path(folder) / "nginx", export_root, nginx_port, args.nginx_workers)
        try:
            base = f"http://127.0.0.1:{nginx_port}"
            wait_for(base + static, nginx, "nginx")
            etag = httpx.get(base + static).headers["etag"]
            check = httpx.get(base + static, headers={"If-None-Match": etag})
            assert check.status_code == 304, check.status_code
            label = f"nginx (static, {args.nginx_workers} worker{'s' if args.nginx_workers > 1 else ''})"
            results.append((label, *wrk(base + static, {"If-None-Match": etag}, args)))
        finally:
            stop(nginx)

    print(f"manifest with If-None-Match → 304; wrk -t{args.threads} -c{args.connections} -d{args.duration}s, loopback")
    print(f"{'server':40} {'req/s':>10} {'p99':>10}")
    for label, rate, p99, note in results:
        print(f"{label:40} {rate:>10,.0f} {p99:>10}  {note}".rstrip())


if __name__ == "__main__":
    main()
