"""`broadcast build` through the CLI: what could not be spoken is said, with why, and the rest is published."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import update

from broadcast.db import open_database
from broadcast.db.models import Message, Station
from tests.cli.test_cli import ok
from tests.conftest import Invoke

STATION = "2025-06187"
WINDOW = ["--from", "2026-11-27", "--to", "2026-11-27"]


def test_build_says_which_message_could_not_be_spoken_and_why(invoke: Invoke, sqlite_url: str, tmp_path: Path) -> None:
    ok(invoke, "init")
    ok(invoke, "units", "import", "--scheme", "2025", "--province", "lang son")
    database = open_database(sqlite_url)
    with database.transaction() as db:  # one station on air keeps the build small
        db.execute(update(Station).where(Station.code != STATION).values(active=False))
    database.dispose()
    numbers = []
    for title, text in (("Phòng cháy", "Bà con không đốt nương rẫy."), ("Chúc mừng", "Ngày hội đại đoàn kết.")):
        numbers.append(ok(invoke, "message", "add", "--title", title, "--text", text, "--target", "all", *WINDOW))
        ok(invoke, "message", "approve", numbers[-1].strip(), "--by", "Cán bộ")
    good, bad = (int(n) for n in numbers)
    database = open_database(sqlite_url)
    with database.transaction() as db:  # stored before the checks existed
        db.execute(update(Message).where(Message.id == bad).values(text="🎉🎊"))
    database.dispose()

    out = ok(invoke, "build", "--from", "2026-11-27")
    assert "2 messages, 1 station-day, 1 shortfall." in out and "Published 1 station-day (0 unchanged" in out
    assert "Re-planned 1 audience-day with the real lengths before publishing." in out
    assert f"shortfall 2026-11-27 message {bad}: 0 of 1 — cannot be read aloud: nothing to say" in out
    assert f"message {good}:" not in out
    manifest = tmp_path / "home" / "export" / "stations" / STATION / "2026-11-27.json"
    assert f'"message_id":{good},' in manifest.read_text(encoding="utf-8")  # compact JSON
    timing = re.search(r"Time: rendered (\d+) clips in [\d.]+ s \(reused (\d+)\); published 1 station-day in", out)
    assert timing and int(timing[1]) > 0 and int(timing[2]) == 0

    again = ok(invoke, "build", "--from", "2026-11-27")
    timing = re.search(r"Time: rendered 0 clips in [\d.]+ s \(reused (\d+)\); published 1 station-day in", again)
    assert timing and int(timing[1]) > 0, again
