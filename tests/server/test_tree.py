"""Reading the export tree: versions from the head of a manifest, cached per file state; playlists rewritten."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from broadcast.export.manifest import manifest_path
from broadcast.server.app import etag_matches
from broadcast.server.tree import ExportTree, rewrite_playlist, version_of

DAY = date(2025, 3, 1)


def write(root: Path, data: bytes, code: str = "2025-06187") -> Path:
    path = root / manifest_path(code, DAY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def manifest(version: str, name: str = "Đài xã") -> bytes:
    content = {"station": "2025-06187", "station_name": name, "date": "2025-03-01", "version": version}
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode()


def test_version_is_read_from_the_head() -> None:
    assert version_of(manifest("0123456789abcdef")) == "0123456789abcdef"


def test_a_version_lookalike_in_a_name_is_not_taken() -> None:
    tricky = manifest("0123456789abcdef", name='x",\n  "version": "ffffffffffffffff')
    assert version_of(tricky) == "0123456789abcdef"


def test_other_layouts_are_parsed_whole_and_damage_gives_none() -> None:
    assert version_of(b'{"station": "x", "version": "abc"}') == "abc"
    assert version_of(b'{"version": 12}') is None
    assert version_of(b"[1, 2]") is None
    assert version_of(b"{not json") is None


def test_the_cached_version_follows_the_file(tmp_path: Path) -> None:
    tree = ExportTree(tmp_path)
    assert tree.manifest_version("2025-06187", DAY) == (False, None)
    path = write(tmp_path, manifest("1111111111111111"))
    assert tree.manifest_version("2025-06187", DAY) == (True, "1111111111111111")
    replacement = path.with_suffix(".tmp")
    replacement.write_bytes(manifest("2222222222222222"))
    os.replace(replacement, path)  # as the publisher does: a new file, never rewritten in place
    assert tree.manifest_version("2025-06187", DAY) == (True, "2222222222222222")
    found = tree.read_manifest("2025-06187", DAY)
    assert found is not None and found.version == "2222222222222222" and found.data == path.read_bytes()


def test_audio_comes_from_the_export_then_the_segment_store(tmp_path: Path) -> None:
    tree = ExportTree(tmp_path / "export")
    store = tmp_path / "store"
    store.mkdir()
    sha = "c" * 64
    assert tree.audio_file(sha, store) is None
    (store / f"{sha}.mp3").write_bytes(b"x")
    assert tree.audio_file(sha, store) == store / f"{sha}.mp3"
    (tmp_path / "export" / "audio").mkdir(parents=True)
    (tmp_path / "export" / "audio" / f"{sha}.mp3").write_bytes(b"x")
    assert tree.audio_file(sha, store) == tmp_path / "export" / "audio" / f"{sha}.mp3"


def test_playlist_paths_become_api_paths() -> None:
    sha = "d" * 64
    playlist = f"#EXTM3U\n#EXTINF:1.5,Tin ../../audio/ trong tên\n../../audio/{sha}.mp3\n".encode()
    assert rewrite_playlist(playlist) == (
        f"#EXTM3U\n#EXTINF:1.5,Tin ../../audio/ trong tên\n/api/v1/audio/{sha}.mp3\n".encode()
    )


def test_etag_matching() -> None:
    assert etag_matches('"abc"', "abc")
    assert etag_matches('W/"abc"', "abc")
    assert etag_matches('"x", "abc"', "abc")
    assert etag_matches("*", "abc")
    assert not etag_matches('"abcd"', "abc")
    assert not etag_matches("", "abc")
    assert not etag_matches(None, "abc")
