"""The one place that writes files: to a temporary file beside the target, then an atomic rename.

A single file is made durable with its own fsync before the rename. Writers of many files at once (the publisher)
stage them instead (`stage` writes the temporary file, no fsync), make the whole filesystem durable with one
`sync_filesystems`, and only then rename each into place (`commit`): the rename never reaches the disk before the
bytes it names, which is what the fsync per file bought, at one sync instead of thousands.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from broadcast.errors import FileWriteError

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path so that readers see the old file or the whole new one, never a part."""
    commit(_write_temporary(path, data, durable=True), path)


def stage(path: Path, data: bytes) -> Path:
    """Write data to a temporary file beside path, not yet synced nor renamed; commit(temporary, path) puts it in
    place. FileWriteError when it cannot be written (nothing is left behind)."""
    return _write_temporary(path, data, durable=False)


def commit(temporary: Path, path: Path) -> None:
    """Rename a staged temporary file over path, atomically; FileWriteError (and the temporary file removed) when
    the rename fails."""
    try:
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise FileWriteError(f"cannot write {path}: {exc.strerror or exc}; check free space and permissions") from exc


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new empty file ".<name>.<random>.tmp" beside path, open for writing, readable by all (web servers serve
    the export) whatever the umask. O_EXCL: never someone else's file. (tempfile.mkstemp does the same with more
    Python around each call, which counts when a national export writes 40,000 files.)"""
    while True:
        temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            handle = os.open(temporary, _CREATE, 0o644)
        except FileExistsError:
            continue
        try:
            os.fchmod(handle, 0o644)
        except OSError:
            os.close(handle)
            temporary.unlink(missing_ok=True)
            raise
        return handle, temporary


def _temporary_beside(path: Path) -> tuple[int, Path]:
    try:
        return _create_beside(path)
    except FileNotFoundError:
        # Only now create the folder: a mkdir before every write costs more than the write for a national export.
        path.parent.mkdir(parents=True, exist_ok=True)
        return _create_beside(path)


@contextmanager
def _temporary_for(path: Path) -> Iterator[tuple[int, Path]]:
    """A new temporary file beside path, as its descriptor and name, removed again when the block fails; an OSError
    becomes a FileWriteError naming path."""
    try:
        handle, temporary = _temporary_beside(path)
    except OSError as exc:
        reason = exc.strerror or exc
        raise FileWriteError(f"cannot write {path}: {reason}; check the folder exists and is writable") from exc
    try:
        yield handle, temporary
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or exc
            raise FileWriteError(f"cannot write {path}: {reason}; check free space and permissions") from exc
        raise


def _write_temporary(path: Path, data: bytes, *, durable: bool) -> Path:
    with _temporary_for(path) as (handle, temporary):
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
    return temporary


def _syncfs(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
        if syncfs is None:
            os.sync()  # no syncfs (not Linux): every filesystem, which includes this one
        elif syncfs(handle) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error))
    finally:
        os.close(handle)


def sync_filesystems(folders: Iterable[Path]) -> None:
    """Make everything written so far on the filesystems holding these folders durable: one syncfs(2) per
    filesystem (only that filesystem, unlike sync(2), which would wait for every disk of the machine).
    FileWriteError when the kernel reports a write that failed."""
    done: set[int] = set()
    for folder in folders:
        try:
            device = folder.stat().st_dev
            if device not in done:
                _syncfs(folder)
                done.add(device)
        except OSError as exc:
            reason = exc.strerror or exc
            raise FileWriteError(f"cannot sync {folder} to disk: {reason}; check the disk and free space") from exc


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


def copy_atomic(
    source: Path, path: Path, check: Callable[[Path], None] = lambda temporary: None, *, durable: bool = True
) -> None:
    """Copy source to path so that readers see the old file or the whole copy; check(temporary) may raise to keep
    the old file (it sees the copy before the rename). FileNotFoundError when source is missing; FileWriteError when
    the copy cannot be written. durable=False leaves out the fsync: the caller syncs the filesystem before anything
    that depends on the copy (sync_filesystems)."""
    with open(source, "rb") as reader, _temporary_for(path) as (handle, temporary):
        try:
            _clone(reader.fileno(), handle)
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
        check(temporary)
        os.replace(temporary, path)


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
