"""What people type at the CLI is checked where it is saved: one `Error:` line naming the flag, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke

WINDOW = ["--target", "all", "--from", "2026-11-27", "--to", "2026-11-27"]


@pytest.fixture
def office(invoke_any: Invoke) -> Invoke:
    ok(invoke_any, "init")
    ok(invoke_any, "units", "import", "--scheme", "legacy", "--province", "lang son")
    return invoke_any


@pytest.mark.parametrize(
    ("title", "text", "said"),
    [
        ("Phòng\x07 cháy", "Bà con chú ý.", "Error: --title holds an invisible control character (U+0007)"),
        ("\u202eyàhc gnòhP", "Bà con chú ý.", "Error: --title holds a text direction mark (U+202E)"),
        ("🔥🔥🔥", "Bà con chú ý.", "Error: --title has nothing to read"),
        ("Phòng cháy", "🎉 😀\n🎊", "Error: --text has nothing to read"),
        ("Phòng cháy", "\u200b\u200c", "Error: --text cannot be empty"),
        ("x" * 201, "Bà con chú ý.", "Error: --title has 201 characters; at most 200 are allowed"),
    ],
)
def test_message_text_that_cannot_be_shown_or_read_is_refused(office: Invoke, title: str, text: str, said: str) -> None:
    assert fails(office, "message", "add", "--title", title, "--text", text, *WINDOW).startswith(said)
    assert json.loads(ok(office, "message", "list", "--json")) == []


def test_pasted_zero_width_characters_are_dropped_not_refused(office: Invoke) -> None:
    number = ok(office, "message", "add", "--title", "Phòng\u200b cháy\ufeff", "--text", "Bà con\u200d chú ý.", *WINDOW)
    shown = json.loads(ok(office, "message", "show", number.strip(), "--json"))
    assert (shown["title"], shown["text"]) == ("Phòng cháy", "Bà con chú ý.")


def test_session_and_person_names_are_checked_too(office: Invoke, tmp_path: Path) -> None:
    said = fails(office, "sessions", "set", "20", "--name", "tối\x1b[31m", "--start", "19:00", "--length", "30m")
    assert said.startswith("Error: --name holds an invisible control character (U+001B)")
    said = fails(office, "sessions", "set", "20", "--name", "😴", "--start", "19:00", "--length", "30m")
    assert said.startswith("Error: --name has nothing to read")
    password = tmp_path / "password.txt"
    password.write_text("mot-mat-khau-du-dai\n", encoding="utf-8")
    said = fails(office, "users", "add", "hoa", "--name", "Trần\u202e Hoa", "--role", "editor", "--scope", "all",
                 "--password-file", str(password))  # fmt: skip
    assert said.startswith("Error: --name holds a text direction mark (U+202E)")
