"""Benchmark the national deployment's nightly build, as whole commands: the legacy scheme (63 provinces,
696 districts, 10,035 communes: 10,731 stations with the default sessions), three approved messages for the whole
country (dengue, a storm, fire safety), `broadcast build --days 1` the first time (every station call rendered)
and again with nothing changed, on SQLite and on PostgreSQL.

Each database gets a temporary BROADCAST_HOME; PostgreSQL is a private server started in a temporary folder (or a
fresh database on --postgres-url). Prints each build's wall time, the peak RSS of its whole process tree (the
summed VmRSS of the command and all its descendants, sampled every 0.2 s) and the build's own "Time:" line.
--province (repeatable) imports only those provinces, for a shorter try.

    python scripts/bench/national.py [--database sqlite|postgresql|both] [--postgres-url URL] [--province NAME …]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from contextlib import ExitStack
from datetime import date, timedelta

from measure import Run, add_announcements, broadcast, fresh_database, mib, start_postgres, stop_postgres

FIRST_BUILD_SECONDS = 300.0  # the first national build, 1 day, 3 messages, on the 2-core machine
PEAK_RSS = 2**30  # 1 GB, for the first build's whole process tree
MESSAGES = 3


def show(name: str, run: Run, target: str = "") -> None:
    print(f"  {name}: {run.seconds:.1f} s, peak RSS {mib(run.peak_rss)}{target}")
    print(f"      {run.time_line}")


def bench(name: str, env: dict[str, str], scheme: str, provinces: list[str]) -> None:
    broadcast(["init"], env)
    imported = [["--province", province] for province in provinces] or [[]]
    for selection in imported:
        broadcast(["units", "import", "--scheme", scheme, *selection], env)
    stations = broadcast(["stations", "list", "--json"], env).stdout.count('"code"')
    first = date.today() + timedelta(days=1)
    add_announcements(env, MESSAGES, "all", first.isoformat(), first.isoformat())
    print(f"{name}: {stations:,} stations ({scheme}), 1 day, {MESSAGES} messages for every station")
    build = ["build", "--from", first.isoformat(), "--days", "1"]
    show("first build", broadcast(build, env), f" (targets ≤ {FIRST_BUILD_SECONDS:.0f} s, ≤ {mib(PEAK_RSS)})")
    show("unchanged rebuild", broadcast(build, env))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", help="a PostgreSQL server to use (a fresh database) instead of a private one")
    parser.add_argument("--province", action="append", default=[], help="import only this province (repeatable)")
    parser.add_argument("--scheme", default="legacy", choices=["legacy", "2025"])
    options = parser.parse_args()
    for database in ["sqlite", "postgresql"] if options.database == "both" else [options.database]:
        with ExitStack() as stack:
            home = stack.enter_context(tempfile.TemporaryDirectory(prefix="broadcast-bench-"))
            env = {**os.environ, "BROADCAST_HOME": home, "BROADCAST_CONFIG": ""}
            env.pop("BROADCAST_DATABASE_URL", None)
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a person's machine
            if database == "postgresql":
                server = options.postgres_url
                if server is None:
                    data = stack.enter_context(tempfile.TemporaryDirectory(prefix="broadcast-bench-pg-"))
                    os.chmod(data, 0o777)  # initdb runs as the postgres user when the bench runs as root
                    server = start_postgres(os.path.join(data, "cluster"), 25460)
                    stack.callback(stop_postgres, os.path.join(data, "cluster"))
                env["BROADCAST_DATABASE_URL"] = stack.enter_context(fresh_database(server))
            bench("SQLite" if database == "sqlite" else "PostgreSQL", env, options.scheme, options.province)


if __name__ == "__main__":
    main()
