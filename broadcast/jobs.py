"""APScheduler wiring: the nightly build, render retries and cleanup, kept in the database; approval.

Emergencies do not go through APScheduler: approval queues them in the emergency queue (broadcast.emergency_queue),
which `broadcast serve` works through within a second, and which survives a crash of the server mid-way.

Jobs are persisted, so each is a module-level function APScheduler names by textual reference, taking only plain
values (the home, the database URL, the config file, a number). The work itself is the build's own functions
(``build_days``, ``retry_failed_renders``, ``clean_export``), called directly. Every job holds
the build lock while it works; a job that finds it taken answers ``Outcome.BUSY``, and the scheduler tries the
nightly build again a minute later, so it is not dropped.

A serving process does::

    scheduler = create_scheduler(settings, start_paused=True)
    ensure_jobs(scheduler, settings)  # before anything runs, so a changed build time is already in force
    scheduler.resume()                # a build missed while the service was down runs now, once
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_EXECUTED  # type: ignore[import-untyped,unused-ignore]
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # type: ignore[import-untyped,unused-ignore]
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped,unused-ignore]
from apscheduler.schedulers.base import STATE_PAUSED, STATE_STOPPED  # type: ignore[import-untyped,unused-ignore]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped,unused-ignore]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped,unused-ignore]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped,unused-ignore]
from sqlalchemy.engine import make_url

from broadcast.audit import Actor
from broadcast.build import build_days, retry_failed_renders
from broadcast.build import clean_up as clean_export
from broadcast.config import Settings, load_settings
from broadcast.db import Database
from broadcast.emergency_queue import enqueue
from broadcast.errors import BuildLockedError, ConfigError
from broadcast.locks import build_lock, build_lock_path
from broadcast.messages.approval import approve_message
from broadcast.messages.store import message_json
from broadcast.vocabulary import Priority

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
NIGHTLY_ID = "nightly-build"
NIGHTLY_RETRY_ID = "nightly-build-retry"
RENDER_RETRY_ID = "render-retry"
CLEANUP_ID = "cleanup"

RENDER_RETRY_EVERY = timedelta(minutes=30)
NIGHTLY_RETRY_AFTER = timedelta(minutes=1)
# APScheduler only looks at its job store when it expects a job; looking every few seconds lets it see a job
# another process changed there.
POLL_SECONDS = 5.0

_HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class Outcome(StrEnum):
    """What a job did: its work, or nothing because another build held the lock."""

    DONE = "done"
    BUSY = "busy"


class BroadcastScheduler(BackgroundScheduler):  # type: ignore[misc]
    """A background scheduler that knows the settings its jobs run with and rereads its job store every few seconds.

    Background rather than blocking: the serving process keeps its main thread for the HTTP server, and a command
    that only queues a job starts one paused, adds the job and shuts it down.
    """

    def __init__(self, settings: Settings, clock: Callable[[], datetime] | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.settings = settings
        self._clock = clock

    def now(self) -> datetime:
        """The time our own code schedules from; APScheduler reads datetime.now itself."""
        return self._clock() if self._clock else datetime.now(self.timezone)

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            # shutdown() wakes the loop for one last pass, which would submit due jobs to stopped executors and
            # drop them from the store: a command that only queued an emergency rebuild would lose it.
            return None
        wait: float | None = super()._process_jobs()
        if self.state == STATE_PAUSED:
            return wait
        return POLL_SECONDS if wait is None else min(wait, POLL_SECONDS)


def create_scheduler(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, start_paused: bool = False
) -> BroadcastScheduler:
    """A started scheduler over the job table in the project's database; with start_paused, idle until resume()."""
    engine_options: dict[str, Any] = {}
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        engine_options["connect_args"] = {"timeout": 10}  # wait for a build's write instead of failing at once
    scheduler = BroadcastScheduler(
        settings,
        clock,
        jobstores={
            "default": SQLAlchemyJobStore(url=settings.database_url, tablename=JOB_TABLE, engine_options=engine_options)
        },
        timezone=ZoneInfo(settings.timezone),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": _grace_seconds(settings)},
    )
    scheduler.add_listener(lambda event: _retry_if_busy(scheduler, event), EVENT_JOB_EXECUTED)
    scheduler.start(paused=start_paused)
    return scheduler


@dataclass(frozen=True)
class _JobSpec:
    id: str
    name: str
    func: str
    trigger: Any
    kwargs: dict[str, Any]


def ensure_jobs(scheduler: BroadcastScheduler, settings: Settings) -> None:
    """Add the nightly build, render retry and cleanup jobs, or replace them where their settings changed.

    An unchanged job is left alone: replacing it would move its next run past a build missed while the service
    was down, which must still run once at start.
    """
    tz = ZoneInfo(settings.timezone)
    build_hour, build_minute = _clock_time("build_time", settings.build_time)
    cleanup_hour, cleanup_minute = _clock_time("cleanup_time", settings.cleanup_time)
    common = _job_kwargs(settings)
    grace = _grace_seconds(settings)
    specs = (
        _JobSpec(
            NIGHTLY_ID,
            "nightly build",
            f"{__name__}:nightly_build",
            CronTrigger(hour=build_hour, minute=build_minute, timezone=tz),
            {**common, "days": settings.build_days},
        ),
        _JobSpec(
            RENDER_RETRY_ID,
            "retry failed renders",
            f"{__name__}:retry_renders",
            IntervalTrigger(seconds=RENDER_RETRY_EVERY.total_seconds(), timezone=tz),
            common,
        ),
        _JobSpec(
            CLEANUP_ID,
            "export cleanup",
            f"{__name__}:clean_up",
            CronTrigger(hour=cleanup_hour, minute=cleanup_minute, timezone=tz),
            common,
        ),
    )
    for spec in specs:
        existing = scheduler.get_job(spec.id)
        if existing is not None and _same(existing, spec, grace):
            continue
        scheduler.add_job(
            spec.func,
            spec.trigger,
            id=spec.id,
            name=spec.name,
            kwargs=spec.kwargs,
            misfire_grace_time=grace,
            replace_existing=True,
        )
        log.info("scheduled %s: %s", spec.name, spec.trigger)


