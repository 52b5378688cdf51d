"""The emergency queue on SQLite and PostgreSQL: speech rendered at approval whatever the sessions (real espeak-ng
and ffmpeg), a rebuild under the build lock that a busy build only postpones, and claims that survive their worker."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from broadcast.db.models import EmergencyJob, Message, MessageTarget, Segment, Station
from broadcast.emergency_queue import (
    BUSY_RETRY,
    FAILED_RETRY,
    MAX_ATTEMPTS,
    EmergencyWorker,
    claim,
    enqueue,
    generation,
    latest_job,
)
from broadcast.errors import MessageError, SpeechError
from tests.live_server import live_server
from tests.server.conftest import HOME_CODE, NOW, OTHER_CODE, Site, emergency_message

FLOOD = "Nước sông Kỳ Cùng đang lên nhanh, bà con vùng trũng di chuyển lên chỗ cao ngay."


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class Rebuilds:
    """Stands in for the real rebuild (tested with the build): records each call, answers busy while told to."""

    def __init__(self) -> None:
        self.calls: list[datetime] = []
        self.busy = False

    def __call__(self, settings: object, now: datetime) -> bool:
        self.calls.append(now)
        return not self.busy


def approve_emergency(site: Site, text: str = FLOOD, *, station: str = HOME_CODE) -> int:
    """An approved emergency for one station and its queue row, in one transaction, as approval writes them."""
    with site.database.transaction() as db:
        target = db.scalars(select(Station).where(Station.code == station)).one()
        message = emergency_message(text, [MessageTarget(kind="station", station_id=target.id)], approved=NOW)
        db.add(message)
        db.flush()
        enqueue(db, message.id, NOW)
        return message.id


def job_of(site: Site, message_id: int) -> EmergencyJob:
    with site.database.transaction() as db:
        job = latest_job(db, message_id)
        assert job is not None
        db.expunge(job)
    return job


def test_speech_is_rendered_at_once_though_no_session_is_planned(site: Site) -> None:
    message_id = approve_emergency(site)
    with site.database.transaction() as db:
        before = generation(db)
    rebuilds = Rebuilds()
    worker = EmergencyWorker(site.settings, site.database, clock=Clock(NOW), rebuild=rebuilds)
    assert worker.run_once()

    job = job_of(site, message_id)
    assert job.rendered_at is not None and job.done_at is not None and job.claimed_by is None and job.error is None
    assert rebuilds.calls == [NOW]  # today's remaining sessions, once
    with site.database.transaction() as db:
        assert generation(db) != before  # what wakes the stations' long polls
        assert db.get(Message, message_id).rebuilt_at is not None  # type: ignore[union-attr]
        spoken = list(db.scalars(select(Segment).where(Segment.created_at > NOW - timedelta(days=1))))
    # The site has stations but no session at all: the speech is there anyway, and the station is served it.
    with live_server(site.settings, now=lambda: NOW + timedelta(minutes=1)) as url:
        answer = httpx.get(f"{url}/api/v1/stations/{HOME_CODE}/emergency", headers=site.auth())
        other = httpx.get(f"{url}/api/v1/stations/{OTHER_CODE}/emergency", headers=site.auth(site.other_token))
    assert answer.status_code == 200
    item = next(item for item in answer.json()["items"] if item["message_id"] == message_id)
    assert item["sha256"] in {segment.sha256 for segment in spoken}
    assert item["duration"] > 1.0  # real speech, a few seconds of it
    assert (site.settings.audio_dir / f"{item['sha256']}.mp3").is_file()
    assert other.status_code == 204  # not a target
    assert not worker.run_once()  # nothing left to do


def test_a_busy_build_postpones_the_rebuild_and_never_drops_it(site: Site) -> None:
    first = approve_emergency(site)
    clock = Clock(NOW)
    rebuilds = Rebuilds()
    rebuilds.busy = True
    worker = EmergencyWorker(site.settings, site.database, clock=clock, rebuild=rebuilds)
    worker.run_once()
    job = job_of(site, first)
    assert job.rendered_at is not None  # the speech does not wait for the lock …
    assert job.done_at is None and job.claimed_by is None  # … the rebuild does, and the row stays queued
    worker.run_once()
    assert len(rebuilds.calls) == 1  # not hammered: tried again BUSY_RETRY later

    # A second emergency while the build still runs: rendered at once too, rebuilt with the first.
    second = approve_emergency(site, "Cháy rừng ở thôn Nà Pàn, bà con tránh xa khu vực cháy.")
    worker.run_once()
    assert job_of(site, second).rendered_at is not None and job_of(site, second).done_at is None
    rebuilds.busy = False
    clock.moment = NOW + BUSY_RETRY
    worker.run_once()
    assert len(rebuilds.calls) == 2
    assert job_of(site, first).done_at is not None and job_of(site, second).done_at is not None


def test_a_claim_is_won_once_and_a_dead_workers_claim_is_taken_again_at_start(site: Site) -> None:
    message_id = approve_emergency(site)
    job_id = job_of(site, message_id).id
    with site.database.transaction() as db:
        assert claim(db, job_id, "serve-that-dies", NOW)
    with site.database.transaction() as db:
        assert not claim(db, job_id, "another", NOW)  # one winner
    waiting = EmergencyWorker(site.settings, site.database, clock=Clock(NOW), rebuild=Rebuilds())
    assert not waiting.run_once()  # claimed by someone else: left alone

    restarted = EmergencyWorker(site.settings, site.database, clock=Clock(NOW), rebuild=Rebuilds())
    restarted.start()  # as `broadcast serve` does at start: the dead one's claim is freed, then worked on
    try:
        deadline = datetime.now() + timedelta(seconds=60)
        while job_of(site, message_id).done_at is None:
            assert datetime.now() < deadline, "the worker did not finish the row"
            restarted._stop.wait(0.1)
    finally:
        restarted.stop()
    assert job_of(site, message_id).rendered_at is not None


def test_speech_that_cannot_be_rendered_is_retried_then_given_up_with_its_reason(site: Site) -> None:
    message_id = approve_emergency(site)
    clock = Clock(NOW)
    tries: list[int] = []

    def fail(settings: object, database: object, message: int) -> int:
        tries.append(message)
        raise SpeechError("espeak-ng failed: no voice")

    worker = EmergencyWorker(site.settings, site.database, clock=clock, render=fail, rebuild=Rebuilds())
    worker.run_once()
    worker.run_once()
    assert tries == [message_id]  # tried again only FAILED_RETRY later
    job = job_of(site, message_id)
    assert job.error == "speech not rendered: espeak-ng failed: no voice" and job.done_at is None
    for attempt in range(2, MAX_ATTEMPTS + 1):
        clock.moment = NOW + FAILED_RETRY * attempt
        worker.run_once()
    assert len(tries) == MAX_ATTEMPTS
    job = job_of(site, message_id)
    assert job.done_at is not None and job.rendered_at is None and job.attempts == MAX_ATTEMPTS


@pytest.mark.parametrize("status", ["retired", "draft"])
def test_a_message_no_longer_approved_renders_nothing(site: Site, status: str) -> None:
    message_id = approve_emergency(site)
    with site.database.transaction() as db:
        db.get(Message, message_id).status = status  # type: ignore[union-attr]
    with site.database.transaction() as db:
        segments = len(list(db.scalars(select(Segment))))
    EmergencyWorker(site.settings, site.database, clock=Clock(NOW), rebuild=Rebuilds()).run_once()
    with site.database.transaction() as db:
        assert len(list(db.scalars(select(Segment)))) == segments
    assert job_of(site, message_id).done_at is not None


def test_a_rebuild_the_build_refuses_is_done_with_its_reason_and_the_speech_still_served(site: Site) -> None:
    message_id = approve_emergency(site)

    def refuse(settings: object, now: datetime) -> bool:
        raise MessageError("nothing to plan: no active station has sessions; give a unit or station sessions first")

    EmergencyWorker(site.settings, site.database, clock=Clock(NOW), rebuild=refuse).run_once()
    job = job_of(site, message_id)
    assert job.rendered_at is not None and job.done_at is not None  # not retried for ever: a person must act
    assert job.error is not None and job.error.startswith("rebuild not possible: nothing to plan")
