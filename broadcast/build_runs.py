"""Plan and build asked for by a person (from the office pages): planning at once, building in the background.

A build renders speech and can take minutes for a province, so it runs in a thread of the serving process that
holds the build lock, as the scheduler's jobs do; the page polls its state. Runs are kept in memory: after a
restart the export itself shows what the last build left. Each request is written to the audit trail.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.build import BuildResult, build_days
from broadcast.config import Settings
from broadcast.db import Database
from broadcast.errors import BroadcastError, BuildLockedError, MessageError
from broadcast.locks import build_lock, build_lock_path
from broadcast.planning.service import PlanSummary, plan_range
from broadcast.units.scope import require_role
from broadcast.vocabulary import Role

log = logging.getLogger(__name__)

MAX_WEB_DAYS = 31  # a month at most from a page; the CLI plans further
KEPT = 20  # finished runs remembered


class RunState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class BuildRun:
    id: int
    start: date
    days: int
    by: str
    started_at: datetime
    state: RunState = RunState.RUNNING
    finished_at: datetime | None = None
    result: BuildResult | None = None
    error: BroadcastError | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)


_runs: dict[int, BuildRun] = {}
_guard = threading.Lock()
_ids = itertools.count(1)


def _check(actor: Actor, days: int) -> None:
    require_role(actor, Role.APPROVER, "plan and build")
    if not 1 <= days <= MAX_WEB_DAYS:
        raise MessageError(f"{{days}} must be between 1 and {MAX_WEB_DAYS}, not {days}", field="days")


def plan_days(
    db: DbSession, settings: Settings, actor: Actor | None, start: date, days: int, now: datetime
) -> PlanSummary:
    """Plan [start, start + days) for every station (see plan_range), refused while a build runs; audited."""
    who = actor or Actor.cli()
    _check(who, days)
    with build_lock(build_lock_path(settings.home)):
        summary = plan_range(db, settings, start, days, now)
    after = {"start": start, "days": days, "audiences": summary.audiences, "items": summary.items}
    said = f"lập lịch {days} ngày từ {start:%d/%m/%Y}"
    audit.record(db, who, "plan.plan", "plan", start.isoformat(), said, after=after, unit_id=who.unit_id, now=now)
    return summary


def start_build(
    database: Database, settings: Settings, actor: Actor | None, start: date, days: int, now: datetime
) -> BuildRun:
    """Start planning and building [start, start + days) in the background and return the run; audited.

    BuildLockedError when a build (this process's or another's) is already running.
    """
    who = actor or Actor.cli()
    _check(who, days)
    with _guard:
        if any(run.state is RunState.RUNNING for run in _runs.values()):
            raise BuildLockedError("a build is already running; wait for it to finish")
        with database.transaction() as db:
            said = f"lập lịch và dựng {days} ngày từ {start:%d/%m/%Y}"
            audit.record(db, who, "plan.build", "plan", start.isoformat(), said,
                         after={"start": start, "days": days}, unit_id=who.unit_id, now=now)  # fmt: skip
        run = BuildRun(next(_ids), start, days, who.person, now)
        _runs[run.id] = run
        for old in sorted(_runs)[:-KEPT]:
            if _runs[old].state is not RunState.RUNNING:
                del _runs[old]
        run.thread = threading.Thread(target=_work, args=(run, settings), name=f"build-run-{run.id}", daemon=True)
        run.thread.start()
    return run


def _work(run: BuildRun, settings: Settings) -> None:
    try:
        with build_lock(build_lock_path(settings.home)):
            run.result = build_days(settings, run.start, run.days, now=run.started_at)
        run.state = RunState.DONE
    except BroadcastError as exc:
        run.error, run.state = exc, RunState.FAILED
    except Exception as exc:  # a bug must not leave the page saying "running" forever
        log.exception("build run %s failed", run.id)
        run.error, run.state = BroadcastError(f"unexpected error: {type(exc).__name__}"), RunState.FAILED
    finally:
        run.finished_at = datetime.now(run.started_at.tzinfo)


def find_run(run_id: int) -> BuildRun | None:
    return _runs.get(run_id)


def recent_runs() -> list[BuildRun]:
    """Runs of this process, newest first."""
    return sorted(_runs.values(), key=lambda run: run.id, reverse=True)


def wait_for(run: BuildRun, timeout: float | None = None) -> BuildRun:
    """Block until the run finishes (for tests and scripts)."""
    if run.thread is not None:
        run.thread.join(timeout)
    return run
