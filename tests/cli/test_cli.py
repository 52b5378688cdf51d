"""The CLI end to end, in-process with CliRunner (catch_exceptions=False: a traceback fails the test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Invoke


def ok(invoke: Invoke, *args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.output


def fails(invoke: Invoke, *args: str) -> str:
    """Run a command that must fail with one line on stderr and exit code 1; return that line."""
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def lang_son(invoke_any: Invoke) -> Invoke:
    """A database on each backend with Lạng Sơn imported in the legacy scheme."""
    ok(invoke_any, "init")
    ok(invoke_any, "units", "import", "--scheme", "legacy", "--province", "lang son")
    return invoke_any


def test_init_is_a_no_op_the_second_time(invoke_any: Invoke) -> None:
    assert "Created database" in ok(invoke_any, "init")
    assert re.search(r"is up to date \(schema \d{4}\)", ok(invoke_any, "init"))


def test_init_says_how_to_make_the_first_admin_until_there_is_one(invoke: Invoke, tmp_path: Path) -> None:
    hint = 'make the first admin with: broadcast users add admin --name "Quản trị" --role admin --scope all --generate'
    assert hint in ok(invoke, "init")
    assert hint in ok(invoke, "init")  # still no account: still the hint
    password = tmp_path / "password.txt"
    password.write_text("mot-mat-khau-du-dai\n", encoding="utf-8")
    ok(invoke, "users", "add", "tinh", "--name", "Cán bộ tỉnh", "--role", "admin", "--scope", "all",
       "--password-file", str(password))  # fmt: skip
    assert "first admin" not in ok(invoke, "init")


def test_commands_before_init_say_to_run_init(invoke: Invoke) -> None:
    for args in (["units", "list"], ["stations", "list"], ["units", "import", "--scheme", "2025"]):
        assert "is not initialised; run `broadcast init`" in fails(invoke, *args)


def test_import_prints_counts_and_is_idempotent(invoke_any: Invoke) -> None:
    ok(invoke_any, "init")
    first = ok(invoke_any, "units", "import", "--scheme", "2025", "--province", "LẠNG SƠN")
    assert "1 province (1 new, 0 updated), 65 communes (65 new, 0 updated)" in first
    assert "Stations created: 65; default sessions created: 2." in first
    again = ok(invoke_any, "units", "import", "--scheme", "2025", "--province", "lang son")
    assert "65 communes (0 new, 0 updated)" in again and "Stations created: 0" in again


def test_units_list_json(lang_son: Invoke) -> None:
    units = json.loads(ok(lang_son, "units", "list", "--json"))
    assert len(units) == 1 + 11 + 194
    assert {"code": "20", "name": "Tỉnh Lạng Sơn", "kind": "province", "parent": None, "scheme": "legacy"} in units
    under = json.loads(ok(lang_son, "units", "list", "--under", "184", "--json"))
    assert {u["parent"] for u in under if u["kind"] == "commune"} == {"184"}
    assert [u["code"] for u in under if u["kind"] == "district"] == ["184"]


def test_units_list_table_is_vietnamese_nfc(lang_son: Invoke) -> None:
    out = ok(lang_son, "units", "list", "--under", "184")
    assert out.splitlines()[0].split() == ["code", "name", "kind", "parent", "scheme"]
    assert "Thị trấn Văn Quan" in out


def test_stations_list_and_show(lang_son: Invoke) -> None:
    stations = json.loads(ok(lang_son, "stations", "list", "--under", "184", "--json"))
    assert len(stations) == 1 + 15  # Văn Quan district's station and its 15 communes
    first = stations[0]
    assert set(first) >= {"code", "name", "kind", "unit"}
    shown = json.loads(ok(lang_son, "stations", "show", "legacy-06253", "--json"))
    assert shown["name"] == "Đài Truyền thanh thị trấn Văn Quan"
    assert [(s["name"], s["start"], s["end"], s["weekdays"]) for s in shown["sessions"]] == [
        ("sáng", "05:30", "06:00", "daily"),
        ("chiều", "17:00", "17:30", "daily"),
    ]
    assert shown["sessions_from"] == {"type": "province", "code": "legacy:20", "name": "Tỉnh Lạng Sơn"}
    table = ok(lang_son, "stations", "show", "legacy-06253")
    assert "sáng     05:30  06:00  30m     daily     Tỉnh Lạng Sơn (legacy:20)" in table


def test_sessions_set_show_and_clear(lang_son: Invoke) -> None:
    out = ok(lang_son, "sessions", "set", "184", "--name", "trưa", "--start", "11:00", "--length", "45m")
    assert "Added session trưa 11:00-11:45 daily on Huyện Văn Quan (legacy:184)." in out
    assert "instead of those of Tỉnh Lạng Sơn (legacy:20)" in out
    shown = json.loads(ok(lang_son, "stations", "show", "legacy-06253", "--json"))
    assert [s["name"] for s in shown["sessions"]] == ["trưa"]
    assert shown["sessions_from"]["code"] == "legacy:184"
    args = ["--name", "sáng", "--start", "5:30", "--length", "30m", "--weekdays", "t2-t6"]
    ok(lang_son, "sessions", "set", "legacy-06253", *args)
    assert "sáng     05:30  06:00  30m     mon-fri   this station" in ok(lang_son, "stations", "show", "legacy-06253")
    assert "Removed 1 session from" in ok(lang_son, "sessions", "clear", "legacy-06253")
    assert "Huyện Văn Quan (legacy:184)" in ok(lang_son, "stations", "show", "legacy-06253")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stations", "show", "legacy-99999"], "no station with code 'legacy-99999'"),
        (["units", "list", "--under", "999"], "no unit with code '999'"),
        (["units", "import", "--scheme", "2025", "--province", "lang sonn"], "did you mean Lạng Sơn?"),
        (["sessions", "set", "20", "--name", "x", "--start", "5h7x", "--length", "30m"], "cannot read time '5h7x'"),
        (["sessions", "set", "20", "--name", "x", "--start", "24:00", "--length", "30m"], "is not a time of day"),
        (["sessions", "set", "20", "--name", "x", "--start", "05:00", "--length", "soon"], "cannot read length"),
        (
            ["sessions", "set", "20", "--name", "x", "--start", "05:00", "--length", "1h", "--weekdays", "xyz"],
            "weekdays",
        ),
        (["sessions", "set", "20", "--name", "sớm", "--start", "05:00", "--length", "1h"], "sessions overlap on Tỉnh"),
        (["sessions", "clear", "184"], "has no sessions of its own"),
        (["sessions", "clear", "20", "--name", "trưa"], "has no session named 'trưa'"),
    ],
)
def test_user_mistakes_get_one_line_and_exit_1(lang_son: Invoke, args: list[str], message: str) -> None:
    assert message in fails(lang_son, *args)


def test_ambiguous_code_across_schemes(lang_son: Invoke) -> None:
    ok(lang_son, "units", "import", "--scheme", "2025", "--province", "lang son")
    assert "write legacy:20 or 2025:20" in fails(lang_son, "stations", "list", "--under", "20")
    assert len(json.loads(ok(lang_son, "stations", "list", "--under", "2025:20", "--json"))) == 65


def test_bad_config_file_is_one_line(invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("database_url = [", encoding="utf-8")
    assert "is not valid TOML" in fails(invoke, "--config", str(bad), "init")
    assert "does not exist" in fails(invoke, "--config", str(tmp_path / "missing.toml"), "init")


def test_config_file_in_home_sets_default_sessions(tmp_path: Path, sqlite_url: str) -> None:
    from tests.conftest import make_invoke

    home = tmp_path / "home"
    home.mkdir()
    (home / "broadcast.toml").write_text(
        'default_sessions = [{name = "sáng", start = "06:00", length = "45m", weekdays = "mon-sat"}]\n',
        encoding="utf-8",
    )
    invoke = make_invoke(home, sqlite_url)
    ok(invoke, "init")
    ok(invoke, "units", "import", "--scheme", "2025", "--province", "20")
    shown = json.loads(ok(invoke, "stations", "show", "2025-06187", "--json"))
    assert [(s["name"], s["start"], s["minutes"], s["weekdays"]) for s in shown["sessions"]] == [
        ("sáng", "06:00", 45, "mon-sat")
    ]


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    env = {"BROADCAST_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "broadcast", "units", "list"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: database sqlite:///{tmp_path}/broadcast.db is not initialised; run `broadcast init`"
    ]
    version = subprocess.run(
        [sys.executable, "-m", "broadcast", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("broadcast, version ")
