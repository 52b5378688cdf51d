"""Benchmark `broadcast plan` on the whole country: legacy scheme (10,035 communes + 696 districts → 10,731
stations), 60 approved messages aimed at all stations, at provinces and at districts, two sessions a day, 30 days.

Prints the wall time and peak memory (RSS) of the `broadcast plan` process; the targets are ≤ 10 s and ≤ 1 GB.

    python scripts/bench/plan.py [--days 30] [--messages 60] [--scheme legacy]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from broadcast.config import load_settings
from broadcast.db import open_database
from broadcast.db.models import Unit
from broadcast.messages.editing import MessageChanges, add_message

START = date(2026, 12, 1)
SENTENCE = "Bà con chú ý thực hiện các biện pháp phòng, chống dịch bệnh và bảo đảm an toàn. "


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"broadcast {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def add_messages(env: dict[str, str], count: int, days: int) -> None:
    """A third aimed at everyone, a third at provinces, a third at districts; approved directly (setup only)."""
    settings = load_settings(env=env)
    database = open_database(settings.database_url)
    rng = random.Random(2026)
    now = datetime.now(UTC)
    with database.transaction() as db:
        provinces = list(db.scalars(select(Unit).where(Unit.kind == "province")))
        districts = list(db.scalars(select(Unit).where(Unit.kind == "district")))
        pools = [["all"], [u.ref for u in provinces], [u.ref for u in districts] or [u.ref for u in provinces]]
        for index in range(count):
            first = START + timedelta(days=rng.randrange(0, days // 2))
            changes = MessageChanges(
                title=f"Thông báo số {index + 1}",
                text="Bà con chú ý thực hiện các biện pháp phòng, chống dịch bệnh và bảo đảm an toàn. "
                * rng.randint(1, 4),
                targets=[rng.choice(pools[index % 3])],
                starts_on=first,
                ends_on=first + timedelta(days=rng.randrange(3, days)),
                per_day=rng.randint(1, 3),
                priority=rng.choice(["normal", "normal", "normal", "priority"]),
            )
            message = add_message(db, changes, now)
            message.status, message.approved_by, message.approved_at = "approved", "bench", now
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--scheme", default="legacy", choices=["legacy", "2025"])
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, BROADCAST_HOME=home, BROADCAST_CONFIG="")
        env.pop("BROADCAST_DATABASE_URL", None)
        run(["init"], env)
        run(["units", "import", "--scheme", options.scheme], env)
        add_messages(env, options.messages, options.days)

        args = ["plan", "--from", START.isoformat(), "--days", str(options.days)]
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "broadcast", *args], env=env, stdout=subprocess.PIPE)
        assert process.stdout is not None
        out = process.stdout.read().decode("utf-8")
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS, in KiB on Linux
        elapsed = time.perf_counter() - started
        if status != 0:
            sys.exit("broadcast plan failed")
    print(f"plan: {options.scheme} scheme, {options.messages} messages, {options.days} days")
    print(f"  {out.strip().splitlines()[0]}")
    print(f"  wall time: {elapsed:.2f} s (target <= 10 s)")
    print(f"  peak RSS of the plan process: {usage.ru_maxrss / 1024:.0f} MiB (target <= 1 GB)")


if __name__ == "__main__":
    main()
