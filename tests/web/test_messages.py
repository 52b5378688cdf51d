"""The messages pages: writing, editing, approving and retiring by the signed-in account, filters, scope, escaping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from broadcast.accounts.users import add_user
from broadcast.config import DEFAULT_SESSIONS, load_settings
from broadcast.db import migrate, open_database
from broadcast.db.models import AuditEntry, Message
from broadcast.server.app import create_app
from broadcast.units.importer import import_units
from tests.web.conftest import NOW, PASSWORD, Office, sign_in

FORM = {
    "title": "Phòng cháy rừng",
    "text": "Ngày 01/12/2026, UBND xã đề nghị bà con không đốt nương.",
    "priority": "normal",
    "targets": "legacy:183",
    "starts_on": "01/12/2026",
    "ends_on": "2026-12-03",
    "per_day": "2",
    "sessions": "",
    "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
}


def write(client: TestClient, token: str, **overrides: Any) -> Any:
    return client.post("/messages/new", data={**FORM, "csrf": token, **overrides}, follow_redirects=False)


def new_message(client: TestClient, token: str, **overrides: Any) -> int:
    response = write(client, token, **overrides)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[2].split("?")[0])


def test_an_editor_writes_a_message_and_sees_the_reading(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    form = client.get("/messages/new")
    assert form.status_code == 200 and "Người nghe sẽ nghe" in form.text
    number = new_message(client, token)
    page = client.get(f"/messages/{number}")
    assert page.status_code == 200
    assert "Biên tập" in page.text and "01/12/2026 – 03/12/2026" in page.text
    assert "mùng một tháng mười hai năm hai nghìn không trăm hai mươi sáu" in page.text  # the reading
    assert "Ủy ban nhân dân" in page.text
    assert "Duyệt (" not in page.text  # an editor gets no approve button
    with office.database.transaction() as db:
        stored = db.scalars(select(Message)).one()
        assert (stored.per_day, stored.weekdays, stored.session_names) == (2, 0b1111111, None)
        entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "message")).one()
        assert (entry.kind, entry.actor) == ("message.add", "bientap (Cán bộ bientap)")


def test_the_reading_endpoint_needs_the_form_token(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    response = client.post("/messages/reading", data={"csrf": token, "text": "UBND họp lúc 7h30"})
    assert response.status_code == 200
    assert response.json()["reading"] == "Ủy ban nhân dân họp lúc bảy giờ ba mươi phút."
    assert response.json()["seconds"] > 0
    assert client.post("/messages/reading", data={"csrf": "0" * 64, "text": "x"}).status_code == 400


def test_an_approver_approves_in_their_own_name_once(office: Office) -> None:
    client = office.app_client()
    number = new_message(client, sign_in(client, "bientap"))
    approver = office.app_client()
    token = sign_in(approver, "caoloc")
    assert "Duyệt (người duyệt: Cán bộ caoloc)" in approver.get(f"/messages/{number}").text
    response = approver.post(f"/messages/{number}/approve", data={"csrf": token, "by": "Someone Else"})
    assert response.status_code == 200 and "Người duyệt: Cán bộ caoloc" in response.text
    assert "Đã duyệt" in response.text and "Someone Else" not in response.text
    again = approver.post(f"/messages/{number}/approve", data={"csrf": token})
    assert again.status_code == 409 and "đã được Cán bộ caoloc duyệt lúc" in again.text
    with office.database.transaction() as db:
        kinds = [e.kind for e in db.scalars(select(AuditEntry).where(AuditEntry.object_type == "message"))]
    assert kinds == ["message.add", "message.approve"]


def test_editing_an_approved_window_returns_it_to_draft_and_says_so(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "tinh")  # an admin may edit and approve
    number = new_message(client, token)
    client.post(f"/messages/{number}/approve", data={"csrf": token})
    form = client.get(f"/messages/{number}/edit")
    assert form.status_code == 200 and "cần duyệt lại" in form.text and 'value="01/12/2026"' in form.text
    page = client.post(f"/messages/{number}/edit", data={**FORM, "csrf": token, "ends_on": "05/12/2026"})
    assert page.status_code == 200
    assert "trở về trạng thái biên tập" in page.text and "Chưa duyệt." in page.text
    same = client.post(f"/messages/{number}/edit", data={**FORM, "csrf": token, "ends_on": "05/12/2026"})
    assert "trở về trạng thái biên tập" not in same.text  # a draft stays a draft, silently


def test_bad_values_come_back_beside_their_field(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    cases = {
        "starts_on": ("31/02/2026", "Ngày bắt đầu: không đọc được ngày «31/02/2026»"),
        "per_day": ("99", "Số lần mỗi ngày phải từ 1 đến"),
        "targets": ("legacy:999999", "Không có đơn vị mã «legacy:999999»"),
        "title": ("   ", "Tiêu đề không được để trống"),
        "text": ("một\x00hai", "Nội dung có ký tự không hợp lệ"),  # PostgreSQL would refuse a NUL
        "sessions": ("sáng\x00", "Buổi phát có ký tự không hợp lệ"),
    }
    for field, (value, shown) in cases.items():
        response = write(client, token, **{field: value})
        assert response.status_code == 422, field
        assert shown in response.text, field
        assert 'value="Phòng cháy rừng"' in response.text or field == "title"  # what was typed is kept
    assert write(client, token, per_day="²").status_code == 422  # a digit int() cannot read
    ends_first = write(client, token, starts_on="05/12/2026", ends_on="01/12/2026")
    assert ends_first.status_code == 422 and "Ngày kết thúc (01/12/2026) đứng trước" in ends_first.text
    no_day = write(client, token, weekdays=[])
    assert no_day.status_code == 422 and "Ngày trong tuần" in no_day.text


def test_another_district_is_refused(office: Office) -> None:
    client = office.app_client()
    number = new_message(client, sign_in(client, "bientap"))
    other = office.app_client()
    token = sign_in(other, "vanquan")
    assert other.get(f"/messages/{number}").status_code == 403
    assert other.get(f"/messages/{number}/edit").status_code == 403
    edited = other.post(f"/messages/{number}/edit", data={**FORM, "csrf": token, "title": "X"})
    assert edited.status_code == 403 and "Không có quyền" in edited.text
    assert write(other, token).status_code == 403  # a target outside Văn Quan
    assert "Phòng cháy rừng" not in other.get("/messages").text
    assert other.get("/messages/999").status_code == 404
    operator = office.app_client()
    op_token = sign_in(operator, "dai")
    assert operator.get("/messages/new").status_code == 403
    assert operator.post(f"/messages/{number}/retire", data={"csrf": op_token}).status_code == 403


def test_the_list_filters_by_status_priority_unit_directive_and_words(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "tinh")
    fire = new_message(client, token)
    flood = new_message(client, token, title="Phòng chống lũ", text="Sơ tán dân.", priority="emergency")
    elsewhere = new_message(client, token, title="Tiêm chủng", targets="legacy:185")
    client.post(f"/messages/{fire}/approve", data={"csrf": token})

    def listed(query: str) -> set[int]:
        page = client.get(f"/messages?{query}")
        assert page.status_code == 200
        return {n for n in (fire, flood, elsewhere) if f'href="/messages/{n}"' in page.text}

    assert listed("") == {fire, flood, elsewhere}
    assert listed("status=approved") == {fire}
    assert listed("priority=emergency") == {flood}
    assert listed("unit=legacy:185") == {elsewhere}
    assert listed("q=phong+chong+lu") == {flood}  # no diacritics
    assert listed("q=Phòng") == {fire, flood}
    assert listed("directive=1") == set()
    assert "Không tìm thấy đơn vị" in client.get("/messages?unit=nowhere").text
    district = office.app_client()
    sign_in(district, "caoloc")
    assert {n for n in (fire, flood, elsewhere) if f'href="/messages/{n}"' in district.get("/messages").text} == {
        fire,
        flood,
    }
    province_wide = new_message(client, token, title="Cả tỉnh", targets="legacy:20")
    seen = district.get(f"/messages/{province_wide}")  # it reaches Cao Lộc, but Cao Lộc may not change it
    assert seen.status_code == 200 and "Duyệt (" not in seen.text and "Dừng phát</button>" not in seen.text


def test_markup_typed_into_a_field_is_shown_escaped(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    number = new_message(client, token, title="<script>alert(1)</script>", text="<b>đậm</b> & xong")
    page = client.get(f"/messages/{number}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>đậm</b>" not in page.text and "&lt;b&gt;đậm&lt;/b&gt;" in page.text
    assert "&lt;script&gt;" in client.get("/messages").text
    bad = write(client, token, title="<i>x</i>", starts_on="<img src=x>")
    assert bad.status_code == 422 and "<img src=x>" not in bad.text and "<i>x</i>" not in bad.text


def test_retire_by_an_approver(office: Office) -> None:
    client = office.app_client()
    number = new_message(client, sign_in(client, "bientap"))
    approver = office.app_client()
    token = sign_in(approver, "caoloc")
    page = approver.post(f"/messages/{number}/retire", data={"csrf": token})
    assert page.status_code == 200 and "Đã dừng phát" in page.text and "Dừng phát</button>" not in page.text


def test_unit_search_finds_names_without_diacritics_within_scope(office: Office) -> None:
    client = office.app_client()
    sign_in(client, "caoloc")
    found = client.get("/units/search", params={"q": "cao loc"}).json()
    assert found[0] == {
        "ref": "legacy:183",
        "code": "183",
        "name": "Huyện Cao Lộc",
        "kind": "district",
        "parent": "Tỉnh Lạng Sơn",
    }
    assert client.get("/units/search", params={"q": "van quan"}).json() == []  # another district
    operator = office.app_client()
    sign_in(operator, "dai")
    assert [p["ref"] for p in operator.get("/units/search", params={"q": "van quan"}).json()] == ["legacy-06253"]


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    """One office for the property test (building one per example would take minutes)."""
    folder = tmp_path_factory.mktemp("office")
    url = f"sqlite:///{folder / 'broadcast.db'}"
    office_settings = load_settings(env={"BROADCAST_HOME": str(folder / "home"), "BROADCAST_DATABASE_URL": url})
    migrate(url)
    database = open_database(url)
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, office_settings.timezone)
        add_user(db, "tinh", "Cán bộ tỉnh", "admin", "legacy:20", PASSWORD, now=NOW)
    client = TestClient(create_app(office_settings, database))
    yield client, sign_in(client, "tinh")
    database.dispose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=300),
    field=st.sampled_from(["title", "text", "targets", "starts_on", "ends_on", "per_day", "sessions", "priority"]),
)
def test_random_text_never_gives_a_server_error(shared_client: Any, text: str, field: str) -> None:
    client, token = shared_client
    assert write(client, token, **{field: text}).status_code < 500
    assert client.get("/units/search", params={"q": text}).status_code == 200
    assert client.post("/messages/reading", data={"csrf": token, "text": text}).status_code == 200
    assert client.get("/messages", params={"q": text, "unit": text, "directive": text}).status_code == 200


def test_an_id_that_cannot_be_one_is_not_found(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "tinh")
    for number in ("abc", "9223372036854775808", "99999999999999999999999"):
        for path in (f"/messages/{number}", f"/messages/{number}/edit"):
            page = client.get(path)
            assert page.status_code == 404 and "Không tìm thấy" in page.text, path
        for action in ("edit", "approve", "retire"):
            posted = client.post(f"/messages/{number}/{action}", data={**FORM, "csrf": token})
            assert posted.status_code == 404 and "Không tìm thấy" in posted.text, action
