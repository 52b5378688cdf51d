"""Writers of a results report over file objects: CSV and XLSX for offices (Vietnamese headers), JSON for scripts.

JSON keys, stable for scripts: `from`, `to` (ISO dates), `directive` (id or null), `under` (unit "scheme:code" or
null), `rows[]` and `totals` {`districts[]`, `provinces[]`, `all`}. A row has `scheme`, `province`,
`province_code`, `district`, `district_code` (null when the station has none), `station` (code), `station_name`,
`message_id`, `title`, `planned`, `played`, `failed`, `completion` (per cent, one decimal, or null when nothing was
planned). A total has `level` ("district", "province", "all"), `label`, the same place keys, `stations` (how many
stations have rows in it), `planned`, `played`, `failed` and `completion`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from broadcast.reports.results import Place, Report, ReportRow, Tally, Total

FORMATS = ("csv", "xlsx", "json")
TITLE = "BÁO CÁO KẾT QUẢ PHÁT THANH"
HEADERS = (
    "Tỉnh",
    "Huyện",
    "Mã đài",
    "Tên đài",
    "Mã tin",
    "Tiêu đề",
    "Số lần kế hoạch",
    "Số lần đã phát",
    "Không phát được",
    "Tỷ lệ hoàn thành (%)",
)
SUMMARY_HEADERS = (
    "Cấp",
    "Tỉnh",
    "Huyện",
    "Số đài",
    "Số lần kế hoạch",
    "Số lần đã phát",
    "Không phát được",
    "Tỷ lệ hoàn thành (%)",
)
LEVEL_NAMES = {"district": "Cấp huyện", "province": "Cấp tỉnh", "all": "Tổng cộng"}
NO_COMPLETION = "—"
LABEL_COLUMNS = 6  # a total's label spans the columns that name a station and a message


def period(report: Report) -> str:
    return f"Từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}"


def _name(place: Place | None) -> str:
    return place.name if place else ""


def _cells(line: ReportRow | Total) -> list[Any]:
    """One line of the detail table; a total carries its label in the first column."""
    tally = line.tally
    numbers = [tally.planned, tally.played, tally.failed, tally.completion]
    if isinstance(line, Total):
        return [line.label, "", "", "", "", "", *numbers]
    station = line.station
    return [_name(station.province), _name(station.district), station.code, station.name, line.message_id,
            line.title, *numbers]  # fmt: skip


def write_csv(report: Report, out: IO[str]) -> None:
    """CSV in UTF-8 with a byte-order mark, so Excel shows the Vietnamese; totals are rows labelled "Tổng cộng …"."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for line in report.lines():
        cells = _cells(line)
        completion = cells[-1]
        writer.writerow([*cells[:-1], NO_COMPLETION if completion is None else f"{completion:.1f}"])


def _place_json(place: Place | None, key: str) -> dict[str, Any]:
    return {key: place.name if place else None, f"{key}_code": place.code if place else None}


def _tally_json(tally: Tally) -> dict[str, Any]:
    return {"planned": tally.planned, "played": tally.played, "failed": tally.failed, "completion": tally.completion}


def _total_json(total: Total) -> dict[str, Any]:
    return {
        "level": total.level,
        "label": total.label,
        **_place_json(total.province, "province"),
        **_place_json(total.district, "district"),
        "stations": total.stations,
        **_tally_json(total.tally),
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "directive": report.directive_id,
        "under": report.under,
        "rows": [
            {
                "scheme": row.station.scheme,
                **_place_json(row.station.province, "province"),
                **_place_json(row.station.district, "district"),
                "station": row.station.code,
                "station_name": row.station.name,
                "message_id": row.message_id,
                "title": row.title,
                **_tally_json(row.tally),
            }
            for row in report.rows
        ],
        "totals": {
            "districts": [_total_json(t) for t in report.districts],
            "provinces": [_total_json(t) for t in report.provinces],
            "all": _total_json(report.total),
        },
    }


def write_json(report: Report, out: IO[str]) -> None:
    json.dump(report_json(report), out, ensure_ascii=False, indent=2)
    out.write("\n")


HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0"
MAX_WIDTH = 60
# Named styles: a cell takes one by name, far cheaper than setting font, fill and border cell by cell.
CELL_KINDS = ("text", "count", "percent", "none")


