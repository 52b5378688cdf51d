"""The progress display: silent for short work, a plain line now and then without a terminal, with count and ETA."""

from __future__ import annotations

import pytest

from broadcast.cli import output


class Clock:
    """A monotonic clock that moves on by `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_long_work_without_a_terminal_says_the_count_and_time_left(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output.time, "monotonic", Clock(2.0))  # every item takes 2 s
    assert list(output.progress(list(range(100)), "Rendering speech clips")) == list(range(100))
    lines = capsys.readouterr().err.splitlines()
    assert 15 <= len(lines) <= 25  # one line about every 10 s of 200 s
    first = lines[0]
    assert first.startswith("Rendering speech clips: ") and " of 100, about " in first and first.endswith(" left")
    assert first == "Rendering speech clips: 4 of 100, about 4 min 00 s left"  # 10 s for 4 clips so far
    counts = [int(line.split(": ")[1].split(" of ")[0]) for line in lines]
    assert counts == sorted(counts) and counts[-1] >= 95


def test_short_work_says_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(output.time, "monotonic", Clock(0.001))
    assert list(output.progress(list(range(100)), "Rendering speech clips")) == list(range(100))
    assert capsys.readouterr().err == ""
