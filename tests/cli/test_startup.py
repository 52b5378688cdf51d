"""Fast start: `broadcast --help` and quick commands load neither the web server, the scheduler nor speech."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from broadcast.cli import COMMANDS, cli
from tests.cli.test_cli import ok
from tests.conftest import Invoke

HEAVY = (
    "fastapi", "uvicorn", "openpyxl", "pydub", "apscheduler", "httpx", "pypdf", "docx", "alembic",
    "broadcast.speech", "broadcast.audio",
)  # fmt: skip

# Runs the CLI in a fresh interpreter, then writes the names of every module it imported to the file in argv[2].
PROBE = """
import json, sys
from broadcast.cli import main
out = sys.argv[2]
sys.argv = ["broadcast", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as done:
    status = done.code
with open(out, "w") as file:
    json.dump({"status": status, "modules": sorted(sys.modules)}, file)
"""


def loaded_modules(args: list[str], home: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_CONFIG": ""}
    env.pop("BROADCAST_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), str(out)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert result["status"] in (0, None), done.stderr
    modules: list[str] = result["modules"]
    return modules


def heavy_among(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(name + ".") for name in HEAVY)]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    env = {**os.environ, "BROADCAST_HOME": str(tmp_path / "home"), "BROADCAST_CONFIG": ""}
    env.pop("BROADCAST_DATABASE_URL", None)
    for args in (
        ["init"],
        [
            "message",
            "add",
            "--title",
            "T",
            "--text",
            "Xin chào.",
            "--target",
            "all",
            "--from",
            "2026-01-05",
            "--to",
            "2026-01-09",
        ],
    ):
        subprocess.run([sys.executable, "-m", "broadcast", *args], env=env, check=True, capture_output=True)
    return tmp_path / "home"


@pytest.mark.parametrize("args", [["--help"], ["message", "list", "--json"]], ids=["help", "message-list"])
def test_quick_commands_import_nothing_heavy(args: list[str], home: Path, tmp_path: Path) -> None:
    modules = loaded_modules(args, home, tmp_path)
    assert heavy_among(modules) == []
    if args == ["--help"]:
        assert "sqlalchemy" not in modules
        assert [m for m in modules if m.startswith("broadcast.cli.")] == ["broadcast.cli.command"]


# Streamed listings read plain rows through SQLAlchemy Core: the ORM and the models are a third of their start-up.
LISTINGS = [["stations", "list", "--json"], ["stations", "list", "--under", "20"], ["units", "list", "--json"]]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_listings_import_neither_the_orm_nor_the_models(args: list[str], home: Path, tmp_path: Path) -> None:
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_CONFIG": ""}
    env.pop("BROADCAST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "broadcast", "units", "import", "--scheme", "legacy", "--province", "20"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    modules = loaded_modules(args, home, tmp_path)
    assert "sqlalchemy" in modules  # the probe did read the database
    assert heavy_among(modules) == []
    slow = [m for m in modules if m.startswith(("sqlalchemy.orm", "broadcast.db.models", "broadcast.units.tree"))]
    assert slow == []


def test_the_station_status_loads_no_results_report_nor_openpyxl(home: Path, tmp_path: Path) -> None:
    modules = loaded_modules(["stations", "status", "--json"], home, tmp_path)
    assert "broadcast.reports.status" in modules
    assert [m for m in modules if m.startswith(("openpyxl", "broadcast.reports.results", "broadcast.reports.w"))] == []


def test_a_listing_still_refuses_a_database_with_an_older_schema(home: Path) -> None:
    import sqlite3

    with sqlite3.connect(home / "broadcast.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_CONFIG": ""}
    env.pop("BROADCAST_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "broadcast", "stations", "list", "--json"], env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"Error: database sqlite:///{home / 'broadcast.db'} has an older schema (0001); "
        "run `broadcast init` to upgrade it"
    ]


def test_help_lists_every_command_with_the_short_help_it_has(invoke: Invoke) -> None:
    shown = ok(invoke, "--help")
    ctx = click.Context(cli)
    for name, entry in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None, name
        assert command.get_short_help_str(limit=200) == entry.short_help, name
        assert entry.short_help in shown and name in shown


def test_report_formats_match_the_writers() -> None:
    from broadcast.cli.report import FORMATS
    from broadcast.reports.writers import FORMATS as WRITTEN

    assert tuple(FORMATS) == tuple(WRITTEN)


def test_the_schema_head_read_from_the_files_is_alembics(tmp_path: Path) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from broadcast.db.database import MIGRATIONS, _head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert _head_revision() == ScriptDirectory.from_config(config).get_current_head()
