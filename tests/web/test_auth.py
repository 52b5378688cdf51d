"""Signing in and out of the office app: cookies, CSRF, one answer for every failure, redirects, headers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from broadcast.db.models import Station
from broadcast.units.tokens import issue_token
from tests.web.conftest import NOW, PASSWORD, Office, csrf_of, sign_in


def test_a_page_needs_a_session_and_comes_back_after_sign_in(office: Office) -> None:
    client = office.app_client()
    response = client.get("/?x=1", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/%3Fx%3D1")
    response = client.post(
        "/login", data={"username": "CaoLoc", "password": PASSWORD, "next": "/?x=1"}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/?x=1")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = client.get("/")
    assert page.status_code == 200 and "Tổng quan" in page.text and "Huyện Cao Lộc" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_the_cookie_is_secure_behind_https(office: Office) -> None:
    client = office.app_client()
    response = client.post(
        "/login",
        data={"username": "caoloc", "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in response.headers["set-cookie"]


def test_unknown_name_and_wrong_password_get_the_same_answer(office: Office) -> None:
    client = office.app_client()
    wrong = client.post("/login", data={"username": "caoloc", "password": "not the password"})
    unknown = client.post("/login", data={"username": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.text
    assert wrong.text.replace("caoloc", "X") == unknown.text.replace("nobody", "X")
    for _ in range(5):
        client.post("/login", data={"username": "caoloc", "password": "not the password"})
    throttled = client.post("/login", data={"username": "caoloc", "password": PASSWORD})
    assert throttled.status_code == 401 and "thử lại sau 15 phút" in throttled.text


def test_a_next_address_off_the_site_is_ignored(office: Office) -> None:
    client = office.app_client()
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(
            "/login", data={"username": "caoloc", "password": PASSWORD, "next": target}, follow_redirects=False
        )
        assert response.headers["location"] == "/"


def test_sign_out_needs_the_form_token_and_ends_the_session(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "caoloc")
    forged = client.post("/logout", data={"csrf": "0" * 64})
    assert forged.status_code == 400 and "Biểu mẫu" in forged.text
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_title_with_markup_is_shown_as_text(office: Office) -> None:
    from broadcast.messages.editing import MessageChanges, add_message
    from tests.web.conftest import NOW

    with office.database.transaction() as db:
        changes = MessageChanges(
            title="<script>alert(1)</script>", text="Bà con chú ý.", targets=["legacy:183"],
            starts_on=NOW.date(), ends_on=NOW.date(),
        )  # fmt: skip
        add_message(db, changes, NOW)
    client = office.app_client()
    sign_in(client, "caoloc")
    page = client.get("/")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert csrf_of(page.text)


def test_a_mistyped_office_address_is_a_vietnamese_page_but_the_api_keeps_json(office: Office) -> None:
    client = office.app_client()
    sign_in(client, "caoloc")
    page = client.get("/no-such-page")
    assert (
        page.status_code == 404
        and "Không tìm thấy" in page.text
        and page.headers["content-type"].startswith("text/html")
    )
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code in (401, 404) and api.headers["content-type"] == "application/json"


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(office: Office) -> None:
    client = office.app_client()
    login = client.get("/login")
    assert '<link rel="icon" href="/static/loa.svg" type="image/svg+xml">' in login.text
    sign_in(client, "caoloc")
    assert 'rel="icon" href="/static/loa.svg"' in client.get("/").text
    icon = client.get("/static/loa.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_an_unreadable_address_or_form_is_a_vietnamese_page_but_the_api_keeps_its_json_422(office: Office) -> None:
    client = office.app_client()
    sign_in(client, "tinh")
    for path in ("/listen/message/abc", "/listen/message/abc.mp3", "/timetable/build/abc", "/messages/abc"):
        page = client.get(path)
        assert page.status_code == 404 and "Không tìm thấy" in page.text, path
        assert page.headers["content-type"].startswith("text/html"), path
    broken = client.post("/login", content=b"garbage", headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and "Yêu cầu không hợp lệ" in broken.text
    app: Any = client.app

    @app.get("/probe/{number}")
    def probe(number: int, count: int) -> int:  # no office page has a typed query yet: one for the test
        return number + count

    assert client.get("/probe/1", params={"count": "abc"}).status_code == 400
    assert "Yêu cầu không hợp lệ" in client.get("/probe/1", params={"count": "abc"}).text
    assert client.get("/probe/abc", params={"count": "1"}).status_code == 404
    with office.database.transaction() as db:
        station = db.scalars(select(Station).where(Station.code == "legacy-06253")).one()
        token = issue_token(db, station, NOW)
    api = client.get("/api/v1/stations/legacy-06253/days/abc", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 422 and api.headers["content-type"] == "application/json"
    assert api.json()["detail"][0]["loc"] == ["path", "day"] and api.json()["errors"] == 1


def test_a_forged_form_token_in_any_script_is_refused_not_a_crash(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "tinh")
    for forged in ("ạ" * 64, "\x00", "🚨" + token[1:], token + "ạ"):
        answer = client.post("/messages/new", data={"csrf": forged, "title": "x"})
        assert answer.status_code == 400 and "Biểu mẫu không hợp lệ" in answer.text


def test_security_headers_on_office_answers_not_on_the_stations_api(office: Office) -> None:
    client = office.app_client()
    for response in (client.get("/login"), client.get("/static/app.css"), client.get("/", follow_redirects=False)):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    api = client.get("/api/v1/stations/2025-06187/days/2026-12-01")
    assert api.status_code == 401 and "content-security-policy" not in api.headers
