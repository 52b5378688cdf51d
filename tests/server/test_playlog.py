"""Stations sending their as-run log: stored once per entry id, however often a flaky link makes them send it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from broadcast.db.models import PlayLog
from tests.server.conftest import HOME_CODE, OTHER_CODE, SQLITE_ONLY, Site, station_id

URL = f"/api/v1/stations/{HOME_CODE}/playlog"


def entry(entry_id: str = "2025-03-01/sáng/0", **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": entry_id,
        "date": "2025-03-01",
        "session": "sáng",
        "kind": "message",
        "message_id": 11,
        "sha256": "a" * 64,
        "started_at": "2025-03-01T05:30:01+07:00",
        "duration": 61.25,
        "status": "played",
        "emergency": False,
    }
    values.update(overrides)
    return values


def rows(site: Site) -> list[PlayLog]:
    with site.database.transaction() as db:
        return list(db.scalars(select(PlayLog).order_by(PlayLog.entry_id)))


def test_entries_are_stored_once(site: Site, base_url: str) -> None:
    batch = {"entries": [entry("a"), entry("b", status="failed", duration=0, message_id=None, sha256=None)]}
    first = httpx.post(base_url + URL, headers=site.auth(), json=batch)
    assert first.status_code == 200
    assert first.json() == {"received": 2, "stored": 2}
    again = httpx.post(base_url + URL, headers=site.auth(), json={"entries": [*batch["entries"], entry("c")]})
    assert again.json() == {"received": 3, "stored": 1}

    stored = rows(site)
    assert [row.entry_id for row in stored] == ["a", "b", "c"]
    a = stored[0]
    assert a.station_id == station_id(site, HOME_CODE)
    assert (a.day.isoformat(), a.session, a.kind) == ("2025-03-01", "sáng", "message")
    assert (a.message_id, a.status) == (11, "played")
    started = a.started_at if a.started_at.tzinfo else a.started_at.replace(tzinfo=UTC)
    assert started == datetime(2025, 2, 28, 22, 30, 1, tzinfo=UTC)
    assert a.duration == 61.25 and a.emergency is False and a.received_at is not None
    assert stored[1].message_id is None and stored[1].status == "failed"


def test_the_same_id_twice_in_one_batch_is_one_entry(site: Site, base_url: str) -> None:
    answer = httpx.post(base_url + URL, headers=site.auth(), json={"entries": [entry("x"), entry("x")]})
    assert answer.json() == {"received": 2, "stored": 1}


def test_entry_ids_are_per_station(site: Site, base_url: str) -> None:
    httpx.post(base_url + URL, headers=site.auth(), json={"entries": [entry("same")]})
    other = httpx.post(
        f"{base_url}/api/v1/stations/{OTHER_CODE}/playlog",
        headers=site.auth(site.other_token),
        json={"entries": [entry("same")]},
    )
    assert other.json() == {"received": 1, "stored": 1}
    assert len(rows(site)) == 2


def test_an_empty_batch_stores_nothing(site: Site, base_url: str) -> None:
    answer = httpx.post(base_url + URL, headers=site.auth(), json={"entries": []})
    assert answer.json() == {"received": 0, "stored": 0}


def test_a_big_batch_is_stored_whole(site: Site, base_url: str) -> None:
    batch = {"entries": [entry(f"e{n:05d}", emergency=n % 2 == 0) for n in range(5000)]}
    answer = httpx.post(base_url + URL, headers=site.auth(), json=batch, timeout=60)
    assert answer.json() == {"received": 5000, "stored": 5000}
    with site.database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(PlayLog)) == 5000


@pytest.mark.parametrize(
    "bad",
    [
        {"id": ""},
        {"id": "x" * 65},
        {"id": "nul\x00byte"},
        {"kind": "k" * 21},
        {"session": "tab\there"},
        {"date": "2025-02-30"},
        {"date": "0001-01-01"},
        {"started_at": "2025-03-01T05:30:00"},  # no offset
        {"started_at": "not a time"},
        {"started_at": "0001-01-01T00:00:00+14:00"},
        {"duration": -1},
        {"duration": "NaN"},
        {"duration": 1e308},
        {"status": "maybe"},
        {"message_id": 2**31},
        {"message_id": 0},
        {"sha256": "A" * 64},
        {"sha256": "a" * 63},
        {"emergency": "perhaps"},
        {"unknown": 1},
    ],
)
def test_malformed_entries_give_422_and_store_nothing(site: Site, base_url: str, bad: dict[str, Any]) -> None:
    answer = httpx.post(base_url + URL, headers=site.auth(), json={"entries": [entry("good"), entry("bad", **bad)]})
    assert answer.status_code == 422, answer.text
    assert rows(site) == []


@SQLITE_ONLY
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b'{"entries": "none"}',
        b"[]",
        b'{"entries": [1]}',
        b'{"entries": [{"id": "\\ud800", "date": "2025-03-01"}]}',
        b"\xff\xfe",
    ],
)
def test_malformed_bodies_give_4xx(site: Site, base_url: str, body: bytes) -> None:
    headers = {**site.auth(), "Content-Type": "application/json"}
    answer = httpx.post(base_url + URL, headers=headers, content=body)
    assert 400 <= answer.status_code < 500, answer.text


@SQLITE_ONLY
def test_too_many_entries_give_422(site: Site, base_url: str) -> None:
    batch = {"entries": [entry(f"e{n}") for n in range(5001)]}
    answer = httpx.post(base_url + URL, headers=site.auth(), json=batch, timeout=60)
    assert answer.status_code == 422


@SQLITE_ONLY
def test_a_huge_body_is_refused_before_it_is_read(site: Site, base_url: str) -> None:
    declared = httpx.post(base_url + URL, headers=site.auth(), content=b"x" * (5 * 1024 * 1024))
    assert declared.status_code == 413

    def chunks() -> Any:
        for _ in range(100):
            yield b" " * 65536

    streamed = httpx.post(base_url + URL, headers={**site.auth(), "Content-Type": "application/json"}, content=chunks())
    assert streamed.status_code == 413


def test_an_item_interrupted_for_an_emergency_is_stored_with_its_second(site: Site, base_url: str) -> None:
    cut = entry("cut", status="interrupted", duration=12.5, cut_at=12.5)
    answer = httpx.post(base_url + URL, headers=site.auth(), json={"entries": [cut, entry("whole")]})
    assert answer.json() == {"received": 2, "stored": 2}
    stored = {row.entry_id: row for row in rows(site)}
    assert (stored["cut"].status, stored["cut"].cut_at, stored["cut"].duration) == ("interrupted", 12.5, 12.5)
    assert stored["whole"].cut_at is None
    refused = httpx.post(base_url + URL, headers=site.auth(), json={"entries": [entry("x", cut_at=-1)]})
    assert refused.status_code == 422
