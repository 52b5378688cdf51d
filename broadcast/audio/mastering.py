"""Loudness normalisation and MP3 encoding in this process: FFmpeg's own filters through PyAV, LAME through lameenc.

A clip is decoded once; cheap limiter passes on its own samples find the gain that drives it a little over the
target, one limiter pass at the output rate applies it, a plain gain takes it down to the target (the peaks
only go down), LAME encodes it once and the MP3 is measured once more, so the stored figures are those of the file
itself. Nothing is launched per clip: at national size (nine thousand station calls) the ffmpeg launches used to
cost more than the work.

Loudness follows ITU-R BS.1770 / EBU R128 as FFmpeg's ebur128 filter measures it (the same code the ffmpeg command
runs): integrated loudness in LUFS, true peak in dBTP (4x oversampled). The bytes depend only on the input and the
settings: every call builds its own filter graphs and encoder, so many clips can be made at once on threads (PyAV
and lameenc release the GIL while FFmpeg and LAME work) and a clip made alone is the same file as one made among
thousands.
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import av
import lameenc
from av.filter import Graph

from broadcast.audio.ffmpeg import AudioSettings, Loudness
from broadcast.errors import AudioError

TOLERANCE_LU = 0.5  # how far from the target an encoded segment may measure (EBU R128's tolerance for files)
_ATTEMPTS = 8
_MP3_MARGIN_DB = 0.7  # limit this far under the ceiling first: MP3 encoding adds a few tenths of a dB of peak
# Peaky speech (espeak-ng peaks near 0 dBTP at -19 LUFS) loses loudness to the limiter: 0.3 to 0.7 LU for each dB
# the peaks are pushed over the limit (the central and southern voices lose most). Guessing that loss up front, on
# the generous side, saves a limiter pass most of the time.
_LIMITER_LOSS = 0.7
# The MP3 measures a little quieter than the signal fed to the encoder (its low-pass removes highs that K-weighting
# counts); start from a typical offset and learn the real one from the first MP3 measured.
_MP3_OFFSET_LU = -0.45
_OVERDRIVE_LU = 0.5  # aim the limited signal this much over what is wanted; a plain gain takes it back down
# The ebur128 filter reports true peak as a linear value with three decimals (0.001 is 0.01 dB near the ceiling):
# keep this much under the ceiling so that the ffmpeg command, rounding the same peak to 0.1 dB, agrees.
_PEAK_ROUNDING_DB = 0.02
LAME_QUALITY = 3  # LAME's own default (-q 3), as the ffmpeg command used: 2 is best, 7 fastest


@dataclass(frozen=True)
class _Level:
    integrated: float  # LUFS
    peak: float  # dBFS (sample peak) or dBTP (true peak), as asked


def encode_normalized(audio: bytes, settings: AudioSettings) -> tuple[bytes, Loudness]:
    """Mono MP3 at settings' target loudness with true peaks under its ceiling; the bytes and their measure.

    audio: WAV or any format FFmpeg reads (espeak-ng's and Piper's WAV, gTTS's MP3, a bulletin's WAV).
    Raises AudioError (one line) when the audio cannot be read, is silent, or cannot reach the target under the
    ceiling.
    """
    source = _decode(audio)
    level = _measure(source, peak="sample")
    if not math.isfinite(level.integrated) or level.integrated <= -70:  # ebur128's absolute gate: silence
        raise AudioError("the audio is silent; nothing to normalise")
    target, ceiling = settings.target_lufs, settings.true_peak
    limit = ceiling - _MP3_MARGIN_DB
    wanted = target - _MP3_OFFSET_LU  # what the signal must measure for its MP3 to measure the target
    # Drive the limiter a little harder than needed, then turn the result down by a plain gain: turning down after
    # the limiter keeps the peaks under it and costs nothing, where another limiter pass would cost a lot. The gain
    # that does it is found on the source's own samples first (cheap passes), then used once at the output rate.
    start = wanted - level.integrated + _LIMITER_LOSS * max(0.0, level.peak + wanted - level.integrated - limit)
    gain = _aim(source, wanted + _OVERDRIVE_LU, limit, start)
    for _ in range(_ATTEMPTS):
        limited, signal = _limit(source, gain, limit, settings.sample_rate)
        if signal.integrated >= wanted - TOLERANCE_LU / 4:
            encoded = _encode(_run(limited, _encoder_input(wanted - signal.integrated)), settings)
            result = measure_mp3(encoded)
            if result.true_peak <= ceiling - _PEAK_ROUNDING_DB and abs(target - result.integrated) <= TOLERANCE_LU:
                return encoded, result
            if result.true_peak > ceiling - _PEAK_ROUNDING_DB:  # the encoder overshot the limiter: leave it room
                limit = max(limit - (result.true_peak - ceiling) - 0.3, -24.0)
            wanted += target - result.integrated  # this MP3 measured off by that much: aim the signal by as much
        gain = _aim(source, wanted + _OVERDRIVE_LU + max(0.0, wanted - signal.integrated), limit, gain)
    raise AudioError(
        f"cannot bring this audio to {target:g} LUFS with true peaks under {ceiling:g} dBTP; "
        "check the source is not distorted, or choose a lower loudness target"
    )


def _aim(source: Sequence[av.AudioFrame], aim: float, limit: float, gain: float) -> float:
    """The gain (dB) that brings source, limited to limit dBFS at its own sample rate, to aim LUFS (-0.35 to +0.5 LU:
    a little more limiting is cheaper than another pass).

    Under heavy limiting a dB of gain adds much less than a dB of loudness, so each step goes by the slope observed
    between the last two passes.
    """
    previous: tuple[float, float] | None = None
    for _ in range(_ATTEMPTS):
        _, got = _limit(source, gain, limit, None)
        error = aim - got.integrated
        if -0.5 <= error <= 0.35:
            break
        slope = 0.5 if got.peak >= limit - 0.2 else 1.0  # at the limiter, half a dB per dB is typical
        if previous is not None and abs(gain - previous[0]) > 0.05:
            slope = min(1.0, max(0.2, (got.integrated - previous[1]) / (gain - previous[0])))
        previous = (gain, got.integrated)
        gain += error / slope
    return gain


def measure_mp3(encoded: bytes) -> Loudness:
    """Integrated loudness, true peak and duration (seconds, from the decoded samples) of encoded audio."""
    frames = _decode(encoded)
    level = _measure(frames, peak="true")
    return Loudness(
        integrated=level.integrated,
        true_peak=level.peak,
        duration=sum(frame.samples for frame in frames) / frames[0].sample_rate,
    )


def _decode(audio: bytes) -> list[av.AudioFrame]:
    """The audio's samples as frames; 16-bit PCM WAV (what the speech engines write) as one frame, read directly."""
    if audio[:4] == b"RIFF":
        frame = _wav_frame(audio)
        if frame is not None:
            return [frame]
    try:
        with av.open(io.BytesIO(audio), mode="r") as container:
            if not container.streams.audio:
                raise AudioError("ffmpeg found no audio in this file; give a WAV or MP3 file")
            frames = list(container.decode(audio=0))
    except av.FFmpegError as exc:
        raise AudioError(f"ffmpeg cannot read this audio ({exc.strerror}); give a WAV or MP3 file") from None
    if not frames:
        raise AudioError("ffmpeg found no samples in this audio; give a WAV or MP3 file with sound in it")
    return frames


