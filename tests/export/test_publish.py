"""Publishing: the export tree, unchanged days left alone, bad audio refused without touching the last good day."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from broadcast.errors import ExportError, FileWriteError
from broadcast.export import publish
from broadcast.export.manifest import manifest_path, peek_version, playlist_path, write_manifest
from broadcast.export.model import ExportItem, StationDay
from broadcast.export.publish import (
    PublishError,
    PublishResult,
    publish_days,
    remove_old_days,
    remove_unreferenced_audio,
)
from tests.export.conftest import Build

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def items_of(day: StationDay) -> list[ExportItem]:
    return [item for session in day.sessions for item in session.items]


def with_first_item(day: StationDay, **change: object) -> StationDay:
    first = day.sessions[0]
    changed = replace(first.items[0], **change)
    return replace(day, sessions=(replace(first, items=(changed, *first.items[1:])), *day.sessions[1:]))


def identity(path: Path) -> tuple[int, int, bytes]:
    """What shows a file was left alone: same inode (a rewrite is a rename), same mtime, same bytes."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, path.read_bytes()


def day_files(root: Path, day: StationDay) -> tuple[Path, Path]:
    return root / manifest_path(day.station, day.date), root / playlist_path(day.station, day.date)


def test_publish_writes_the_tree(tmp_path: Path, build: Build) -> None:
    day = build.day()
    root = tmp_path / "export"
    result = publish_days(root, [day])
    assert result == PublishResult(days_written=1, days_unchanged=0, audio_added=3)
    for item in items_of(day):
        audio = root / "audio" / f"{item.sha256}.mp3"
        assert hashlib.sha256(audio.read_bytes()).hexdigest() == item.sha256
    manifest, playlist = day_files(root, day)
    expected = io.StringIO()
    write_manifest(day, expected)
    assert manifest.read_bytes() == expected.getvalue().encode("utf-8")
    assert playlist.read_text(encoding="utf-8").startswith("#EXTM3U\n")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == sorted(
        [
            *(f"audio/{item.sha256}.mp3" for item in items_of(day)),
            "stations/27001/2025-03-01.json",
            "stations/27001/2025-03-01.m3u8",
            ".audio-index.json",  # the publisher's own record of verified audio (see checksums.py)
        ]
    )
    for item in json.loads(manifest.read_bytes())["sessions"][0]["items"]:
        assert (root / item["audio"]).is_file()


def test_audio_shared_by_many_days_is_exported_once(tmp_path: Path, build: Build) -> None:
    days = [build.day(station=f"2700{n}", on=date(2025, 3, d)) for n in range(4) for d in (1, 2)]
    result = publish_days(tmp_path, days)
    assert result == PublishResult(days_written=8, days_unchanged=0, audio_added=3)
    assert len(list((tmp_path / "audio").iterdir())) == 3


def test_audio_is_copied_never_hard_linked_to_the_store(tmp_path: Path, build: Build) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    for item in items_of(day):
        exported = tmp_path / "audio" / f"{item.sha256}.mp3"
        assert exported.stat().st_nlink == 1 and item.source.stat().st_nlink == 1
        assert not os.path.samefile(exported, item.source)
        assert exported.read_bytes() == item.source.read_bytes()
    # Damage to the store is not damage to the export.
    corrupt(items_of(day)[0].source)
    assert hashlib.sha256((tmp_path / "audio" / f"{items_of(day)[0].sha256}.mp3").read_bytes()).hexdigest() == (
        items_of(day)[0].sha256
    )


