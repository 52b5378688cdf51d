"""Benchmark `broadcast build` at province size, as whole commands: Lạng Sơn in the legacy scheme (11 districts and
194 communes: 205 stations; the 2025 scheme gives it only 65), 2 days, 10 approved messages aimed at the province.

In a temporary BROADCAST_HOME (SQLite, or a fresh database on the PostgreSQL server at --postgres-url): `init`,
`units import`, the messages added and approved through the CLI, then prints the first build (everything rendered),
the median of RUNS unchanged rebuilds, and the median of RUNS rebuilds after editing one message's text (and
approving it again), each with its peak RSS and the build's own "Time:" line.

    python scripts/bench/build.py [--runs 3] [--province "Lạng Sơn"] [--scheme legacy] [--postgres-url URL]
"""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from datetime import date, timedelta

from measure import ANNOUNCEMENTS, Run, add_announcements, broadcast, fresh_database, mib

# Run as a script, this file's folder comes first on sys.path, and its http.py would shadow the standard `http`.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from broadcast.units.dataset import resolve_province

TARGETS = {"first build": 20.0, "unchanged rebuild": 1.5, "rebuild after editing one message": 3.0}  # seconds
DAYS = 2


def report(name: str, runs: list[Run]) -> None:
    seconds = statistics.median(run.seconds for run in runs)
    peak = max(run.peak_rss for run in runs)
    spread = f" (of {len(runs)}: {', '.join(f'{run.seconds:.2f}' for run in runs)})" if len(runs) > 1 else ""
    print(f"{name}: {seconds:.2f} s{spread}, peak RSS {mib(peak)} (target ≤ {TARGETS[name]} s)")
    print(f"    {runs[-1].time_line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rebuilds of each kind, for the median (default 3)")
    parser.add_argument("--province", default="Lạng Sơn")
    parser.add_argument("--scheme", default="legacy", choices=["legacy", "2025"])
    parser.add_argument("--messages", type=int, default=10, choices=range(1, len(ANNOUNCEMENTS) + 1))
    parser.add_argument("--postgres-url", help="a PostgreSQL server to use (a fresh database) instead of SQLite")
    options = parser.parse_args()
    with ExitStack() as stack:
        home = stack.enter_context(tempfile.TemporaryDirectory(prefix="broadcast-bench-"))
        env = {**os.environ, "BROADCAST_HOME": home, "BROADCAST_CONFIG": ""}
        env.pop("BROADCAST_DATABASE_URL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a person's machine
        if options.postgres_url:
            env["BROADCAST_DATABASE_URL"] = stack.enter_context(fresh_database(options.postgres_url))
        broadcast(["init"], env)
        broadcast(["units", "import", "--scheme", options.scheme, "--province", options.province], env)
        stations = broadcast(["stations", "list", "--json"], env).stdout.count('"code"')
        first = date.today() + timedelta(days=1)
        last = first + timedelta(days=DAYS - 1)
        province = f"{options.scheme}:{resolve_province(options.scheme, options.province)}"
        ids = add_announcements(env, options.messages, province, first.isoformat(), last.isoformat())
        database = "PostgreSQL" if options.postgres_url else "SQLite"
        print(
            f"{options.province} ({options.scheme}): {stations} stations, {DAYS} days, {len(ids)} messages, {database}"
        )
        build = ["build", "--from", first.isoformat(), "--days", str(DAYS)]
        report("first build", [broadcast(build, env)])
        report("unchanged rebuild", [broadcast(build, env) for _ in range(options.runs)])
        edited = []
        for number in range(options.runs):
            words = ANNOUNCEMENTS[0][1]
            changed = f"{words} Đây là lần nhắc thứ {number + 2} của Ban chỉ đạo."
            broadcast(["message", "edit", str(ids[0]), "--text", changed], env)
            broadcast(["message", "approve", str(ids[0]), "--by", "Phòng Văn hóa (bench)"], env)
            edited.append(broadcast(build, env))
        report("rebuild after editing one message", edited)


if __name__ == "__main__":
    main()
