"""The manifest: its keys and types, byte-for-byte determinism, a version that follows every change, NFC text."""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from broadcast.errors import ExportError
from broadcast.export.manifest import (
    manifest_dict,
    manifest_path,
    manifest_version,
    playlist_path,
    write_manifest,
)
from broadcast.export.model import ExportItem, ExportSession, StationDay

SHA_A = "a" * 64
SHA_B = "b" * 64


def item(**overrides: Any) -> ExportItem:
    values: dict[str, Any] = {
        "kind": "message",
        "title": "Thông báo tiêm phòng",
        "message_id": 7,
        "priority": "normal",
        "start": "05:30:05",
        "duration": 12.3456,
        "source": Path("/nowhere/a.mp3"),  # the manifest is pure: it never opens the audio
        "sha256": SHA_A,
        "bytes": 98_765,
    }
    values.update(overrides)
    return ExportItem(**values)


def day(**overrides: Any) -> StationDay:
    ident = item(kind="ident", title="Đây là Đài Truyền thanh xã Hoàng Đồng", message_id=None, priority=None)
    ident = replace(ident, start="05:30:00", duration=5.0, sha256=SHA_B, bytes=40_000)
    values: dict[str, Any] = {
        "station": "27001",
        "station_name": "Đài Truyền thanh xã Hoàng Đồng",
        "date": date(2025, 3, 1),
        "timezone": "Asia/Ho_Chi_Minh",
        "sessions": (ExportSession(name="sáng", start="05:30", end="06:00", items=(ident, item())),),
    }
    values.update(overrides)
    return StationDay(**values)


def written(station_day: StationDay) -> str:
    out = io.StringIO()
    write_manifest(station_day, out)
    return out.getvalue()


def test_keys_types_and_order() -> None:
    manifest = manifest_dict(day())
    assert list(manifest) == ["station", "station_name", "date", "timezone", "version", "sessions"]
    assert manifest["station"] == "27001"
    assert manifest["date"] == "2025-03-01"
    assert manifest["timezone"] == "Asia/Ho_Chi_Minh"
    assert len(manifest["version"]) == 16
    int(manifest["version"], 16)
    (session,) = manifest["sessions"]
    assert list(session) == ["name", "start", "end", "total_duration", "items"]
    assert (session["name"], session["start"], session["end"]) == ("sáng", "05:30", "06:00")
    assert session["total_duration"] == 17.346
    ident, message = session["items"]
    assert list(message) == ["kind", "title", "message_id", "priority", "start", "duration", "audio", "sha256", "bytes"]
    assert message == {
        "kind": "message",
        "title": "Thông báo tiêm phòng",
        "message_id": 7,
        "priority": "normal",
        "start": "05:30:05",
        "duration": 12.346,
        "audio": f"audio/{SHA_A}.mp3",
        "sha256": SHA_A,
        "bytes": 98_765,
    }
    assert ident["message_id"] is None and ident["priority"] is None
    assert isinstance(ident["duration"], float) and isinstance(ident["bytes"], int)


def test_written_json_is_the_dict_with_a_stable_layout() -> None:
    text = written(day())
    assert json.loads(text) == manifest_dict(day())
    assert text.endswith("}\n")
    assert text.startswith('{"station":"27001","station_name":') and text.count("\n") == 1  # compact
    assert "Đài Truyền thanh" in text  # not \u escapes


def test_same_day_gives_identical_bytes_and_version() -> None:
    first, second = written(day()), written(day())
    assert first == second
    assert manifest_dict(day())["version"] == manifest_dict(day())["version"]


def test_version_is_the_hash_of_the_rest() -> None:
    loaded = json.loads(written(day()))
    assert manifest_version(loaded) == loaded["version"]
    loaded["sessions"][0]["items"][1]["title"] = "khác"
    assert manifest_version(loaded) != manifest_dict(day())["version"]


