"""The ffmpeg command's measure of a file against the measure stored with it (made in process, by a newer FFmpeg)."""

from __future__ import annotations

import pytest

from broadcast.audio.ffmpeg import Loudness


def assert_measured_alike(stored: Loudness, measured: Loudness, peak_within: float = 0.1) -> None:
    """stored (full precision) agrees with measured (the command prints loudness and true peak to 0.1 dB).

    True peak comes out of the filter in process as a linear value with three decimals (0.03 dB at -12 dBTP);
    on squared-off synthetic tones FFmpeg 5.1 and 8.1 estimate it differently by up to a dB, so callers measuring
    those pass a wider peak_within and check the ceiling on both figures instead.
    """
    assert stored.integrated == pytest.approx(measured.integrated, abs=0.051)
    assert stored.true_peak == pytest.approx(measured.true_peak, abs=peak_within)
    assert stored.duration == pytest.approx(measured.duration, abs=0.001)
