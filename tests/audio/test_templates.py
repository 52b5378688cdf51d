from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from broadcast.audio.templates import BUNDLED, TEXTS, find_folder, load_templates
from broadcast.errors import AudioError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "audio_templates"
    shutil.copytree(BUNDLED, copy)
    return copy


def test_bundled_templates_load_and_fill() -> None:
    templates = load_templates(BUNDLED)
    assert set(templates.texts) == set(TEXTS)
    assert templates.fill("call", station="Đài Truyền thanh xã Hoàng Đồng") == "Đây là Đài Truyền thanh xã Hoàng Đồng."
    greeting = templates.fill("greeting", session="sáng", date="26/11/2026")
    assert "Buổi phát thanh sáng hôm nay" in greeting and "26/11/2026" in greeting
    assert templates.jingle("opening").stat().st_size > 10_000


def test_home_copy_wins_over_bundled(tmp_path: Path, folder: Path) -> None:
    assert find_folder(None, tmp_path) == folder  # tmp_path/audio_templates exists
    assert find_folder(None, tmp_path / "elsewhere") == BUNDLED
    assert find_folder(BUNDLED, tmp_path) == BUNDLED


def test_edits_are_read(folder: Path) -> None:
    (folder / "call.txt").write_text("Alô, alô, đây là {station}!\n", encoding="utf-8")
    assert load_templates(folder).fill("call", station="Đài Y") == "Alô, alô, đây là Đài Y!"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("call.txt", "Đây là {tram}.", r"uses \{tram\}; it may use only \{station\}"),
        ("intro.txt", "Thông báo {title", "unmatched brace"),
        ("close.txt", "   ", "is empty"),
        ("greeting.txt", b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_bad_templates_say_which_file(folder: Path, name: str, content: str | bytes, message: str) -> None:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(AudioError, match=message):
        load_templates(folder)


def test_missing_jingle_says_how_to_make_it(folder: Path) -> None:
    (folder / "jingles" / "closing.mp3").unlink()
    with pytest.raises(AudioError, match=r"make_jingles\.py"):
        load_templates(folder).jingle("closing")