def _add_styles(book: Workbook) -> None:
    header = NamedStyle("Báo cáo: tiêu đề cột", font=Font(bold=True), fill=HEADER_FILL, border=BORDER)
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    book.add_named_style(header)
    for total in (False, True):
        for kind in CELL_KINDS:
            style = NamedStyle(_style_name(kind, total), border=BORDER, font=Font(bold=total))
            if total:
                style.fill = TOTAL_FILL
            if kind == "count":
                style.number_format = COUNT_FORMAT
            elif kind == "percent":
                style.number_format = PERCENT_FORMAT
            elif kind == "none":
                style.alignment = Alignment(horizontal="right")
            book.add_named_style(style)


def _style_name(kind: str, total: bool) -> str:
    return f"Báo cáo: {'tổng ' if total else ''}{kind}"


def _heading(sheet: Worksheet, report: Report, columns: int) -> int:
    """Title, period and filters above a table, centred across it; returns the header's row number."""
    lines = [TITLE, period(report), *report.scope]
    for number, text in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=True, size=14) if number == 1 else Font(italic=True)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=columns)
    return len(lines) + 2


def _table(
    sheet: Worksheet, header_row: int, headers: Sequence[str], lines: Sequence[tuple[list[Any], bool]], span: int = 1
) -> None:
    """Headers, then lines (cells, is_total) with counts and per cents formatted and totals in bold.

    With span > 1, a total's first cell (its label) is merged across that many columns.
    """
    for column, text in enumerate(headers, start=1):
        sheet.cell(row=header_row, column=column, value=text).style = "Báo cáo: tiêu đề cột"
    widths = [max(len(word) for word in text.split()) + 4 for text in headers]
    kinds = ["text"] * (len(headers) - 4) + ["count"] * 3 + ["percent"]  # planned, played, failed, then the per cent
    names = {total: [_style_name(kind, total) for kind in kinds] for total in (False, True)}
    missing = {total: _style_name("none", total) for total in (False, True)}
    for offset, (cells, is_total) in enumerate(lines, start=1):
        row = header_row + offset
        styles = names[is_total]
        for column, value in enumerate(cells, start=1):
            shown = NO_COMPLETION if value is None else value
            cell = sheet.cell(row=row, column=column, value=shown)
            cell.style = missing[is_total] if value is None else styles[column - 1]
            if not (is_total and column == 1 and span > 1):
                widths[column - 1] = max(widths[column - 1], min(len(str(shown)) + 2, MAX_WIDTH))
        if is_total and span > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_cells(total: Total) -> list[Any]:
    tally = total.tally
    province = _name(total.province) if total.level != "all" else ""
    return [LEVEL_NAMES[total.level], province, _name(total.district), total.stations, tally.planned, tally.played,
            tally.failed, tally.completion]  # fmt: skip


def write_xlsx(report: Report, out: IO[bytes]) -> None:
    """A workbook that opens in Excel and LibreOffice: sheet "Chi tiết" (rows and totals), sheet "Tổng hợp"."""
    book = Workbook()
    _add_styles(book)
    detail = book.active
    detail.title = "Chi tiết"
    header_row = _heading(detail, report, len(HEADERS))
    lines = [(_cells(line), isinstance(line, Total)) for line in report.lines()]
    _table(detail, header_row, HEADERS, lines, span=LABEL_COLUMNS)

    summary = book.create_sheet("Tổng hợp")
    header_row = _heading(summary, report, len(SUMMARY_HEADERS))
    districts: dict[Place | None, list[Total]] = {}
    for total in report.districts:
        districts.setdefault(total.province, []).append(total)
    ordered: list[Total] = []
    for province in report.provinces:
        ordered.extend(districts.pop(province.province, []))
        ordered.append(province)
    ordered.extend(t for rest in districts.values() for t in rest)  # districts outside any province, if any
    ordered.append(report.total)
    _table(summary, header_row, SUMMARY_HEADERS, [(_summary_cells(t), t.level != "district") for t in ordered])

    book.properties.title = f"{TITLE} — {period(report)}"
    book.properties.creator = "broadcast"
    book.save(out)


def render(report: Report, fmt: str) -> bytes:
    """The report as the bytes of a file in one of FORMATS."""
    if fmt == "xlsx":
        binary = io.BytesIO()
        write_xlsx(report, binary)
        return binary.getvalue()
    text = io.StringIO(newline="")
    if fmt == "csv":
        write_csv(report, text)
    elif fmt == "json":
        write_json(report, text)
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    return text.getvalue().encode("utf-8")
