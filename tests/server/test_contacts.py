"""Each station request records the station's contact (last seen, software version, free disk), at most once a
minute per station, from the real station client talking to the real server on loopback."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from broadcast import __version__
from broadcast.db.models import StationContact
from broadcast.server.contacts import free_disk_of, software_of
from broadcast.station.client import RetryPolicy, StationClient
from tests.live_server import live_server
from tests.server.conftest import DAY, HOME_CODE, NOW, OTHER_CODE, SQLITE_ONLY, Site, station_id


def contact(site: Site, code: str) -> StationContact | None:
    with site.database.transaction() as db:
        row = db.scalar(select(StationContact).where(StationContact.station_id == station_id(site, code)))
        if row is not None:
            db.expunge(row)
    return row


class Clock:
    """The server's clock, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_the_station_client_reports_its_version_and_free_disk(site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "station"
    folder.mkdir()
    with live_server(site.settings, now=lambda: NOW) as url:
        assert contact(site, HOME_CODE) is None
        with StationClient(url, HOME_CODE, site.token, retry=RetryPolicy(1), folder=folder) as client:
            assert client.day(DAY, None)["station"] == HOME_CODE
        free = shutil.disk_usage(folder).free
    found = contact(site, HOME_CODE)
    assert found is not None
    assert found.last_seen_at == NOW
    assert found.software == __version__
    assert found.free_disk is not None and abs(found.free_disk - free) < 512 * 1024**2  # other writers on the disk
    assert contact(site, OTHER_CODE) is None  # only the station that called


def test_writes_are_throttled_per_station(site: Site, tmp_path: Path) -> None:
    clock = Clock(NOW)
    with live_server(site.settings, now=clock, contact_every=3600) as url:

        def call(token: str, code: str, **headers: str) -> None:
            response = httpx.get(
                f"{url}/api/v1/stations/{code}/days/{DAY}", headers={"Authorization": f"Bearer {token}", **headers}
            )
            assert response.status_code == 200

        call(site.token, HOME_CODE, **{"User-Agent": "broadcast-station/1.0", "X-Broadcast-Free-Disk": "1000"})
        clock.now = NOW + timedelta(minutes=5)
        call(site.token, HOME_CODE, **{"User-Agent": "broadcast-station/2.0", "X-Broadcast-Free-Disk": "2000"})
        call(site.other_token, OTHER_CODE, **{"User-Agent": "broadcast-station/3.0"})
        home, other = contact(site, HOME_CODE), contact(site, OTHER_CODE)
    assert home is not None and other is not None
    # The second call of the same station within the hour wrote nothing; another station's first call did.
    assert (home.last_seen_at, home.software, home.free_disk) == (NOW, "1.0", 1000)
    assert (other.last_seen_at, other.software, other.free_disk) == (NOW + timedelta(minutes=5), "3.0", None)


@SQLITE_ONLY
def test_every_request_writes_when_not_throttled_and_odd_headers_are_ignored(site: Site) -> None:
    clock = Clock(NOW)
    with live_server(site.settings, now=clock, contact_every=0) as url:
        headers = {"Authorization": f"Bearer {site.token}"}
        httpx.get(f"{url}/api/v1/stations/{HOME_CODE}/days/{DAY}", headers=headers)
        first = contact(site, HOME_CODE)
        clock.now = NOW + timedelta(seconds=90)
        odd = {**headers, "User-Agent": "curl/8.0", "X-Broadcast-Free-Disk": "-5"}
        httpx.get(f"{url}/api/v1/stations/{HOME_CODE}/emergency", headers=odd)
        second = contact(site, HOME_CODE)
        # A request without a valid token records nothing.
        httpx.get(f"{url}/api/v1/stations/{OTHER_CODE}/days/{DAY}", headers={"Authorization": "Bearer nope"})
    assert first is not None and second is not None
    assert first.software is None  # httpx's own User-Agent is not a station's
    assert (second.last_seen_at, second.software, second.free_disk) == (NOW + timedelta(seconds=90), None, None)
    assert contact(site, OTHER_CODE) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("broadcast-station/0.1.0", "0.1.0"),
        ("broadcast-station/1.2.3rc1 (linux)", "1.2.3rc1"),
        ("broadcast-station", None),
        ("curl/8.0", None),
        ("broadcast-station/<script>", None),
        (None, None),
    ],
)
def test_software_version_from_user_agent(header: str | None, expected: str | None) -> None:
    assert software_of(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [("123456789", 123456789), ("0", 0), (" 42 ", 42), ("-1", None), ("1e9", None), ("١٢٣", None), ("9" * 30, None)],
)
def test_free_disk_from_header(header: str, expected: int | None) -> None:
    assert free_disk_of(header) == expected
