"""Every library error an office page can show reads in whole Vietnamese (broadcast.web.vietnamese)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

import broadcast.errors
from broadcast.accounts.passwords import check_strength
from broadcast.accounts.users import add_user
from broadcast.audit import Actor
from broadcast.build_runs import plan_days
from broadcast.errors import BroadcastError, MessageError
from broadcast.jobs import approve
from broadcast.messages.drafting import import_upload
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.reports.results import load_report
from broadcast.times import parse_day
from broadcast.units.clock import SessionClock, check_no_overlap
from broadcast.units.sessions import clear_sessions
from broadcast.web.vietnamese import find_rule, vi_message
from tests.web.conftest import NOW, PASSWORD, Office

ROOT = Path(broadcast.errors.__file__).parent
ENGLISH = re.compile(r"\b(cannot|must|message|session|give|check|not|the|is|has|no|unknown|nothing|try)\b", re.I)
DAY = date(2026, 12, 1)


def _message(office: Office, **changes: object) -> int:
    base = {"title": "Phòng cháy rừng", "text": "Người dân chú ý phòng cháy rừng.", "targets": ["legacy:183"]}
    values = {**base, "starts_on": DAY, "ends_on": date(2026, 12, 5), **changes}
    with office.database.transaction() as db:
        return add_message(db, MessageChanges(**values), NOW).id  # type: ignore[arg-type]


def _two_sessions(office: Office) -> None:
    check_no_overlap([SessionClock.parse("sáng", "05:30", "1h"), SessionClock.parse("trưa", "06:00", "30m")], "Cao Lộc")


def _upload(name: str, data: bytes) -> Callable[[Office], object]:
    def upload(office: Office) -> object:
        with office.database.transaction() as db:
            return import_upload(db, name, data, NOW)

    return upload


def _approve_long(office: Office) -> None:
    number = _message(office, text=" ".join(["Người dân chú ý phòng cháy rừng."] * 1000))  # about 32 minutes
    approve(office.database, office.settings, number, "Cán bộ caoloc", NOW)


def _approve_twice(office: Office) -> None:
    number = _message(office)
    approve(office.database, office.settings, number, "Cán bộ caoloc", NOW)
    approve(office.database, office.settings, number, "Cán bộ caoloc", NOW)


def _add_user(username: str, password: str = PASSWORD) -> Callable[[Office], object]:
    def add(office: Office) -> object:
        with office.database.transaction() as db:
            return add_user(db, username, "Cán bộ mới", "editor", "legacy:183", password, now=NOW)

    return add


def _clear(office: Office) -> object:
    with office.database.transaction() as db:
        return clear_sessions(db, "legacy:183", "khuya")


def _report(office: Office) -> object:
    with office.database.transaction() as db:
        return load_report(db, date(2026, 12, 5), date(2026, 12, 1))


# (what a person did, through the real library call) → what the page must say (every fragment, in Vietnamese).
CASES: dict[str, tuple[Callable[[Office], object], tuple[str, ...]]] = {
    "bad date": (lambda o: parse_day("32/13/2026", field="starts_on"),
                 ("Ngày bắt đầu: không đọc được ngày «32/13/2026»", "dd/mm/yyyy")),
    "per day out of range": (lambda o: _message(o, per_day=99), ("Số lần mỗi ngày phải từ 1 đến", "không phải 99")),
    "window reversed": (lambda o: _message(o, ends_on=date(2026, 11, 20)),
                        ("Ngày kết thúc (20/11/2026) đứng trước ngày bắt đầu (01/12/2026)",)),
    "empty title": (lambda o: _message(o, title="   "), ("Tiêu đề không được để trống.",)),
    "unknown target": (lambda o: _message(o, targets=["legacy:999999"]), ("Không có đơn vị mã «legacy:999999».",)),
    "too long to approve": (_approve_long, ("dài khoảng", "phút", "giây", "dài hơn mọi buổi phát", "buổi dài nhất")),
    "approved twice": (_approve_twice, ("đã được Cán bộ caoloc duyệt lúc", "không có gì thay đổi")),
    "sessions overlap": (_two_sessions, ("Các buổi phát của Cao Lộc bị trùng giờ", "sáng 05:30-06:30 hằng ngày")),
    "past midnight": (lambda o: SessionClock.parse("khuya", "23:50", "1h"), ("Buổi «khuya» kéo dài qua nửa đêm",)),
    "no such session": (_clear, ("không có buổi phát nào tên «khuya»",)),
    "weak password": (lambda o: check_strength("ngan", "moi"), ("Mật khẩu cần có ít nhất",)),
    "taken user name": (_add_user("bientap"), ("Tên đăng nhập «bientap» đã có người dùng",)),
    "bad user name": (_add_user("Ô"), ("Tên đăng nhập «Ô» phải dài 2 đến 64 ký tự",)),
    "unreadable upload": (_upload("latin.txt", b"abc\x00def"), ("Không nhận ra bảng mã của tệp này",)),
    "upload of an .exe": (_upload("virus.exe", b"MZ"), ("Tệp loại .exe không được nhận",)),
    "not a directive": (_upload("ghi-chu.txt", b"mua rau"), ("Đây không giống một văn bản",)),
    "report period reversed": (_report, ("Đến ngày 01/12/2026 đứng trước Từ ngày 05/12/2026",)),
    "too many days to plan": (lambda o: plan_days(o.database, o.settings, Actor.cli(), DAY, 400, NOW),
                              ("Số ngày phải từ 1 đến",)),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_refusal_reads_in_vietnamese(office: Office, case: str) -> None:
    act, wanted = CASES[case]
    with pytest.raises(BroadcastError) as caught:
        act(office)
    shown = vi_message(caught.value)
    for fragment in wanted:
        assert fragment in shown, (case, shown)
    assert not ENGLISH.search(shown), (case, shown)


def test_an_error_no_rule_reads_falls_back_to_its_class() -> None:
    assert vi_message(MessageError("a brand new complaint")) == "Không lưu được tin này; hãy kiểm tra lại các mục."
    assert vi_message(MessageError("a brand new complaint", field="title")).startswith("Tiêu đề: ")
    assert vi_message(BroadcastError("oops")).startswith("Không thực hiện được")


# Where a library error can reach an office page: the packages the routes in broadcast/web/pages call into.
REACHABLE = (
    "web/pages", "messages", "directives", "units", "accounts", "planning", "reports", "audio", "speech",
    "build_runs.py", "build.py", "listening.py", "preview.py", "times.py", "locks.py", "files.py",
)  # fmt: skip
# Left out, on purpose: station/ and server/ (the stations' client and API), export/ (a build's publishing, its
# errors reach the build page only as ExportError's class sentence), speech/engines/ (engine internals, reported by
# class), cli/, config.py, jobs.py' settings and db/ (a broken config or database stops the server before any page).
SKIPPED = ("speech/engines", "units/dataset.py", "units/importer.py")  # units are imported by the CLI only
# Errors whose text a page never shows: the 403 page says the same for every PermissionDenied.
SILENT = {"PermissionDenied"}
# Raises whose text is not a literal, with a sample of what they say; each sample must be read by a rule too.
# Raises whose text is made at run time, keyed by file and the message's own source (not its line, which moves).
DYNAMIC = {
    # _message(path, what) adds the lock holder to "another build is running" and friends
    ("locks.py", "_message(path, 'a build is already running in this thread')"): "a build is already running in "
    "this thread (pid 12 since 2026-12-01 02:00:00); try again when it finishes",
    ("locks.py", "_message(path, 'another build is running')"): "another build is running; try again when it finishes",
    # SessionError(str(exc), field=…) names the field of a SessionError already raised in clock.py
    ("units/clock.py", "str(exc)"): "cannot read time '25:99'; write it as HH:MM, e.g. 05:30",
    # NotFoundError(str(exc)) passes on a UnitsError's text (tree.py)
    ("web/pages/units.py", "str(exc)"): "unknown scheme 'x' in 'x:1'; write legacy:CODE or 2025:CODE",
    # rate_problem(rate) in speech/style.py words a speaking rate out of range, for both raises
    ("units/station_settings.py", "problem"): "{rate} must be 70 to 130 (per cent of the normal pace, 100 is normal), "
    "not 40",
    ("speech/style.py", "problem"): "{rate} must be 70 to 130 (per cent of the normal pace, 100 is normal), not 200",
}
ERRORS = {name for name, kind in vars(broadcast.errors).items() if isinstance(kind, type)} - {"label"}


def _files() -> Iterator[Path]:
    for entry in REACHABLE:
        path = ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if not any(str(file.relative_to(ROOT)).startswith(skip) for skip in SKIPPED):
                yield file


def _sample(node: ast.expr) -> str | None:
    """The text an f-string would give, each value written as 7 (quoted when !r); None when it is no literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            else:
                assert isinstance(part, ast.FormattedValue)
                parts.append("'7'" if part.conversion == ord("r") else "7")
        return "".join(parts)
    return None


def _raises() -> Iterator[tuple[str, int, str, str | None, str]]:
    for file in _files():
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            name = node.exc.func.id if isinstance(node.exc.func, ast.Name) else ""
            if name in ERRORS and name not in SILENT and node.exc.args:
                message = node.exc.args[0]
                yield str(file.relative_to(ROOT)), node.lineno, name, _sample(message), ast.unparse(message)


def test_every_library_text_a_page_can_show_has_a_vietnamese_rule() -> None:
    found = list(_raises())
    assert len(found) > 80  # the scan sees the library
    unread = []
    for where, line, name, text, source in found:
        sample = DYNAMIC.get((where, source)) if text is None else text
        if sample is None:
            unread.append(f"{where}:{line} {name}: its text is no literal; add a sample to DYNAMIC")
        elif find_rule(sample) is None:
            unread.append(f"{where}:{line} {name}({sample!r}): no rule in broadcast.web.vietnamese reads it")
    assert not unread, "\n".join(unread)


def test_every_dynamic_sample_is_still_a_raise() -> None:
    seen = {(where, source) for where, _, _, text, source in _raises() if text is None}
    assert set(DYNAMIC) <= seen
