from __future__ import annotations

from pathlib import Path

from broadcast.audio.bulletin import assemble
from broadcast.audio.ffmpeg import AudioSettings, measure
from broadcast.audio.templates import BUNDLED
from broadcast.planning.bulletin import PAUSE_MS
from tests.audio.loudness import assert_measured_alike


def test_assembly_joins_parts_with_pauses_at_one_level(tmp_path: Path) -> None:
    opening, closing = BUNDLED / "jingles" / "opening.mp3", BUNDLED / "jingles" / "closing.mp3"
    settings = AudioSettings()
    parts = [measure(p.read_bytes()) for p in (opening, closing)]
    audio, reported = assemble([opening, closing], settings, PAUSE_MS)
    whole = measure(audio)
    assert_measured_alike(reported, whole)
    expected = parts[0].duration + parts[1].duration + PAUSE_MS / 1000
    assert abs(whole.duration - expected) < 0.15  # MP3 frames pad each end by a few milliseconds
    assert abs(whole.integrated - settings.target_lufs) <= 0.5
    assert whole.true_peak <= settings.true_peak