def test_audio_is_copied_through_user_space_when_the_kernel_cannot_clone_or_copy(
    tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(fcntl, "ioctl", refuse)
    monkeypatch.setattr(os, "copy_file_range", refuse)
    day = build.day()
    assert publish_days(tmp_path, [day]).audio_added == 3
    for item in items_of(day):
        assert (tmp_path / "audio" / f"{item.sha256}.mp3").read_bytes() == item.source.read_bytes()


def test_an_export_hard_linked_by_an_older_build_becomes_copies(tmp_path: Path, build: Build) -> None:
    day = build.day()
    for item in items_of(day):  # what the hardlink mode of earlier builds left
        (tmp_path / "audio").mkdir(exist_ok=True)
        os.link(item.source, tmp_path / "audio" / f"{item.sha256}.mp3")
    result = publish_days(tmp_path, [day])
    assert (result.audio_added, result.audio_unlinked, result.audio_repaired) == (0, 3, 0)
    for item in items_of(day):
        exported = tmp_path / "audio" / f"{item.sha256}.mp3"
        assert exported.stat().st_nlink == 1 and item.source.stat().st_nlink == 1
        assert exported.read_bytes() == item.source.read_bytes()
    assert publish_days(tmp_path, [day]) == PublishResult(days_written=0, days_unchanged=1, audio_added=0)


@pytest.mark.parametrize("mtime", ["moved", "put back"])
def test_same_size_damage_to_exported_audio_is_repaired(tmp_path: Path, build: Build, mtime: str) -> None:
    """A flipped byte that moves the mtime is found by the next publish; one whose mtime is put back, by the next
    daily full check, which re-hashes every file."""
    day = build.day()
    publish_days(tmp_path, [day], now=NOW)
    item = items_of(day)[1]
    exported = tmp_path / "audio" / f"{item.sha256}.mp3"
    before = exported.stat()
    corrupt(exported)
    if mtime == "put back":
        os.utime(exported, ns=(before.st_atime_ns, before.st_mtime_ns))
        # Within the day the index trusts the unchanged size and mtime ...
        assert publish_days(tmp_path, [day], now=NOW + timedelta(hours=1)).audio_repaired == 0
        later = NOW + timedelta(days=1)
    else:
        later = NOW + timedelta(hours=1)
    result = publish_days(tmp_path, [day], now=later)
    assert result == PublishResult(days_written=0, days_unchanged=1, audio_added=0, audio_repaired=1)
    assert exported.read_bytes() == item.source.read_bytes()
    assert publish_days(tmp_path, [day], now=later).audio_repaired == 0


def test_republishing_an_unchanged_day_leaves_every_file_alone(tmp_path: Path, build: Build) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    before = [identity(path) for path in day_files(tmp_path, day)]
    result = publish_days(tmp_path, [build.day()])
    assert result == PublishResult(days_written=0, days_unchanged=1, audio_added=0)
    assert [identity(path) for path in day_files(tmp_path, day)] == before


def test_a_file_gone_from_a_station_folder_is_written_again_and_its_twin_left_alone(
    tmp_path: Path, build: Build
) -> None:
    day = build.day()
    publish_days(tmp_path, [day, build.day(on=date(2025, 3, 2))])
    manifest, playlist = day_files(tmp_path, day)
    kept = identity(manifest)
    playlist.unlink()  # the folder is still there, listed once, without this one file
    result = publish_days(tmp_path, [day, build.day(on=date(2025, 3, 2))])
    assert result == PublishResult(days_written=1, days_unchanged=1, audio_added=0)
    assert playlist.read_text(encoding="utf-8").startswith("#EXTM3U\n") and identity(manifest) == kept


def test_a_file_that_only_begins_like_the_new_one_is_replaced(tmp_path: Path, build: Build) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    manifest, _ = day_files(tmp_path, day)
    expected = manifest.read_bytes()
    manifest.write_bytes(expected + b"tail left by some other writer\n")
    assert publish_days(tmp_path, [day]).days_written == 1
    assert manifest.read_bytes() == expected


def test_a_changed_day_rewrites_only_that_day(tmp_path: Path, build: Build) -> None:
    days = [build.day(station="27001"), build.day(station="27004"), build.day(station="27001", on=date(2025, 3, 2))]
    publish_days(tmp_path, days)
    before = {day.station + str(day.date): [identity(path) for path in day_files(tmp_path, day)] for day in days}
    old_version = json.loads(day_files(tmp_path, days[1])[0].read_bytes())["version"]
    changed = with_first_item(days[1], title="Đây là Đài Truyền thanh xã Mai Pha")
    result = publish_days(tmp_path, [days[0], changed, days[2]])
    assert result == PublishResult(days_written=1, days_unchanged=2, audio_added=0)
    for day in (days[0], days[2]):
        assert [identity(path) for path in day_files(tmp_path, day)] == before[day.station + str(day.date)]
    manifest, playlist = day_files(tmp_path, changed)
    assert [identity(manifest), identity(playlist)] != before["27004" + str(changed.date)]
    assert json.loads(manifest.read_bytes())["version"] != old_version
    assert "Mai Pha" in playlist.read_text(encoding="utf-8")


def test_new_audio_is_added_for_a_changed_day(tmp_path: Path, build: Build) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    fourth = build.item(3, title="Thông báo mới")
    changed = replace(day, sessions=(*day.sessions, build.session(fourth, name="tối", start="20:00", end="20:15")))
    assert publish_days(tmp_path, [changed]) == PublishResult(days_written=1, days_unchanged=0, audio_added=1)
    assert (tmp_path / "audio" / f"{fourth.sha256}.mp3").is_file()


def test_a_damaged_export_copy_is_replaced(tmp_path: Path, build: Build) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    item = items_of(day)[0]
    (tmp_path / "audio" / f"{item.sha256}.mp3").write_bytes(b"half a file")
    assert publish_days(tmp_path, [day]).audio_repaired == 1
    assert (tmp_path / "audio" / f"{item.sha256}.mp3").read_bytes() == item.source.read_bytes()


def corrupt(path: Path) -> None:
    """Flip one byte in the middle: same size, different hash."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_bad_audio_keeps_the_previous_manifest(tmp_path: Path, build: Build, damage: str) -> None:
    good = build.day()
    other = build.day(station="27004")
    publish_days(tmp_path, [good, other])
    kept = [identity(path) for path in day_files(tmp_path, good)]

    new_item = build.item(4, title="Tin khẩn: bão số 3")
    if damage == "missing":
        new_item.source.unlink()
    else:
        corrupt(new_item.source)
    broken = replace(good, sessions=(*good.sessions, build.session(new_item, name="tối", start="20:00", end="20:15")))
    other_changed = with_first_item(other, title="Đây là Đài Truyền thanh xã Mai Pha")
    fresh = build.day(station="27007")

    with pytest.raises(ExportError) as raised:
        publish_days(tmp_path, [broken, other_changed, fresh])
    assert isinstance(raised.value, PublishError)
    assert raised.value.result == PublishResult(days_written=2, days_unchanged=0, audio_added=0)
    assert len(raised.value.failures) == 1
    message = str(raised.value)
    assert "27001 2025-03-01" in message and "Tin khẩn: bão số 3" in message and "\n" not in message
    assert ("missing" if damage == "missing" else "not what was planned") in message

    assert [identity(path) for path in day_files(tmp_path, good)] == kept
    assert not (tmp_path / "audio" / f"{new_item.sha256}.mp3").exists()
    assert not [path for path in (tmp_path / "audio").iterdir() if path.name.startswith(".")]
    assert "Mai Pha" in day_files(tmp_path, other_changed)[1].read_text(encoding="utf-8")
    assert all(path.is_file() for path in day_files(tmp_path, fresh))


def test_bad_audio_on_a_first_publish_writes_no_manifest(tmp_path: Path, build: Build) -> None:
    day = build.day()
    items_of(day)[1].source.unlink()
    with pytest.raises(ExportError):
        publish_days(tmp_path, [day])
    assert not any(path.exists() for path in day_files(tmp_path, day))


def test_a_wrong_size_is_refused(tmp_path: Path, build: Build) -> None:
    day = with_first_item(build.day(), bytes=123)
    with pytest.raises(ExportError, match="123"):
        publish_days(tmp_path, [day])
    assert not any(path.exists() for path in day_files(tmp_path, day))


def test_a_day_given_twice_is_refused_before_anything_is_written(tmp_path: Path, build: Build) -> None:
    with pytest.raises(ExportError, match="twice"):
        publish_days(tmp_path, [build.day(), build.day(station="27004"), build.day()])
    assert not (tmp_path / "stations").exists()


def test_a_station_code_that_is_not_a_folder_name_is_refused(tmp_path: Path, build: Build) -> None:
    with pytest.raises(ExportError, match="folder name"):
        publish_days(tmp_path, [build.day(station="../27001")])
    assert not list(tmp_path.rglob("*.json"))
    assert not list((tmp_path / "audio").iterdir())


def test_vietnamese_titles_survive_publishing(tmp_path: Path, build: Build) -> None:
    title = "Hướng dẫn phòng, chống dịch sốt xuất huyết, tay chân miệng"
    day = with_first_item(build.day(), title=unicodedata.normalize("NFD", title))
    publish_days(tmp_path, [day])
    manifest, playlist = day_files(tmp_path, day)
    assert json.loads(manifest.read_bytes().decode("utf-8"))["sessions"][0]["items"][0]["title"] == title
    assert title.encode("utf-8") in manifest.read_bytes()
    assert f",{title}\n".encode() in playlist.read_bytes()


def age(path: Path, days: float) -> None:
    when = (NOW - timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_retention_removes_only_old_unreferenced_audio(tmp_path: Path, build: Build) -> None:
    kept_day = build.day(sessions=(build.session(build.item(0), build.item(1)),))
    dropped_day = build.day(station="27004", sessions=(build.session(build.item(2), build.item(3)),))
    publish_days(tmp_path, [kept_day, dropped_day])
    assert remove_old_days(tmp_path, keep_days=0, today=date(2025, 3, 2), station="27004") == 1
    audio = {n: tmp_path / "audio" / f"{build.tones[n].sha256}.mp3" for n in range(4)}
    age(audio[0], 90)  # referenced and old: kept
    age(audio[1], 1)  # referenced and recent: kept
    age(audio[2], 90)  # unreferenced and old: removed
    age(audio[3], 1)  # unreferenced and recent: kept, a day may still be about to use it
    leftover = tmp_path / "audio" / f".{audio[0].name}.x1y2.tmp"
    leftover.write_bytes(b"interrupted")
    age(leftover, 90)

    assert remove_unreferenced_audio(tmp_path, retention_days=30, now=NOW) == 2
    assert [n for n in range(4) if audio[n].exists()] == [0, 1, 3]
    assert not leftover.exists()
    assert remove_unreferenced_audio(tmp_path, retention_days=30, now=NOW) == 0
    assert remove_unreferenced_audio(tmp_path, retention_days=0, now=NOW) == 1
    assert [n for n in range(4) if audio[n].exists()] == [0, 1]


def test_reusing_audio_marks_it_as_in_use(tmp_path: Path, build: Build) -> None:
    """A file a publish relies on is never old enough for retention, even while its manifest is being written."""
    day = build.day()
    publish_days(tmp_path, [day])
    aged = (NOW - timedelta(days=90)).timestamp()
    for path in (tmp_path / "audio").iterdir():
        age(path, 90)
    publish_days(tmp_path, [day])  # reuses the files: they count as used from now on
    for path in (tmp_path / "audio").iterdir():
        assert path.stat().st_mtime > aged


def test_retention_refuses_to_guess_when_a_manifest_is_unreadable(tmp_path: Path, build: Build) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    for path in (tmp_path / "audio").iterdir():
        age(path, 90)
    bad = tmp_path / "stations" / "27004" / "2025-03-01.json"
    bad.parent.mkdir()
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ExportError, match="no audio was removed"):
        remove_unreferenced_audio(tmp_path, retention_days=0, now=NOW)
    assert len(list((tmp_path / "audio").iterdir())) == 3


def test_retention_on_an_empty_export(tmp_path: Path) -> None:
    assert remove_unreferenced_audio(tmp_path / "nothing", retention_days=30, now=NOW) == 0
    with pytest.raises(ExportError):
        remove_unreferenced_audio(tmp_path, retention_days=-1, now=NOW)


def test_remove_old_days(tmp_path: Path, build: Build) -> None:
    days = [build.day(station=code, on=date(2025, 3, d)) for code in ("27001", "27004") for d in range(1, 6)]
    publish_days(tmp_path, days)
    assert remove_old_days(tmp_path, keep_days=2, today=date(2025, 3, 5), station="27001") == 2
    assert sorted(p.name for p in (tmp_path / "stations" / "27001").iterdir()) == [
        f"2025-03-0{d}.{ext}" for d in (3, 4, 5) for ext in ("json", "m3u8")
    ]
    assert len(list((tmp_path / "stations" / "27004").iterdir())) == 10
    assert remove_old_days(tmp_path, keep_days=0, today=date(2025, 3, 5)) == 2 + 4
    assert len(list((tmp_path / "stations").rglob("*.*"))) == 2 * 2


def test_every_changed_file_waits_for_one_sync_before_the_switch(
    tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No fsync per file: the new playlists and manifests are staged, the filesystem synced once, then renamed."""
    old, other = build.day(), build.day(station="27004")
    publish_days(tmp_path, [old, other])
    kept = [identity(path) for day in (old, other) for path in day_files(tmp_path, day)]
    new = [with_first_item(old, title="Tin mới"), with_first_item(other, title="Tin mới")]
    fsyncs: list[int] = []
    seen: list[tuple[list[tuple[int, int, bytes]], int]] = []
    real_sync = publish.sync_filesystems

    def sync(folders: Iterable[Path]) -> None:
        temporaries = [path for path in tmp_path.rglob(".*.tmp")]
        seen.append(([identity(path) for day in (old, other) for path in day_files(tmp_path, day)], len(temporaries)))
        real_sync(folders)

    monkeypatch.setattr(publish, "sync_filesystems", sync)
    monkeypatch.setattr(os, "fsync", lambda handle: fsyncs.append(handle))
    publish_days(tmp_path, new, now=NOW)
    assert len(seen) == 2  # once before the switch, once after it
    before, after = seen
    assert before == (kept, 4)  # the old files still in place, the four new ones staged beside them
    assert after[1] == 0 and all(new_file != old_file for new_file, old_file in zip(after[0], kept, strict=True))
    assert len(fsyncs) == 1  # the audio index (write_atomic); none for the four files
    assert "Tin mới" in day_files(tmp_path, new[0])[1].read_text(encoding="utf-8")


def test_a_failed_sync_switches_nothing_and_leaves_no_temporary_file(
    tmp_path: Path, build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = build.day()
    publish_days(tmp_path, [day])
    kept = [identity(path) for path in day_files(tmp_path, day)]

    def broken(folders: Iterable[Path]) -> None:
        raise FileWriteError("cannot sync export to disk: Input/output error; check the disk and free space")

    monkeypatch.setattr(publish, "sync_filesystems", broken)
    with pytest.raises(FileWriteError):
        publish_days(tmp_path, [with_first_item(day, title="Tin mới")], now=NOW)
    assert [identity(path) for path in day_files(tmp_path, day)] == kept
    assert not list(tmp_path.rglob("*.tmp"))


def test_manifests_are_compact_and_their_version_is_read_from_the_head(tmp_path: Path, build: Build) -> None:
    day = build.day(station_name='Đài xã ","version":"ffffffffffffffff')
    publish_days(tmp_path, [day])
    data = day_files(tmp_path, day)[0].read_bytes()
    assert data.count(b"\n") == 1 and data.endswith(b"}\n") and b'": ' not in data
    version = json.loads(data)["version"]
    assert peek_version(data) == version
    assert version == peek_version((json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n").encode())
