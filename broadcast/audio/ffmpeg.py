"""The one place that runs ffmpeg: loudness measurement (EBU R128), normalised MP3 encoding, and the faded tail
the station's player plays when an emergency cuts in.

Loudness follows ITU-R BS.1770 as ffmpeg's ebur128 filter measures it: integrated loudness in LUFS and true
peak in dBTP (4x oversampled). Normalisation applies one gain to reach the target and a look-ahead limiter on
an oversampled signal to keep true peaks under the ceiling, then measures the encoded MP3 to check both.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from broadcast.errors import AudioError

INSTALL_HINT = {"ffmpeg": "apt-get install ffmpeg", "espeak-ng": "apt-get install espeak-ng"}


def require(tool: str) -> str:
    """The path of an external tool, or an AudioError saying how to install it."""
    path = shutil.which(tool)
    if path is None:
        raise AudioError(f"{tool} is not installed; install it with `{INSTALL_HINT.get(tool, tool)}`")
    return path


@dataclass(frozen=True)
class AudioSettings:
    """How every piece of audio is encoded and how loud it is made; part of each segment's key."""

    sample_rate: int = 44_100
    bitrate: str = "64k"
    target_lufs: float = -16.0
    true_peak: float = -1.0

    def key(self) -> str:
        return f"mp3/{self.sample_rate}/mono/{self.bitrate}/{self.target_lufs:g}LUFS/{self.true_peak:g}dBTP"


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    duration: float  # seconds


_SUMMARY_I = re.compile(r"Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf) LUFS")
_SUMMARY_TP = re.compile(r"True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf) dBFS")
_DURATION = re.compile(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)")
# With -progress, ffmpeg also reports the output's length in microseconds: time= alone is cut to centiseconds,
# which put a bulletin's later parts a few milliseconds per part earlier than they really begin.
_DURATION_US = re.compile(r"^out_time_us=(\d+)$", re.MULTILINE)


def _run(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    command = [require("ffmpeg"), "-hide_banner", "-nostdin", *args]
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False, timeout=600)
    except subprocess.TimeoutExpired as exc:
        raise AudioError("ffmpeg took more than 10 minutes; the input is probably not audio") from exc
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise AudioError(f"ffmpeg failed: {last[0]}")
    return done


def fade_out_tail(source: str | os.PathLike[str], start: float, seconds: float, target: str | os.PathLike[str]) -> None:
    """Write to target (WAV) the audio of source from start seconds on, seconds long, fading out to silence.

    AudioError when ffmpeg cannot read the source or start lies past its end (nothing left to fade).
    """
    fade = f"afade=t=out:st=0:d={seconds:.3f}"
    _run(
        [
            "-v",
            "error",
            "-ss",
            f"{start:.3f}",
            "-t",
            f"{seconds:.3f}",
            "-i",
            os.fspath(source),
            "-af",
            fade,
            "-y",
            os.fspath(target),
        ],
        b"",
    )
    if not os.path.exists(target) or os.path.getsize(target) <= 44:  # a WAV header alone: nothing was left
        raise AudioError(f"nothing to fade after {start:.1f} s of {os.fspath(source)}")


def change_tempo(audio: bytes, factor: float) -> bytes:
    """audio (any format ffmpeg reads) played factor times as fast with its pitch kept, as WAV; factor 0.5 to 2."""
    return _run(["-i", "pipe:0", "-filter:a", f"atempo={factor:.4f}", "-f", "wav", "pipe:1"], audio).stdout


def measure(audio: bytes) -> Loudness:
    """Integrated loudness, true peak and duration of encoded or WAV audio."""
    done = _run(["-i", "pipe:0", "-af", "ebur128=peak=true", "-progress", "pipe:2", "-f", "null", "-"], audio)
    return _loudness(done.stderr.decode("utf-8", "replace"))


def _loudness(log: str) -> Loudness:
    # The last summary is the one that counts: with two outputs ffmpeg also prints an empty one from a first pass.
    integrated, peak = _SUMMARY_I.findall(log), _SUMMARY_TP.findall(log)
    times = _DURATION.findall(log)
    if not integrated or not peak or not times:
        raise AudioError("ffmpeg did not report loudness; the input is probably not audio")
    hours, minutes, seconds = times[-1]
    exact = _DURATION_US.findall(log)
    return Loudness(
        integrated=float(integrated[-1]),
        true_peak=float(peak[-1]),
        duration=int(exact[-1]) / 1e6 if exact else int(hours) * 3600 + int(minutes) * 60 + float(seconds),
    )


