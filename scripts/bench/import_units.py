"""Benchmark: import the whole country's administrative units into a fresh database and print the figures.

Runs `broadcast init` and `broadcast units import` as a user would (separate processes, wall clock), first into an
empty database and then again (the idempotent re-import). SQLite by default; --postgres ADMIN_URL makes a
throwaway database on that server (e.g. the one scripts/test starts) and drops it afterwards.

    python scripts/bench/import_units.py [--scheme legacy|2025] [--postgres postgresql+psycopg://postgres@127.0.0.1:25432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"broadcast {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed, done.stdout


@contextmanager
def database_for(admin_url: str | None) -> Iterator[str | None]:
    """A throwaway PostgreSQL database on the server at admin_url; None (SQLite in the home) without one."""
    if not admin_url:
        yield None
        return
    from broadcast.db.scratch import throwaway_database

    with throwaway_database(admin_url, "broadcast_bench") as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheme", default="legacy", choices=["legacy", "2025"])
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="benchmark PostgreSQL instead of SQLite")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as home, database_for(options.postgres) as url:
        env = dict(os.environ, BROADCAST_HOME=home, BROADCAST_CONFIG="")
        if url:
            env["BROADCAST_DATABASE_URL"] = url
        else:
            env.pop("BROADCAST_DATABASE_URL", None)
        run(["init"], env)
        first, out = run(["units", "import", "--scheme", options.scheme], env)
        again, _ = run(["units", "import", "--scheme", options.scheme], env)
        _, stations = run(["stations", "list", "--json"], env)
        _, units = run(["units", "list", "--json"], env)

    counted = json.loads(units)
    kinds = {kind: sum(1 for u in counted if u["kind"] == kind) for kind in ("province", "district", "commune")}
    backend = "postgresql" if options.postgres else "sqlite"
    print(f"scheme {options.scheme} on {backend}: {out.strip().splitlines()[0]}")
    print(f"  units:     {kinds['province']} provinces, {kinds['district']} districts, {kinds['commune']} communes")
    print(f"  stations:  {len(json.loads(stations))}")
    print(f"  import:    {first:.2f} s (whole command, fresh database)")
    print(f"  re-import: {again:.2f} s (nothing to change)")


if __name__ == "__main__":
    main()