ITEM_CHANGES = [
    {"kind": "close"},
    {"title": "Thông báo tiêm phòng đợt 2"},
    {"message_id": 8},
    {"message_id": None},
    {"priority": "emergency"},
    {"start": "05:30:06"},
    {"duration": 12.4},
    {"sha256": "c" * 64},
    {"bytes": 98_766},
]


@pytest.mark.parametrize("change", ITEM_CHANGES, ids=lambda change: next(iter(change)))
def test_any_item_change_gives_a_new_version(change: dict[str, Any]) -> None:
    before = day()
    session = before.sessions[0]
    changed_item = replace(session.items[1], **change)
    after = replace(before, sessions=(replace(session, items=(session.items[0], changed_item)),))
    assert manifest_dict(after)["version"] != manifest_dict(before)["version"]
    assert written(after) != written(before)


@pytest.mark.parametrize("change", [{"name": "chiều"}, {"start": "05:45"}, {"end": "06:15"}], ids=str)
def test_any_session_change_gives_a_new_version(change: dict[str, Any]) -> None:
    before = day()
    after = replace(before, sessions=(replace(before.sessions[0], **change),))
    assert manifest_dict(after)["version"] != manifest_dict(before)["version"]


@pytest.mark.parametrize(
    "change",
    [{"station": "27004"}, {"station_name": "Đài xã Mai Pha"}, {"date": date(2025, 3, 2)}, {"timezone": "UTC"}],
    ids=str,
)
def test_any_day_change_gives_a_new_version(change: dict[str, Any]) -> None:
    assert manifest_dict(day(**change))["version"] != manifest_dict(day())["version"]


def test_reordering_items_gives_a_new_version() -> None:
    before = day()
    session = before.sessions[0]
    after = replace(before, sessions=(replace(session, items=session.items[::-1]),))
    assert manifest_dict(after)["version"] != manifest_dict(before)["version"]


def test_the_source_path_is_not_published() -> None:
    before = day()
    session = before.sessions[0]
    moved = replace(session.items[1], source=Path("/elsewhere/a.mp3"))
    after = replace(before, sessions=(replace(session, items=(session.items[0], moved)),))
    assert written(after) == written(before)


def test_vietnamese_text_is_published_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Phòng, chống dịch sốt xuất huyết")
    session = ExportSession(
        name=unicodedata.normalize("NFD", "sáng"), start="05:30", end="06:00", items=(item(title=decomposed),)
    )
    text = written(day(station_name=unicodedata.normalize("NFD", "Đài xã Hoàng Đồng"), sessions=(session,)))
    assert unicodedata.is_normalized("NFC", text)
    loaded = json.loads(text)
    assert loaded["station_name"] == "Đài xã Hoàng Đồng"
    assert loaded["sessions"][0]["name"] == "sáng"
    assert loaded["sessions"][0]["items"][0]["title"] == "Phòng, chống dịch sốt xuất huyết"
    assert written(day(sessions=(session,))) == written(day(sessions=(replace(session, name="sáng"),)))


def test_a_day_without_sessions_is_a_valid_manifest() -> None:
    manifest = manifest_dict(day(sessions=()))
    assert manifest["sessions"] == []
    assert manifest_version(manifest) == manifest["version"]


@pytest.mark.parametrize(
    "change",
    [{"sha256": "A" * 64}, {"sha256": "../../etc/passwd"}, {"duration": float("nan")}, {"duration": -1.0}],
    ids=str,
)
def test_damaged_items_are_refused(change: dict[str, Any]) -> None:
    session = ExportSession(name="sáng", start="05:30", end="06:00", items=(item(**change),))
    with pytest.raises(ExportError):
        manifest_dict(day(sessions=(session,)))


def test_paths_in_the_export_tree() -> None:
    assert manifest_path("27001", date(2025, 3, 1)) == "stations/27001/2025-03-01.json"
    assert playlist_path("27001", date(2025, 3, 1)) == "stations/27001/2025-03-01.m3u8"
    for unsafe in ("", "..", ".hidden", "a/b", "a\\b", "xã"):
        with pytest.raises(ExportError):
            manifest_path(unsafe, date(2025, 3, 1))
