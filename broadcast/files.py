"""The one place that writes files: to a temporary file beside the target, then an atomic rename."""

from __future__ import annotations

import fcntl
import os
import shutil
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


FICLONE = 0x40049409  # linux/fs.h: share the source's blocks copy-on-write (btrfs, XFS, bcachefs)


def _clone(source: int, target: int) -> None:
    """Copy source's bytes into the empty target: a reflink where the filesystem can, else an in-kernel copy, else
    through user space. Never a hard link: the copy's bytes are its own, whatever happens to the source."""
    try:
        fcntl.ioctl(target, FICLONE, source)
        return
    except OSError:
        pass
    try:
        while os.copy_file_range(source, target, 1 << 30):
            pass
        return
    except OSError:
        os.lseek(source, 0, os.SEEK_SET)
        os.lseek(target, 0, os.SEEK_SET)
        os.ftruncate(target, 0)
    with open(source, "rb", closefd=False) as reader, open(target, "wb", closefd=False) as writer:
        shutil.copyfileobj(reader, writer)


def copy_atomic(source: Path, path: Path, check: Callable[[Path], None] = lambda temporary: None) -> None:
    """Copy source to path so that readers see the old file or the whole copy; check(temporary) may raise to keep
    the old file (it sees the copy before the rename). FileNotFoundError when source is missing; FileWriteError when
    the copy cannot be written."""
    with open(source, "rb") as reader:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            reason = exc.strerror or exc
            raise FileWriteError(f"cannot write {path}: {reason}; check the folder exists and is writable") from exc
        try:
            try:
                _clone(reader.fileno(), handle)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.chmod(temporary, 0o644)
            check(Path(temporary))
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
