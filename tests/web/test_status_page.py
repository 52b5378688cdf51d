"""Tình trạng đài: the page lists and maps only the stations in the visitor's scope, one dot each, escaped."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from broadcast.db.models import Station, StationContact, Unit
from broadcast.times import utc_now
from broadcast.units.tree import find_unit, subtree_unit_ids
from tests.web.conftest import Office, sign_in

DOT = re.compile(
    r'<circle class="dot" cx="[0-9.]+" cy="[0-9.]+" r="[0-9.]+" fill="(#[0-9a-f]{6})">'
    r"<title>([^<]*)</title>"
)


def _stations_under(office: Office, ref: str) -> set[str]:
    with office.database.transaction() as db:
        ids = subtree_unit_ids(db, find_unit(db, ref))
        return set(db.scalars(select(Station.code).where(Station.unit_id.in_(ids), Station.active.is_(True))))


def _dots(html: str) -> list[tuple[str, str]]:
    return DOT.findall(html)


def test_the_page_needs_a_signed_in_visitor(office: Office) -> None:
    response = office.app_client().get("/status", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/status"


def test_a_province_admin_sees_every_station_of_the_province_on_the_map(office: Office) -> None:
    client = office.app_client()
    sign_in(client, "tinh")
    page = client.get("/status")
    assert page.status_code == 200
    assert "Tình trạng đài" in page.text and '<a href="/status" aria-current="page">' in page.text
    expected = _stations_under(office, "legacy:20")
    dots = _dots(page.text)
    assert len(dots) == len(expected) > 200  # Lạng Sơn: 11 districts and 200-odd communes
    assert {colour for colour, _ in dots} == {"#757575"}  # nobody has called yet: never seen
    assert f"Đài không liên lạc quá 24 giờ ({len(expected)})" in page.text
    for state in ("Đang hoạt động", "Lâu không liên lạc", "Chưa từng liên lạc", "Lỡ buổi phát"):
        assert state in page.text  # the legend


def test_a_district_editor_sees_only_the_district_and_contact_changes_the_colour(office: Office) -> None:
    bac_son = _stations_under(office, "legacy:185")
    now = utc_now()  # the office app of these tests runs on the real clock
    with office.database.transaction() as db:
        seen, silent = sorted(bac_son)[:2]
        ids = dict(db.execute(select(Station.code, Station.id).where(Station.code.in_([seen, silent]))).all())
        db.add(StationContact(station_id=ids[seen], last_seen_at=now - timedelta(hours=1), software="0.1.0"))
        db.add(StationContact(station_id=ids[silent], last_seen_at=now - timedelta(hours=30), free_disk=2 * 10**9))
    client = office.app_client()
    sign_in(client, "vanquan")
    page = client.get("/status")
    assert page.status_code == 200
    dots = _dots(page.text)
    assert len(dots) == len(bac_son)
    names = {code: label for _, label in dots for code in bac_son if f"({code})" in label}
    assert set(names) == bac_son  # no station of another district
    colours = {code: colour for colour, label in dots for code in bac_son if f"({code})" in label}
    assert colours[seen] == "#2e7d32" and colours[silent] == "#c62828"
    assert "2.0 GB" in page.text


def test_an_operator_sees_only_its_station(office: Office) -> None:
    client = office.app_client()
    sign_in(client, "dai")
    page = client.get("/status")
    assert page.status_code == 200
    dots = _dots(page.text)
    assert len(dots) == 1 and "(legacy-06253)" in dots[0][1]


def test_station_names_are_escaped_in_the_map_and_lists(office: Office) -> None:
    with office.database.transaction() as db:
        unit = db.scalars(select(Unit).where(Unit.scheme == "legacy", Unit.code == "06253")).one()
        station = db.scalars(select(Station).where(Station.unit_id == unit.id)).one()
        station.name = 'Đài <script>alert("x")</script> & "Văn Quan"'
    client = office.app_client()
    sign_in(client, "dai")
    page = client.get("/status")
    assert "<script>alert" not in page.text
    assert "Đài &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Văn Quan&#34;" in page.text
