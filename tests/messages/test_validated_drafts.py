"""Drafts from imported directives are cleaned rather than refused; corrections people type are checked."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadcast.db import Database
from broadcast.errors import MessageError
from broadcast.messages.drafting import DirectiveChanges, correct_directive, import_directive, import_upload

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _clean(text: str) -> bool:
    return all(ch in "\n\t" or unicodedata.category(ch)[0] != "C" for ch in text)


def test_control_and_invisible_characters_in_a_document_never_reach_its_drafts(
    database: Database, tmp_path: Path
) -> None:
    source = (FIXTURES / "ke_hoach.md").read_text(encoding="utf-8")
    dirty = source.replace("Gia cố nhà cửa", "Gia\u200b cố\x07 nhà\u202e cửa\x1b[0m").replace(
        "Trước mùa mưa bão", "Trước\u2067 mùa\u00ad mưa bão\r"
    )
    path = tmp_path / "ke_hoach.md"
    path.write_text(dirty, encoding="utf-8")
    with database.transaction() as db:
        drafts = import_directive(db, path, NOW).directive.messages
        texts = [(m.title, m.text) for m in drafts]
    assert len(texts) == 4
    assert all(_clean(title) and _clean(text) and unicodedata.is_normalized("NFC", text) for title, text in texts)
    public = next(text for _, text in texts if "Gia cố nhà cửa" in text)
    assert "Trước mùa mưa bão" in public


def test_a_corrected_header_field_is_checked_like_any_typed_text(database: Database) -> None:
    with database.transaction() as db:
        number = import_directive(db, FIXTURES / "ke_hoach.md", NOW).directive.id
    with database.transaction() as db, pytest.raises(MessageError) as caught:
        correct_directive(db, number, DirectiveChanges(subject="V/v\x07 phòng cháy"), now=NOW)
    assert caught.value.field == "subject" and "control character" in str(caught.value)
    with database.transaction() as db:
        fixed = correct_directive(db, number, DirectiveChanges(subject="V/v\u200b phòng  cháy"), now=NOW)
        assert fixed.subject == "V/v phòng cháy"


def test_an_uploaded_file_name_is_stored_without_direction_marks_or_controls(database: Database) -> None:
    data = (FIXTURES / "ke_hoach.md").read_bytes()
    with database.transaction() as db:
        stored = import_upload(db, "ke\x07hoach\u202egnp.md", data, NOW).directive
        assert stored.file_name == "ke hoachgnp.md"