TOLERANCE_LU = 0.5  # how far from the target an encoded segment may measure (EBU R128's tolerance for files)
_ATTEMPTS = 8
_MP3_MARGIN_DB = 0.7  # limit this far under the ceiling first: MP3 encoding adds a few tenths of a dB of peak
# Peaky speech (espeak-ng peaks near 0 dBTP at -19 LUFS) loses loudness to the limiter: about 0.3 LU for each dB
# the peaks are pushed over the limit. Guessing that loss up front saves an encode pass most of the time.
_LIMITER_LOSS = 0.3
_MP3_OFFSET_LU = -0.3


def encode_normalized(audio: bytes, settings: AudioSettings) -> tuple[bytes, Loudness]:
    """Mono MP3 at the target loudness with true peaks under the ceiling; returns the bytes and their measure.

    Each pass encodes and measures the limited signal in one ffmpeg run; the MP3 that is kept is measured once more,
    so the stored figures are those of the file itself.
    """
    source = measure(audio)
    if not math.isfinite(source.integrated) or source.integrated <= -70:  # ebur128's absolute gate: silence
        raise AudioError("the audio is silent; nothing to normalise")
    target, ceiling = settings.target_lufs, settings.true_peak
    limit = ceiling - _MP3_MARGIN_DB
    gain = target - source.integrated - _MP3_OFFSET_LU
    gain += _LIMITER_LOSS * max(0.0, source.true_peak + gain - limit)
    previous: tuple[float, float] | None = None
    # The MP3 measures a little quieter than the signal fed to the encoder (its low-pass removes highs that
    # K-weighting counts); start from a typical offset and learn the real one from the first MP3 measured.
    offset = _MP3_OFFSET_LU
    for _ in range(_ATTEMPTS):
        encoded, signal = _encode(audio, gain, limit, settings)
        if abs(target - signal.integrated - offset) <= TOLERANCE_LU:
            result = measure(encoded)
            if result.true_peak <= ceiling and abs(target - result.integrated) <= TOLERANCE_LU:
                return encoded, result
            if result.true_peak > ceiling:  # the encoder overshot the limiter: leave it more room
                limit = max(limit - (result.true_peak - ceiling) - 0.3, -24.0)
            offset = result.integrated - signal.integrated
        error = target - signal.integrated - offset
        # Under heavy limiting a dB of gain adds much less than a dB of loudness: step by the observed slope.
        slope = 0.5 if signal.true_peak >= limit - 0.2 else 1.0  # at the limiter, half a dB per dB is typical
        if previous is not None and abs(gain - previous[0]) > 0.05:
            slope = min(1.0, max(0.25, (signal.integrated - previous[1]) / (gain - previous[0])))
        previous = (gain, signal.integrated)
        gain += error / slope
    raise AudioError(
        f"cannot bring this audio to {target:g} LUFS with true peaks under {ceiling:g} dBTP; "
        "check the source is not distorted, or choose a lower loudness target"
    )


def _encode(audio: bytes, gain_db: float, limit_db: float, settings: AudioSettings) -> tuple[bytes, Loudness]:
    """The MP3 for one gain and limiter setting, and the loudness of the limited signal that went into it."""
    # The limiter runs at 4x the sample rate so that it catches the peaks between samples (true peaks).
    rate = settings.sample_rate
    graph = (
        f"[0:a]aformat=channel_layouts=mono,aresample={rate * 4},volume={gain_db:.2f}dB,"
        f"alimiter=limit={10 ** (min(limit_db, 0.0) / 20):.4f}:attack=1:release=50:level=disabled,"
        f"aresample={rate},asplit=2[encode][gauge];[gauge]ebur128=peak=true[measured]"
    )
    args = ["-i", "pipe:0", "-filter_complex", graph, "-map", "[encode]", "-ac", "1", "-ar", str(rate)]
    args += ["-c:a", "libmp3lame", "-b:a", settings.bitrate, "-map_metadata", "-1", "-write_xing", "1"]
    args += ["-f", "mp3", "pipe:1", "-map", "[measured]", "-f", "null", os.devnull]
    done = _run(args, audio)
    return done.stdout, _loudness(done.stderr.decode("utf-8", "replace"))
