from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from broadcast.db import Database
from broadcast.db.models import Directive, Message
from broadcast.errors import MessageError, NotFoundError, ParseError
from broadcast.messages.drafting import import_directive
from broadcast.messages.editing import MessageChanges, edit_message

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _count(database: Database, model: type[Directive] | type[Message]) -> int:
    with database.transaction() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_import_stores_the_record_and_one_draft_per_section(database: Database) -> None:
    with database.transaction() as db:
        outcome = import_directive(db, FIXTURES / "ke_hoach.md", NOW)
        stored = outcome.directive
        assert outcome.created
        assert (stored.doc_type, stored.number, stored.issued_on) == ("ke_hoach", "45/KH-UBND", "2022-02-19")
        assert stored.record["broadcast_hints"] == {"times_per_day": 3, "start": "2022-04-09", "end": "2022-04-13"}
        drafts = [(m.section_label, m.for_broadcast, m.status) for m in stored.messages]
        windows = {(m.starts_on, m.ends_on, m.per_day) for m in stored.messages}
    # Only "Nội dung tuyên truyền" informs the public; aims, forms and organisation instruct offices.
    assert drafts == [("I.", False, "draft"), ("II.", True, "draft"), ("III.", False, "draft"), ("IV.", False, "draft")]
    assert windows == {(date(2022, 4, 9), date(2022, 4, 13), 3)}


def test_the_same_file_twice_is_a_no_op(database: Database, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.md"
    shutil.copy(FIXTURES / "ke_hoach.md", copy)
    with database.transaction() as db:
        first = import_directive(db, FIXTURES / "ke_hoach.md", NOW).directive.id
    with database.transaction() as db:
        again = import_directive(db, copy, NOW)
    assert not again.created and again.directive.id == first
    assert (_count(database, Directive), _count(database, Message)) == (1, 4)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04", "is not text in a known encoding"),
        ("notes.odt", b"whatever", "unsupported file type .odt"),
        ("shopping.txt", "Mua rau, mua thịt, mua cá.\n".encode(), "not a directive"),
    ],
)
def test_bad_files_store_nothing(database: Database, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParseError, match=message), database.transaction() as db:
        import_directive(db, path, NOW)
    assert (_count(database, Directive), _count(database, Message)) == (0, 0)


def test_editing_an_approved_text_returns_it_to_draft(database: Database) -> None:
    with database.transaction() as db:
        message = import_directive(db, FIXTURES / "ke_hoach.md", NOW).directive.messages[0]
        message.status = "approved"
        message_id = message.id
    with database.transaction() as db:
        assert edit_message(db, message_id, MessageChanges(title="Phòng, chống thiên tai"), NOW).status == "approved"
        assert edit_message(db, message_id, MessageChanges(for_broadcast=False), NOW).status == "approved"
        edited = edit_message(db, message_id, MessageChanges(text="Bà con chú ý phòng, chống thiên tai."), NOW)
        assert (edited.status, edited.for_broadcast) == ("draft", False)
    with pytest.raises(MessageError, match="cannot be empty"), database.transaction() as db:
        edit_message(db, message_id, MessageChanges(text="   "), NOW)
    with pytest.raises(NotFoundError, match="no message with id 999"), database.transaction() as db:
        edit_message(db, 999, MessageChanges(title="x"), NOW)
