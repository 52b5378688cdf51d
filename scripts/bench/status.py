"""Benchmark `broadcast stations status` on the whole country: legacy scheme (10,731 stations), 90 % of them seen
within two days, yesterday's program (2 sessions of 3 messages) for every station, as-run logs of ~80,000 entries
(most sessions aired, some partly, some missed), and 3 emergencies approved an hour ago for the whole country,
played by half the stations.

Prints the wall time and peak memory (RSS) of `broadcast stations status --json` and of the table, and what they
found; the answer must come in a few seconds at national size (one query per question, rows streamed).

    python scripts/bench/status.py [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from broadcast.config import load_settings
from broadcast.db import open_database
from broadcast.db.models import Message, MessageTarget, PlanDay, PlayLog, Station, StationContact, Unit
from broadcast.times import today


def run(args: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """stdout, seconds and the peak RSS (MiB) of `broadcast ARGS`."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"broadcast {' '.join(args)} failed: {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return done.stdout, seconds, peak


def fill(env: dict[str, str]) -> int:
    settings = load_settings(env=env)
    database = open_database(settings.database_url)
    rng = random.Random(2026)
    now = datetime.now(UTC)
    yesterday = today(settings.timezone, now) - timedelta(days=1)
    with database.transaction() as db:
        stations = list(db.execute(select(Station.id, Station.code, Unit.parent_id).join(Unit)).all())
        contacts = [
            {
                "station_id": sid,
                "last_seen_at": now - timedelta(minutes=rng.randrange(0, 48 * 60)),
                "software": "0.1.0",
                "free_disk": rng.randrange(10**9, 10**11),
            }
            for sid, _, _ in stations
            if rng.random() < 0.9
        ]
        db.execute(insert(StationContact), contacts)
        sessions = [
            {
                "name": name,
                "start": start,
                "end": end,
                "items": [{"message_id": m, "offset": 5.0 * i, "duration": 60.0} for i, m in enumerate(ids)],
            }
            for name, start, end, ids in (
                ("sáng", "05:30", "06:00", (101, 102, 103)),
                ("chiều", "17:00", "17:30", (101, 104, 105)),
            )
        ]
        by_parent: dict[Any, list[str]] = {}
        for _, code, parent in stations:
            by_parent.setdefault(parent, []).append(code)
        for index, codes in enumerate(by_parent.values()):
            db.add(PlanDay(day=yesterday, audience=f"a{index}", stations=codes, program={"sessions": sessions},
                           shortfalls=[], created_at=now))  # fmt: skip
        logs: list[dict[str, Any]] = []
        started = now - timedelta(days=1)
        for sid, _, _ in stations:
            for session in sessions:
                luck = rng.random()
                if luck < 0.05:
                    continue  # missed
                items = session["items"] if luck > 0.15 else session["items"][:1]  # type: ignore[index]
                for item in [{"message_id": None}, *items]:
                    logs.append({"station_id": sid, "entry_id": f"{session['name']}-{len(logs)}", "day": yesterday,
                                 "session": session["name"], "kind": "message" if item["message_id"] else "ident",
                                 "message_id": item["message_id"], "sha256": None, "started_at": started,
                                 "duration": 60.0, "status": "played", "emergency": False,
                                 "received_at": now})  # fmt: skip
        for start in range(0, len(logs), 5000):
            db.execute(insert(PlayLog), logs[start : start + 5000])
        for number in range(3):
            message = Message(title=f"Khẩn cấp số {number + 1}", text="Bão đang vào bờ.", status="approved",
                              priority="emergency", for_broadcast=True, starts_on=yesterday,
                              ends_on=yesterday + timedelta(days=3), per_day=1, weekdays=127,
                              approved_at=now - timedelta(hours=1), created_at=now, updated_at=now,
                              targets=[MessageTarget(kind="all")])  # fmt: skip
            db.add(message)
            db.flush()
            heard = [
                {
                    "station_id": sid,
                    "entry_id": f"e{message.id}",
                    "day": yesterday + timedelta(days=1),
                    "session": None,
                    "kind": "message",
                    "message_id": message.id,
                    "sha256": None,
                    "started_at": now,
                    "duration": 30.0,
                    "status": "played",
                    "emergency": True,
                    "received_at": now,
                }
                for sid, _, _ in stations
                if rng.random() < 0.5
            ]
            db.execute(insert(PlayLog), heard)
        count = len(logs)
    database.dispose()
    return count


def office_page(env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds, bytes and map dots of GET /status for a national admin (in-process, after one warm-up)."""
    from fastapi.testclient import TestClient

    from broadcast.accounts.users import add_user
    from broadcast.server.app import create_app

    settings = load_settings(env=env)
    database = open_database(settings.database_url)
    password = "mot-mat-khau-du-dai"
    with database.transaction() as db:
        add_user(db, "quocgia", "Quản trị quốc gia", "admin", "all", password, now=datetime.now(UTC))
    client = TestClient(create_app(settings, database))
    client.post("/login", data={"username": "quocgia", "password": password, "next": "/"})
    client.get("/status")
    started = time.perf_counter()
    page = client.get("/status")
    seconds = time.perf_counter() - started
    assert page.status_code == 200, page.status_code
    database.dispose()
    return seconds, len(page.content), page.text.count('<circle class="dot"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="a PostgreSQL database URL to use instead of a fresh SQLite file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "BROADCAST_HOME": home, "BROADCAST_CONFIG": ""}
        if options.postgres:
            env["BROADCAST_DATABASE_URL"] = options.postgres
        run(["init"], env)
        run(["units", "import", "--scheme", "legacy"], env)
        logs = fill(env)
        out, seconds, peak = run(["stations", "status", "--json"], env)
        data = json.loads(out)
        table, table_seconds, _ = run(["stations", "status"], env)
        print(f"stations: {data['stations']}; as-run entries of yesterday: {logs}")
        print(f"counts: {data['counts']}")
        print(f"silent: {len(data['silent'])}; sessions missed or partly aired: {len(data['sessions'])};"
              f" emergencies not yet played: {len(data['emergencies'])}")  # fmt: skip
        print(f"stations status --json: {seconds:.2f} s, peak RSS {peak:.0f} MiB; table: {table_seconds:.2f} s,"
              f" {len(table.splitlines())} lines")  # fmt: skip
        page_seconds, size, dots = office_page(env)
        print(f"office page /status as a national admin: {page_seconds:.2f} s, {size / 1e6:.1f} MB, {dots} dots")


if __name__ == "__main__":
    main()
