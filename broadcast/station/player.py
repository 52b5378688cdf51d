"""Playing one audio file through an external command (ffplay by default), the file's path appended."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

from broadcast.errors import StationError

DEFAULT_PLAYER = "ffplay -nodisp -autoexit -loglevel quiet"
# A player that hangs must not hold up the rest of the session for ever.
TIMEOUT_MARGIN = 60.0


class Player(Protocol):
    def play(self, path: Path, duration: float) -> bool:
        """Play the file to its end; True when it played."""


class CommandPlayer:
    """Runs `command <file>` and waits for it; exit status 0 means the file played."""

    def __init__(self, command: str = DEFAULT_PLAYER) -> None:
        try:
            self.argv = shlex.split(command)
        except ValueError as exc:
            raise StationError(f"{{player}} {command!r} cannot be split into words: {exc}", field="player") from exc
        if not self.argv or shutil.which(self.argv[0]) is None:
            raise StationError(
                f"player {command!r} is not installed; install ffmpeg (for ffplay) or give another {{player}}",
                field="player",
            )

    def play(self, path: Path, duration: float) -> bool:
        try:
            done = subprocess.run(
                [*self.argv, str(path)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=duration * 2 + TIMEOUT_MARGIN,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0
