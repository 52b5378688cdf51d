"""`broadcast report` end to end on SQLite and PostgreSQL: formats, filters, destinations and refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from broadcast.cli import report as report_cli
from broadcast.db import Database
from broadcast.reports.writers import HEADERS
from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke
from tests.reports.conftest import (
    DISTRICT_TOTALS,
    EXPECTED,
    PROVINCE_TOTAL,
    VAN_QUAN,
    VAN_QUAN_DISTRICT,
    Period,
    populate,
)

PERIOD = ("--from", "2026-11-27", "--to", "28/11/2026")


@pytest.fixture
def cli_period(invoke_any: Invoke, database: Database) -> tuple[Invoke, Period]:
    """The fixture period in the database that `invoke_any` uses."""
    return invoke_any, populate(database)


def as_counts(period: Period, rows: list[dict]) -> dict:
    return {(r["station"], r["message_id"]): (r["planned"], r["played"], r["failed"], r["completion"]) for r in rows}


def test_json_report_matches_the_fixture(cli_period: tuple[Invoke, Period]) -> None:
    invoke, period = cli_period
    data = json.loads(ok(invoke, "report", *PERIOD, "--format", "json"))
    assert as_counts(period, data["rows"]) == {period.key(c, m): v for (c, m), v in EXPECTED.items()}
    totals = data["totals"]
    assert {t["district_code"]: (t["stations"], t["planned"], t["played"], t["failed"], t["completion"])
            for t in totals["districts"]} == DISTRICT_TOTALS  # fmt: skip
    assert [(t["stations"], t["planned"], t["played"], t["failed"], t["completion"]) for t in totals["provinces"]] == [
        PROVINCE_TOTAL
    ]
    assert totals["all"]["planned"] == 16 and totals["all"]["played"] == 14


def test_csv_to_stdout_is_the_default(cli_period: tuple[Invoke, Period]) -> None:
    invoke, period = cli_period
    result = invoke("report", *PERIOD, "--directive", str(period.directive), "--under", "184")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert table[0] == list(HEADERS)
    assert [row[2] for row in table[1:4]] == [VAN_QUAN_DISTRICT, VAN_QUAN, "legacy-06256"]
    assert {row[4] for row in table[1:4]} == {str(period.messages["fire"])}
    assert [row[0] for row in table[4:]] == ["Tổng cộng huyện Văn Quan", "Tổng cộng tỉnh Lạng Sơn", "Tổng cộng"]
    assert table[-1][6:] == ["7", "6", "1", "85.7"]


def test_xlsx_to_a_file(cli_period: tuple[Invoke, Period], tmp_path: Path) -> None:
    invoke, period = cli_period
    out = tmp_path / "bao-cao" / "thang-11.xlsx"  # the folder is made; the format comes from the extension
    said = ok(invoke, "report", *PERIOD, "--out", str(out))
    assert said.strip() == (
        f"Wrote {out}: 8 rows for 4 stations from 2026-11-27 to 2026-11-28; "
        "planned 16, played 14, failed 2, completion 75.0%."
    )
    book = openpyxl.load_workbook(out)
    sheet = book["Chi tiết"]
    assert sheet["A2"].value == "Từ ngày 27/11/2026 đến ngày 28/11/2026"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]  # no filters: no scope line
    assert rows[0] == list(HEADERS)
    assert rows[-1][0] == "Tổng cộng" and rows[-1][6:] == [16, 14, 2, 75.0]
    detail = {(r[2], r[4]): tuple(r[6:]) for r in rows[1:] if r[2]}
    assert detail[(VAN_QUAN, period.messages["vaccine"])] == (2, 1, 1, 50.0)


def test_xlsx_to_a_pipe_writes_the_workbook_bytes(cli_period: tuple[Invoke, Period]) -> None:
    invoke, _ = cli_period
    result = invoke("report", *PERIOD, "--format", "xlsx", "--under", "legacy:06253")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))["Chi tiết"]
    assert sheet["A3"].value == "Địa bàn: Thị trấn Văn Quan, Huyện Văn Quan, Tỉnh Lạng Sơn"


def test_refusals_are_one_line_and_leave_no_file(
    cli_period: tuple[Invoke, Period], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke, _ = cli_period
    out = tmp_path / "r.xlsx"
    backwards = ("--from", "28/11/2026", "--to", "2026-11-27")
    assert "is before --from" in fails(invoke, "report", *backwards, "--out", str(out))
    assert "no directive with id 999" in fails(invoke, "report", *PERIOD, "--directive", "999", "--out", str(out))
    assert "no unit with code '98765'" in fails(invoke, "report", *PERIOD, "--under", "98765", "--out", str(out))
    assert "cannot read date" in fails(invoke, "report", "--from", "31/02/2026", "--to", "2026-11-27")
    assert "cannot tell the format" in fails(invoke, "report", *PERIOD, "--out", str(tmp_path / "r.pdf"))
    assert "looks like xlsx but" in fails(invoke, "report", *PERIOD, "--format", "csv", "--out", str(out))
    assert not out.exists() and list(tmp_path.glob("r.*")) == []
    monkeypatch.setattr(report_cli, "stdout_is_terminal", lambda: True)
    assert "write it with --out FILE.xlsx" in fails(invoke, "report", *PERIOD, "--format", "xlsx")


def test_an_unwritable_destination_is_one_line(cli_period: tuple[Invoke, Period], tmp_path: Path) -> None:
    invoke, _ = cli_period
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert "cannot write" in fails(invoke, "report", *PERIOD, "--out", str(blocker / "r.csv"))


def test_before_init_it_says_to_run_init(invoke: Invoke) -> None:
    assert "broadcast init" in fails(invoke, "report", *PERIOD)
