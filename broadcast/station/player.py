"""Playing one audio file through an external command (ffplay by default), the file's path appended.

An emergency cuts in: `interrupt()` stops the command playing now, and the file's next FADE_SECONDS are played
fading out to silence (a tail ffmpeg cuts from where it stopped), so listeners hear it end rather than break off.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol, runtime_checkable

from broadcast.audio.ffmpeg import fade_out_tail
from broadcast.errors import AudioError, StationError

DEFAULT_PLAYER = "ffplay -nodisp -autoexit -loglevel quiet"
# A player that hangs must not hold up the rest of the session for ever.
TIMEOUT_MARGIN = 60.0
FADE_SECONDS = 1.5
STOP_GRACE = 2.0  # seconds a stopped player gets to exit before it is killed


class Player(Protocol):
    def play(self, path: Path, duration: float) -> bool:
        """Play the file to its end; True when it played."""


@runtime_checkable
class Interruptible(Protocol):
    """A player an emergency can cut in on."""

    cut_at: float | None  # where the last play was cut off, in seconds into the file; None when it played through

    def play(self, path: Path, duration: float) -> bool: ...

    def interrupt(self) -> bool:
        """Fade out the file playing now (its play() returns once the fade is over); False when none is playing."""


class CommandPlayer:
    """Runs `command <file>` and waits for it; exit status 0 means the file played. Interruptible."""

    def __init__(self, command: str = DEFAULT_PLAYER, *, fade: float = FADE_SECONDS) -> None:
        try:
            self.argv = shlex.split(command)
        except ValueError as exc:
            raise StationError(f"{{player}} {command!r} cannot be split into words: {exc}", field="player") from exc
        if not self.argv or shutil.which(self.argv[0]) is None:
            raise StationError(
                f"player {command!r} is not installed; install ffmpeg (for ffplay) or give another {{player}}",
                field="player",
            )
        self.fade = fade
        self.cut_at: float | None = None
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._began = 0.0
        self._cut: float | None = None

    def play(self, path: Path, duration: float) -> bool:
        self.cut_at = None
        try:
            # A session of its own, so a player that is a wrapper script is stopped with all its children.
            process = subprocess.Popen(
                [*self.argv, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            return False
        with self._lock:
            self._process, self._began, self._cut = process, time.monotonic(), None
        try:
            code: int | None = process.wait(timeout=duration * 2 + TIMEOUT_MARGIN)
        except subprocess.TimeoutExpired:
            _stop(process)
            code = None
        finally:
            with self._lock:
                self._process = None
                cut = self._cut
        if cut is None:
            return code == 0
        self.cut_at = round(cut, 3)
        self._fade_out(path, cut)
        return False

    def interrupt(self) -> bool:
        with self._lock:
            process = self._process
            if process is None or self._cut is not None:
                return False
            self._cut = time.monotonic() - self._began
        _stop(process)
        return True

    def _fade_out(self, path: Path, start: float) -> None:
        """Play the file's next seconds from start, fading out; nothing when it has no audio left there."""
        with tempfile.TemporaryDirectory(prefix="broadcast-fade-") as folder:
            tail = Path(folder) / f"fade-{path.stem}.wav"
            try:
                fade_out_tail(path, start, self.fade, tail)
            except AudioError:
                return
            try:
                subprocess.run(
                    [*self.argv, str(tail)],
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=self.fade + TIMEOUT_MARGIN,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired):
                return


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the player and everything it started: SIGTERM, then SIGKILL after STOP_GRACE seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            process.wait(timeout=STOP_GRACE)
            return
        except subprocess.TimeoutExpired:
            continue
