"""Benchmark: the unit search of the message form (broadcast.units.search) over the whole country's tree.

Imports the legacy scheme (63 provinces, every district and commune, and their stations) into a fresh SQLite
database, then times searches as the office page makes them, for a national account and a district one: the
first search (which loads and folds the tree) and then p50/p95 of the cached ones.

    python -P scripts/bench/unit_search.py [--scheme legacy|2025] [--repeat 200]   (-P: this folder has an http.py)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from broadcast.audit import Actor
from broadcast.config import DEFAULT_SESSIONS
from broadcast.db import migrate, open_database
from broadcast.db.models import Station, Unit
from broadcast.units.importer import import_units
from broadcast.units.scope import EVERYTHING, scope_of
from broadcast.units.search import search_places
from broadcast.units.tree import find_unit
from broadcast.vocabulary import Role

QUERIES = ("cao loc", "ha noi", "xa tan", "phuong 1", "lang son", "đồng", "thi tran", "huyen", "06253", "quan 1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheme", default="legacy", choices=["legacy", "2025"])
    parser.add_argument("--repeat", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{Path(home) / 'bench.db'}"
        migrate(url)
        database = open_database(url)
        with database.transaction() as db:
            import_units(db, options.scheme, None, DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
        with database.transaction() as db:
            units = db.scalar(select(func.count(Unit.id)))
            stations = db.scalar(select(func.count(Station.id)))
            print(f"tree: {units} units + {stations} stations = {(units or 0) + (stations or 0)}")
            started = time.perf_counter()
            search_places(db, "cao loc", EVERYTHING)
            print(f"first search (load and fold): {(time.perf_counter() - started) * 1000:.1f} ms")
            district = find_unit(db, "legacy:183") if options.scheme == "legacy" else find_unit(db, "2025:20")
            scoped = scope_of(db, Actor("bench", 1, Role.EDITOR, district.id))
            for name, scope in (("national account", EVERYTHING), ("district account", scoped)):
                times = []
                for index in range(options.repeat):
                    query = QUERIES[index % len(QUERIES)]
                    started = time.perf_counter()
                    search_places(db, query, scope)
                    times.append((time.perf_counter() - started) * 1000)
                p95 = statistics.quantiles(times, n=20)[18]
                print(f"{name}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {options.repeat} searches")
        database.dispose()


if __name__ == "__main__":
    main()