def _wav_frame(audio: bytes) -> av.AudioFrame | None:
    """One frame holding a 16-bit PCM WAV's samples, or None when it is another kind of WAV.

    espeak-ng writes to a pipe and cannot know its length: its header claims 2 GiB, and the samples are simply
    what follows it.
    """
    try:
        with wave.open(io.BytesIO(audio)) as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError):
        return None
    if width != 2 or channels not in (1, 2) or rate <= 0 or len(raw) < width * channels:
        return None
    samples = len(raw) // (width * channels)
    frame = av.AudioFrame(format="s16", layout="mono" if channels == 1 else "stereo", samples=samples)
    frame.planes[0].update(raw[: samples * width * channels])
    frame.sample_rate = rate
    frame.time_base = Fraction(1, rate)
    frame.pts = 0
    return frame


def _run(frames: Sequence[av.AudioFrame], chain: Sequence[tuple[str, str]]) -> list[av.AudioFrame]:
    """frames through a chain of FFmpeg audio filters ((name, arguments) in order); the frames that come out."""
    graph = Graph()
    first = frames[0]
    source = graph.add_abuffer(
        format=first.format.name, sample_rate=first.sample_rate, layout=first.layout.name, time_base=first.time_base
    )
    last = source
    for name, arguments in chain:
        node = graph.add(name, arguments)
        last.link_to(node)
        last = node
    sink = graph.add("abuffersink")
    last.link_to(sink)
    graph.configure()
    out: list[av.AudioFrame] = []
    for frame in [*frames, None]:
        source.push(frame)
        while True:
            try:
                pulled = sink.pull()
            except (av.BlockingIOError, av.EOFError):
                break
            assert isinstance(pulled, av.AudioFrame)  # an audio sink gives audio frames
            out.append(pulled)
    return out


