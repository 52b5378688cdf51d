"""The build lock: one build at a time across threads and processes, released by the OS when its holder dies.

An exclusive ``flock`` on a file in the home directory. The kernel drops it when the holder's descriptor closes,
so a build killed mid-way (even by SIGKILL) never leaves a stale lock behind. The holder writes its pid and
start time into the file, only to tell the next one who is in the way.

Not re-entrant: a thread that holds the lock and asks again is refused at once (with ``wait`` too, instead of
waiting for itself forever). Another thread of the same process contends like another process would.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast.config import TIMEZONE
from broadcast.errors import BuildLockedError, FileWriteError

BUILD_LOCK_NAME = "build.lock"
POLL_SECONDS = 0.05  # how often a bounded wait retries; flock itself has no timeout

_held = threading.local()


def build_lock_path(home: Path) -> Path:
    """Where the build lock of the home directory lives."""
    return home / BUILD_LOCK_NAME


@contextmanager
def build_lock(path: Path, wait: bool | float = False) -> Iterator[None]:
    """Hold the build lock at path for the block; wait: False to fail at once, True forever, a number of seconds."""
    key = path.absolute()
    held = _held_here()
    if key in held:
        raise BuildLockedError(_message(path, "a build is already running in this thread"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise FileWriteError(f"cannot open the build lock {path}: {exc.strerror}; check the home is writable") from exc
    try:
        if not _acquire(descriptor, wait):
            raise BuildLockedError(_message(path, "another build is running"))
        started = datetime.now(ZoneInfo(TIMEZONE)).isoformat(timespec="seconds")
        _rewrite(descriptor, f"{os.getpid()} {started}\n")
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            _rewrite(descriptor, "")
    finally:
        os.close(descriptor)  # closing the descriptor is what releases the flock


def _held_here() -> set[Path]:
    """The lock paths the calling thread holds."""
    if not hasattr(_held, "paths"):
        _held.paths = set()
    paths: set[Path] = _held.paths
    return paths


def _acquire(descriptor: int, wait: bool | float) -> bool:
    if wait is True:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        return True
    deadline = time.monotonic() + float(wait)
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(POLL_SECONDS, remaining))


def _rewrite(descriptor: int, text: str) -> None:
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, text.encode("ascii"), 0)
    except OSError:
        pass  # the note is only for the message; the lock holds without it


def _message(path: Path, what: str) -> str:
    """One line naming the holder, from the note it left in the lock file when it is readable."""
    try:
        pid, started = path.read_text(encoding="ascii").split()
        since = datetime.fromisoformat(started).strftime("%Y-%m-%d %H:%M:%S")
        holder = f" (pid {int(pid)} since {since})"
    except (OSError, ValueError):
        holder = ""  # the holder has not written its note yet, or has just left
    return f"{what}{holder}; try again when it finishes"
