"""The index of verified files on a real disk: what it trusts, when it reads every byte again, and what it survives."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from broadcast.checksums import VerifiedFiles

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def audio(folder: Path, data: bytes) -> tuple[Path, str]:
    sha256 = hashlib.sha256(data).hexdigest()
    path = folder / f"{sha256}.mp3"
    path.write_bytes(data)
    return path, sha256


def test_the_index_trusts_an_unchanged_file_within_the_day_and_reads_it_again_the_next(tmp_path: Path) -> None:
    path, sha256 = audio(tmp_path, b"ID3 sound")
    index = tmp_path / "index.json"
    first = VerifiedFiles(tmp_path, index, NOW)
    assert first.full and first.intact(path, sha256, 9) and first.hashed == 1
    first.save()
    later = VerifiedFiles(tmp_path, index, NOW + timedelta(hours=23))
    assert not later.full and later.intact(path, sha256, 9) and later.hashed == 0
    next_day = VerifiedFiles(tmp_path, index, NOW + timedelta(days=1))
    assert next_day.full and next_day.intact(path, sha256, 9) and next_day.hashed == 1


def test_a_full_check_counts_only_when_complete(tmp_path: Path) -> None:
    path, sha256 = audio(tmp_path, b"ID3 sound")
    index = tmp_path / "index.json"
    partial = VerifiedFiles(tmp_path, index, NOW)
    partial.intact(path, sha256, 9)
    partial.save(complete=False)  # a sync cut off: the full check is still due
    assert VerifiedFiles(tmp_path, index, NOW + timedelta(minutes=5)).full


def test_a_damaged_index_or_files_gone_mean_hashing_again(tmp_path: Path) -> None:
    path, sha256 = audio(tmp_path, b"ID3 sound")
    gone, gone_sha = audio(tmp_path, b"ID3 other")
    index = tmp_path / "index.json"
    first = VerifiedFiles(tmp_path, index, NOW)
    assert first.intact(path, sha256, 9) and first.intact(gone, gone_sha, 9)
    gone.unlink()
    first.save()
    assert set(VerifiedFiles(tmp_path, index, NOW).entries) == {path.name}  # the index forgets what went
    index.write_text("{not json", encoding="utf-8")
    again = VerifiedFiles(tmp_path, index, NOW)
    assert again.full and again.intact(path, sha256, 9) and again.hashed == 1
    assert not again.intact(path, sha256, 10) and not again.intact(gone, gone_sha, 9)