def _measure(frames: Sequence[av.AudioFrame], peak: str) -> _Level:
    """Integrated loudness and the sample or true peak ("sample" or "true") of frames, by FFmpeg's ebur128."""
    return _level(_run(frames, [("ebur128", f"peak={peak}:metadata=1")]), peak)


def _level(measured: Sequence[av.AudioFrame], peak: str) -> _Level:
    """What an ebur128 filter (metadata=1, peak as named) reported on the frames it let through: at the last one,
    the whole stream's."""
    values = next((frame.metadata for frame in reversed(measured) if "lavfi.r128.I" in frame.metadata), None)
    if values is None:
        raise AudioError("ffmpeg did not report loudness; the input is probably not audio")
    linear = float(values[f"lavfi.r128.{peak}_peak"])
    return _Level(float(values["lavfi.r128.I"]), 20 * math.log10(linear) if linear > 0 else -math.inf)


def _limit(
    source: Sequence[av.AudioFrame], gain_db: float, limit_db: float, rate: int | None
) -> tuple[list[av.AudioFrame], _Level]:
    """The source, mono, brought to rate (None: kept at its own), raised by gain_db and limited to limit_db; and its
    loudness and sample peak, measured on the way out (one filter graph).

    Peaks between samples can still pass the limiter: the MP3's own true peak is checked afterwards.
    """
    chain = [("aformat", "sample_fmts=flt:channel_layouts=mono")]
    if rate is not None:
        chain.append(("aresample", str(rate)))
    chain += [
        ("volume", f"{gain_db:.2f}dB"),
        ("alimiter", f"limit={10 ** (min(limit_db, 0.0) / 20):.4f}:attack=1:release=50:level=disabled"),
        ("ebur128", "peak=sample:metadata=1"),
    ]
    limited = _run(source, chain)
    return limited, _level(limited, peak="sample")


def _encoder_input(gain_db: float) -> list[tuple[str, str]]:
    """The last gain (at most 0 dB: only ever down, past the limiter), then 16-bit samples for the encoder."""
    return [("volume", f"{min(gain_db, 0.0):.3f}dB"), ("aformat", "sample_fmts=s16:channel_layouts=mono")]


def _encode(frames: Sequence[av.AudioFrame], settings: AudioSettings) -> bytes:
    """frames (mono, 16-bit, at the output rate) as constant-bitrate MP3 frames by LAME; no tags."""
    pcm = b"".join(bytes(frame.planes[0])[: frame.samples * 2] for frame in frames)
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(settings.sample_rate)
    encoder.set_out_sample_rate(settings.sample_rate)
    encoder.set_bit_rate(_bits_per_second(settings.bitrate) // 1000)
    encoder.set_quality(LAME_QUALITY)
    return bytes(encoder.encode(pcm) + encoder.flush())


def _bits_per_second(bitrate: str) -> int:
    """'64k' → 64000."""
    text = bitrate.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)
