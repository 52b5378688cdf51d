"""Benchmark speech rendering with espeak-ng: cold segments, cached segments, and one province's worth of stations.

Prints three figures the README records:
- cold: synthesis + loudness normalisation + MP3 for new text, as a multiple of real time (audio seconds / wall s);
- cached: the same texts again, found in the segment store, as a multiple of real time;
- stations: the same messages rendered for every station of a province (200 stations, one voice region),
  as a multiple of the cost of rendering them once.

    python scripts/bench/speech.py [--messages 20] [--stations 200] [--sentences 8]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))
from normalizer import sentence

from broadcast.audio.ffmpeg import AudioSettings
from broadcast.db import migrate, open_database
from broadcast.db.models import Segment
from broadcast.speech.engines import EspeakEngine
from broadcast.speech.segments import RENDER_WORKERS, SegmentStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=8, help="sentences per message (about 9 s of speech each)")
    parser.add_argument("--region", default="north", choices=["north", "central", "south"])
    parser.add_argument("--workers", type=int, default=RENDER_WORKERS, help="render threads (default: one per core)")
    options = parser.parse_args()

    rng = random.Random(7)
    texts = [" ".join(sentence(rng) for _ in range(options.sentences)) for _ in range(options.messages)]
    engine = EspeakEngine()
    voice = engine.resolve_voice(None, options.region)

    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{home}/bench.db"
        migrate(url)
        database = open_database(url)
        store = SegmentStore(Path(home) / "audio", AudioSettings())

        started = time.perf_counter()
        with database.transaction() as db:
            segments = store.render_many(db, [(engine, voice, text) for text in texts], workers=options.workers)
        cold = time.perf_counter() - started
        audio_seconds = sum(s.duration for s in segments)

        started = time.perf_counter()
        with database.transaction() as db:
            for text in texts:  # one by one, as a preview asks
                store.render(db, engine, voice, text)
        cached = time.perf_counter() - started

        # Every station asks for every message, as a build does; what is made is one per (engine, voice, text).
        store = SegmentStore(Path(home) / "audio2", AudioSettings())  # files elsewhere: everything is cold again
        started = time.perf_counter()
        with database.transaction() as db:
            requests = [(engine, voice, text) for _ in range(options.stations) for text in texts]
            store.render_many(db, requests, workers=options.workers)
        stations = time.perf_counter() - started
        with database.transaction() as db:
            stored = db.scalar(select(func.count()).select_from(Segment))
        database.dispose()

    print(
        f"speech (espeak-ng {voice}, {options.messages} messages, {audio_seconds:.0f} s of audio, "
        f"{stored} segment rows)"
    )
    workers = f"{options.workers} worker{'s' if options.workers != 1 else ''}"
    print(f"  cold:    {cold:.2f} s  = {audio_seconds / cold:.1f}x real time on {workers}  (target >= 20x)")
    print(f"  cached:  {cached:.3f} s = {audio_seconds / cached:.0f}x real time  (target >= 50x)")
    print(
        f"  {options.stations} stations x {options.messages} messages: {stations:.2f} s "
        f"= {stations / cold:.2f}x rendering them once  (target <= 1.2x)"
    )


if __name__ == "__main__":
    main()
