"""The scheduler under a fake clock: jobs persist, missed builds run once, a busy build is tried again.

Time is frozen with time-machine (APScheduler reads ``datetime.now`` itself). The scheduler's own thread never runs:
its wakeup is a no-op and the tests call ``_process_jobs()`` themselves, then run what it submitted. Jobs run after
the scheduler has updated its store, as they do on a thread pool; APScheduler's DebugExecutor would run them in the
middle of that update, where a rebuild that puts itself back in the store is removed again at once.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import create_engine, text

from broadcast import jobs
from broadcast.config import Settings
from broadcast.errors import ConfigError
from broadcast.locks import build_lock, build_lock_path
from tests.scheduling import QueuedExecutor

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=TZ)


# The fake work behind the jobs, put in place of the build's functions.


@dataclass
class Call:
    entry: str
    settings: Settings
    details: dict[str, Any]


@dataclass
class Recorder:
    calls: list[Call] = field(default_factory=list)
    log: list[str] = field(default_factory=list)  # "start build", "end build", …: shows any overlap
    entered: threading.Event = field(default_factory=threading.Event)
    hold: threading.Event | None = None  # when set, work waits for it: a long build

    def work(self, entry: str, settings: Settings, **details: Any) -> None:
        self.log.append(f"start {entry}")
        self.entered.set()
        if self.hold is not None:
            assert self.hold.wait(10)
        self.calls.append(Call(entry, settings, details))
        self.log.append(f"end {entry}")

    def of(self, entry: str) -> list[dict[str, Any]]:
        return [call.details for call in self.calls if call.entry == entry]


RECORDER = Recorder()


def fake_build(settings: Settings, start: Any, days: int, **details: Any) -> None:
    RECORDER.work("build", settings, start=start, days=days, **details)


def fake_retry_renders(settings: Settings, **details: Any) -> None:
    RECORDER.work("retry", settings, **details)


def fake_clean_up(settings: Settings, **details: Any) -> None:
    RECORDER.work("cleanup", settings, **details)


@pytest.fixture(autouse=True)
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    global RECORDER
    RECORDER = Recorder()
    monkeypatch.setattr(jobs, "build_days", fake_build)
    monkeypatch.setattr(jobs, "retry_failed_renders", fake_retry_renders)
    monkeypatch.setattr(jobs, "clean_export", fake_clean_up)
    return RECORDER


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(at("2025-06-01 10:00"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=sqlite_url)


def with_options(settings: Settings, **options: Any) -> Settings:
    """Settings with options set past the config file's own checks, as a hand-made Settings could have them."""
    changed = dataclasses.replace(settings)
    for name, value in options.items():
        object.__setattr__(changed, name, value)
    return changed


# Driving the scheduler by hand.


@dataclass
class Driven:
    scheduler: jobs.BroadcastScheduler
    executor: QueuedExecutor

    def run_due(self) -> float | None:
        """One pass of the scheduler's loop at the frozen time; the seconds it would then sleep."""
        wait: float | None = self.scheduler._process_jobs()
        self.executor.drain()
        return wait


StartScheduler = Callable[..., Driven]


@pytest.fixture
def start_scheduler(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartScheduler]:
    started: list[jobs.BroadcastScheduler] = []

    def start(settings: Settings, **options: Any) -> Driven:
        scheduler = jobs.create_scheduler(settings, start_paused=True, **options)
        started.append(scheduler)
        monkeypatch.setattr(scheduler, "wakeup", lambda: None)  # its thread sleeps on; the test runs the passes
        executor = QueuedExecutor()
        scheduler.remove_executor("default")
        scheduler.add_executor(executor, "default")
        scheduler.resume()
        return Driven(scheduler, executor)

    yield start
    for scheduler in started:
        if scheduler.running:
            scheduler.shutdown()


