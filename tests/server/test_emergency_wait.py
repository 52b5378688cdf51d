"""The emergency long poll on the real server: it holds until there is something the station has not heard, wakes
within seconds of a rendering, and keeps the old answer-at-once behaviour without `wait`."""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from broadcast.db.models import MessageTarget, Station
from broadcast.emergency_queue import EmergencyWorker, enqueue
from broadcast.server.emergency import MAX_WAIT_SECONDS
from tests.live_server import live_server
from tests.server.conftest import HOME_CODE, NOW, SQLITE_ONLY, Site, emergency_message

URL = f"/api/v1/stations/{HOME_CODE}/emergency"


def test_without_wait_the_answer_comes_at_once(site: Site, base_url: str) -> None:
    answer = httpx.get(f"{base_url}{URL}", headers=site.auth())
    assert [item["message_id"] for item in answer.json()["items"]] == [site.emergency_id]
    heard = httpx.get(f"{base_url}{URL}", params={"heard": str(site.emergency_id)}, headers=site.auth())
    assert heard.status_code == 204  # what the station has heard is left out


def test_something_not_heard_yet_is_answered_at_once(site: Site, base_url: str) -> None:
    began = time.monotonic()
    answer = httpx.get(f"{base_url}{URL}", params={"wait": 30}, headers=site.auth(), timeout=60)
    assert time.monotonic() - began < 10  # not held: there is something to play
    assert [item["message_id"] for item in answer.json()["items"]] == [site.emergency_id]


@SQLITE_ONLY
def test_nothing_new_is_held_for_the_wait_then_204(site: Site, base_url: str) -> None:
    began = time.monotonic()
    params = {"wait": 1.5, "heard": str(site.emergency_id)}
    answer = httpx.get(f"{base_url}{URL}", params=params, headers=site.auth(), timeout=30)
    assert answer.status_code == 204
    assert time.monotonic() - began >= 1.4


def test_a_new_emergency_wakes_the_waiting_stations_within_seconds(site: Site) -> None:
    waited: list[tuple[float, httpx.Response]] = []

    def poll(url: str) -> None:
        began = time.monotonic()
        params = {"wait": MAX_WAIT_SECONDS, "heard": str(site.emergency_id)}
        answer = httpx.get(f"{url}{URL}", params=params, headers=site.auth(), timeout=MAX_WAIT_SECONDS + 15)
        waited.append((time.monotonic() - began, answer))

    with site.database.transaction() as db:
        station = db.scalars(select(Station).where(Station.code == HOME_CODE)).one()
        message = emergency_message(
            "Lũ quét ở thôn Khòn Chè, bà con không qua ngầm tràn.",
            [MessageTarget(kind="station", station_id=station.id)],
            approved=NOW,
        )
        db.add(message)
        db.flush()
        enqueue(db, message.id, NOW)
        new_id = message.id
    with live(site) as url:
        pollers = [threading.Thread(target=poll, args=(url,)) for _ in range(5)]
        for poller in pollers:
            poller.start()
        time.sleep(2.0)  # every station is waiting now, and nothing has been rendered
        assert waited == []
        rendered_at = time.monotonic()
        EmergencyWorker(site.settings, site.database, clock=lambda: NOW, rebuild=lambda s, n: True).run_once()
        rendered_in = time.monotonic() - rendered_at
        for poller in pollers:
            poller.join(MAX_WAIT_SECONDS + 20)
    assert len(waited) == 5
    for seconds, answer in waited:
        assert answer.status_code == 200
        assert [item["message_id"] for item in answer.json()["items"]] == [new_id]
        # Woken by the watch (twice a second), not by the end of the 55-second wait.
        assert seconds < 2.0 + rendered_in + 10


@SQLITE_ONLY
@pytest.mark.parametrize(
    "params", [{"wait": MAX_WAIT_SECONDS + 1}, {"wait": -1}, {"wait": "soon"}, {"heard": "1,x"}, {"heard": "1,,2"}]
)
def test_a_wait_or_heard_list_out_of_bounds_is_refused(site: Site, base_url: str, params: dict[str, object]) -> None:
    answer = httpx.get(f"{base_url}{URL}", params=params, headers=site.auth())  # type: ignore[arg-type]
    assert answer.status_code == 422


def live(site: Site) -> AbstractContextManager[str]:
    return live_server(site.settings, now=lambda: NOW + timedelta(seconds=1), token_ttl=0.2)
