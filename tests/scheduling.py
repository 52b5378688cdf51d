"""Driving APScheduler by hand in tests: jobs are queued when due and run when the test says so."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apscheduler.executors.base import BaseExecutor, run_job  # type: ignore[import-untyped,unused-ignore]


class QueuedExecutor(BaseExecutor):  # type: ignore[misc]
    """Keeps submitted jobs until drained, then runs them in the calling thread."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[tuple[Any, list[datetime]]] = []

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        self.queue.append((job, run_times))

    def drain(self) -> None:
        while self.queue:
            job, run_times = self.queue.pop(0)
            self._run_job_success(job.id, run_job(job, job._jobstore_alias, run_times, self._logger.name))
