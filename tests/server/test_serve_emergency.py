"""The emergency queue survives `kill -9` of `broadcast serve`: a real server in a subprocess renders the speech,
is killed while its rebuild waits for the build lock (and with a claim left half-done), and the next start
finishes the work."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from broadcast.config import load_settings
from broadcast.db import open_database
from broadcast.db.models import EmergencyJob, Message, MessageTarget, Session, Station, Unit
from broadcast.emergency_queue import enqueue, latest_job
from broadcast.export.manifest import manifest_path
from broadcast.locks import build_lock_path
from broadcast.server.tokens import issue_token
from broadcast.times import utc_now
from tests.server.test_serve import free_port
from tests.test_jobs import LockHolder

TEXT = "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn."


def wait_for(check: Callable[[], bool], seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.1)


@contextmanager
def serving(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield server
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate()


def test_an_emergency_is_finished_after_serve_is_killed(tmp_path: Path) -> None:
    home, url = tmp_path / "home", f"sqlite:///{tmp_path / 'broadcast.db'}"
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": url, "BROADCAST_CONFIG": ""}
    subprocess.run([sys.executable, "-m", "broadcast", "init"], env=env, check=True, capture_output=True)
    settings = load_settings(env={"BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": url})
    database = open_database(url)
    now = utc_now()
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    with database.transaction() as db:
        commune = Unit(scheme="2025", code="06187", name="Xã Hoàng Đồng", short_name="Hoàng Đồng", type_name="Xã")
        commune.kind = "commune"
        station = Station(
            code="2025-06187", name="Đài Truyền thanh xã Hoàng Đồng", kind="commune", unit=commune, voice_region="north"
        )
        db.add_all([commune, station])
        db.flush()
        db.add(Session(station_id=station.id, name="sáng", start=dt.time(5, 30), minutes=30, weekdays=127))
        token = issue_token(db, station, now)
        message = Message(
            title="Khẩn cấp: bão số 3",
            text=TEXT,
            status="approved",
            for_broadcast=True,
            priority="emergency",
            starts_on=today,
            ends_on=today,
            per_day=1,
            weekdays=127,
            approved_by="Chủ tịch UBND xã",
            approved_at=now,
            created_at=now,
            updated_at=now,
            targets=[MessageTarget(kind="station", station_id=station.id)],
        )
        db.add(message)
        db.flush()
        enqueue(db, message.id, now)  # as approval does, in the same transaction
        message_id = message.id

    def job() -> EmergencyJob:
        with database.transaction() as db:
            found = latest_job(db, message_id)
            assert found is not None
            db.expunge(found)
        return found

    port = free_port()
    with LockHolder(build_lock_path(home)):  # another build runs: the rebuild has to wait
        with serving(env, port) as server:
            wait_for(lambda: job().rendered_at is not None)  # the speech does not wait for the lock
            time.sleep(1.0)
            assert job().done_at is None
            server.send_signal(signal.SIGKILL)
            server.wait(30)
        # As if it had been killed in the middle of a step: its claim is still on the row.
        with database.transaction() as db:
            row = db.get(EmergencyJob, job().id)
            assert row is not None
            row.claimed_by, row.claimed_at = "killed-serve", utc_now()

    with serving(env, port) as server:
        try:
            wait_for(lambda: job().done_at is not None)
        except AssertionError:
            server.kill()
            raise AssertionError(f"{job()!r} {server.communicate()[1]}") from None
        finished = job()
        assert finished.claimed_by is None and finished.error is None
        with database.transaction() as db:
            rebuilt = db.scalar(select(Message.rebuilt_at).where(Message.id == message_id))
        assert rebuilt is not None
        assert (settings.export_root / manifest_path("2025-06187", today)).is_file()  # today is published
        answer = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/stations/2025-06187/emergency",
            params={"wait": 5},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200
        assert [item["message_id"] for item in answer.json()["items"]] == [message_id]
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=60)
    assert "left half-done by a stopped server, taken up again" in err
    assert "Traceback" not in err
    database.dispose()
    assert isinstance(finished.done_at, datetime) and finished.done_at - now < timedelta(hours=1)
