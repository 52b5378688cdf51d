"""Benchmark the office web app: time per page, as an office sees it, on a province and on the whole country.

Prepares a province home (Lạng Sơn, legacy scheme: 205 stations) with `broadcast init`, `broadcast units import`
and `broadcast users add`, then 200 messages through the library (drafts and approved ones, every district);
starts the real `broadcast serve` on a loopback port, signs in through the login form (a real session cookie) and
times each office page of the navigation (broadcast.web.labels.NAV) with httpx: a few warm-up requests, then
--requests sequential GETs, p50 and p95. Areas not built yet (FastAPI's bare 404) are listed and skipped, so pages
merged later are measured without changing this script. If `GET /units/search` exists, it is timed on a national
home too (all provinces, legacy scheme: 10,731 units), with `q=cao loc`.

Targets: each page ≤ 200 ms p95 on the province; the unit search ≤ 100 ms p95 on the national tree.

    python scripts/bench/web.py [--requests 50] [--no-national]
"""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and its http.py would shadow the standard `http`.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from broadcast.config import load_settings
from broadcast.db import open_database
from broadcast.db.models import Unit
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.web.labels import NAV

PASSWORD = "mat-khau-cua-bench-du-dai"
PAGE_TARGET_MS = 200.0
SEARCH_TARGET_MS = 100.0
SEARCH = "/units/search?q=cao%20loc"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def broadcast(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"broadcast {' '.join(args)} failed:\n{done.stderr}")


def prepare(home: Path, province: str | None, messages: int) -> dict[str, str]:
    """A home with the legacy units (one province, or all), an admin `bench`, and `messages` messages."""
    home.mkdir(parents=True)
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": f"sqlite:///{home / 'broadcast.db'}"}
    env.pop("BROADCAST_CONFIG", None)
    broadcast(env, "init")
    broadcast(env, "units", "import", "--scheme", "legacy", *(["--province", province] if province else []))
    (home / "password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    broadcast(env, "users", "add", "bench", "--name", "Đo tốc độ", "--role", "admin", "--scope", "all",
              "--password-file", str(home / "password.txt"), "--by", "bench")  # fmt: skip
    if messages:
        add_messages(env, messages)
    return env


def add_messages(env: dict[str, str], count: int) -> None:
    """count messages over the province's districts, a third of them approved, some priority or emergency."""
    settings = load_settings(env=env)
    database = open_database(settings.database_url)
    now = datetime.now(UTC)
    today = date.today()
    priorities = ["normal"] * 7 + ["priority"] * 2 + ["emergency"]
    with database.transaction() as db:
        districts = [f"legacy:{code}" for code in db.scalars(select(Unit.code).where(Unit.kind == "district"))]
        for n in range(count):
            changes = MessageChanges(
                title=f"Thông báo số {n + 1}: phòng chống rét cho gia súc, gia cầm",
                text="Ủy ban nhân dân huyện đề nghị các hộ gia đình che chắn chuồng trại, dự trữ thức ăn "
                "và không thả rông gia súc khi nhiệt độ xuống dưới 10 độ C. " * 3,
                priority=priorities[n % len(priorities)],
                targets=[districts[n % len(districts)]],
                starts_on=today,
                ends_on=today + timedelta(days=7 + n % 20),
                per_day=1 + n % 2,
            )
            message = add_message(db, changes, now)
            if n % 3 == 0:
                approve_message(db, settings, message.id, "bench", now)
    database.dispose()


class Server:
    """`broadcast serve` on a free loopback port, for the duration of a with block."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log_path = env, log
        self.url = f"http://127.0.0.1:{free_port()}"

    def __enter__(self) -> Server:
        self.log = self.log_path.open("wb")
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1", "--port", port],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"broadcast serve exited early:\n{self.log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        sys.exit("broadcast serve did not answer /healthz within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def signed_in(url: str) -> httpx.Client:
    """An httpx client signed in as `bench` through the login form (it keeps the session cookie)."""
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/login", data={"username": "bench", "password": PASSWORD, "next": "/"})
    if response.status_code != 303 or "broadcast_session" not in client.cookies:
        sys.exit(f"cannot sign in: HTTP {response.status_code}")
    return client


def exists(response: httpx.Response) -> bool:
    """Whether an office route answered (a page of any status), not FastAPI's bare JSON 404 of an unknown path."""
    return not (response.status_code == 404 and response.headers.get("content-type", "").startswith("application/json"))


def timed(client: httpx.Client, path: str, requests: int) -> tuple[int, float, float]:
    """(status, p50 ms, p95 ms) of `requests` sequential GETs after 3 warm-up ones."""
    for _ in range(3):
        client.get(path)
    times = []
    status = 0
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    cuts = statistics.quantiles(times, n=20, method="inclusive")
    return status, statistics.median(times), cuts[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--messages", type=int, default=200, help="messages in the province (default 200)")
    parser.add_argument("--no-national", action="store_true", help="skip the national unit search")
    args = parser.parse_args()
    rows: list[tuple[str, str, int, float, float, float]] = []
    missing: list[str] = []
    search_exists = False

    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        print("preparing the province (Lạng Sơn, legacy: 205 stations) …", file=sys.stderr)
        env = prepare(Path(folder) / "province", "lang son", args.messages)
        with Server(env, Path(folder) / "province.log") as server, closing(signed_in(server.url)) as client:
            for path, label in NAV:
                first = client.get(path)
                if not exists(first):
                    missing.append(path)
                    continue
                if first.is_redirect and first.headers.get("location", "").startswith("/"):
                    path = first.headers["location"]  # /units opens the admin's one root: time the page it opens
                rows.append((f"{label} (tỉnh)", path, *timed(client, path, args.requests), PAGE_TARGET_MS))
            search_exists = exists(client.get(SEARCH))
            if search_exists:
                rows.append(("Tìm đơn vị (tỉnh)", SEARCH, *timed(client, SEARCH, args.requests), SEARCH_TARGET_MS))
        if search_exists and not args.no_national:
            print("preparing the national tree (legacy: 10,731 units) …", file=sys.stderr)
            env = prepare(Path(folder) / "national", None, 0)
            with Server(env, Path(folder) / "national.log") as server, closing(signed_in(server.url)) as client:
                rows.append(("Tìm đơn vị (toàn quốc)", SEARCH, *timed(client, SEARCH, args.requests), SEARCH_TARGET_MS))

    print(f"office pages over loopback, {args.requests} sequential requests each after 3 warm-up, signed in as admin")
    print(f"{'page':28} {'path':28} {'HTTP':>4} {'p50 ms':>8} {'p95 ms':>8} {'target':>7}  ok")
    for label, path, status, p50, p95, target in rows:
        verdict = "yes" if p95 <= target and status == 200 else "NO"
        print(f"{label:28} {path:28} {status:>4} {p50:>8.1f} {p95:>8.1f} {target:>7.0f}  {verdict}")
    if missing:
        print(f"not built yet (skipped): {', '.join(missing)}")
    if not search_exists:
        print(f"not built yet (skipped): {SEARCH.split('?')[0]} (the national unit search)")


if __name__ == "__main__":
    main()
