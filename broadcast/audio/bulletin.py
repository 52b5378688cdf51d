"""Bulletin assembly with pydub: stored MP3 parts in order, a pause between each two, one MP3 out.

The parts' order and the pause are the bulletin's (broadcast.planning.bulletin); this only joins audio.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pydub import AudioSegment

from broadcast.audio.ffmpeg import AudioSettings, Loudness, require
from broadcast.audio.mastering import encode_normalized


def assemble(parts: Sequence[Path], settings: AudioSettings, pause_ms: int) -> tuple[bytes, Loudness]:
    """Join the parts with pause_ms milliseconds of silence between each two into one MP3, brought as a whole to
    the target loudness, and its measure.

    Each part is already at the target, but pauses and fades pull a whole bulletin's integrated loudness a little
    under it, so the joined audio is normalised once more.
    """
    require("ffmpeg")  # pydub runs it; say how to install it before pydub fails obscurely
    pause = AudioSegment.silent(duration=pause_ms, frame_rate=settings.sample_rate)
    bulletin = AudioSegment.empty()
    for index, part in enumerate(parts):
        if index:
            bulletin += pause
        bulletin += AudioSegment.from_file(part, format="mp3").set_frame_rate(settings.sample_rate).set_channels(1)
    wav = io.BytesIO()
    bulletin.export(wav, format="wav")
    return encode_normalized(wav.getvalue(), settings)