@dataclass(frozen=True)
class Approval:
    """An approved message as message_json shows it, and when its emergency was queued (None if not one)."""

    message: dict[str, Any]
    rebuild_at: datetime | None


def approve(
    database: Database, settings: Settings, message_id: int, by: str, now: datetime, *, actor: Actor | None = None
) -> Approval:
    """Approve a message (see approve_message) and, for an emergency (Thông tư 39/2020/TT-BTTTT: it plays at once),
    queue its speech and rebuild in the same transaction. MessageError or NotFoundError when it cannot be approved."""
    with database.transaction() as db:
        message = approve_message(db, settings, message_id, by, now, actor=actor)
        shown = message_json(message)
        queued = enqueue(db, message.id, now).queued_at if message.priority == Priority.EMERGENCY else None
    return Approval(shown, queued)


# The jobs. Each rebuilds the settings from plain values, so a job written by one process can run in another.


def nightly_build(home: str, database_url: str, config_file: str | None = None, days: int | None = None) -> Outcome:
    """Build today and the days after it, days in all (the configured build_days when None)."""
    settings = _settings(home, database_url, config_file)
    today = _now(settings).date()
    count = days or settings.build_days
    return _under_lock(settings, "nightly build", lambda: build_days(settings, today, count))


def emergency_rebuild(home: str, database_url: str, config_file: str | None, message_id: int) -> Outcome:
    """Rebuild today's sessions still to come, for the stations an emergency message targets.

    Emergencies now go through the emergency queue; this runs what an older version left in the job store."""
    settings = _settings(home, database_url, config_file)
    now = _now(settings)

    def rebuild() -> object:
        return build_days(settings, now.date(), 1, message_id=message_id, since=now)

    return _under_lock(settings, f"emergency rebuild for message {message_id}", rebuild)


def retry_renders(home: str, database_url: str, config_file: str | None = None) -> Outcome:
    """Render again the segments whose rendering failed, and publish the days that waited for them."""
    settings = _settings(home, database_url, config_file)
    now = _now(settings)
    return _under_lock(settings, "render retry", lambda: retry_failed_renders(settings, now=now))


def clean_up(home: str, database_url: str, config_file: str | None = None) -> Outcome:
    """Remove exported days and audio older than the retention period."""
    settings = _settings(home, database_url, config_file)
    now = _now(settings)
    return _under_lock(settings, "export cleanup", lambda: clean_export(settings, now=now))


def _under_lock(settings: Settings, what: str, work: Callable[[], object]) -> Outcome:
    with ExitStack() as stack:
        try:
            stack.enter_context(build_lock(build_lock_path(settings.home)))
        except BuildLockedError as exc:
            log.warning("%s postponed: %s", what, exc)
            return Outcome.BUSY
        log.info("%s started", what)
        work()
        log.info("%s finished", what)
    return Outcome.DONE


def _retry_if_busy(scheduler: BroadcastScheduler, event: Any) -> None:
    """Put a build that found the lock taken back in the job store, so a restart meanwhile does not lose it."""
    if event.retval != Outcome.BUSY:
        return
    job_id: str = event.job_id
    if job_id in {NIGHTLY_ID, NIGHTLY_RETRY_ID}:
        settings = scheduler.settings
        scheduler.add_job(
            f"{__name__}:nightly_build",
            DateTrigger(run_date=scheduler.now() + NIGHTLY_RETRY_AFTER, timezone=scheduler.timezone),
            id=NIGHTLY_RETRY_ID,
            name="nightly build (retry)",
            kwargs={**_job_kwargs(settings), "days": settings.build_days},
            replace_existing=True,
        )
    # Render retries and cleanup come round again on their own.


def _job_kwargs(settings: Settings) -> dict[str, Any]:
    config_file = str(settings.config_file) if settings.config_file else None
    return {"home": str(settings.home), "database_url": settings.database_url, "config_file": config_file}


def _settings(home: str, database_url: str, config_file: str | None) -> Settings:
    return load_settings(config_file, env={"BROADCAST_HOME": home, "BROADCAST_DATABASE_URL": database_url})


def _now(settings: Settings) -> datetime:
    return datetime.now(ZoneInfo(settings.timezone))


def _same(job: Any, spec: _JobSpec, grace: int) -> bool:
    return bool(
        job.func_ref == spec.func
        and type(job.trigger) is type(spec.trigger)
        and str(job.trigger) == str(spec.trigger)
        and str(job.trigger.timezone) == str(spec.trigger.timezone)
        and job.kwargs == spec.kwargs
        and job.misfire_grace_time == grace
    )


def _clock_time(name: str, value: object) -> tuple[int, int]:
    match = _HH_MM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ConfigError(f'{name} must be a time of day as HH:MM, e.g. {name} = "02:00", not {value!r}')
    return int(match[1]), int(match[2])


def _grace_seconds(settings: Settings) -> int:
    hours = settings.build_grace_hours
    if not isinstance(hours, int | float) or isinstance(hours, bool) or hours <= 0:
        raise ConfigError(f"build_grace_hours must be a positive number, e.g. build_grace_hours = 6, not {hours!r}")
    return round(hours * 3600)
