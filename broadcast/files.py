"""The one place that writes files: to a temporary file beside the target, then an atomic rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from broadcast.errors import FileWriteError


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path so that readers see the old file or the whole new one, never a part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        reason = exc.strerror or exc
        raise FileWriteError(f"cannot write {path}: {reason}; check the folder exists and is writable") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or exc
            raise FileWriteError(f"cannot write {path}: {reason}; check free space and permissions") from exc
        raise


def remove_stale(folder: Path, keep: Callable[[str], bool], older_than: float) -> int:
    """Delete the files in folder that keep(name) rejects and that were last changed before older_than.

    Returns how many went. A file that vanishes meanwhile is skipped; other OS errors reach the caller.
    """
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if keep(entry.name):
                continue
            try:
                if entry.stat(follow_symlinks=False).st_mtime < older_than:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed
