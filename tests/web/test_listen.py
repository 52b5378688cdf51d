"""Nghe: the audio of a built day (seekable), a whole session, and a message's preview, each within scope."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.web.built import STATION, Built, make_office
from tests.web.conftest import sign_in


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    office = make_office(tmp_path_factory.mktemp("listen"))
    yield office
    office.database.dispose()


def audio_links(html: str) -> list[str]:
    return re.findall(r'href="(/timetable/audio/[^"]+\.mp3)"', html)


def test_an_item_answers_range_requests_with_206(built: Built) -> None:
    client = built.client()
    sign_in(client, "dai")
    links = audio_links(client.get(f"/timetable?station={STATION}&day=01/12/2026").text)
    assert len(links) == 9  # call, jingle, greeting, two intros and messages, close, jingle
    whole = client.get(links[0])
    assert whole.status_code == 200 and whole.headers["content-type"] == "audio/mpeg"
    size = len(whole.content)
    part = client.get(links[0], headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{size}"
    assert part.content == whole.content[100:200]


def test_a_whole_session_plays_as_one_mp3(built: Built) -> None:
    client = built.client()
    sign_in(client, "tinh")
    url = f"/timetable/session/{STATION}/2026-12-01/0.mp3"
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
    assert response.content[:3] == b"ID3" or response.content[0] == 0xFF  # an MP3
    again = client.get(url, headers={"Range": "bytes=0-9"})  # cached now, and seekable
    assert again.status_code == 206 and again.content == response.content[:10]
    assert client.get(f"/timetable/session/{STATION}/2026-12-01/5.mp3").status_code == 404


def test_another_districts_station_audio_is_refused(built: Built) -> None:
    client = built.client()
    sign_in(client, "dai")
    link = audio_links(client.get(f"/timetable?station={STATION}&day=01/12/2026").text)[0]
    other = built.client()
    sign_in(other, "caoloc")
    refused = other.get(link)
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    assert other.get(f"/timetable/session/{STATION}/2026-12-01/0.mp3").status_code == 403
    assert built.client().get(link, follow_redirects=False).status_code == 303  # not signed in


def test_a_message_preview_plays_for_its_district_and_not_for_another(built: Built) -> None:
    client = built.client()
    sign_in(client, "dai")
    page = client.get(f"/listen/message/{built.message_id}")
    assert page.status_code == 200 and "<audio controls" in page.text
    assert "Phòng cháy &lt;b&gt;rừng&lt;/b&gt;" in page.text and "<b>rừng</b>" not in page.text
    audio = client.get(f"/listen/message/{built.message_id}.mp3", headers={"Range": "bytes=0-99"})
    assert audio.status_code == 206 and audio.headers["content-range"].startswith("bytes 0-99/")

    other = built.client()
    sign_in(other, "vanquan")  # an editor of another district
    assert other.get(f"/listen/message/{built.message_id}").status_code == 403
    assert other.get(f"/listen/message/{built.message_id}.mp3").status_code == 403
    assert other.get("/listen/message/99999").status_code == 404
    for missing in ("abc", "-1", "99999999999999999999999", "9223372036854775808"):  # not even an id: the same 404
        for path in (f"/listen/message/{missing}", f"/listen/message/{missing}.mp3"):
            page = other.get(path)
            assert page.status_code == 404 and "Không tìm thấy" in page.text, path


def test_a_province_message_reaches_a_district_office(tmp_path_factory: pytest.TempPathFactory) -> None:
    from broadcast.audit import Actor
    from broadcast.db.models import Message, MessageTarget, User
    from broadcast.listening import require_listener

    office = make_office(tmp_path_factory.mktemp("reach"), build=False)
    with office.database.transaction() as db:
        message = db.get(Message, office.message_id)
        assert message is not None
        province = db.query(MessageTarget).filter_by(message_id=message.id).one()
        province.unit_id = db.query(User).filter_by(username="tinh").one().unit_id  # now the whole province
        db.flush()
        db.refresh(message)
        require_listener(db, Actor.of(db.query(User).filter_by(username="caoloc").one()), message)
    office.database.dispose()
