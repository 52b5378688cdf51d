"""Units and stations: the tree in scope, sessions with where they come from, the warning before replacing inherited
sessions, station settings and tokens shown once; read-only for other roles, 403 outside the scope."""

from __future__ import annotations

from sqlalchemy import select

from broadcast.db.models import AuditEntry, Session, Station, StationToken
from broadcast.units.tokens import hash_token
from tests.web.conftest import Office, sign_in

CAO_LOC = "/units/legacy:183"
STATION = "/units/legacy-06253"  # Đài … thị trấn Văn Quan


def session_form(csrf: str, **fields: str) -> dict[str, str]:
    return {"csrf": csrf, "name": "trưa", "start": "11:00", "length": "45m", "weekdays": "t2-t6", **fields}


def test_the_tree_opens_at_the_scope_and_tells_where_sessions_come_from(office: Office) -> None:
    client = office.app_client()
    sign_in(client, "caoloc")
    response = client.get("/units", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/units/legacy:183")
    page = client.get(CAO_LOC)
    assert page.status_code == 200 and "Huyện Cao Lộc" in page.text
    assert "Thừa hưởng từ <strong>Tỉnh Lạng Sơn (legacy:20)</strong>" in page.text
    assert "Đơn vị trực thuộc" in page.text and "Thị trấn Cao Lộc" in page.text
    assert 'action="/units/legacy%3A183/sessions"' not in page.text  # an approver only reads
    assert "built-in" not in page.text and "Undefined" not in page.text


def test_an_admin_is_warned_before_replacing_inherited_sessions_then_saves(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    first = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf), follow_redirects=False)
    assert first.status_code == 200
    assert "thay toàn bộ" in first.text and "Tỉnh Lạng Sơn (legacy:20)" in first.text
    assert 'name="confirm" value="yes"' in first.text
    with office.database.transaction() as db:
        assert not list(db.scalars(select(Session).where(Session.name == "trưa")))
    second = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, confirm="yes"), follow_redirects=False)
    assert (second.status_code, second.headers["location"]) == (303, "/units/legacy:183?done=session-set")
    page = client.get(second.headers["location"])
    assert "Đã lưu buổi phát." in page.text and "Buổi phát riêng của đơn vị này." in page.text
    assert "11:45" in page.text and "T2–T6" in page.text
    # A second session on a unit that has its own: no warning, saved at once.
    again = client.post(
        f"{CAO_LOC}/sessions", data=session_form(csrf, name="tối", start="19:00"), follow_redirects=False
    )
    assert again.status_code == 303
    with office.database.transaction() as db:
        kinds = [e.kind for e in db.scalars(select(AuditEntry).where(AuditEntry.kind.like("session.%")))]
    assert kinds == ["session.set", "session.set"]
    cleared = client.post(f"{CAO_LOC}/sessions/clear", data={"csrf": csrf, "name": "tối"}, follow_redirects=False)
    assert cleared.status_code == 303
    assert "built-in" not in client.get(cleared.headers["location"]).text
    missing = client.post(f"{CAO_LOC}/sessions/clear", data={"csrf": csrf, "name": "tối"})
    assert missing.status_code == 400 and 'class="error"' in missing.text


def test_an_editor_of_another_district_is_refused(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "vanquan")
    assert client.get(CAO_LOC).status_code == 403
    response = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, confirm="yes"))
    assert response.status_code == 403 and "Không có quyền" in response.text
    with office.database.transaction() as db:
        assert not list(db.scalars(select(Session).where(Session.name == "trưa")))


def test_an_editor_in_scope_reads_but_may_not_change(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "bientap")
    page = client.get(CAO_LOC)
    assert page.status_code == 200 and "Bạn chỉ xem được" in page.text
    assert client.post(f"{CAO_LOC}/sessions", data=session_form(csrf)).status_code == 403


def test_bad_values_come_back_beside_the_field_escaped(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    markup = "<script>alert(1)</script>"
    response = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, name=markup, start="25:99"))
    assert response.status_code == 400
    assert 'class="field-error"' in response.text and "Giờ «25:99» không có thật" in response.text
    assert markup not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    late = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, start="23:50", length="1h"))
    assert late.status_code == 400 and "kéo dài qua nửa đêm" in late.text
    saved = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, name=markup, confirm="yes"))
    assert saved.status_code == 200 and markup not in saved.text and "&lt;script&gt;" in saved.text


def test_wrong_codes_give_404(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    assert client.get("/units/99999").status_code == 404
    assert client.get("/units/x:1").status_code == 404
    assert client.post("/units/legacy-99999/tokens", data={"csrf": csrf}).status_code == 404


def test_a_token_is_shown_once_and_only_its_hash_is_stored(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    response = client.post(f"{STATION}/tokens", data={"csrf": csrf})
    assert response.status_code == 200 and "không hiện lại" in response.text
    token = response.text.split('<code class="token">', 1)[1].split("</code>", 1)[0]
    assert token.startswith("bst_")
    with office.database.transaction() as db:
        stored = list(db.scalars(select(StationToken)))
        assert [t.token_hash for t in stored] == [hash_token(token)]
        assert all(token not in repr((e.summary, e.before, e.after)) for e in db.scalars(select(AuditEntry)))
    later = client.get(STATION)
    assert token not in later.text and "còn hiệu lực" in later.text
    revoked = client.post(f"{STATION}/tokens/revoke", data={"csrf": csrf})
    assert revoked.status_code == 200 and "Đã thu hồi" in revoked.text and "còn hiệu lực" not in revoked.text


def test_station_settings_are_saved_and_bad_ones_refused(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    data = {"csrf": csrf, "engine": "default", "voice_region": "south", "active": "no"}
    response = client.post(f"{STATION}/settings", data=data)
    assert response.status_code == 200 and "Đã lưu cài đặt" in response.text and "Ngừng phát" in response.text
    bad = client.post(f"{STATION}/settings", data={**data, "voice_region": "<b>mars</b>"})
    assert bad.status_code == 400 and "<b>mars</b>" not in bad.text


def test_a_station_speaking_rate_is_saved_and_one_out_of_range_refused_in_vietnamese(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    data = {"csrf": csrf, "engine": "default", "voice_region": "north", "active": "yes", "rate": "85"}
    saved = client.post(f"{STATION}/settings", data=data)
    assert saved.status_code == 200 and 'name="rate" min="70" max="130" step="1" value="85"' in saved.text
    too_slow = client.post(f"{STATION}/settings", data={**data, "rate": "40"})
    assert too_slow.status_code == 400
    assert "Tốc độ đọc phải từ 70 đến 130 phần trăm (100 là bình thường), không phải 40." in too_slow.text
    not_a_number = client.post(f"{STATION}/settings", data={**data, "rate": "nhanh"})
    assert not_a_number.status_code == 400 and "Tốc độ đọc phải là một số phần trăm" in not_a_number.text
    with office.database.transaction() as db:
        assert db.scalars(select(Station.speaking_rate).where(Station.code == "legacy-06253")).one() == 85


def test_an_operator_sees_its_station_read_only(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "dai")
    response = client.get("/units", follow_redirects=False)
    assert response.headers["location"] == "/units/legacy-06253"
    page = client.get(STATION)
    assert page.status_code == 200 and "Mã truy cập" not in page.text and "Lưu cài đặt" not in page.text
    assert client.get(CAO_LOC).status_code == 403
    assert client.post(f"{STATION}/tokens", data={"csrf": csrf}).status_code == 403
