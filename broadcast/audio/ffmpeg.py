"""The one place that runs the ffmpeg command: loudness measurement (EBU R128) of whole files, tempo changes, and
the faded tail the station's player plays when an emergency cuts in; and the audio settings every piece shares.

Loudness follows ITU-R BS.1770 as ffmpeg's ebur128 filter measures it: integrated loudness in LUFS and true
peak in dBTP (4x oversampled). Normalised MP3 encoding runs in process, without the command: see mastering.py.
"""

from __future__ import annotations

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
