"""Generate the bulletin's opening and closing jingles from pydub's tone generators (no recorded audio).

Each jingle is a short bell-like motif on the Vietnamese pentatonic scale (đô, rê, fa, sol, la), written as MP3 at
the project's loudness target into audio_templates/jingles/. Run it again after changing the motifs:

    python scripts/make_jingles.py
"""

from __future__ import annotations

import io
from pathlib import Path

from pydub import AudioSegment
from pydub.generators import Sine, Triangle

from broadcast.audio.ffmpeg import AudioSettings
from broadcast.audio.mastering import encode_normalized
from broadcast.files import write_atomic

OUT = Path(__file__).resolve().parents[1] / "audio_templates" / "jingles"
RATE = 44_100
# C major pentatonic (do re fa sol la), a scale common in Vietnamese folk tunes; frequencies in Hz.
NOTES = {"C5": 523.25, "D5": 587.33, "F5": 698.46, "G5": 783.99, "A5": 880.00, "C6": 1046.50, "G4": 392.00}


def bell(note: str, ms: int) -> AudioSegment:
    """A soft bell: a sine with its octave and a quiet triangle fifth, quick attack and long decay."""
    freq = NOTES[note]
    tone = Sine(freq, sample_rate=RATE).to_audio_segment(duration=ms, volume=-12)
    tone = tone.overlay(Sine(freq * 2, sample_rate=RATE).to_audio_segment(duration=ms, volume=-24))
    tone = tone.overlay(Triangle(freq * 1.5, sample_rate=RATE).to_audio_segment(duration=ms, volume=-30))
    return tone.fade_in(8).fade_out(int(ms * 0.8))


def motif(notes: list[tuple[str, int]], tail_ms: int = 600) -> AudioSegment:
    """Notes that ring over each other: each starts when the previous one's step ends."""
    total = sum(step for _, step in notes) + tail_ms + 1200
    track = AudioSegment.silent(duration=total, frame_rate=RATE)
    position = 0
    for note, step in notes:
        track = track.overlay(bell(note, step + 1200), position=position)
        position += step
    return track[: position + tail_ms + 600].fade_out(500).set_channels(1)


def render(segment: AudioSegment) -> bytes:
    wav = io.BytesIO()
    segment.export(wav, format="wav")
    audio, _ = encode_normalized(wav.getvalue(), AudioSettings())
    return audio


def main() -> None:
    opening = motif([("C5", 220), ("D5", 220), ("F5", 220), ("G5", 330), ("A5", 220), ("C6", 700)])
    closing = motif([("C6", 260), ("A5", 260), ("G5", 260), ("F5", 400), ("D5", 260), ("C5", 900)])
    for name, segment in (("opening", opening), ("closing", closing)):
        path = OUT / f"{name}.mp3"
        write_atomic(path, render(segment))
        print(f"wrote {path} ({len(segment) / 1000:.1f} s)")


if __name__ == "__main__":
    main()