def stored(url: str) -> dict[str, datetime | None]:
    """Each job's next run time as the job table holds it."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(f"SELECT id, next_run_time FROM {jobs.JOB_TABLE}")).all()
    finally:
        engine.dispose()
    return {job_id: None if stamp is None else datetime.fromtimestamp(stamp, TZ) for job_id, stamp in rows}


@dataclass
class LockHolder:
    """Holds the build lock from another thread, as another build would."""

    path: Path
    acquired: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> LockHolder:
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.acquired.wait(10)
        return self

    def _hold(self) -> None:
        with build_lock(self.path):
            self.acquired.set()
            self.release.wait(10)

    def __exit__(self, *_: object) -> None:
        self.release.set()
        self.thread.join()


# Persistence.


def test_jobs_survive_a_restart(
    tmp_path: Path, db_url: str, clock: time_machine.Coordinates, start_scheduler: StartScheduler
) -> None:
    settings = Settings(home=tmp_path / "home", database_url=db_url)
    first = start_scheduler(settings)
    jobs.ensure_jobs(first.scheduler, settings)
    expected = {
        "nightly-build": at("2025-06-02 02:00"),
        "render-retry": at("2025-06-01 10:30"),
        "cleanup": at("2025-06-02 03:30"),
    }
    assert stored(db_url) == expected
    first.scheduler.shutdown()

    clock.shift(timedelta(minutes=10))
    second = start_scheduler(settings)
    assert {job.id: job.next_run_time for job in second.scheduler.get_jobs()} == expected
    jobs.ensure_jobs(second.scheduler, settings)  # unchanged jobs are left as they are
    assert stored(db_url) == expected
    references = {job.id: job.func_ref for job in second.scheduler.get_jobs()}
    assert references == {
        "nightly-build": "broadcast.jobs:nightly_build",
        "render-retry": "broadcast.jobs:retry_renders",
        "cleanup": "broadcast.jobs:clean_up",
    }
    nightly = second.scheduler.get_job("nightly-build")
    assert nightly.kwargs == {"home": str(settings.home), "database_url": db_url, "config_file": None, "days": 2}
    assert (nightly.coalesce, nightly.max_instances, nightly.misfire_grace_time) == (True, 1, 6 * 3600)


def test_build_time_and_horizon_come_from_the_settings(
    settings: Settings, clock: time_machine.Coordinates, start_scheduler: StartScheduler
) -> None:
    driven = start_scheduler(settings)
    jobs.ensure_jobs(driven.scheduler, dataclasses.replace(settings, build_time="03:15", build_days=3))
    assert stored(settings.database_url)["nightly-build"] == at("2025-06-02 03:15")
    assert driven.scheduler.get_job("nightly-build").kwargs["days"] == 3

    clock.shift(timedelta(minutes=10))
    jobs.ensure_jobs(driven.scheduler, settings)  # back to the defaults: the nightly job changes, the others stay
    after = stored(settings.database_url)
    assert after["nightly-build"] == at("2025-06-02 02:00")
    assert after["render-retry"] == at("2025-06-01 10:30")
    assert driven.scheduler.get_job("nightly-build").kwargs["days"] == 2


@pytest.mark.parametrize(
    ("option", "value"),
    [("build_time", "2:00"), ("build_time", "24:00"), ("cleanup_time", "3h"), ("build_grace_hours", -1)],
)
def test_bad_schedule_settings_are_refused_in_one_line(
    settings: Settings, clock: time_machine.Coordinates, start_scheduler: StartScheduler, option: str, value: object
) -> None:
    driven = start_scheduler(settings)
    with pytest.raises(ConfigError, match=rf"^{option} must be .*, not {value!r}$"):
        jobs.ensure_jobs(driven.scheduler, with_options(settings, **{option: value}))


# Missed runs.


def test_a_nightly_build_missed_while_down_runs_once_at_start(
    settings: Settings, clock: time_machine.Coordinates, start_scheduler: StartScheduler, recorder: Recorder
) -> None:
    first = start_scheduler(settings)
    jobs.ensure_jobs(first.scheduler, settings)
    first.scheduler.shutdown()

    clock.move_to(at("2025-06-04 03:00"))  # down through three nightly builds, the last missed by an hour
    second = start_scheduler(settings)
    jobs.ensure_jobs(second.scheduler, settings)
    second.run_due()
    assert recorder.of("build") == [{"start": date(2025, 6, 4), "days": 2}]
    assert len(recorder.of("retry")) == 1  # many missed retries, run once
    assert recorder.of("cleanup") == []  # 03:30 yesterday: missed by more than the grace
    after = stored(settings.database_url)
    assert after["nightly-build"] == at("2025-06-05 02:00")
    assert after["cleanup"] == at("2025-06-04 03:30")

    second.run_due()
    assert len(recorder.of("build")) == 1


@pytest.mark.parametrize(("grace_hours", "runs"), [(None, 0), (12, 1)])
def test_a_nightly_build_missed_beyond_the_grace_waits_for_the_next_night(
    settings: Settings,
    clock: time_machine.Coordinates,
    start_scheduler: StartScheduler,
    recorder: Recorder,
    grace_hours: int | None,
    runs: int,
) -> None:
    if grace_hours is not None:
        settings = with_options(settings, build_grace_hours=grace_hours)
    first = start_scheduler(settings)
    jobs.ensure_jobs(first.scheduler, settings)
    first.scheduler.shutdown()

    clock.move_to(at("2025-06-02 08:00:01"))  # six hours and a second after 02:00
    second = start_scheduler(settings)
    jobs.ensure_jobs(second.scheduler, settings)
    second.run_due()
    assert len(recorder.of("build")) == runs
    assert stored(settings.database_url)["nightly-build"] == at("2025-06-03 02:00")


# The lock. (Emergencies go through their own queue: tests/server/test_emergency_queue.py.)


def test_a_busy_nightly_build_is_tried_again_a_minute_later(
    settings: Settings, clock: time_machine.Coordinates, start_scheduler: StartScheduler, recorder: Recorder
) -> None:
    driven = start_scheduler(settings)
    jobs.ensure_jobs(driven.scheduler, settings)
    clock.move_to(at("2025-06-02 02:00"))
    with LockHolder(build_lock_path(settings.home)):
        driven.run_due()
    assert recorder.calls == []
    after = stored(settings.database_url)
    assert after["nightly-build-retry"] == at("2025-06-02 02:01")
    assert after["nightly-build"] == at("2025-06-03 02:00")
    assert after["render-retry"] == at("2025-06-02 02:30")  # skipped; it comes round again on its own

    clock.move_to(at("2025-06-02 02:01"))
    driven.run_due()
    assert recorder.of("build") == [{"start": date(2025, 6, 2), "days": 2}]
    assert "nightly-build-retry" not in stored(settings.database_url)


def test_each_job_answers_busy_while_another_build_holds_the_lock(
    settings: Settings, clock: time_machine.Coordinates, recorder: Recorder
) -> None:
    kwargs = {"home": str(settings.home), "database_url": settings.database_url}
    with LockHolder(build_lock_path(settings.home)):
        assert jobs.nightly_build(**kwargs) == jobs.Outcome.BUSY
        assert jobs.emergency_rebuild(**kwargs, config_file=None, message_id=1) == jobs.Outcome.BUSY
        assert jobs.retry_renders(**kwargs) == jobs.Outcome.BUSY
        assert jobs.clean_up(**kwargs) == jobs.Outcome.BUSY
    assert recorder.calls == []
    assert jobs.retry_renders(**kwargs) == jobs.Outcome.DONE
    assert jobs.clean_up(**kwargs) == jobs.Outcome.DONE
    assert recorder.of("retry") == recorder.of("cleanup") == [{"now": at("2025-06-01 10:00")}]
