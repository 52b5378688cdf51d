"""Benchmark: the listing commands on the national tree, as whole commands.

Imports the legacy scheme (63 provinces, 696 districts, 10,035 communes; 10,731 stations) into a temporary
BROADCAST_HOME, then prints the median wall-clock time of RUNS runs (after one warm-up) of each listing command,
Python start-up included, and how many bytes it printed.

    python scripts/bench/listing.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "stations list --json": ["stations", "list", "--json"],
    "stations list": ["stations", "list"],
    "units list --json": ["units", "list", "--json"],
    "message list --json": ["message", "list", "--json"],
}
TARGETS = {"stations list --json": 0.4}  # seconds, on the 2-core machine


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"broadcast {' '.join(args)} failed: {done.stderr.decode().strip()}")
    return elapsed, len(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="broadcast-bench-") as home:
        env = {**os.environ, "BROADCAST_HOME": home, "BROADCAST_CONFIG": ""}
        env.pop("BROADCAST_DATABASE_URL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a person's machine
        run(["init"], env)
        run(["units", "import", "--scheme", "legacy"], env)
        for name, args in COMMANDS.items():
            run(args, env)
            times = []
            for _ in range(runs):
                elapsed, size = run(args, env)
                times.append(elapsed)
            target = f" (target ≤ {TARGETS[name]} s)" if name in TARGETS else ""
            print(f"broadcast {name}: median {statistics.median(times):.2f} s of {runs}, {size:,} bytes{target}")


if __name__ == "__main__":
    main()
