"""Every command, given a mistake, says so in one `Error:` line: usage mistakes exit 2, mistakes in data exit 1.

The whole command tree is walked, so a new command or option is checked without being listed here; BAD_VALUES
must name every option that takes a value (the test says which one is missing).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import Result

from broadcast.cli import cli
from broadcast.cli.command import REPORT_HINT, command
from broadcast.errors import BroadcastError
from tests.cli.test_cli import ok
from tests.conftest import Invoke, make_invoke

HUGE_ID = "1180591620717411303424"  # 2**70: beyond SQLite's and PostgreSQL's 64-bit integers
STATION = "2025-06187"
FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"
PASSWORD = Path(__file__).with_name("password.txt")  # a good password, for commands that would prompt for one

# A wrong value for each parameter that takes one, by parameter name; None where no value is wrong (with why).
BAD_VALUES: dict[str, str | None] = {
    "config_file": "/nonexistent/broadcast.toml",
    "file": "/nonexistent/directive.txt",
    "message_id": HUGE_ID,
    "directive_id": HUGE_ID,
    "title": "   ",
    "text": "   ",
    "text_file": "/nonexistent/words.txt",
    "priority": "urgent",
    "targets": "99999",
    "starts_on": "32/13/2026",
    "ends_on": "2026-02-30",
    "per_day": "-1",
    "session_names": None,  # sessions may be set later; approval checks that the message fits one
    "weekdays": "someday",
    "by": "   ",
    "start": "32/13/2026",
    "end": "2026-13-01",
    "days": "-1",
    "hours": "0",
    "host": "no-such-host.invalid",
    "port": "http",
    "scheme": "1999",
    "province": "Atlantis",
    "under": "99999",
    "code": "no-such-code",
    "engine": "festival",
    "voice_region": "west",
    "rate": "200",
    "server": "not a server",
    "token": "",
    "folder": "/dev/null",
    "day": "2025-02-30",
    "retries": "0",
    "retry_wait": "-1",
    "player": "",
    "name": "",
    "length": "0m",
    "lexicon": "/nonexistent/lexicon.tsv",
    "station_code": "no-such-station",
    "voice": "west",
    "out": "/dev/null/out.file",
    "fmt": "pdf",
    "username": "Không hợp lệ!",
    "full_name": "   ",
    "role": "boss",
    "scope": "99999",
    "password_file": "/nonexistent/password.txt",
    "actor": None,  # any part of a name filters the trail, matching nothing at worst
    "kind": None,  # likewise
    "limit": "0",
    "server_name": "a;b",
    "listen": "eighty",
    "upstream": "8080",
    "export_root": "/srv/my export",
}
# Where one command's parameter needs another wrong value than the table's.
BAD_FOR = {
    ("sessions", "set", "start"): "25:00",
    ("sessions", "clear", "name"): None,  # clearing a session that is not there removes nothing, as asked
    ("speech", "normalize", "text"): None,  # any text can be read aloud
    ("report", "out"): "/dev/null/report.csv",
    ("users", "add", "by"): None,  # a blank name means the OS user, as when --by is not given
    ("users", "set", "by"): None,
    ("users", "disable", "by"): None,
    ("users", "passwd", "by"): None,
    ("audit", "list", "start"): "32/13/2026",
}
# Options given to a command besides those it requires, so that the one wrong value is what it stops at.
BASE = {
    ("message", "add"): {
        "title": "Thông báo", "text": "Xin chào.", "targets": "all", "starts_on": "2026-01-05", "ends_on": "2026-01-09",
    },
    ("stations", "set"): {"engine": "espeak"},
    ("preview",): {"text": "Xin chào."},  # a message id or a text
    ("users", "add"): {"password_file": str(PASSWORD)},
    ("users", "passwd"): {"password_file": str(PASSWORD)},
}  # fmt: skip


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Invoke, Path]]:
    """An initialised SQLite home with Lạng Sơn (2025 scheme), a directive and message 1; and a scratch folder."""
    tmp = tmp_path_factory.mktemp("mistakes")
    invoke = make_invoke(tmp / "home", f"sqlite:///{tmp / 'broadcast.db'}")
    ok(invoke, "init")
    ok(invoke, "units", "import", "--scheme", "2025", "--province", "lang son")
    ok(invoke, "directive", "import", str(FIXTURES / "ke_hoach.md"))
    ok(invoke, "users", "add", "hoa", "--name", "Trần Thị Hoa", "--role", "editor", "--scope", "20",
       "--password-file", str(PASSWORD))  # fmt: skip
    (tmp / "station").mkdir()
    yield invoke, tmp


def good_values(tmp: Path) -> dict[str, str]:
    """Right values for the parameters a command needs, so each run has exactly one mistake."""
    return {
        "message_id": "1",
        "by": "Chủ tịch UBND xã",
        "code": STATION,
        "scheme": "2025",
        "start": "2026-01-05",
        "end": "2026-01-31",
        "name": "sáng",
        "length": "30m",
        "server": "http://127.0.0.1:9",
        "token": "not-a-token",
        "folder": str(tmp / "station"),
        "retries": "1",
        "retry_wait": "0",
        "text": "Xin chào.",
        "file": str(FIXTURES / "ke_hoach.md"),
        "username": "hoa",
        "full_name": "Trần Thị Hoa",
        "role": "editor",
        "scope": "20",
    }


GOOD_FOR = {
    ("sessions", "set", "code"): "20",
    ("sessions", "set", "start"): "05:30",
    ("sessions", "clear", "code"): "20",
}


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every group and command under group, with the words that name it."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        assert sub is not None, name
        yield (*path, name), sub
        if isinstance(sub, click.Group):
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(cli))
LEAVES = [(path, sub) for path, sub in COMMANDS if not isinstance(sub, click.Group)]


def takes_value(param: click.Parameter) -> bool:
    return not (isinstance(param, click.Option) and (param.is_flag or param.count)) and param.name != "help"


def args_for(path: tuple[str, ...], sub: click.Command, wrong: click.Parameter, value: str, tmp: Path) -> list[str]:
    """The command line for path with the wrong value for one parameter and right ones for those it needs."""
    good = good_values(tmp)
    base = BASE.get(path, {})
    options: list[str] = []
    arguments: list[str] = []
    for param in sub.params:
        key = (*path, param.name or "")
        if param is wrong:
            given: str | None = value
        elif param.name in base:
            given = base[param.name or ""]
        elif param.required or (isinstance(param, click.Argument) and key in GOOD_FOR):
            given = GOOD_FOR.get(key, good.get(param.name or ""))
            assert given is not None, f"add a right value for {param.name} to good_values"
        else:
            continue
        if isinstance(param, click.Argument):
            arguments.append(given)
        else:
            assert isinstance(param, click.Option)
            options += [param.opts[0], given]
    return [*path, *options, "--", *arguments] if arguments else [*path, *options]


def one_clean_error(result: Result) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert REPORT_HINT not in output, output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    if result.exit_code == 1:
        assert result.stderr.strip().splitlines() == errors, result.stderr  # nothing printed before or after it
    return errors[0]


@pytest.mark.parametrize(("path", "sub"), [pytest.param(p, c, id=" ".join(p)) for p, c in COMMANDS])
def test_an_unknown_option_is_a_usage_error(office: tuple[Invoke, Path], path: tuple[str, ...], sub: object) -> None:
    invoke, _ = office
    result = invoke(*path, "--no-such-option")
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr
    assert "No such option: --no-such-option" in one_clean_error(result)


ALL_CASES = [(path, sub, param) for path, sub in LEAVES for param in sub.params if takes_value(param)]


def bad_value(path: tuple[str, ...], param: click.Parameter) -> str | None:
    key = (*path, param.name or "")
    return BAD_FOR[key] if key in BAD_FOR else BAD_VALUES.get(param.name or "")


# Parameters with no wrong value (free text such as a session name) are left out, said so in BAD_VALUES.
CASES = [
    pytest.param(path, sub, param, id=f"{' '.join(path)} {param.name}")
    for path, sub, param in ALL_CASES
    if bad_value(path, param) is not None
]


def test_every_parameter_has_a_wrong_value() -> None:
    missing = sorted({param.name or "" for _, _, param in ALL_CASES} - set(BAD_VALUES))
    assert missing == [], f"add a wrong value (or None, saying why) to BAD_VALUES for {missing}"


@pytest.mark.parametrize(("path", "sub", "param"), CASES)
def test_a_wrong_value_is_one_error_line(
    office: tuple[Invoke, Path], path: tuple[str, ...], sub: click.Command, param: click.Parameter
) -> None:
    invoke, tmp = office
    value = bad_value(path, param)
    assert value is not None
    result = invoke(*args_for(path, sub, param, value, tmp))
    assert result.exit_code in (1, 2), (result.stdout, result.stderr)
    one_clean_error(result)


def test_a_wrong_config_file_is_one_error_line(office: tuple[Invoke, Path]) -> None:
    invoke, _ = office
    result = invoke("--config", BAD_VALUES["config_file"] or "", "units", "list")
    assert result.exit_code == 1
    one_clean_error(result)


def test_an_error_names_the_option_of_its_field(office: tuple[Invoke, Path]) -> None:
    invoke, _ = office
    result = invoke("message", "add", "--title", "T", "--text", "Xin chào.", "--from", "32/13/2026")
    assert result.exit_code == 1
    assert one_clean_error(result).endswith("(--from)")


def test_a_field_the_command_has_no_option_for_is_shown_as_text() -> None:
    @command()
    @click.option("--from", "starts_on")
    def tiny(starts_on: str | None) -> None:
        raise BroadcastError("the first day is after the last", field="starts_on" if starts_on else "nothing")

    from click.testing import CliRunner

    named = CliRunner().invoke(tiny, ["--from", "x"])
    assert (named.exit_code, named.output) == (1, "Error: the first day is after the last (--from)\n")
    plain = CliRunner().invoke(tiny, [])
    assert (plain.exit_code, plain.output) == (1, "Error: the first day is after the last\n")


def run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BROADCAST_HOME": str(tmp / "home"), "BROADCAST_CONFIG": ""}
    env["BROADCAST_DATABASE_URL"] = f"sqlite:///{tmp / 'broadcast.db'}"
    env.pop("BROADCAST_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["message", "approve", HUGE_ID, "--by", "X"], f"Error: no message with id {HUGE_ID}"),
        (["directive", "parse", "{tmp}/broken.pdf"], "Error: broken.pdf is not a readable PDF"),
    ],
    ids=["huge-id", "damaged-pdf"],
)
def test_a_real_run_prints_only_the_error(office: tuple[Invoke, Path], args: list[str], message: str) -> None:
    _, tmp = office
    (tmp / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")  # pypdf logs "EOF marker not found"
    done = run([arg.format(tmp=tmp) for arg in args], tmp)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(message) and len(done.stderr.splitlines()) == 1, done.stderr


def test_an_unexpected_failure_is_one_line_asking_for_a_report(
    office: tuple[Invoke, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the disk fell off\nsecond line")

    monkeypatch.setattr("broadcast.messages.store.list_messages", broken)
    monkeypatch.delenv("BROADCAST_DEBUG", raising=False)
    invoke, _ = office
    result = invoke("message", "list")
    assert result.exit_code == 1
    assert result.stderr == f"Error: unexpected RuntimeError: the disk fell off; {REPORT_HINT}\n"
    monkeypatch.setenv("BROADCAST_DEBUG", "1")
    with pytest.raises(RuntimeError, match="the disk fell off"):
        invoke("message", "list")
