"""Benchmark: how long quick commands take to start, against the bare interpreter.

Builds a province database in a temporary BROADCAST_HOME (`broadcast init`, the 2025 units of Lạng Sơn, a few
messages), then prints the median wall-clock time of RUNS runs each of `python -c pass`, `broadcast --help` and
`broadcast message list --json`, in seconds and as a ratio to the bare interpreter.

    python scripts/bench/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGETS = {"broadcast --help": 0.25, "broadcast message list --json": 0.6}  # seconds, on the 2-core machine


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def broadcast(*args: str) -> list[str]:
    return [sys.executable, "-m", "broadcast", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="broadcast-bench-") as home:
        env = {**os.environ, "BROADCAST_HOME": home, "BROADCAST_CONFIG": ""}
        env.pop("BROADCAST_DATABASE_URL", None)
        # As on a person's machine, Python keeps the compiled bytecode; some sandboxes turn that off.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        timed(broadcast("init"), env)
        timed(broadcast("units", "import", "--scheme", "2025", "--province", "Lạng Sơn"), env)
        for number in range(1, 6):
            timed(
                broadcast(
                    "message", "add", "--title", f"Thông báo số {number}", "--text", "Kính thưa bà con.",
                    "--target", "all", "--from", "2026-01-05", "--to", "2026-01-09",
                ),
                env,
            )  # fmt: skip
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "broadcast --help": broadcast("--help"),
            "broadcast message list --json": broadcast("message", "list", "--json"),
        }
        for args in commands.values():
            timed(args, env)  # one warm-up run each: bytecode written, files in the page cache
        medians = {name: statistics.median(timed(args, env) for _ in range(runs)) for name, args in commands.items()}
    bare = medians["python -c pass"]
    print(f"median of {runs} runs each, Lạng Sơn 2025 (65 stations), 5 messages, SQLite")
    for name, seconds in medians.items():
        target = f"  (target ≤ {TARGETS[name]} s)" if name in TARGETS else ""
        print(f"{name:32} {seconds:6.3f} s  {seconds / bare:5.1f}× bare python{target}")


if __name__ == "__main__":
    main()
