"""Message and directive changes write the audit trail, check role and scope, and record the approving account."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from broadcast.audit import Actor, AuditFilter, list_entries
from broadcast.config import DEFAULT_SESSIONS, Settings, load_settings
from broadcast.db import Database
from broadcast.db.models import User
from broadcast.errors import BroadcastError, MessageError, PermissionDenied
from broadcast.messages.approval import approve_message
from broadcast.messages.drafting import DirectiveChanges, correct_directive, import_directive
from broadcast.messages.editing import MessageChanges, add_message, edit_message, retire_message, revise_message
from broadcast.units.importer import import_units
from broadcast.vocabulary import MessageStatus
from tests.web.conftest import ACCOUNTS

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"BROADCAST_HOME": str(tmp_path / "home")})


@pytest.fixture
def office(database: Database, settings: Settings) -> Database:
    from broadcast.accounts.users import add_user

    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, settings.timezone)
        for username, (role, scope) in ACCOUNTS.items():
            add_user(db, username, f"Cán bộ {username}", role, scope, "mot-mat-khau-du-dai", now=NOW)
    return database


def actor(database: Database, username: str) -> Actor:
    with database.transaction() as db:
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor.of(user)


def changes(**overrides: object) -> MessageChanges:
    values: dict[str, object] = {
        "title": "Phòng cháy rừng",
        "text": "Bà con không đốt nương trong mùa khô.",
        "targets": ["legacy:183"],
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2026, 12, 3),
    }
    values.update(overrides)
    return MessageChanges(**values)  # type: ignore[arg-type]


def new_message(database: Database, who: Actor | None = None, **overrides: object) -> int:
    with database.transaction() as db:
        return add_message(db, changes(**overrides), NOW, actor=who).id


def test_add_edit_approve_retire_write_the_trail_with_snapshots(office: Database, settings: Settings) -> None:
    editor, approver = actor(office, "bientap"), actor(office, "caoloc")
    first = new_message(office, editor)
    with office.transaction() as db:
        edit_message(db, first, MessageChanges(title="Phòng cháy rừng mùa khô"), NOW, actor=editor)
        approve_message(db, settings, first, "ignored", NOW + timedelta(minutes=1), actor=approver)
        retire_message(db, first, NOW + timedelta(minutes=2), actor=approver)
        entries = list_entries(db, AuditFilter(kind="message"))
        unit_183 = entries[0].unit_id
    kinds = [(e.kind, e.actor, e.object_id) for e in reversed(entries)]
    assert kinds == [
        ("message.add", "bientap (Cán bộ bientap)", str(first)),
        ("message.edit", "bientap (Cán bộ bientap)", str(first)),
        ("message.approve", "caoloc (Cán bộ caoloc)", str(first)),
        ("message.retire", "caoloc (Cán bộ caoloc)", str(first)),
    ]
    add, edit, approve, retire = reversed(entries)
    assert add.before is None and add.after is not None and add.after["targets"] == ["legacy:183"]
    assert edit.before is not None and edit.after is not None
    assert (edit.before["title"], edit.after["title"]) == ("Phòng cháy rừng", "Phòng cháy rừng mùa khô")
    assert approve.after is not None and approve.after["approved_by"] == "Cán bộ caoloc"  # the account, not "ignored"
    assert retire.after is not None and retire.after["status"] == "retired"
    assert unit_183 is not None and {e.unit_id for e in entries} == {unit_183}


def test_the_cli_is_trusted_and_records_its_name(office: Database, settings: Settings) -> None:
    first = new_message(office, targets=["all"])
    with office.transaction() as db:
        message = approve_message(db, settings, first, "Trần Thị Hoa", NOW)
        assert message.approved_by == "Trần Thị Hoa"
        entry = list_entries(db, AuditFilter(kind="message.approve"))[0]
    assert entry.actor == "cli:Trần Thị Hoa" and entry.unit_id is None


def test_approving_twice_changes_nothing_and_says_who_approved(office: Database, settings: Settings) -> None:
    first = new_message(office)
    approver = actor(office, "caoloc")
    with office.transaction() as db:
        approve_message(db, settings, first, "", NOW, actor=approver)
    already = r"already approved by Cán bộ caoloc at 30/11/2026 09:00; nothing changed"
    with pytest.raises(MessageError, match=already), office.transaction() as db:
        approve_message(db, settings, first, "B", NOW + timedelta(hours=1))
    with office.transaction() as db:
        assert len(list_entries(db, AuditFilter(kind="message.approve"))) == 1


@pytest.mark.parametrize(
    ("change", "returned"),
    [
        (MessageChanges(text="Nội dung mới."), True),
        (MessageChanges(targets=["legacy:184"]), True),
        (MessageChanges(starts_on=date(2026, 12, 2)), True),
        (MessageChanges(ends_on=date(2026, 12, 9)), True),
        (MessageChanges(priority="priority"), True),
        (MessageChanges(per_day=2), True),
        (MessageChanges(title="Tiêu đề khác"), False),
        (MessageChanges(text="Bà con không đốt nương trong mùa khô."), False),  # the same text
    ],
)
def test_changing_what_was_approved_returns_it_to_draft(
    office: Database, settings: Settings, change: MessageChanges, returned: bool
) -> None:
    first = new_message(office)
    with office.transaction() as db:
        approve_message(db, settings, first, "A", NOW)
    with office.transaction() as db:
        revision = revise_message(db, first, change, NOW)
        status, approved_by = revision.message.status, revision.message.approved_by
        summary = list_entries(db, AuditFilter(kind="message.edit"))[0].summary
    assert revision.returned_to_draft is returned
    assert status == (MessageStatus.DRAFT if returned else MessageStatus.APPROVED)
    assert (approved_by is None) is returned
    assert ("tin trở về biên tập" in summary) is returned


@pytest.mark.parametrize(
    ("username", "targets"),
    [
        ("vanquan", ["legacy:183"]),  # an editor of another district
        ("bientap", ["legacy:185"]),  # a target outside the editor's district
        ("bientap", ["all"]),  # the whole country
        ("dai", ["legacy-06253"]),  # an operator may not write messages
    ],
)
def test_adding_outside_role_or_scope_is_refused(office: Database, username: str, targets: list[str]) -> None:
    with pytest.raises(PermissionDenied):
        new_message(office, actor(office, username), targets=targets)
    with office.transaction() as db:
        assert list_entries(db, AuditFilter(kind="message")) == []


def test_editing_approving_retiring_outside_scope_is_refused(office: Database, settings: Settings) -> None:
    first = new_message(office)
    other = actor(office, "vanquan")
    editor = actor(office, "bientap")
    with pytest.raises(PermissionDenied), office.transaction() as db:
        edit_message(db, first, MessageChanges(title="X"), NOW, actor=other)
    with pytest.raises(PermissionDenied), office.transaction() as db:  # moving it out of one's own scope
        edit_message(db, first, MessageChanges(targets=["legacy:185"]), NOW, actor=editor)
    with pytest.raises(PermissionDenied), office.transaction() as db:  # an editor may not approve
        approve_message(db, settings, first, "", NOW, actor=editor)
    with pytest.raises(PermissionDenied), office.transaction() as db:
        retire_message(db, first, NOW, actor=editor)
    with office.transaction() as db:
        assert [e.kind for e in list_entries(db, AuditFilter(kind="message"))] == ["message.add"]


def test_import_and_correct_a_directive_write_the_trail(office: Database) -> None:
    editor = actor(office, "bientap")
    with office.transaction() as db:
        stored = import_directive(db, FIXTURES / "ke_hoach.md", NOW, actor=editor).directive
        again = import_directive(db, FIXTURES / "ke_hoach.md", NOW, actor=editor)
        corrected = correct_directive(
            db, stored.id, DirectiveChanges(number="46/KH-UBND", issued_on="20/02/2022"), actor=editor, now=NOW
        )
        assert (corrected.number, corrected.issued_on, corrected.record["number"]) == (
            "46/KH-UBND",
            "2022-02-20",
            "46/KH-UBND",
        )
        entries = list_entries(db, AuditFilter(kind="directive"))
    assert not again.created
    assert [e.kind for e in entries] == ["directive.edit", "directive.import"]
    assert entries[0].before is not None and entries[0].before["number"] == "45/KH-UBND"
    with pytest.raises(BroadcastError) as error, office.transaction() as db:
        correct_directive(db, stored.id, DirectiveChanges(issued_on="31/02/2022"), actor=editor, now=NOW)
    assert error.value.field == "issued_on"
    with pytest.raises(MessageError) as error, office.transaction() as db:
        correct_directive(db, stored.id, DirectiveChanges(doc_type="letter"), actor=editor, now=NOW)
    assert error.value.field == "doc_type"
    with pytest.raises(PermissionDenied), office.transaction() as db:
        import_directive(db, FIXTURES / "ke_hoach.md", NOW, actor=actor(office, "dai"))
