"""`broadcast message add|edit|approve|retire` and `broadcast plan` through the CLI."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke

WINDOW = ["--from", "2026-11-27", "--to", "27/11/2026"]


@pytest.fixture
def office(invoke_any: Invoke) -> Invoke:
    ok(invoke_any, "init")
    ok(invoke_any, "units", "import", "--scheme", "legacy", "--province", "lang son")
    return invoke_any


def add(invoke: Invoke, *extra: str) -> int:
    args = ["message", "add", "--title", "Phòng cháy rừng", "--text", "Bà con không đốt nương trong mùa khô."]
    return int(ok(invoke, *args, *extra).strip())


def test_add_approve_plan(office: Invoke) -> None:
    first = add(office, "--target", "184", "--target", "legacy-06187", *WINDOW, "--per-day", "2")
    shown = json.loads(ok(office, "message", "show", str(first), "--json"))
    assert (shown["status"], shown["targets"], shown["per_day"]) == ("draft", ["legacy:184", "legacy-06187"], 2)
    assert (shown["from"], shown["to"]) == ("2026-11-27", "2026-11-27")
    assert "approved by Trần Thị Hoa" in ok(office, "message", "approve", str(first), "--by", "Trần Thị Hoa")
    again = ok(office, "message", "approve", str(first), "--by", "Người khác")  # nothing to do is no failure
    assert f"Message {first} is already approved by Trần Thị Hoa at " in again and "nothing changed" in again
    assert json.loads(ok(office, "message", "show", str(first), "--json"))["approved_by"] == "Trần Thị Hoa"
    out = json.loads(ok(office, "plan", "--from", "2026-11-27", "--days", "1", "--json"))
    assert out["messages"] == 1 and out["station_days"] == 205 and out["shortfalls"] == []
    assert out["items"] == (15 + 1 + 1) * 2  # Văn Quan's 15 communes, its district station and one commune, twice


def test_add_json_and_session_restrictions(office: Invoke) -> None:
    args = ["--target", "all", *WINDOW, "--sessions", "chiều", "--weekdays", "mon-fri", "--priority", "priority"]
    created = json.loads(ok(office, "message", "add", "--title", "T", "--text", "Thông báo.", *args, "--json"))
    assert (created["sessions"], created["weekdays"], created["priority"]) == (["chiều"], "mon-fri", "priority")


def test_editing_text_returns_an_approved_message_to_draft(office: Invoke) -> None:
    first = add(office, "--target", "all", *WINDOW)
    ok(office, "message", "approve", str(first), "--by", "A")
    assert "saved: approved" in ok(office, "message", "edit", str(first), "--title", "Tiêu đề mới")
    assert "returned it to draft" in ok(office, "message", "edit", str(first), "--to", "2026-11-30")
    ok(office, "message", "approve", str(first), "--by", "A")
    assert "saved: draft" in ok(office, "message", "edit", str(first), "--text", "Nội dung mới.")
    ok(office, "message", "retire", str(first))
    assert json.loads(ok(office, "message", "show", str(first), "--json"))["status"] == "retired"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "all", "--from", "2026-11-30", "--to", "2026-11-27"], "ends (2026-11-27) before it starts"),
        (["--target", "999", *WINDOW], "no unit with code '999'"),
        (["--target", "all", "--from", "30/02/2026", "--to", "2026-11-27"], "cannot read date '30/02/2026'"),
        (["--target", "all", *WINDOW, "--per-day", "0"], "--per-day must be between 1 and 24"),
        (["--target", "all", *WINDOW, "--weekdays", "someday"], "cannot read weekdays"),
        ([*WINDOW], "a new message needs --target"),
    ],
)
def test_add_mistakes(office: Invoke, args: list[str], message: str) -> None:
    base = ["message", "add", "--title", "T", "--text", "Thông báo."]
    assert message in fails(office, *base, *args)


def test_approval_refuses_a_message_longer_than_any_session(office: Invoke) -> None:
    long_text = "Bà con chú ý thực hiện nghiêm các biện pháp phòng chống dịch bệnh. " * 600  # about 36 minutes
    first = int(ok(office, "message", "add", "--title", "Dài", "--text", long_text, "--target", "all", *WINDOW).strip())
    error = fails(office, "message", "approve", str(first), "--by", "A")
    assert f"message {first} lasts about " in error and "longer than any session it could go in" in error
    assert "longest: sáng, 30 min" in error
    assert json.loads(ok(office, "message", "show", str(first), "--json"))["status"] == "draft"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--not-for-broadcast"], "is marked for offices only"),
        (["--sessions", "trưa"], "has no session named trưa"),
    ],
)
def test_approval_mistakes(office: Invoke, extra: list[str], message: str) -> None:
    first = add(office, "--target", "all", *WINDOW, *extra)
    assert message in fails(office, "message", "approve", str(first), "--by", "A")


def test_plan_with_nothing_approved(office: Invoke) -> None:
    add(office, "--target", "all", *WINDOW)
    assert "nothing to plan" in fails(office, "plan", "--from", "2026-11-27")
    assert "--days must be between" in fails(office, "plan", "--days", "0")


def test_plan_reports_shortfalls(office: Invoke) -> None:
    first = add(office, "--target", "184", *WINDOW, "--per-day", "3")
    ok(office, "message", "approve", str(first), "--by", "A")
    out = ok(office, "plan", "--from", "2026-11-27")
    assert f"message {first} «Phòng cháy rừng»: 2 of 3 — asks for 3 a day but only 2 sessions run" in out
    assert "and 11 more" in out  # 16 stations in Văn Quan, five named


def test_approving_an_emergency_queues_it_for_the_service(office: Invoke, db_url: str) -> None:
    from sqlalchemy import create_engine, text

    urgent = add(office, "--target", "20", *WINDOW, "--priority", "emergency")
    normal = add(office, "--target", "20", *WINDOW)
    out = ok(office, "message", "approve", str(urgent), "--by", "Chủ tịch UBND")
    assert "stations play it within seconds" in out
    ok(office, "message", "approve", str(normal), "--by", "Chủ tịch UBND")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        queued = [tuple(row) for row in conn.execute(text("SELECT message_id, done_at FROM emergency_queue"))]
    engine.dispose()
    assert queued == [(urgent, None)]  # the emergency only, waiting for `broadcast serve`
