"""The stations' API over real HTTP: every answer a station can get, on SQLite and PostgreSQL."""

from __future__ import annotations

import http.client
import json
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest

from broadcast.db.models import MessageTarget, Station
from broadcast.export.manifest import manifest_path
from broadcast.export.publish import publish_days
from broadcast.server.tokens import revoke_tokens
from tests.live_server import live_server
from tests.server.conftest import DAY, HOME_CODE, NOW, OTHER_CODE, SQLITE_ONLY, Site, emergency_message, sha256_of

MANIFEST = f"/api/v1/stations/{HOME_CODE}/days/{DAY.isoformat()}"


def raw_get(base_url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET with the path sent exactly as given: no client-side clean-up of '..' or percent-escapes."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_health_needs_no_token(base_url: str) -> None:
    answer = httpx.get(f"{base_url}/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_openapi_is_published(base_url: str) -> None:
    schema = httpx.get(f"{base_url}/openapi.json").json()
    assert "/api/v1/stations/{code}/days/{day}" in schema["paths"]
    assert "/api/v1/audio/{sha256}.mp3" in schema["paths"]


def test_manifest_is_the_exported_file_with_its_version_as_etag(site: Site, base_url: str) -> None:
    answer = httpx.get(base_url + MANIFEST, headers=site.auth())
    assert answer.status_code == 200
    assert answer.content == site.manifest
    assert answer.headers["etag"] == f'"{site.version}"'
    assert answer.headers["content-type"] == "application/json"
    assert "no-cache" in answer.headers["cache-control"]


@SQLITE_ONLY
@pytest.mark.parametrize("form", ['"{v}"', 'W/"{v}"', '"other", "{v}"', "*", "{v}"])
def test_if_none_match_with_the_version_gives_304(site: Site, base_url: str, form: str) -> None:
    headers = {**site.auth(), "If-None-Match": form.format(v=site.version)}
    answer = httpx.get(base_url + MANIFEST, headers=headers)
    assert answer.status_code == 304
    assert answer.content == b""
    assert answer.headers["etag"] == f'"{site.version}"'


def test_a_republished_day_gets_a_new_etag(site: Site, base_url: str) -> None:
    old = {**site.auth(), "If-None-Match": f'"{site.version}"'}
    assert httpx.get(base_url + MANIFEST, headers=old).status_code == 304
    changed = site.build.day(station=HOME_CODE, on=DAY, station_name="Đài Truyền thanh xã Hoàng Đồng (mới)")
    publish_days(site.settings.export_root, [changed])
    answer = httpx.get(base_url + MANIFEST, headers=old)
    assert answer.status_code == 200
    version = json.loads(answer.content)["version"]
    assert version != site.version
    assert answer.headers["etag"] == f'"{version}"'
    assert answer.content == (site.settings.export_root / manifest_path(HOME_CODE, DAY)).read_bytes()


def test_playlist_points_at_the_api_audio(site: Site, base_url: str) -> None:
    answer = httpx.get(f"{base_url}{MANIFEST}.m3u8", headers=site.auth())
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("audio/x-mpegurl")
    lines = answer.text.splitlines()
    assert lines[0] == "#EXTM3U"
    audio = [line for line in lines if not line.startswith("#")]
    assert audio and all(line.startswith("/api/v1/audio/") and line.endswith(".mp3") for line in audio)
    for line in audio:
        fetched = httpx.get(base_url + line, headers=site.auth())
        assert fetched.status_code == 200
        assert sha256_of(fetched.content) == line.removeprefix("/api/v1/audio/").removesuffix(".mp3")


def test_audio_is_immutable_and_answers_ranges(site: Site, base_url: str) -> None:
    tone = site.tones[0]
    url = f"{base_url}/api/v1/audio/{tone.sha256}.mp3"
    whole = httpx.get(url, headers=site.auth(site.other_token))  # any station's token opens any audio
    assert whole.status_code == 200
    assert whole.content == tone.path.read_bytes()
    assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert whole.headers["etag"] == f'"{tone.sha256}"'
    assert whole.headers["content-type"] == "audio/mpeg"
    assert whole.headers["accept-ranges"] == "bytes"

    part = httpx.get(url, headers={**site.auth(), "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == whole.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{tone.bytes}"

    tail = httpx.get(url, headers={**site.auth(), "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole.content[-10:]

    beyond = httpx.get(url, headers={**site.auth(), "Range": f"bytes={tone.bytes + 10}-"})
    assert beyond.status_code == 416

    unchanged = httpx.get(url, headers={**site.auth(), "If-None-Match": f'"{tone.sha256}"'})
    assert unchanged.status_code == 304


def test_emergency_lists_what_to_play_now(site: Site, base_url: str) -> None:
    answer = httpx.get(f"{base_url}/api/v1/stations/{HOME_CODE}/emergency", headers=site.auth())
    assert answer.status_code == 200
    body = answer.json()
    assert body["station"] == HOME_CODE
    [item] = body["items"]
    assert item["message_id"] == site.emergency_id
    assert item["title"] == "Khẩn cấp: bão số 3"
    assert item["approved_at"] == "2025-03-01T08:00:00+07:00"
    assert item["audio"] == f"/api/v1/audio/{site.emergency_sha}.mp3"
    assert item["sha256"] == site.emergency_sha
    assert item["bytes"] == site.tones[3].bytes
    assert item["duration"] == pytest.approx(site.tones[3].duration, abs=0.001)
    # Rendered into the segment store, not exported yet: the API serves it from there.
    audio = httpx.get(base_url + item["audio"], headers=site.auth())
    assert audio.status_code == 200 and sha256_of(audio.content) == site.emergency_sha


def test_emergency_leaves_out_unrendered_and_old_messages(site: Site, base_url: str) -> None:
    with site.database.transaction() as db:
        station = db.query(Station).filter_by(code=HOME_CODE).one()
        db.add(emergency_message("Chưa đọc thành tiếng.", [MessageTarget(kind="station", station_id=station.id)]))
        old = emergency_message("Cũ rồi.", [MessageTarget(kind="all")], approved=NOW - timedelta(hours=13))
        db.add(old)
    answer = httpx.get(f"{base_url}/api/v1/stations/{HOME_CODE}/emergency", headers=site.auth())
    assert [item["message_id"] for item in answer.json()["items"]] == [site.emergency_id]


def test_no_emergency_gives_204(site: Site, base_url: str) -> None:
    # The province's emergency does not reach the other station, under another unit.
    answer = httpx.get(f"{base_url}/api/v1/stations/{OTHER_CODE}/emergency", headers=site.auth(site.other_token))
    assert answer.status_code == 204
    assert answer.content == b""


def test_emergencies_expire(site: Site) -> None:
    later = NOW + timedelta(hours=12, minutes=1)
    with live_server(site.settings, now=lambda: later) as url:
        answer = httpx.get(f"{url}/api/v1/stations/{HOME_CODE}/emergency", headers=site.auth())
    assert answer.status_code == 204


@SQLITE_ONLY
@pytest.mark.parametrize(
    "path",
    [
        MANIFEST,
        f"{MANIFEST}.m3u8",
        f"/api/v1/stations/{HOME_CODE}/emergency",
        f"/api/v1/audio/{'a' * 64}.mp3",
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer bst_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "bst_x"])
def test_no_valid_token_gives_401(site: Site, base_url: str, path: str, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = httpx.get(base_url + path, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


def test_playlog_needs_a_token(base_url: str) -> None:
    answer = httpx.post(f"{base_url}/api/v1/stations/{HOME_CODE}/playlog", json={"entries": []})
    assert answer.status_code == 401


@pytest.mark.parametrize("suffix", ["", ".m3u8"])
def test_another_stations_day_gives_403(site: Site, base_url: str, suffix: str) -> None:
    answer = httpx.get(f"{base_url}/api/v1/stations/{OTHER_CODE}/days/{DAY}{suffix}", headers=site.auth())
    assert answer.status_code == 403
    emergency = httpx.get(f"{base_url}/api/v1/stations/{OTHER_CODE}/emergency", headers=site.auth())
    assert emergency.status_code == 403
    playlog = httpx.post(f"{base_url}/api/v1/stations/{OTHER_CODE}/playlog", headers=site.auth(), json={"entries": []})
    assert playlog.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/stations/{HOME_CODE}/days/2025-03-02",  # nothing published that day
        f"/api/v1/stations/{HOME_CODE}/days/2025-03-02.m3u8",
        "/api/v1/stations/2025-99999/days/2025-03-01",  # no such station
        "/api/v1/stations/2025-99999/emergency",
        f"/api/v1/audio/{'b' * 64}.mp3",  # no such audio
        "/api/v1/nothing",
    ],
)
def test_missing_things_give_404(site: Site, base_url: str, path: str) -> None:
    assert httpx.get(base_url + path, headers=site.auth()).status_code == 404


@SQLITE_ONLY
@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/stations/{HOME_CODE}/days/2025-02-30",  # not a calendar date
        f"/api/v1/stations/{HOME_CODE}/days/2025-13-01",
        f"/api/v1/stations/{HOME_CODE}/days/20250301",
        f"/api/v1/stations/{HOME_CODE}/days/today",
        f"/api/v1/stations/{HOME_CODE}/days/{'9' * 5000}",
        f"/api/v1/stations/{'x' * 41}/days/2025-03-01",
        "/api/v1/stations/.hidden/days/2025-03-01",
        "/api/v1/stations/-a/emergency",
        f"/api/v1/audio/{'A' * 64}.mp3",  # upper-case hex
        f"/api/v1/audio/{'a' * 63}.mp3",
        "/api/v1/audio/..%2F..%2Fbroadcast.db.mp3",
    ],
)
def test_malformed_codes_dates_and_hashes_give_4xx(site: Site, base_url: str, path: str) -> None:
    answer = httpx.get(base_url + path, headers=site.auth())
    assert 400 <= answer.status_code < 500, answer.text


@SQLITE_ONLY
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stations/../../broadcast.db",
        "/api/v1/stations/%2e%2e/%2e%2e/broadcast.db",
        f"/api/v1/stations/{HOME_CODE}/days/..%2F..%2F..%2Fbroadcast.db",
        f"/api/v1/stations/{HOME_CODE}/days/%2e%2e%2f{OTHER_CODE}%2f2025-03-01",
        f"/api/v1/stations/{HOME_CODE}%2F..%2F{OTHER_CODE}/days/2025-03-01",
        "/api/v1/audio/../stations/x.mp3",
        "/api/v1/audio/%00.mp3",
        "/../../../../etc/passwd",
        "/api/v1/stations/" + "%2F" * 2000,
    ],
)
def test_path_tricks_reach_nothing(site: Site, base_url: str, path: str) -> None:
    status, body = raw_get(base_url, path, site.auth())
    assert 400 <= status < 500, body
    assert b"root:" not in body and b"SQLite" not in body and b"station_name" not in body


def test_a_revoked_token_stops_working(site: Site) -> None:
    with live_server(site.settings, token_ttl=0) as url:
        assert httpx.get(url + MANIFEST, headers=site.auth()).status_code == 200
        with site.database.transaction() as db:
            assert revoke_tokens(db, db.query(Station).filter_by(code=HOME_CODE).one(), NOW) == 1
        answer = httpx.get(url + MANIFEST, headers=site.auth())
        assert answer.status_code == 401
        # The other station's token is untouched.
        other = f"/api/v1/stations/{OTHER_CODE}/days/{DAY}"
        assert httpx.get(url + other, headers=site.auth(site.other_token)).status_code == 200
