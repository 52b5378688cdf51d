"""Benchmark `station sync` with nothing changed: what a station pays every few minutes to re-verify its folder.

Runs the sync in-process against a running `broadcast serve` (e.g. the demo's: scripts/demo, then `broadcast serve`
and `broadcast stations token CODE`), once to fill the folder, then --runs times with nothing changed, and prints
the median and best seconds; with an audio index (checksums.py) it also times the daily full check, which re-hashes
every file. The folder's audio count and bytes are printed so the figure can be scaled.

    python scripts/bench/sync.py --server URL --station CODE --token T --dir DIR [--days 2] [--runs 9]
"""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and its http.py would shadow the standard `http`.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import statistics
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast.station import mirror
from broadcast.station.client import RetryPolicy, StationClient
from broadcast.station.sync import sync_station

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True)
    parser.add_argument("--station", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--runs", type=int, default=9)
    options = parser.parse_args()
    start = datetime.now(TZ).date()

    def once() -> float:
        with StationClient(options.server, options.station, options.token, retry=RetryPolicy(1)) as client:
            began = time.perf_counter()
            report = sync_station(options.dir, client, start, options.days, now=datetime.now(TZ))
            took = time.perf_counter() - began
        if report.problem:
            raise SystemExit(f"sync failed: {report.problem}")
        return took

    once()
    audio = [path for path in (options.dir / "audio").glob("*.mp3")]
    size = sum(path.stat().st_size for path in audio)
    print(f"{options.days} days, {len(audio)} audio files, {size:,} bytes")
    unchanged = [once() for _ in range(options.runs)]
    print(f"nothing changed: median {statistics.median(unchanged):.3f} s, best {min(unchanged):.3f} s")
    index_name = getattr(mirror, "AUDIO_INDEX", None)  # None: code from before the index, to compare with
    if index_name is not None:
        index = options.dir / index_name
        full = []
        for _ in range(options.runs):
            index.unlink()  # no index: every file is hashed, as in the day's full check
            full.append(once())
        print(f"daily full check: median {statistics.median(full):.3f} s, best {min(full):.3f} s")


if __name__ == "__main__":
    main()
