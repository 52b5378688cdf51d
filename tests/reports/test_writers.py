"""The writers over file objects: CSV with a BOM and Vietnamese headers, JSON keys, an XLSX that spreadsheets open."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from broadcast.reports.writers import HEADERS, SUMMARY_HEADERS, TITLE, render, report_json, write_csv
from tests.reports.conftest import sample_report

ROW_KEYS = {
    "scheme", "province", "province_code", "district", "district_code", "station", "station_name", "message_id",
    "title", "planned", "played", "failed", "completion",
}  # fmt: skip
TOTAL_KEYS = {
    "level", "label", "province", "province_code", "district", "district_code", "stations", "planned", "played",
    "failed", "completion",
}  # fmt: skip


def parse_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_vietnamese_headers_rows_and_totals() -> None:
    table = parse_csv(render(sample_report(), "csv"))
    assert table[0] == list(HEADERS)
    assert table[0][-1] == "Tỷ lệ hoàn thành (%)"
    assert table[1] == [
        "Tỉnh Lạng Sơn", "Thành phố Lạng Sơn", "legacy-05977", "Đài Truyền thanh phường Đông Kinh", "1",
        "Phòng chống cháy rừng", "4", "2", "1", "50.0",
    ]  # fmt: skip
    assert table[2] == ["Tổng cộng thành phố Lạng Sơn", "", "", "", "", "", "4", "2", "1", "50.0"]
    by_label = {row[0]: row[6:] for row in table if row[0].startswith("Tổng cộng")}
    assert by_label == {
        "Tổng cộng thành phố Lạng Sơn": ["4", "2", "1", "50.0"],
        "Tổng cộng huyện Văn Quan": ["8", "7", "0", "75.0"],
        "Tổng cộng tỉnh Lạng Sơn": ["12", "9", "1", "66.7"],
        "Tổng cộng": ["12", "9", "1", "66.7"],
    }
    unplanned = next(row for row in table if row[5] == "Cảnh báo lũ quét")
    assert unplanned[6:] == ["0", "1", "0", "—"]
    assert table[-1][0] == "Tổng cộng"


def test_csv_lines_end_with_crlf() -> None:
    out = io.StringIO(newline="")
    write_csv(sample_report(), out)
    assert out.getvalue().count("\r\n") == len(list(sample_report().lines())) + 1


def test_json_keys_are_stable() -> None:
    data = json.loads(render(sample_report(), "json"))
    assert data == report_json(sample_report())
    assert set(data) == {"from", "to", "directive", "under", "rows", "totals"}
    assert (data["from"], data["to"], data["directive"], data["under"]) == ("2026-11-27", "2026-11-28", None, None)
    assert all(set(row) == ROW_KEYS for row in data["rows"])
    assert data["rows"][0] == {
        "scheme": "legacy",
        "province": "Tỉnh Lạng Sơn",
        "province_code": "20",
        "district": "Thành phố Lạng Sơn",
        "district_code": "178",
        "station": "legacy-05977",
        "station_name": "Đài Truyền thanh phường Đông Kinh",
        "message_id": 1,
        "title": "Phòng chống cháy rừng",
        "planned": 4,
        "played": 2,
        "failed": 1,
        "completion": 50.0,
    }
    assert data["rows"][-1]["completion"] is None
    totals = data["totals"]
    assert set(totals) == {"districts", "provinces", "all"}
    assert all(set(t) == TOTAL_KEYS for t in [*totals["districts"], *totals["provinces"], totals["all"]])
    assert [t["district_code"] for t in totals["districts"]] == ["178", "184"]
    assert totals["all"] == {
        "level": "all", "label": "Tổng cộng", "province": None, "province_code": None, "district": None,
        "district_code": None, "stations": 3, "planned": 12, "played": 9, "failed": 1, "completion": 66.7,
    }  # fmt: skip


def load_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_detail_sheet_has_title_period_frozen_headers_and_bold_totals() -> None:
    book = load_workbook(render(sample_report(), "xlsx"))
    assert book.sheetnames == ["Chi tiết", "Tổng hợp"]
    sheet = book["Chi tiết"]
    assert sheet["A1"].value == TITLE == "BÁO CÁO KẾT QUẢ PHÁT THANH"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Từ ngày 27/11/2026 đến ngày 28/11/2026"
    assert sheet["A3"].value == "Địa bàn: Tỉnh Lạng Sơn"
    header = 5
    assert [c.value for c in sheet[header]] == list(HEADERS)
    assert all(c.font.bold for c in sheet[header])
    assert sheet.freeze_panes == f"A{header + 1}"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=header + 1)]
    assert values[0] == [
        "Tỉnh Lạng Sơn", "Thành phố Lạng Sơn", "legacy-05977", "Đài Truyền thanh phường Đông Kinh", 1,
        "Phòng chống cháy rừng", 4, 2, 1, 50.0,
    ]  # fmt: skip
    assert values[1][0] == "Tổng cộng thành phố Lạng Sơn" and values[1][6:] == [4, 2, 1, 50.0]
    assert values[-1][0] == "Tổng cộng" and values[-1][6:] == [12, 9, 1, 66.7]
    assert [row[9] for row in values if row[5] == "Cảnh báo lũ quét"] == ["—"]
    total_row = header + 2
    assert sheet.cell(row=total_row, column=7).font.bold and not sheet.cell(row=header + 1, column=7).font.bold
    assert f"A{total_row}:F{total_row}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(row=header + 1, column=7).number_format == "#,##0"
    assert sheet.cell(row=header + 1, column=10).number_format == "0.0"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["E"].width


def test_xlsx_summary_sheet_lists_districts_then_their_province() -> None:
    sheet = load_workbook(render(sample_report(), "xlsx"))["Tổng hợp"]
    header = 5
    assert [c.value for c in sheet[header]] == list(SUMMARY_HEADERS)
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=header + 1)]
    assert values == [
        ["Cấp huyện", "Tỉnh Lạng Sơn", "Thành phố Lạng Sơn", 1, 4, 2, 1, 50.0],
        ["Cấp huyện", "Tỉnh Lạng Sơn", "Huyện Văn Quan", 2, 8, 7, 0, 75.0],
        ["Cấp tỉnh", "Tỉnh Lạng Sơn", None, 3, 12, 9, 1, 66.7],
        ["Tổng cộng", None, None, 3, 12, 9, 1, 66.7],
    ]
    assert sheet.cell(row=header + 3, column=1).font.bold


def test_xlsx_opens_in_libreoffice(tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(render(sample_report(), "xlsx"))
    command = [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
               "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "out"), str(source)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    table = list(csv.reader(io.StringIO((tmp_path / "out" / "bao-cao.csv").read_text("utf-8"))))
    assert table[0][0] == "BÁO CÁO KẾT QUẢ PHÁT THANH"
    assert table[4] == list(HEADERS)
    assert table[5][2:4] == ["legacy-05977", "Đài Truyền thanh phường Đông Kinh"]
    assert table[5][6:] == ["4", "2", "1", "50.0"]
    assert table[-1][0] == "Tổng cộng" and table[-1][6:] == ["12", "9", "1", "66.7"]
