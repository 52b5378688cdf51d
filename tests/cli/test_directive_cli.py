"""`broadcast directive …` and `broadcast message …` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"
RECORD_KEYS = {
    "doc_type", "number", "notation", "issuer", "issuer_parent", "place", "issued_on", "urgency", "subject",
    "recipients", "references", "sections", "signer", "cc", "broadcast_hints",
}  # fmt: skip


@pytest.fixture
def initialised(invoke: Invoke) -> Invoke:
    ok(invoke, "init")
    return invoke


def test_parse_prints_json_with_the_contract_keys(invoke: Invoke) -> None:
    record = json.loads(ok(invoke, "directive", "parse", str(FIXTURES / "ke_hoach.md"), "--json"))
    assert set(record) >= RECORD_KEYS
    assert record["doc_type"] == "ke_hoach"
    assert record["signer"] == {
        "name": "Nguyễn Văn Thắng",
        "title": "Phó Chủ tịch",
        "authority": record["signer"]["authority"],
    }


def test_parse_needs_no_database(invoke: Invoke) -> None:
    summary = ok(invoke, "directive", "parse", str(FIXTURES / "ke_hoach.md"))
    assert "Kế hoạch số 45/KH-UBND" in summary
    assert "Yêu cầu phát: 3 lần/ngày, từ 2022-04-09 đến 2022-04-13" in summary


def test_import_list_show_and_messages(initialised: Invoke) -> None:
    out = ok(initialised, "directive", "import", str(FIXTURES / "ke_hoach.md"))
    assert "Imported directive 1: 4 draft messages, 1 for broadcast, 3 for offices only." in out
    assert "already imported as directive 1; nothing changed." in ok(
        initialised, "directive", "import", str(FIXTURES / "ke_hoach.md")
    )
    listed = json.loads(ok(initialised, "directive", "list", "--json"))
    assert [(d["id"], d["doc_type"], d["number"], d["messages"]) for d in listed] == [(1, "ke_hoach", "45/KH-UBND", 4)]
    shown = json.loads(ok(initialised, "directive", "show", "1", "--json"))
    assert set(shown["record"]) >= RECORD_KEYS and len(shown["messages"]) == 4
    messages = json.loads(ok(initialised, "message", "list", "--json"))
    assert all({"id", "title", "status", "for_broadcast", "directive_id"} <= set(m) for m in messages)
    assert [m["for_broadcast"] for m in messages] == [False, True, False, False]
    assert {m["status"] for m in messages} == {"draft"}
    assert "Message 4 saved: draft, for broadcast." in ok(initialised, "message", "edit", "4", "--for-broadcast")
    assert json.loads(ok(initialised, "message", "show", "4", "--json"))["for_broadcast"] is True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n", "is empty"),
        ("binary.txt", bytes(range(256)), "is not text in a known encoding"),
        ("scan.jpg", b"\xff\xd8\xff", "scan.jpg is not a readable image"),
        ("note.txt", "Chiều nay họp tổ dân phố.\n".encode(), "not a directive"),
    ],
)
def test_bad_files_fail_in_one_line_and_store_nothing(
    initialised: Invoke, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert message in fails(initialised, "directive", "import", str(path))
    assert message in fails(initialised, "directive", "parse", str(path))
    assert json.loads(ok(initialised, "directive", "list", "--json")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["directive", "show", "7"], "no directive with id 7"),
        (["message", "show", "7"], "no message with id 7"),
        (["message", "edit", "7", "--title", "x"], "no message with id 7"),
        (["message", "edit", "1"], "nothing to change"),
        (["directive", "import", "/nonexistent/x.txt"], "cannot read /nonexistent/x.txt"),
    ],
)
def test_lookups_fail_in_one_line(initialised: Invoke, args: list[str], message: str) -> None:
    assert message in fails(initialised, *args)
