"""Báo cáo: the results report with filters, a chart, CSV and XLSX downloads, within scope."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime

import openpyxl
import pytest

from broadcast.db.models import PlayLog
from broadcast.planning.service import plan_range
from broadcast.units.tree import find_station
from broadcast.vocabulary import PlayStatus
from tests.web.built import DAY, STATION, Built, make_office
from tests.web.conftest import NOW, sign_in

QUERY = "start=01/12/2026&end=01/12/2026"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Planned (not built) for DAY; the station says it played the first message and failed the second."""
    built = make_office(tmp_path_factory.mktemp("reports"), build=False)
    with built.database.transaction() as db:
        plan_range(db, built.settings, DAY, 1, NOW)
        station = find_station(db, STATION)
        at = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
        for entry, message_id, status in (
            ("a", built.message_id, PlayStatus.PLAYED),
            ("b", built.short_id, PlayStatus.FAILED),
        ):
            log = PlayLog(station_id=station.id, entry_id=entry, day=DAY, session="sáng", kind="message")
            log.message_id, log.started_at, log.duration, log.status, log.received_at = message_id, at, 3.0, status, at
            db.add(log)
    yield built
    built.database.dispose()


def test_the_report_shows_a_table_and_a_chart_with_escaped_titles(office: Built) -> None:
    client = office.client()
    sign_in(client, "tinh")
    page = client.get(f"/reports?{QUERY}")
    assert page.status_code == 200
    html = page.text
    assert "Từ ngày 01/12/2026 đến ngày 01/12/2026" in html
    assert "Phòng cháy &lt;b&gt;rừng&lt;/b&gt;" in html and "<b>rừng</b>" not in html
    assert "<svg" in html and "Đài Truyền thanh thị trấn Văn Quan (1/2)" in html  # played 1 of 2 planned
    assert "Tổng cộng huyện Văn Quan" in html and "50.0" in html
    assert "/reports/download.xlsx?start=01%2F12%2F2026" in html


def test_csv_has_the_bom_and_vietnamese_headers(office: Built) -> None:
    client = office.client()
    sign_in(client, "tinh")
    response = client.get(f"/reports/download.csv?{QUERY}&unit=legacy:184")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="bao-cao-2026-12-01-2026-12-01.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTỉnh,Huyện,Mã đài,Tên đài,Mã tin,Tiêu đề,Số lần kế hoạch")
    assert "Phòng cháy <b>rừng</b>" in text  # data, not markup: a CSV shows what was typed


def test_xlsx_opens_with_openpyxl(office: Built) -> None:
    client = office.client()
    sign_in(client, "tinh")
    response = client.get(f"/reports/download.xlsx?{QUERY}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["content-disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Tên đài" in cells and "Đài Truyền thanh thị trấn Văn Quan" in cells


def test_another_district_and_an_operator_are_refused(office: Built) -> None:
    client = office.client()
    sign_in(client, "caoloc")
    assert client.get(f"/reports?{QUERY}&unit=legacy:184").status_code == 403
    assert client.get(f"/reports/download.csv?{QUERY}&unit=legacy:184").status_code == 403
    own = client.get(f"/reports?{QUERY}")  # its own district: nothing of Văn Quan's
    assert own.status_code == 200 and "Văn Quan" not in own.text
    operator = office.client()
    sign_in(operator, "dai")
    assert operator.get(f"/reports?{QUERY}").status_code == 403


def test_bad_filters_come_back_beside_their_fields(office: Built) -> None:
    client = office.client()
    sign_in(client, "tinh")
    bad = client.get("/reports?start=99/99/2026&end=01/12/2026&directive=abc")
    assert bad.status_code == 422 and bad.text.count("field-error") == 2
    backwards = client.get("/reports?start=02/12/2026&end=01/12/2026")
    assert backwards.status_code == 422 and "Đến ngày" in backwards.text
    assert client.get(f"/reports?{QUERY}&directive=424242").status_code == 422
    assert client.get(f"/reports?{QUERY}&unit=legacy:99999").status_code == 404
    assert client.get(f"/reports/download.pdf?{QUERY}").status_code == 404
    assert client.get("/reports/download.csv?start=xx").status_code == 422
