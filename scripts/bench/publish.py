"""Benchmark: publishing many station-days at once, without rendering.

Makes a few small MP3 files once (ffmpeg sine tones standing in for a station call, a jingle and some messages),
builds STATIONS × DAYS StationDay values over them, and times `publish_days` into a fresh export folder (the first
publish: every playlist and manifest written) and again (nothing changed: every file compared and left alone).

    python scripts/bench/publish.py [--stations 10500] [--days 2]

Besides the wall-clock time it prints the CPU time spent in Python and in the kernel: on a filesystem that keeps
no journal (this machine's ext4), creating a file costs kernel time in proportion to the files deleted on it in
the last minutes (ext4 skips recently deleted inodes one by one), so the first publish's figure moves with
whatever else ran before it.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from broadcast.export.model import ExportItem, ExportSession, StationDay
from broadcast.export.publish import publish_days

TARGET_SECONDS = 8.0  # the first publish of 21,000 station-days, on the 2-core machine


def tone(folder: Path, frequency: int) -> ExportItem:
    path = folder / f"{frequency}.mp3"
    source = f"sine=frequency={frequency}:duration=2:sample_rate=22050"
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", source]
    subprocess.run([*command, "-c:a", "libmp3lame", "-b:a", "32k", str(path)], check=True)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return ExportItem("message", f"Tin {frequency}", None, None, "05:30:00.000", 2.0, path, digest, len(data))


def cpu_seconds() -> tuple[float, float]:
    """This process's CPU time so far: in Python (user) and in the kernel (system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def station_days(items: list[ExportItem], stations: int, days: int) -> list[StationDay]:
    ident, *rest = items
    made = []
    for number in range(stations):
        code = f"{number:05d}"
        for offset in range(days):
            session_items = tuple(
                [
                    ident,
                    *(
                        ExportItem(
                            "message",
                            f"Thông báo số {i}",
                            i,
                            "normal",
                            item.start,
                            item.duration,
                            item.source,
                            item.sha256,
                            item.bytes,
                        )
                        for i, item in enumerate(rest, 1)
                    ),
                ]
            )
            sessions = (
                ExportSession("Buổi sáng", "05:30", "06:00", session_items),
                ExportSession("Buổi chiều", "17:00", "17:30", session_items),
            )
            made.append(
                StationDay(
                    code,
                    f"Đài Truyền thanh xã số {number}",
                    date(2026, 12, 1) + timedelta(days=offset),
                    "Asia/Ho_Chi_Minh",
                    sessions,
                )
            )
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=10_500)
    parser.add_argument("--days", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadcast-bench-") as folder:
        root = Path(folder)
        items = [tone(root, frequency) for frequency in (330, 440, 550, 660, 770)]
        days = station_days(items, args.stations, args.days)
        export = root / "export"
        user, kernel = cpu_seconds()
        started = time.perf_counter()
        first = publish_days(export, days)
        first_seconds = time.perf_counter() - started
        first_user, first_kernel = (after - before for after, before in zip(cpu_seconds(), (user, kernel), strict=True))
        started = time.perf_counter()
        again = publish_days(export, days)
        again_seconds = time.perf_counter() - started
        manifests = sorted((export / "stations").glob("*/*.json"))
        size = sum(path.stat().st_size for path in manifests) / len(manifests)
    print(f"station-days: {len(days):,} ({args.stations:,} stations × {args.days} days)")
    print(f"first publish: {first_seconds:.1f} s ({first.days_written:,} written; target ≤ {TARGET_SECONDS:.0f} s)")
    print(f"  of which CPU: {first_user:.1f} s in Python, {first_kernel:.1f} s in the kernel (creating files)")
    print(f"again, nothing changed: {again_seconds:.1f} s ({again.days_unchanged:,} unchanged)")
    print(f"manifest size: {size:,.0f} bytes on average")


if __name__ == "__main__":
    main()
