"""The one atomic writer: staged files stay out of sight until committed, folders appear when needed, syncs report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from broadcast.errors import FileWriteError
from broadcast.files import commit, stage, sync_filesystems, write_atomic


def test_a_staged_file_replaces_the_old_one_only_when_committed(tmp_path: Path) -> None:
    target = tmp_path / "day.json"
    target.write_bytes(b"old\n")
    temporary = stage(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert temporary.parent == tmp_path and temporary.name.startswith(".day.json.") and temporary.suffix == ".tmp"
    sync_filesystems([tmp_path])
    commit(temporary, target)
    assert target.read_bytes() == b"new\n" and not temporary.exists()
    assert target.stat().st_mode & 0o777 == 0o644


def test_staged_files_are_readable_by_all_whatever_the_umask(tmp_path: Path) -> None:
    # A web server reads the export as another user: a strict umask must not hide a manifest from it.
    before = os.umask(0o077)
    try:
        temporary = stage(tmp_path / "day.m3u8", b"#EXTM3U\n")
        write_atomic(tmp_path / "day.json", b"{}\n")
    finally:
        os.umask(before)
    assert temporary.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "day.json").stat().st_mode & 0o777 == 0o644


def test_write_atomic_makes_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "stations" / "27001" / "2025-03-01.json"
    write_atomic(target, b"{}\n")
    assert target.read_bytes() == b"{}\n"
    assert [path.name for path in target.parent.iterdir()] == ["2025-03-01.json"]


def test_a_sync_of_a_missing_folder_is_one_error_line(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match=r"cannot sync .*gone.* to disk: No such file or directory; check"):
        sync_filesystems([tmp_path / "gone"])


def test_a_failed_commit_leaves_no_temporary_file(tmp_path: Path) -> None:
    temporary = stage(tmp_path / "a.json", b"{}\n")
    with pytest.raises(FileWriteError, match="cannot write"):
        commit(temporary, tmp_path / "no-such-folder" / "a.json")
    assert not temporary.exists()
