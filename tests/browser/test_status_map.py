"""Tình trạng đài in chromium: a station that called the real server is a green dot, one silent for 30 hours a
red one, the rest grey; every dot has its station as a title, and the legend names the four states."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from broadcast.db import open_database
from broadcast.db.models import Station, StationContact
from broadcast.times import utc_now
from broadcast.vocabulary import StationState
from broadcast.web.pages.status import COLOURS
from tests.browser.conftest import Browse, Site
from tests.browser.test_office import cao_loc


def test_the_map_draws_each_station_in_the_colour_of_its_state(site: Site, browse: Browse) -> None:
    unit_id, calling = cao_loc(site)
    database = open_database(f"sqlite:///{site.database}")
    with database.transaction() as db:
        codes = sorted(db.scalars(select(Station.code).join(Station.unit).where(Station.unit.has(parent_id=unit_id))))
        silent = next(code for code in codes if code != calling)
        db.add(StationContact(station_id=db.scalar(select(Station.id).where(Station.code == silent)),
                              last_seen_at=utc_now() - timedelta(hours=30), software="0.0.9"))  # fmt: skip
    token = site.broadcast("stations", "token", calling).strip()
    # The station calls the real server as the station client does; the server notes the contact.
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "broadcast-station/0.1.0",
               "X-Broadcast-Free-Disk": "8000000000"}  # fmt: skip
    response = httpx.get(f"{site.url}/api/v1/stations/{calling}/emergency", headers=headers)
    assert response.status_code in (200, 204)
    with database.transaction() as db:
        seen = db.scalar(
            select(StationContact.software).join(Station, Station.id == StationContact.station_id)
            .where(Station.code == calling)
        )  # fmt: skip
    database.dispose()
    assert seen == "0.1.0"

    browse.sign_in("caoloc")
    browse.open("/status", "tinh-trang-dai")
    page = browse.page
    assert page.get_by_role("heading", name="Tình trạng đài", level=1).is_visible()
    assert page.get_by_role("link", name="Tình trạng đài").get_attribute("aria-current") == "page"
    map_svg = page.get_by_role("img", name="Bản đồ")
    assert map_svg.is_visible()
    dots = page.locator("svg.station-map circle.dot")
    drawn = dots.evaluate_all(
        "ds => ds.map(d => [d.querySelector('title').textContent, getComputedStyle(d).fill, d.getBBox().width])"
    )
    assert len(drawn) == len(codes) + 1  # the district's communes and the district's own station
    colour = {title.rsplit("(", 1)[1].split(")")[0]: fill for title, fill, _ in drawn}
    assert colour[calling] == _rgb(COLOURS[StationState.ACTIVE])
    assert colour[silent] == _rgb(COLOURS[StationState.SILENT])
    grey = _rgb(COLOURS[StationState.NEVER_SEEN])
    assert sum(fill == grey for fill in colour.values()) == len(drawn) - 2
    assert all(width > 0 for _, _, width in drawn)  # drawn, not collapsed
    legend = page.get_by_role("list", name="Chú giải").inner_text()
    for state in StationState:
        assert state.label in legend
    silent_rows = page.locator("#silent table").inner_text()
    assert "0.0.9" in silent_rows and "chưa bao giờ" in silent_rows


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"
