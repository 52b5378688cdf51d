"""Lịch phát: a station's built day, a unit's audiences, the week, scope, and plan and build from the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from broadcast.audit import AuditFilter, list_entries
from broadcast.build_runs import RunState, find_run, wait_for
from broadcast.export.manifest import manifest_path
from tests.web.built import DAY, STATION, Built, make_office
from tests.web.conftest import csrf_of, sign_in


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    office = make_office(tmp_path_factory.mktemp("timetable"))
    yield office
    office.database.dispose()


def test_a_built_day_shows_every_part_with_its_time_and_the_shortfalls(built: Built) -> None:
    client = built.client()
    sign_in(client, "tinh")
    page = client.get(f"/timetable?station={STATION}&day=01/12/2026")
    assert page.status_code == 200
    html = page.text
    assert "Thứ Ba, 01/12/2026" in html and "đã dựng bản tin" in html
    assert "Buổi sáng · 05:30–05:45" in html and "<td>05:30:00</td>" in html
    assert "Phòng cháy &lt;b&gt;rừng&lt;/b&gt;" in html and "<b>rừng</b>" not in html  # typed markup, escaped
    assert "cần 3 lần mỗi ngày nhưng chỉ có 1 buổi phát" in html  # the shortfall's reason, in Vietnamese
    assert f"/timetable/session/{STATION}/2026-12-01/0.mp3" in html
    assert "day=30%2F11%2F2026" in html and "day=02%2F12%2F2026" in html  # previous and next day


def test_an_operator_lands_on_its_own_station_and_sees_no_other(built: Built) -> None:
    client = built.client()
    sign_in(client, "dai")
    page = client.get("/timetable?day=01/12/2026")
    assert page.status_code == 200 and "Đài Truyền thanh thị trấn Văn Quan" in page.text
    assert client.get("/timetable?station=legacy-06256").status_code == 403
    assert client.get("/timetable?unit=legacy:184").status_code == 403
    assert client.get("/timetable/build").status_code == 403


def test_another_districts_station_is_refused(built: Built) -> None:
    client = built.client()
    sign_in(client, "caoloc")  # Huyện Cao Lộc; the station is in Huyện Văn Quan
    page = client.get(f"/timetable?station={STATION}&day=01/12/2026")
    assert page.status_code == 403 and "Không có quyền" in page.text and "Phòng cháy" not in page.text
    assert client.get("/timetable?unit=legacy:184").status_code == 403
    listed = client.get("/timetable?q=van+quan")
    assert listed.status_code == 200 and STATION not in listed.text


def test_search_a_unit_and_the_week(built: Built) -> None:
    client = built.client()
    sign_in(client, "tinh")
    found = client.get("/timetable?q=thi+tran+van+quan")
    assert found.status_code == 200 and f"station={STATION}" in found.text
    unit = client.get("/timetable?unit=legacy:184&day=01/12/2026")
    assert unit.status_code == 200 and "Chương trình 1: 1 đài · 2 tin" in unit.text
    week = client.get(f"/timetable?station={STATION}&day=01/12/2026&view=week")
    assert week.status_code == 200 and week.text.count("<tr><td><a href=") == 7 and "Tuần sau" in week.text
    unit_week = client.get("/timetable?unit=legacy:20&day=01/12/2026&view=week")
    assert unit_week.status_code == 200 and "Chủ nhật 06/12/2026" in unit_week.text


def test_bad_input_gives_the_form_or_a_404_never_a_500(built: Built) -> None:
    client = built.client()
    sign_in(client, "tinh")
    bad = client.get(f"/timetable?station={STATION}&day=31/02/2026")
    assert bad.status_code == 422 and "field-error" in bad.text
    assert client.get("/timetable?station=nope").status_code == 404
    assert client.get("/timetable?unit=legacy:99999").status_code == 404
    assert client.get(f"/timetable/session/{STATION}/2026-12-09/0.mp3").status_code == 404
    assert client.get(f"/timetable/session/{STATION}/not-a-day/0.mp3").status_code == 404
    assert client.get(f"/timetable/audio/{STATION}/2026-12-01/{'0' * 64}.mp3").status_code == 404


def test_an_approver_plans_and_builds_from_the_page(tmp_path: Path) -> None:
    office = make_office(tmp_path, build=False)
    client = office.client()
    sign_in(client, "bientap")
    assert client.get("/timetable/build").status_code == 403  # an editor may not
    csrf = sign_in(client, "caoloc")
    page = client.get("/timetable/build")
    assert page.status_code == 200 and csrf_of(page.text) == csrf

    bad = client.post("/timetable/build", data={"csrf": csrf, "start": "32/12/2026", "days": "0", "action": "plan"})
    assert bad.status_code == 422 and bad.text.count("field-error") == 2
    planned = client.post("/timetable/build", data={"csrf": csrf, "start": "01/12/2026", "days": "1", "action": "plan"})
    assert planned.status_code == 200 and "Đã lập lịch 1 ngày từ 01/12/2026" in planned.text

    started = client.post(
        "/timetable/build", data={"csrf": csrf, "start": "01/12/2026", "days": "1"}, follow_redirects=False
    )
    assert started.status_code == 303
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    run = find_run(run_id)
    assert run is not None
    assert wait_for(run, 120).state is RunState.DONE, run.error
    assert client.get(f"/timetable/build/{run_id}/status").json() == {"state": "done", "label": "Xong"}
    shown = client.get(f"/timetable/build/{run_id}")
    assert "Xong" in shown.text and "1 ngày đã xuất" in shown.text
    assert (office.settings.export_root / manifest_path(STATION, DAY)).is_file()
    with office.database.transaction() as db:
        kinds = [(e.kind, e.actor, e.after) for e in list_entries(db, AuditFilter(kind="plan"))]
    assert kinds[0][:2] == ("plan.build", "caoloc (Cán bộ caoloc)") and kinds[0][2] == {
        "start": "2026-12-01",
        "days": 1,
    }
    assert kinds[1][0] == "plan.plan"
    assert client.get("/timetable/build/999999").status_code == 404
    office.database.dispose()
