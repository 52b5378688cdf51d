"""The office day end to end, as Cao Lộc's approver does it in a real browser against a real `broadcast serve`.

Upload a directive; edit one of its drafts; target two communes typed without diacritics; set tomorrow's window;
approve; plan and build tomorrow; find the message in a targeted station's timetable; play its preview; download
the XLSX report; see the approval in the audit trail. Any page error or console error fails the day.

Only the two targeted communes' stations get a session (tomorrow morning, so whatever the hour the test runs, the
message is approved before it); the province's default sessions are cleared, so the build renders a few segments,
not 205 stations'.
"""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import Browse, Site

DIRECTIVE = Path(__file__).parents[1] / "directives" / "fixtures" / "ke_hoach.md"
TITLE = "Phòng, chống lũ quét và sạt lở đất"
TEXT = (
    "Khi có lũ quét, sạt lở đất, bà con không đi qua ngầm tràn, suối khi nước lũ dâng cao; "
    "di chuyển ngay đến nơi an toàn theo hướng dẫn của chính quyền."
)
# (typed without diacritics, the commune's name, its station's code) — communes of Huyện Cao Lộc (legacy:183)
COMMUNES = (
    ("cao lau", "Xã Cao Lâu", "legacy-06196"),
    ("hai yen", "Xã Hải Yến", "legacy-06220"),
)
SESSION = "sáng"
BUILD_SECONDS = 240


def session_start(site: Site) -> tuple[datetime, str]:
    """Tomorrow at the stations, and the session's start on it (HH:MM): any hour the test runs, it has not begun."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1), "06:30"


def only_our_sessions(site: Site, start: str) -> None:
    """No province-wide sessions; one morning session on each targeted commune's station."""
    with sqlite3.connect(site.database) as db:
        has_own = db.execute(
            "SELECT COUNT(*) FROM sessions s JOIN units u ON u.id = s.unit_id"
            " WHERE u.scheme = 'legacy' AND u.code = '20'"
        ).fetchone()[0]
    if has_own:
        site.broadcast("sessions", "clear", "legacy:20")
    for _typed, _name, station in COMMUNES:
        site.broadcast("sessions", "set", station, "--name", SESSION, "--start", start, "--length", "15m")


def test_the_office_day_end_to_end(site: Site, browse: Browse, tmp_path: Path) -> None:
    day, start = session_start(site)
    today = day.strftime("%d/%m/%Y")  # the day on air: tomorrow
    only_our_sessions(site, start)
    page = browse.page
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    browse.sign_in("caoloc")

    # Upload a directive through the file input.
    browse.open("/directives", "directives")
    page.locator("input[type=file][name=file]").set_input_files(str(DIRECTIVE))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên").click()
    browse.shot("directive-uploaded")
    assert re.search(r"/directives/\d+", page.url), page.url
    assert "Đã nhập văn bản" in page.locator("main").inner_text()
    # The drafts for broadcast (the others only go to offices).
    drafts = page.locator("main tbody tr").filter(has=page.locator("td:last-child", has_text=re.compile("^Có$")))
    assert drafts.count() >= 1, page.locator("main").inner_text()

    # Open a draft and edit it.
    with page.expect_navigation():
        drafts.first.locator("a[href^='/messages/']").click()
    browse.shot("draft")
    message_url = page.url.split("?")[0]
    message_id = int(message_url.rsplit("/", 1)[1])
    with page.expect_navigation():
        page.get_by_role("link", name="Sửa", exact=True).click()
    browse.shot("draft-edit-form")
    form = page.locator("form.message-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=text]").fill(TEXT)
    # The reading listeners will hear follows the text as one types.
    expect(page.locator("#message-reading")).to_contain_text("sạt lở")

    # Targets: two communes of Cao Lộc, found by their names typed without diacritics.
    targets = form.locator("#message-targets")
    targets.fill("")
    search = form.locator("#unit-search")
    for typed, name, _station in COMMUNES:
        search.fill("")
        search.press_sequentially(typed, delay=30)
        choice = page.locator("#unit-results button", has_text=f"{name} (Xã,")
        choice.first.wait_for()
        choice.first.click()
    refs = targets.input_value().split()
    assert len(refs) == 2 and all(ref.startswith("legacy:") for ref in refs), refs

    # The window: today only, once a day, in any session, every day of the week.
    form.locator("input[name=starts_on]").fill(today)
    form.locator("input[name=ends_on]").fill(today)
    form.locator("input[name=per_day]").fill("1")
    form.locator("input[name=sessions]").fill("")
    for box in form.locator("input[name=weekdays]").all():
        box.check()
    browse.shot("draft-edit-form-filled")
    with page.expect_navigation():
        form.get_by_role("button", name="Lưu").click()
    browse.shot("draft-saved")
    assert page.url.startswith(message_url), page.locator("main").inner_text()
    shown = page.locator("main").inner_text()
    assert TITLE in shown and "Đã lưu thay đổi" in shown
    for ref in refs:
        assert ref in shown

    # Approve, in the signed-in approver's name.
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Duyệt")).click()
    browse.shot("approved")
    assert "Người duyệt: Cán bộ caoloc" in page.locator("main").inner_text()

    # Plan and build today.
    browse.open("/timetable/build", "build")
    page.locator("form.build-form input[name=start]").fill(today)
    page.locator("form.build-form input[name=days]").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Lập lịch và dựng").click()
    page.locator(".build-run .run-done, .build-run .run-failed").wait_for(timeout=BUILD_SECONDS * 1000)
    browse.shot("build-done")
    run = page.locator(".build-run").inner_text()
    assert "Xong" in run, run

    # The timetable of one targeted commune's station: the message at its time, in the session.
    station = COMMUNES[0][2]
    browse.open(f"/timetable?station={station}&day={today}", "timetable")
    row = page.locator("tr.tt-message", has_text=TITLE)
    assert row.count() == 1, page.locator("main").inner_text()
    at = row.locator("td").first.inner_text().strip()
    assert re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", at) and at[:5] >= start, (at, start)
    assert f"Buổi {SESSION} · {start}" in page.locator("main").inner_text()

    # The preview: the audio element has loaded a duration.
    browse.open(f"/listen/message/{message_id}", "listen")
    player = page.locator("audio.listen-player")
    # The page's CSP forbids eval, so wait in Python for the metadata (the first request renders the speech).
    deadline = time.monotonic() + 120
    while player.evaluate("el => el.readyState") < 1 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    duration = player.evaluate("el => el.duration")
    assert duration > 0, duration
    browse.shot("listen-loaded")

    # The results report, downloaded as XLSX and read.
    browse.open(f"/reports?start={datetime.now(ZoneInfo('Asia/Ho_Chi_Minh')):%d/%m/%Y}&end={today}", "reports")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải XLSX").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    cells = [
        str(cell)
        for sheet in load_workbook(saved, read_only=True).worksheets
        for row_values in sheet.iter_rows(values_only=True)
        for cell in row_values
        if cell is not None
    ]
    assert any(TITLE in cell or "Cao Lâu" in cell for cell in cells), cells[:40]

    # The audit trail shows the approval by the signed-in approver.
    browse.open("/audit", "audit")
    approvals = page.locator("tbody tr", has_text="message.approve")
    assert approvals.count() >= 1
    assert "Cán bộ caoloc" in approvals.first.inner_text()

    assert problems == []
